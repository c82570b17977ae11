// ASHA replayed on the NAS curves of Baker et al. 2017 (../shared/data/nas-curves, else data/nas-curves),
// with the protocol of bench/lc-stop.ts: 40 random orderings of 20 curves per file (replay's defaults,
// seed 0), a stopped run discarded. Grace 1 (every run judged on its first point) against the default
// grace period ceil(epochs / eta^2), eta 3, at the 10/20/40/80% cutoffs and at every epoch.
//   npx tsx bench/asha-nas.ts
import { existsSync } from 'node:fs';
import { table } from '../src/cli/util.js';
import { readNasCurves } from '../src/reproductions/nas-data.js';
import { asha } from '../src/stopping/asha.js';
import { replay } from '../src/stopping/replay.js';

const shared = new URL('../../shared/data/nas-curves', import.meta.url).pathname;
const dir = existsSync(shared) ? shared : new URL('../data/nas-curves', import.meta.url).pathname;
const rows = [];
for (const set of readNasCurves(dir)) {
  const schedules = {
    'at the cutoffs': [0.1, 0.2, 0.4, 0.8].map((f) => Math.round(f * set.length)),
    'every epoch': Array.from({ length: set.length - 1 }, (_, i) => i + 1),
  };
  for (const [decisions, checkpoints] of Object.entries(schedules)) {
    for (const rule of [asha({ minPoints: 1 }), asha()]) {
      const r = replay(set.curves, rule, { goal: set.goal, checkpoints, range: set.range });
      rows.push([set.name, rule.name, decisions, r.speedup, r.regret, r.maxRegret, r.sameBest]);
    }
  }
}
console.log(table(rows, ['file', 'rule', 'decisions', 'speed-up', 'regret/span', 'max regret/span', 'same best']));
