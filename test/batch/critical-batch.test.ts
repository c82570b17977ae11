import { describe, expect, it } from 'vitest';
import { criticalBatch, fitBcritVsLoss, fitStepsVsBatch, zhangCriticalBatch } from '../../src/batch/critical-batch.js';
import { fitBcritScaling } from '../../src/batch/bcrit-scaling.js';
import { readZhangTable, zhangCbs } from '../../src/reproductions/zhang-cbs.js';
import { getReproduction } from '../../src/reproductions/index.js';
import type { Run } from '../../src/core/run.js';
import { hasShared, referenceData } from '../reference-data.js';

const shared = referenceData('zhang2024-cbs/steps_to_target.csv');
const within = (ours: number, published: number, tolerance: number) => expect(Math.abs(ours / published - 1)).toBeLessThan(tolerance);

/** A run whose loss falls as L(s) = 2 + 8 / (1 + s / tau), logged every step to `steps`. */
function run(id: string, batchSize: number, tau: number, steps = 400): Run {
  return {
    config: { id, family: 'synthetic', batchSize },
    trajectory: Array.from({ length: steps + 1 }, (_, s) => ({ step: s, tokens: s * batchSize * 16, evalLoss: 2 + 8 / (1 + s / tau) })),
  };
}

describe('Zhang et al. 2024 critical batch size (zhang2024-cbs)', () => {
  it('reproduces B_crit and the 20% CBS per model within 1%, and CBS = 93.197 N_M^0.468 within 1%', async () => {
    const { models, k, e } = await zhangCbs(readZhangTable(shared));
    const bcrit = [2191, 3240, 5433, 7907, 11131];
    const cbs = [745, 955, 1394, 1889, 2533];
    expect(models.map((m) => m.model)).toEqual(['85M', '151M', '302M', '604M', '1.2B']);
    models.forEach((m, i) => {
      within(m.Bcrit, bcrit[i]!, 0.01);
      within(m.cbs, cbs[i]!, 0.01);
      within(m.Bcrit, m.Emin / m.Smin, 1e-12);
      expect(m.fit.converged).toBe(true);
    });
    within(k, 93.197, 0.01);
    within(e, 0.46828, 0.01);
    // S_min and E_min agree with scipy's curve_fit on the same objective (bench/batch-zhang-reference.py).
    within(models[0]!.Smin, 1293.8268, 1e-4);
    within(models[0]!.Emin, 2834258.2, 1e-4);
    within(models[4]!.Smin, 3897.3065, 1e-4);
    within(models[4]!.Emin, 43381130.4, 1e-4);
  });

  it('the registered reproduction reports every published figure within 1%', async () => {
    const metrics = await getReproduction('zhang-cbs').run();
    expect(metrics).toHaveLength(12);
    for (const m of metrics) within(m.ours, m.published, 0.01);
  });

  it.skipIf(!hasShared('zhang2024-cbs'))('bundles the same table as ../shared/data', () => {
    expect(readZhangTable()).toEqual(readZhangTable(shared));
  });
});

describe('fitStepsVsBatch', () => {
  it('recovers S_min and E_min exactly from a noiseless hyperbola', async () => {
    const B = [8, 16, 32, 64, 128, 256, 512];
    const S = B.map((b) => 500 + 64000 / b);
    const f = await fitStepsVsBatch(B, S);
    within(f.Smin, 500, 1e-6);
    within(f.Emin, 64000, 1e-6);
    within(f.Bcrit, 128, 1e-6);
    // Zhang's definition at B0 = 64, 20%: 1.2 * 64 + 0.2 * 128.
    within(zhangCriticalBatch(f, { referenceBatch: 64 }), 1.2 * 64 + 0.2 * 128, 1e-6);
    // At that batch size the steps are exactly 1.2 times linear scaling from 64.
    const b = zhangCriticalBatch(f, { referenceBatch: 64 });
    within(500 + 64000 / b, (1.2 * (500 + 64000 / 64) * 64) / b, 1e-9);
  });

  it('rejects a single batch size and bad values with exact messages', async () => {
    await expect(fitStepsVsBatch([64, 64], [100, 110])).rejects.toThrow('steps versus batch size needs at least 2 distinct batch sizes, got only 64');
    await expect(fitStepsVsBatch([64, 128], [100, 0])).rejects.toThrow('steps: row 2: must be positive, got 0');
    await expect(fitStepsVsBatch([64, 128], [100])).rejects.toThrow('steps has 1 values, batchSizes has 2');
    expect(() => zhangCriticalBatch({ Smin: 1, Emin: 2 }, { overhead: -0.2 })).toThrow('overhead: must be positive, got -0.2');
  });
});

describe('criticalBatch on runs', () => {
  // Steps to loss L at batch B: s = tau_B (8 / (L - 2) - 1); tau_B = 50 (1 + 100 / B) gives
  // S(B) = S_min (1 + 100 / B) at every target, so B_crit = 100 exactly.
  const runs = [16, 32, 64, 128, 256, 512].map((b) => run(`b${b}`, b, 50 * (1 + 100 / b), 4000));
  it('finds B_crit = E_min / S_min at every target, interpolating on the trajectories', async () => {
    const a = await criticalBatch(runs, [6, 4, 3], { referenceBatch: 32 });
    expect(a.targets.map((t) => t.target)).toEqual([6, 4, 3]);
    for (const t of a.targets) {
      within(t.Bcrit, 100, 2e-3);
      expect(t.points.map((p) => p.batchSize)).toEqual([16, 32, 64, 128, 256, 512]);
      within(t.zhang, 1.2 * 32 + 0.2 * t.Bcrit, 1e-9);
    }
    // S_min at target 3: 50 (8 / (3 - 2) - 1) = 350.
    within(a.targets[2]!.Smin, 350, 2e-3);
  });

  it('keeps the fewest steps when several runs share a batch size (a learning-rate sweep)', async () => {
    const slow = run('b64-slow', 64, 1000, 4000);
    const a = await criticalBatch([...runs, slow], [4]);
    expect(a.targets[0]!.points.find((p) => p.batchSize === 64)!.runId).toBe('b64');
  });

  it('averages seeds of one (batch size, learning rate) setting before taking the best rate', async () => {
    const withLr = (r: Run, lr: number, id: string): Run => ({ ...r, config: { ...r.config, id, tags: { lr } } });
    const base = runs.map((r) => withLr(r, 0.1, r.config.id));
    // Two more seeds at batch 64, lr 0.1: one faster, one slower (tau 40 and 100 vs 50 (1 + 100 / 64) = 128).
    const seeds = [withLr(run('x', 64, 40, 4000), 0.1, 'b64-s2'), withLr(run('x', 64, 100, 4000), 0.1, 'b64-s3')];
    // A different learning rate at batch 64 that is slower still.
    const slowLr = withLr(run('x', 64, 200, 4000), 0.3, 'b64-lr0.3');
    const a = await criticalBatch([...base, ...seeds, slowLr], [4]);
    const p64 = a.targets[0]!.points.find((p) => p.batchSize === 64)!;
    // Steps to loss 4 are tau (8 / 2 - 1) = 3 tau, interpolated on a 1-step grid.
    expect(p64.runs).toBe(3);
    expect(p64.runId).toBe('b64');
    expect(p64.steps).toBeCloseTo((3 * 128 + 3 * 40 + 3 * 100) / 3, 0);
    const luckiest = await criticalBatch([...base, ...seeds, slowLr], [4], { averageSeeds: false });
    expect(luckiest.targets[0]!.points.find((p) => p.batchSize === 64)!.runId).toBe('b64-s2');
  });

  it('fits Kaplan B_crit(L) = B* / L^(1 / alpha_B) across targets', async () => {
    const L = [2.5, 3, 3.5, 4];
    const fit = await fitBcritVsLoss({ loss: L, bcrit: L.map((l) => 2e8 * Math.pow(l, -1 / 0.21)) });
    within(fit.values.Bstar!, 2e8, 1e-5);
    within(fit.values.alphaB!, 0.21, 1e-5);
    within(fit.predict({ L: 3.2 })[0]!, 2e8 * Math.pow(3.2, -1 / 0.21), 1e-5);
    await expect(fitBcritVsLoss({ loss: [3, 3], bcrit: [10, 12] })).rejects.toThrow('B_crit versus loss needs at least 2 distinct target losses, got [3,3]');
  });

  it('reports a single batch size and unreached targets per run', async () => {
    await expect(criticalBatch([run('a', 64, 50), run('b', 64, 60)], [4])).rejects.toThrow('steps versus batch size needs runs at at least 2 distinct batch sizes, got only 64 (2 runs)');
    // Run 'short' logs 100 steps and reaches 2 + 8 / 3 = 4.67 at best.
    const short = run('short', 128, 50, 100);
    await expect(criticalBatch([...runs, short], [5, 4])).rejects.toThrow(
      `target 4 not reached by run "short" (batch 128, best evalLoss ${2 + 8 / (1 + 100 / 50)}); choose a higher target or pass unreached: 'exclude'`,
    );
    const a = await criticalBatch([...runs, short], [5, 4], { unreached: 'exclude' });
    expect(a.unreached).toEqual([{ runId: 'short', batchSize: 128, target: 4, bestLoss: 2 + 8 / (1 + 100 / 50) }]);
    expect(a.targets[1]!.points.map((p) => p.runId)).toEqual(['b16', 'b32', 'b64', 'b128', 'b256', 'b512']);
    // Target 5 is reached by 'short' (tau 50), faster than 'b128' (tau 89), so it stands for batch 128 there.
    expect(a.targets[0]!.points.find((p) => p.batchSize === 128)!.runId).toBe('short');
  });
});

describe('fitBcritScaling', () => {
  it('recovers B_crit = k D^e and rejects a single size', async () => {
    const D = [1e9, 4e9, 1.6e10];
    const fit = await fitBcritScaling(
      D.map((d) => ({ D: d, bcrit: 3e-3 * Math.pow(d, 0.5) })),
      { by: 'D' },
    );
    expect(fit.law).toBe('bcrit-d');
    within(fit.values.k!, 3e-3, 1e-6);
    within(fit.values.e!, 0.5, 1e-8);
    await expect(
      fitBcritScaling([
        { N: 1e8, bcrit: 500 },
        { N: 1e8, bcrit: 600 },
      ]),
    ).rejects.toThrow('B_crit versus N needs at least 2 distinct values of N, got [100000000,100000000]');
    await expect(fitBcritScaling([{ D: 1e8, bcrit: 500 }])).rejects.toThrow('points[0].N: must be a positive number, got undefined');
  });
});
