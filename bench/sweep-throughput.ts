/**
 * Sweep throughput, issue 6 bar (c): the same sweep (8 equal runs) trained with 1 worker (in this
 * thread) and with 2 worker threads (one WASM backend each), into fresh stores; wall time and
 * training tokens per second for each.
 *
 *   npx tsx bench/sweep-throughput.ts [--workers 1,2] [--steps 150]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runSweep } from '../src/proxy/sweep.js';
import { expandSweep, type SweepSpec } from '../src/proxy/sweep-spec.js';

const { values } = parseArgs({ options: { workers: { type: 'string', default: '1,2' }, steps: { type: 'string', default: '150' } } });
const spec: SweepSpec = {
  base: {
    model: { family: 'transformer', width: 32, depth: 2, heads: 2, context: 16 },
    data: { type: 'markov' },
    batchSize: 32,
    lr: 1e-2,
    steps: Number(values.steps),
    evalTokens: 2048,
    backend: 'wasm',
  },
  grid: { seed: [0, 1, 2, 3, 4, 5, 6, 7] },
};
const tokens = expandSweep(spec).reduce((a, r) => a + r.steps * r.perStep, 0);
for (const workers of values.workers!.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-sweep-bench-'));
  const started = performance.now();
  const result = await runSweep(spec, { store: dir, workers });
  const wall = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ workers, runs: result.finished.length, wallSeconds: wall, tokensPerSecond: tokens / wall }));
  rmSync(dir, { recursive: true, force: true });
}
