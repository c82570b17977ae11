import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitLaw } from '../../src/fit/fit.js';
import { openStore } from '../../src/io/store.js';
import { markovLanguage } from '../../src/proxy/markov.js';
import { runSweep } from '../../src/proxy/sweep.js';
import type { SweepSpec } from '../../src/proxy/sweep-spec.js';

// A tiny version of bench/proxy-chinchilla.ts (--order 1): six widths on a Markov language, fitted with the
// Chinchilla law. Runs this short are far from converged, so E itself is checked in the bench; here
// the truths that hold at any size: no model beats the entropy rate, bigger models do better, and the
// trajectories feed a converged fit whose floor sits at or below every measured loss.
describe('a tiny sweep on the Markov language', () => {
  it('never beats the entropy rate, improves with size and feeds a Chinchilla fit', async () => {
    const data = { type: 'markov' as const, vocab: 64, order: 1, branching: 3, seed: 0 };
    const spec: SweepSpec = {
      base: {
        model: { family: 'transformer', width: 8, depth: 1, heads: 1, context: 2 },
        data,
        batchSize: 64,
        microBatches: 1,
        schedule: { type: 'cosine', peak: 2e-2, final: 2e-4, warmup: 5 },
        evalTokens: 8192,
        logEvery: 10,
        backend: 'wasm',
      },
      list: [4, 6, 8, 12, 16, 24].map((width) => ({ width, heads: width >= 8 ? 2 : 1 })),
      grid: { steps: [30, 60] },
    };
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-scaling-'));
    const result = await runSweep(spec, { store: dir });
    expect(result.finished).toHaveLength(12);
    const runs = result.ids.map((id) => openStore(dir).load(id));
    const H = markovLanguage(data).entropyRate;
    // 8192 evaluation tokens, half of them scored (position 1 of each window of 2); the per-token
    // loss of the true model has standard deviation < 0.5 nats here.
    const stderr = 0.5 / Math.sqrt(4096);
    for (const run of runs) expect(run.summary!.finalEvalLoss as number).toBeGreaterThan(H - 4 * stderr);
    const at = (steps: number): number[] => runs.filter((r) => (r.config.extra as { steps: number }).steps === steps).map((r) => r.summary!.finalEvalLoss as number);
    for (const losses of [at(30), at(60)]) expect(losses.at(-1)!).toBeLessThan(losses[0]! - 0.2);
    const fit = await fitLaw(
      'chinchilla',
      {
        inputs: { N: runs.map((r) => r.config.N!), D: runs.map((r) => r.config.D!) },
        loss: runs.map((r) => r.summary!.finalEvalLoss as number),
      },
      {
        threads: 1,
        // a coarser grid than the published 4,500 starts, to keep the test quick
        grid: { alpha: [0.5, 1, 1.5], beta: [0.5, 1, 1.5], E: [Math.exp(-1), 1], A: [1, Math.exp(5), Math.exp(10)], B: [1, Math.exp(5), Math.exp(10)] },
      },
    );
    expect(fit.converged).toBe(true);
    expect(fit.values.E!).toBeLessThanOrEqual(Math.min(...at(60)));
  }, 120_000);
});
