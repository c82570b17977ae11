import { describe, expect, it } from 'vitest';
import { optimalBatchLr } from '../../src/batch/optimal-batch-lr.js';
import type { Run } from '../../src/core/run.js';

// A synthetic sweep with a known optimum: at compute C the loss is minimal at B* = 0.292 C^0.3271
// and lr* = 0.3118 C^-0.125 (DeepSeek LLM, eq. 1), quadratic in log B and log lr around it.
const bOpt = (C: number) => 0.292 * Math.pow(C, 0.3271);
const lrOpt = (C: number) => 0.3118 * Math.pow(C, -0.125);
function sweep(): Run[] {
  const runs: Run[] = [];
  for (const C of [1e17, 1e18, 1e19, 1e20]) {
    for (const fb of [0.25, 0.5, 1, 2, 4]) {
      for (const fl of [0.25, 0.5, 1, 2, 4]) {
        const B = bOpt(C) * fb,
          lr = lrOpt(C) * fl;
        const loss = 3 * (1 + 0.01 * Math.log(fb) ** 2 + 0.02 * Math.log(fl) ** 2);
        runs.push({
          config: { id: `C${C}-b${fb}-lr${fl}`, family: 'x', batchSize: B, schedule: { type: 'constant', peak: lr, steps: 100 } },
          trajectory: [{ step: 100, evalLoss: loss }],
          summary: { status: 'finished', steps: 100, flops: C },
        });
      }
    }
  }
  return runs;
}

describe('optimalBatchLr (DeepSeek LLM form)', () => {
  it('recovers B_opt = 0.292 C^0.3271 and lr_opt = 0.3118 C^-0.125 from the best runs', async () => {
    const r = await optimalBatchLr(sweep(), { band: 0 });
    expect(r.best).toHaveLength(4);
    expect(r.points).toHaveLength(4);
    expect(r.batch.values.k).toBeCloseTo(0.292, 6);
    expect(r.batch.values.e).toBeCloseTo(0.3271, 8);
    expect(r.lr.values.k).toBeCloseTo(0.3118, 6);
    expect(r.lr.values.e).toBeCloseTo(-0.125, 8);
  });

  it('fits all near-optimal runs within the band', async () => {
    // Within 1% of the best: the best and its four neighbours (0.01 ln(2)^2 = 0.48% in B,
    // 0.02 ln(2)^2 = 0.96% in lr); a diagonal neighbour costs 1.44%. Symmetric, so the fit is exact.
    const r = await optimalBatchLr(sweep(), { band: 0.01 });
    expect(r.points).toHaveLength(20);
    expect(r.batch.values.e).toBeCloseTo(0.3271, 8);
    expect(r.lr.values.e).toBeCloseTo(-0.125, 8);
  });

  it('treats diverged runs as worst, and rejects a single budget', async () => {
    const runs = sweep();
    runs[0]!.summary = { status: 'diverged', steps: 3, flops: 1e17 };
    const r = await optimalBatchLr(runs, { band: 0 });
    expect(r.best[0]!.runId).toBe('C100000000000000000-b1-lr1');
    await expect(optimalBatchLr(runs.slice(0, 25))).rejects.toThrow('optimal batch size and learning rate need runs at at least 2 compute budgets, got 1');
    await expect(optimalBatchLr(runs, { band: -1 })).rejects.toThrow('band: must be a non-negative number, got -1');
  });
});
