import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { fitDownstream, predictDownstream, type AccuracyPoint, type TaskLossPoint } from '../../src/plan/downstream.js';

// A known truth: task loss L = 0.5 + 40 / N^0.25 + 300 / D^0.25, accuracy = -0.7 / (1 + exp(-5 (L - 1))) + 0.95.
const lossOf = (N: number, D: number) => 0.5 + 40 / N ** 0.25 + 300 / D ** 0.25;
const accOf = (L: number) => -0.7 / (1 + Math.exp(-5 * (L - 1))) + 0.95;

function ladder(noise: number, seed: number): { step1: TaskLossPoint[]; step2: AccuracyPoint[] } {
  const r = rng(seed);
  const step1: TaskLossPoint[] = [],
    step2: AccuracyPoint[] = [];
  for (const N of [2e8, 4e8, 8e8, 1.3e9])
    for (const mult of [1, 2, 5, 10]) {
      const D = 20 * N * mult;
      step1.push({ N, D, taskLoss: lossOf(N, D) * (1 + noise * r.normal()) });
      for (let k = 1; k <= 20; k++) {
        const L = lossOf(N, (D * k) / 20);
        step2.push({ taskLoss: L, accuracy: accOf(L) + noise * r.normal(), run: `${N}-${mult}` });
      }
    }
  return { step1, step2 };
}

describe('fitDownstream / predictDownstream', () => {
  it('recovers a known two-step truth exactly from noise-free proxies', async () => {
    const { step1, step2 } = ladder(0, 0);
    const fit = await fitDownstream(step1, step2, { bootstrap: 0, idealPoint: false });
    const p = predictDownstream(fit, { N: 7e9, D: 2e12 });
    expect(p.taskLoss.value).toBeCloseTo(lossOf(7e9, 2e12), 3);
    expect(p.accuracy.value).toBeCloseTo(accOf(lossOf(7e9, 2e12)), 3);
    expect(p.accuracy.lower).toBeUndefined();
    expect(p.warnings).toContain('no bootstrap samples: no intervals (fitDownstream with bootstrap > 0)');
    expect(p.warnings.join('\n')).toContain("the predicted task loss 0.8906 is outside the checkpoints' 1.131 to 3.359: step 2 extrapolates the sigmoid\n");
    expect(predictDownstream(fit, { N: 2e10, D: 2e12 }).warnings[0]).toBe("N = 2.00e10 is 15.4x the largest proxy's (1.30e9): step 1 extrapolates");
  });

  it('gives an interval from both steps that contains the truth on noisy proxies', async () => {
    const { step1, step2 } = ladder(0.005, 1);
    const fit = await fitDownstream(step1, step2, { bootstrap: 60, seed: 2, idealPoint: false });
    const p = predictDownstream(fit, { N: 3e9, D: 3e11 });
    const truth = accOf(lossOf(3e9, 3e11));
    expect(p.accuracy.lower).toBeLessThan(p.accuracy.value);
    expect(p.accuracy.upper).toBeGreaterThan(p.accuracy.value);
    expect(p.accuracy.lower! - 0.01).toBeLessThan(truth);
    expect(p.accuracy.upper! + 0.01).toBeGreaterThan(truth);
    expect(p.level).toBe(0.9);
  });

  it('refuses bad input, naming it', async () => {
    const { step1, step2 } = ladder(0, 0);
    await expect(fitDownstream(step1.slice(0, 3), step2)).rejects.toThrow('step1: need at least 6 points, got 3');
    await expect(fitDownstream(step1, step2, { chance: 1 })).rejects.toThrow('chance and maximum: need 0 <= chance < maximum <= 1, got 1 and 1');
    const fit = await fitDownstream(step1, step2, { bootstrap: 0 });
    expect(() => predictDownstream(fit, { N: -1, D: 1e12 })).toThrow('N: must be a positive number, got -1');
  });
});
