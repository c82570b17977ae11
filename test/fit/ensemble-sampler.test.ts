import { describe, expect, it } from 'vitest';
import { ball, ensembleSampler } from '../../src/fit/ensemble-sampler.js';
import { rng } from '../../src/core/rng.js';

function moments(draws: Float64Array, dim: number) {
  const n = draws.length / dim;
  const mean = new Float64Array(dim);
  for (let s = 0; s < n; s++) for (let j = 0; j < dim; j++) mean[j]! += draws[s * dim + j]! / n;
  const cov = new Float64Array(dim * dim);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) cov[i * dim + j]! += ((draws[s * dim + i]! - mean[i]!) * (draws[s * dim + j]! - mean[j]!)) / (n - 1);
    }
  }
  return { mean, cov };
}

describe('ensembleSampler', () => {
  it('recovers the mean and covariance of a strongly correlated Gaussian', () => {
    // Sigma = [[4, 2.85], [2.85, 2.25]]: correlation 0.95, scales 2 and 1.5.
    const S = [4, 2.85, 2.85, 2.25];
    const det = S[0]! * S[3]! - S[1]! * S[2]!;
    const P = [S[3]! / det, -S[1]! / det, -S[2]! / det, S[0]! / det];
    const mu = [1, -2];
    const logProb = (x: Float64Array) => {
      const a = x[0]! - mu[0]!,
        b = x[1]! - mu[1]!;
      return -0.5 * (P[0]! * a * a + 2 * P[1]! * a * b + P[3]! * b * b);
    };
    const start = ball([0, 0], [0.1, 0.1], 32, rng(3));
    const result = ensembleSampler(logProb, start, { steps: 3000, burn: 500, seed: 7 });
    const { mean, cov } = moments(result.draws, 2);
    expect(result.count).toBe(2500 * 32);
    expect(mean[0]).toBeCloseTo(1, 1);
    expect(mean[1]).toBeCloseTo(-2, 1);
    expect(cov[0]! / 4).toBeGreaterThan(0.9);
    expect(cov[0]! / 4).toBeLessThan(1.1);
    expect(cov[3]! / 2.25).toBeGreaterThan(0.9);
    expect(cov[3]! / 2.25).toBeLessThan(1.1);
    expect(cov[1]! / Math.sqrt(cov[0]! * cov[3]!)).toBeCloseTo(0.95, 2);
    expect(result.acceptance).toBeGreaterThan(0.3);
    expect(result.acceptance).toBeLessThan(0.9);
  });

  it('recovers the moments of the Rosenbrock density of Goodman & Weare 2010', () => {
    // pi(x1, x2) ∝ exp(-(100 (x2 - x1^2)^2 + (1 - x1)^2) / 20): x1 ~ N(1, 10), x2 | x1 ~ N(x1^2, 0.1),
    // so E x1 = 1, Var x1 = 10, E x2 = 11. The banana mixes slowly: over seeds these estimates vary by ~20%.
    const logProb = (x: Float64Array) => -(100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2) / 20;
    const start = ball([1, 1], [0.1, 0.1], 64, rng(5));
    const result = ensembleSampler(logProb, start, { steps: 20000, burn: 2000, thin: 10, seed: 11 });
    const { mean, cov } = moments(result.draws, 2);
    expect(Math.abs(mean[0]! - 1)).toBeLessThan(0.3);
    expect(Math.abs(cov[0]! - 10) / 10).toBeLessThan(0.25);
    expect(Math.abs(mean[1]! - 11) / 11).toBeLessThan(0.25);
  });

  it('gives the same draws for the same seed and different draws for another', () => {
    const logProb = (x: Float64Array) => -0.5 * (x[0]! ** 2 + x[1]! ** 2);
    const start = ball([0, 0], [1, 1], 8, rng(1));
    const a = ensembleSampler(logProb, start, { steps: 50, seed: 4 });
    const b = ensembleSampler(logProb, start, { steps: 50, seed: 4 });
    const c = ensembleSampler(logProb, start, { steps: 50, seed: 5 });
    expect(Array.from(a.draws)).toEqual(Array.from(b.draws));
    expect(Array.from(a.draws)).not.toEqual(Array.from(c.draws));
  });

  it('respects the support: draws never leave a bounded region', () => {
    const logProb = (x: Float64Array) => (x[0]! > 0 && x[0]! < 1 ? 0 : -Infinity);
    const start = ball([0.5], [0.1], 8, rng(2), logProb);
    const result = ensembleSampler(logProb, start, { steps: 2000, seed: 1 });
    let min = Infinity,
      max = -Infinity,
      sum = 0;
    for (const v of result.draws) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    expect(sum / result.count).toBeCloseTo(0.5, 1);
  });

  it('rejects bad options with messages that echo the value', () => {
    const logProb = (x: Float64Array) => -0.5 * x[0]! ** 2;
    expect(() => ensembleSampler(logProb, [[0], [1], [2]])).toThrow('ensembleSampler: start: need an even number of walkers >= 2 * dim = 2, got 3');
    expect(() => ensembleSampler(logProb, [[0], [1]], { steps: 0 })).toThrow('ensembleSampler: steps: must be a positive integer, got 0');
    expect(() => ensembleSampler(logProb, [[0], [1]], { steps: 10, burn: 10 })).toThrow('ensembleSampler: burn: must be an integer in [0, steps), got 10');
    expect(() => ensembleSampler(logProb, [[0], [1]], { a: 1 })).toThrow('ensembleSampler: a: must be > 1, got 1');
    expect(() => ensembleSampler((x) => (x[0]! > 0 ? 0 : -Infinity), [[-1], [1]])).toThrow('ensembleSampler: start[0]: log density is not finite at [-1]');
  });
});
