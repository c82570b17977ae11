// The ensemble's two family weightings on real LLM loss curves at a constant learning rate (Luo et
// al. 2025, 25M and 100M models): each curve is cut after 10/20/40/60% of its steps (cuts that leave
// fewer than 5 points are skipped) and its last logged loss is predicted.
// npx tsx bench/lc-weighting-llm.ts
// Reads ../shared/data/multipowerlaw where it exists, else the bundled data/multipowerlaw (100M only).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from '../src/cli/util.js';
import { learningCurve } from '../src/extrapolation/curve.js';
import { extrapolate } from '../src/extrapolation/extrapolate.js';
import { readCurveCsv } from '../src/extrapolation/read-curve.js';

const shared = fileURLToPath(new URL('../../shared/data/multipowerlaw', import.meta.url));
const root = existsSync(shared) ? shared : fileURLToPath(new URL('../data/multipowerlaw', import.meta.url));
const rows: (string | number)[][] = [];
for (const size of ['25', '100']) {
  for (const name of ['constant_24000', 'constant_72000']) {
    const path = `${root}/csv_${size}/${name}.csv`;
    if (!existsSync(path)) continue;
    const { steps, values: loss } = readCurveCsv(path, { x: 'step', y: 'loss' });
    const last = steps.at(-1)!,
      truth = loss.at(-1)!;
    for (const f of [0.1, 0.2, 0.4, 0.6]) {
      const m = steps.findIndex((s) => s > f * last);
      if (m < 5) continue;
      const curve = learningCurve(steps.slice(0, m), loss.slice(0, m), { goal: 'min', source: `${size}M ${name}` });
      const cells = (['evidence', 'equal'] as const).flatMap((weighting) => {
        const p = extrapolate(curve, { to: last, seed: 0, weighting }).at(last);
        const [lo, hi] = p.interval(0.9);
        return [Math.abs(p.median - truth), hi - lo, lo <= truth && truth <= hi ? 'yes' : 'no'];
      });
      rows.push([`${size}M ${name}`, `${f * 100}%`, m, Math.abs(loss[m - 1]! - truth), ...cells]);
    }
  }
}
console.log(table(rows, ['curve', 'seen', 'points', '|last seen - final|', '|error| evidence', '90% width evidence', 'covers', '|error| equal', '90% width equal', 'covers']));
