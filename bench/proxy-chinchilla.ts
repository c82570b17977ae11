/**
 * Bar (a) of issue 6: a sweep of six transformer sizes x three token budgets on the built-in Markov
 * language, each run's final eval loss fitted with the Chinchilla law; E against the language's
 * exact entropy rate.
 *
 *   npx tsx bench/proxy-chinchilla.ts [--store bench/out/runs/chinchilla-order<k>] [--workers 2] [--order 1|2] [--seed 0]
 *
 * Resumable: rerun with the same store to finish an interrupted sweep and refit.
 */
import { parseArgs } from 'node:util';
import { fitLaw } from '../src/fit/fit.js';
import { openStore } from '../src/io/store.js';
import { createDataset } from '../src/proxy/dataset.js';
import { progressPrinter } from '../src/proxy/progress.js';
import { runSweep } from '../src/proxy/sweep.js';
import type { SweepSpec } from '../src/proxy/sweep-spec.js';

const { values } = parseArgs({
  options: { store: { type: 'string', default: '' }, workers: { type: 'string', default: '2' }, order: { type: 'string', default: '1' }, seed: { type: 'string', default: '0' } },
});

// Two languages, both with entropy rate 0.9949 nats (three successors per context, p ∝ 1, 1/2, 1/3):
// --order 2: vocab 8, order 2, windows of 4 tokens (positions 2 and 3 scored);
// --order 1: vocab 64, order 1, windows of 2 tokens (position 1 scored). Its 64 x 64 transition
// table needs width to represent (a width-d model has rank-d logits), so size limits the loss
// smoothly, without the order-2 source's stall while attention learns to look two tokens back.
const order = Number(values.order);
const data = order === 1 ? { type: 'markov' as const, vocab: 64, order: 1, branching: 3, zipf: 1, seed: 0 } : { type: 'markov' as const, vocab: 8, order: 2, branching: 3, zipf: 1, seed: 0 };
export const fullSpec: SweepSpec = {
  name: `chinchilla-markov-order${order}`,
  base: {
    model: { family: 'transformer', width: 16, depth: 1, heads: 1, context: order === 1 ? 2 : 4 },
    data,
    batchSize: 128,
    schedule: { type: 'cosine', peak: order === 1 ? 2e-2 : 1e-2, final: order === 1 ? 2e-4 : 1e-4, warmup: 20 },
    evalTokens: 32768,
    logEvery: 10,
    seed: Number(values.seed),
  },
  list: [4, 6, 8, 12, 16, 24].map((width) => ({ width, heads: width >= 8 ? 2 : 1 })),
  grid: { steps: order === 1 ? [300, 600, 1200] : [200, 400, 800] },
};

const storeDir = values.store || `bench/out/runs/chinchilla-order${order}${values.seed === '0' ? '' : `-seed${values.seed}`}`;
const started = performance.now();
const result = await runSweep(fullSpec, { store: storeDir, workers: Number(values.workers), backend: 'wasm', onProgress: progressPrinter(process.stderr, 30) });
const wall = (performance.now() - started) / 1000;
const store = openStore(storeDir);
const runs = result.ids.map((id) => store.load(id)).filter((r) => r.summary?.status === 'finished');
const N = runs.map((r) => r.config.N!);
const D = runs.map((r) => r.config.D!);
const loss = runs.map((r) => r.summary!.finalEvalLoss as number);
const fit = await fitLaw('chinchilla', { inputs: { N, D }, loss, source: storeDir }, { threads: 1 });
const H = (createDataset(data) as { floor: number }).floor;
const E = fit.values.E!;
console.log(fit.report?.() ?? JSON.stringify(fit.values));
console.log(`runs ${runs.length}/${result.ids.length} finished, sweep wall ${wall.toFixed(0)} s (${result.skipped.length} skipped)`);
for (const r of runs) console.log(`  N ${r.config.N}  D ${r.config.D}  eval ${(r.summary!.finalEvalLoss as number).toFixed(4)}`);
console.log(`entropy rate H = ${H.toFixed(4)} nats; fitted E = ${E.toFixed(4)}; |E - H| / H = ${((Math.abs(E - H) / H) * 100).toFixed(2)}% (bar: 3%)`);
