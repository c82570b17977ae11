/**
 * Crash safety of `scalelaw sweep` with many writers (issue 15's bar; issue 6's single-process
 * case is the `--processes 1` run): P sweep processes at once on one store, SIGKILLing K of them
 * while they hold a run part-way through (each replaced by a fresh process), then one more sweep to
 * take over what they left. Checks that every run finished exactly once, that no trajectory repeats
 * a step or goes back, that each killed run's partial trajectory was kept apart, and that the store
 * equals an uninterrupted one-process sweep of the same seeded spec bit for bit (config.json and
 * trajectory.jsonl bytes; summary.json but for wallSeconds and tokensPerSecond).
 *
 *   npx tsx bench/proxy-crash.ts [--processes 2] [--kills 3] [--workers 1]
 */
import { parseArgs } from 'node:util';
import type { SweepSpec } from '../src/proxy/sweep-spec.js';
import { crashSweeps } from '../test/proxy/crash-harness.js';

const { values } = parseArgs({ options: { processes: { type: 'string', default: '2' }, kills: { type: 'string', default: '3' }, workers: { type: 'string', default: '1' } } });
const spec: SweepSpec = {
  base: { model: { family: 'transformer', width: 8, depth: 1, heads: 2, context: 8 }, data: { type: 'markov' }, batchSize: 8, lr: 1e-2, steps: 60, evalTokens: 256, backend: 'wasm' },
  grid: { width: [4, 8, 12], seed: [0, 1, 2, 3] },
};
const r = await crashSweeps({
  spec,
  processes: Number(values.processes),
  kills: Number(values.kills),
  args: ['--workers', values.workers!],
  log: (line) => console.log(line),
});
let failed = false;
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
  failed ||= !ok;
};
check(r.killed.length === Number(values.kills), `${r.killed.length} processes killed mid-run (asked ${values.kills})`);
check(JSON.stringify(r.dirs) === JSON.stringify(r.expected), `the store holds exactly the spec's ${r.expected.length} run directories`);
check(JSON.stringify(r.finished) === JSON.stringify(r.expected), `every run finished (${r.finished.length}/${r.expected.length})`);
check(r.trainedTwice.length === 0 && r.finishedAttempts.length === 0, `no run trained twice (survivors' reports: ${r.trainedBySurvivors.length} runs, none repeated; no finished attempt set aside)`);
check(r.badSteps.length === 0, 'no trajectory repeats a step or goes back');
const held = [...new Set(r.killed.flatMap((k) => k.held))];
check(
  held.every((id) => (r.attempts[id] ?? 0) >= 1),
  `the ${held.length} runs held by killed processes were retried with their partial trajectories kept apart (${Object.values(r.attempts).reduce((a, b) => a + b, 0)} attempts)`,
);
check(r.differ.length === 0, `bit for bit equal to the uninterrupted sweep${r.differ.length ? `; differ: ${r.differ.join(', ')}` : ''}`);
console.log(`uninterrupted: ${r.referenceSeconds.toFixed(1)} s; ${values.processes} processes with ${values.kills} kills: ${r.crashSeconds.toFixed(1)} s`);
if (failed) process.exit(1);
