import { describe, expect, it } from 'vitest';
import { backtestFromJSON, backtestMatches, backtestScaling, backtestSummary } from '../../src/plan/backtest.js';
import { ScalingFit } from '../../src/fit/result.js';

/** Exact Chinchilla losses (Epoch's values) at 6 sizes x 3 token counts: a backtest must find them again. */
const truth = { A: 482.01, B: 2085.43, E: 1.817, alpha: 0.348, beta: 0.366 };
function exactData(sizes = [1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9]) {
  const N: number[] = [],
    D: number[] = [],
    loss: number[] = [];
  for (const n of sizes)
    for (const tpp of [5, 20, 80]) {
      N.push(n);
      D.push(n * tpp);
      loss.push(truth.E + truth.A / n ** truth.alpha + truth.B / (n * tpp) ** truth.beta);
    }
  return { inputs: { N: Float64Array.from(N), D: Float64Array.from(D) }, loss: Float64Array.from(loss), source: 'exact' };
}
// A few starts near the truth keep each cut's fit fast; the truth is the global optimum.
const fitOptions = {
  starts: [
    { A: 400, B: 2000, E: 1.8, alpha: 0.35, beta: 0.35 },
    { A: 800, B: 1500, E: 1.7, alpha: 0.4, beta: 0.3 },
  ],
  threads: 1,
};

describe('backtestScaling', () => {
  it('recovers exact data: every held-out size predicted to within 1e-4', async () => {
    const b = await backtestScaling('chinchilla', exactData(), { bootstrap: 0, fitOptions });
    // Default cuts: the sizes at or below N_max / 2, 4, 8 (N_max / 16 leaves 2 sizes: skipped).
    expect(b.cuts.map((c) => c.trainMaxN)).toEqual([4e8, 8e8, 1.6e9]);
    expect(b.cuts.map((c) => c.trainSizes)).toEqual([3, 4, 5]);
    expect(b.cuts[0]!.sizes.map((s) => s.N)).toEqual([8e8, 1.6e9, 3.2e9].map((n) => expect.closeTo(n, -3)));
    expect(b.cuts[0]!.sizes.map((s) => s.ratio)).toEqual([2, 4, 8].map((r) => expect.closeTo(r, 10)));
    expect(b.heldOut).toBe(9 + 6 + 3);
    expect(b.meanRelativeError).toBeLessThan(1e-4);
    expect(b.coverage).toBeUndefined();
    expect(b.report()).toContain('[[Mean]] over 3 cuts, 18 held-out rows: |rel err| 0.00%');
  });

  it('groups N within 2% as one size and scores only sizes at or above testMinN, with coverage from a bootstrap', async () => {
    const data = exactData([1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9]);
    // Nudge the 3 rows of the largest size apart by 1%: still one size.
    data.inputs.N[15] = 3.2e9 * 1.01;
    data.inputs.N[16] = 3.2e9 * 0.999;
    const b = await backtestScaling('chinchilla', data, { cuts: [1e9], testMinN: 3e9, bootstrap: 4, seed: 1, level: 0.9, fitOptions });
    expect(b.cuts).toHaveLength(1);
    expect(b.cuts[0]!.trainMaxN).toBe(1e9);
    expect(b.cuts[0]!.sizes).toHaveLength(1);
    expect(b.cuts[0]!.sizes[0]!.rows).toBe(3);
    expect(b.cuts[0]!.points.every((p) => p.interval !== undefined)).toBe(true);
    expect(b.coverage).toBeGreaterThanOrEqual(0);
    expect(b.coverage).toBeLessThanOrEqual(1);
    expect(b.testMinN).toBe(3e9);
  });

  it('refuses cuts that leave fewer than 3 sizes to fit on, naming the sizes', async () => {
    await expect(backtestScaling('chinchilla', exactData(), { cuts: [2.5e8], bootstrap: 0, fitOptions })).rejects.toThrow(
      'cuts: none leaves 3 sizes to fit on and a larger one to predict; the data have 6 sizes from N = 1.00e8 to 3.20e9, cuts asked: 2.50e8',
    );
    await expect(backtestScaling('chinchilla', exactData(), { bootstrap: 1 })).rejects.toThrow('bootstrap: must be 0 or an integer >= 2, got 1');
    await expect(backtestScaling('chinchilla', exactData(), { cuts: [1e9], testMinN: 1e10, bootstrap: 0, fitOptions })).rejects.toThrow(
      'testMinN: no held-out size at or above 1.00e10 for any cut; the largest N is 3.20e9',
    );
  });

  it('round-trips through JSON, matches the fit it came from, and sums up in one line', async () => {
    const fit = new ScalingFit({
      law: 'chinchilla',
      inputs: ['N', 'D'],
      params: Object.entries(truth).map(([name, value]) => ({ name, value, min: name === 'alpha' || name === 'beta' ? -Infinity : 0, max: Infinity, fixed: false, atBound: false })),
      objective: { loss: 'huber', settings: { delta: 1e-3 }, space: 'log', value: 0 },
      converged: true,
      message: 'test',
      starts: { count: 2, converged: 2 },
      data: { source: 'exact', rows: 18 },
      date: '2026-12-03',
    });
    const b = await backtestScaling(fit, exactData(), { cuts: [1.6e9], bootstrap: 0, fitOptions });
    const again = backtestFromJSON(JSON.parse(JSON.stringify(b)));
    expect(again.report()).toBe(b.report());
    expect(backtestMatches(again, fit)).toBe(true);
    expect(backtestMatches({ ...again.toJSON(), data: { source: 'other', rows: 18 } }, fit)).toBe(false);
    expect(backtestSummary(b)).toBe('refitted on N <= 1.60e9 and predicting larger sizes (up to 2x the largest fitted): mean relative error 0.00% over 3 held-out runs');
    expect(() => backtestFromJSON({ kind: 'plan' }, 'x.json')).toThrow('x.json: kind must be "scaling-backtest", got "plan"');
  });
});
