import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gnsFromLog, gnsFromRuns, gnsTracker, gradientNoiseScale } from '../../src/batch/gns.js';
import { hasShared, SHARED_DATA } from '../reference-data.js';

interface Vector {
  G2: number;
  trSigma: number;
  b_small: number;
  b_big: number;
  E_g_small_sq: number;
  E_g_big_sq: number;
  est_G2: number;
  est_S: number;
  B_simple: number;
}
// The exact vectors are workplace reference data, not bundled with the package: the test runs where
// ../shared/data has them (CI does).
const hasVectors = hasShared('gns-vectors/exact_vectors.json');
const vectors: Vector[] = hasVectors ? JSON.parse(readFileSync(join(SHARED_DATA, 'gns-vectors/exact_vectors.json'), 'utf8')) : [];
/** Exact expectations built from E|G_B|^2 = |G|^2 + tr(Sigma) / B, for the tests of the plumbing around the estimator. */
function exact(G2: number, trSigma: number, bSmall: number, bBig: number): Vector {
  return { G2, trSigma, b_small: bSmall, b_big: bBig, E_g_small_sq: G2 + trSigma / bSmall, E_g_big_sq: G2 + trSigma / bBig, est_G2: G2, est_S: trSigma, B_simple: trSigma / G2 };
}
const plumbing = [exact(2.5, 400, 8, 64), exact(0.3, 90, 16, 128)];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('gradientNoiseScale (McCandlish et al. 2018, App. A.1)', () => {
  it.skipIf(!hasVectors)('reproduces every exact vector to 1e-9 relative', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(3);
    for (const v of vectors) {
      const got = gradientNoiseScale(v.E_g_small_sq, v.E_g_big_sq, v.b_small, v.b_big);
      expect(rel(got.G2, v.est_G2)).toBeLessThan(1e-9);
      expect(rel(got.trSigma, v.est_S)).toBeLessThan(1e-9);
      expect(rel(got.bSimple, v.B_simple)).toBeLessThan(1e-9);
      // And the true values the vectors were built from.
      expect(rel(got.bSimple, v.trSigma / v.G2)).toBeLessThan(1e-9);
    }
  });

  it.skipIf(!hasVectors)('a tracker fed the same expectations every step returns them (bias-corrected EMA)', () => {
    for (const v of vectors) {
      const t = gnsTracker({ beta: 0.9 });
      for (let k = 0; k < 5; k++) t.update(v.E_g_small_sq, v.E_g_big_sq, v.b_small, v.b_big);
      expect(t.count).toBe(5);
      expect(rel(t.estimate.G2, v.est_G2)).toBeLessThan(1e-9);
      expect(rel(t.estimate.trSigma, v.est_S)).toBeLessThan(1e-9);
      expect(rel(t.estimate.bSimple, v.B_simple)).toBeLessThan(1e-9);
    }
  });

  it('takes the ratio of the averages, not the average of the ratios', () => {
    // Two steps: (G2, trS) = (1, 100) and (3, 100); ratio of means 200 / 4 = 50, mean of ratios 66.7.
    const step = (G2: number, S: number, bs = 10, bb = 100) => [G2 + S / bs, G2 + S / bb, bs, bb] as const;
    const t = gnsTracker({ beta: 0.5 });
    t.update(...step(1, 100));
    t.update(...step(3, 100));
    // Bias-corrected weights after two updates with beta 0.5: 1/3 on the first, 2/3 on the second.
    expect(t.estimate.G2).toBeCloseTo(1 / 3 + 2, 12);
    expect(t.estimate.bSimple).toBeCloseTo(100 / (7 / 3), 10);
    const log = gnsFromLog([step(1, 100), step(3, 100)].map(([gradSqSmall, gradSqBig, bSmall, bBig]) => ({ gradSqSmall, gradSqBig, bSmall, bBig })));
    expect(log.overall.bSimple).toBeCloseTo(50, 10);
    expect(Array.from(log.step)).toEqual([1, 2]);
  });

  it('gnsFromLog skips rows without measurements and keeps their steps', () => {
    const v = plumbing[0]!;
    const rows = [
      { step: 10, trainLoss: 3 },
      { step: 20, gradSqSmall: v.E_g_small_sq, gradSqBig: v.E_g_big_sq, bSmall: v.b_small, bBig: v.b_big },
    ];
    const s = gnsFromLog(rows);
    expect(Array.from(s.step)).toEqual([20]);
    expect(rel(s.final.bSimple, v.B_simple)).toBeLessThan(1e-9);
  });

  it('gnsFromRuns measures each run that logs gradient norms and names the run in errors', () => {
    const v = plumbing[1]!;
    const point = (step: number) => ({ step, trainLoss: 3, gradSqSmall: v.E_g_small_sq, gradSqBig: v.E_g_big_sq, bSmall: v.b_small, bBig: v.b_big });
    const runs = [
      { config: { id: 'a', family: 'x', batchSize: v.b_big, N: 1e6 }, trajectory: [point(1), point(2)] },
      { config: { id: 'plain', family: 'x' }, trajectory: [{ step: 1, trainLoss: 3 }] },
    ];
    const [a, ...rest] = gnsFromRuns(runs);
    expect(rest).toEqual([]);
    expect(a!.runId).toBe('a');
    expect(a!.batchSize).toBe(v.b_big);
    expect(rel(a!.final.bSimple, v.B_simple)).toBeLessThan(1e-9);
    expect(() => gnsFromRuns([runs[1]!])).toThrow('none of 1 runs logs gradSqSmall, gradSqBig, bSmall and bBig (train with micro-batches to log them)');
    const bad = { config: { id: 'b', family: 'x' }, trajectory: [{ ...point(1), gradSqBig: 0 }] };
    expect(() => gnsFromRuns([bad])).toThrow('run "b": row 1: gradSqBig: must be positive, got 0');
  });

  it('rejects non-positive norms, B_small >= B_big and incomplete rows with exact messages', () => {
    expect(() => gradientNoiseScale(0, 1, 8, 64)).toThrow('gradSqSmall: must be positive, got 0');
    expect(() => gradientNoiseScale(2, -1, 8, 64)).toThrow('gradSqBig: must be positive, got -1');
    expect(() => gradientNoiseScale(2, NaN, 8, 64)).toThrow('gradSqBig: not a finite number: NaN');
    expect(() => gradientNoiseScale(2, 1, 64, 64)).toThrow('bSmall must be less than bBig, got bSmall 64 and bBig 64');
    expect(() => gradientNoiseScale(2, 1, 128, 64)).toThrow('bSmall must be less than bBig, got bSmall 128 and bBig 64');
    const t = gnsTracker();
    t.update(2, 1, 8, 64);
    expect(() => t.update(2, 0, 8, 64)).toThrow('step 2: gradSqBig: must be positive, got 0');
    expect(() => gnsTracker({ beta: 1 })).toThrow('beta: not in [0, 1): 1');
    expect(() =>
      gnsFromLog(
        [
          { gradSqSmall: 2, gradSqBig: 1, bSmall: 8, bBig: 64 },
          { gradSqSmall: -2, gradSqBig: 1, bSmall: 8, bBig: 64 },
        ],
        { source: 'norms.csv' },
      ),
    ).toThrow('norms.csv: row 2: gradSqSmall: must be positive, got -2');
    expect(() => gnsFromLog([{ gradSqSmall: 2, bSmall: 8 }], { source: 'norms.csv' })).toThrow('norms.csv: row 1: missing gradSqBig, bBig');
    expect(() => gnsFromLog([{ step: 1 }], { source: 'norms.csv' })).toThrow('norms.csv: no rows with gradSqSmall, gradSqBig, bSmall and bBig');
  });
});
