import { describe, expect, it } from 'vitest';
import { observations } from '../../src/core/observations.js';
import { setWarn } from '../../src/core/warn.js';
import { ScalingFit } from '../../src/fit/result.js';
import { chinchillaOptimal, computeOptimal, computeOptimalInterval, numericOptimal } from '../../src/plan/optimal.js';
import { isoflop } from '../../src/plan/isoflop.js';
import { chinchilla } from '../../src/laws/chinchilla.js';

setWarn(() => {});

// Besiroglu et al. 2024's headline fit.
const epoch = { A: 482.01, B: 2085.43, E: 1.817, alpha: 0.348, beta: 0.366 };
const vector = Float64Array.from([epoch.A, epoch.B, epoch.E, epoch.alpha, epoch.beta]);

function publishedFit(bootstrap?: number[][]): ScalingFit {
  return new ScalingFit({
    law: 'chinchilla',
    inputs: ['N', 'D'],
    params: Object.entries(epoch).map(([name, value]) => ({ name, value, min: 0, max: Infinity, fixed: false, atBound: false })),
    objective: { loss: 'huber', settings: { delta: 1e-3 }, space: 'log', value: null },
    converged: true,
    message: 'published values',
    starts: { count: 0, converged: 0 },
    data: { source: 'Besiroglu et al. 2024', rows: 240 },
    date: '2024-04-15',
    ...(bootstrap ? { bootstrap: { resamples: bootstrap.length, seed: 0, level: 0.9, starts: 1, unconverged: 0, samples: bootstrap } } : {}),
  });
}

describe('compute-optimal allocation', () => {
  it("gives N_opt = 7.23e10 and D_opt = 1.33e12 at C = 5.76e23 with Epoch's values (within 1%)", () => {
    const best = chinchillaOptimal(epoch, 5.76e23);
    expect(Math.abs(best.N / 7.23e10 - 1)).toBeLessThan(0.01);
    expect(Math.abs(best.D / 1.33e12 - 1)).toBeLessThan(0.01);
    expect(best.tokensPerParameter).toBeCloseTo(best.D / best.N, 10);
    expect(6 * best.N * best.D).toBeCloseTo(5.76e23, -12);
  });

  it('agrees with brute-force minimisation along the iso-FLOP line', () => {
    for (const C of [1e20, 5.76e23, 1e26]) {
      const closed = chinchillaOptimal(epoch, C);
      // Brute force: 200,001 values of log N between 1e6 and 1e14.
      let bestN = 0,
        bestL = Infinity;
      for (let k = 0; k <= 200_000; k++) {
        const N = Math.exp(Math.log(1e6) + (k / 200_000) * (Math.log(1e14) - Math.log(1e6)));
        const D = C / (6 * N);
        const L = epoch.E + epoch.A / N ** epoch.alpha + epoch.B / D ** epoch.beta;
        if (L < bestL) {
          bestL = L;
          bestN = N;
        }
      }
      expect(Math.abs(closed.N / bestN - 1)).toBeLessThan(1e-4);
      expect(closed.loss).toBeLessThanOrEqual(bestL);
      expect(closed.loss).toBeCloseTo(bestL, 9);
      const numeric = numericOptimal(chinchilla, vector, C);
      expect(Math.abs(numeric.N / closed.N - 1)).toBeLessThan(1e-6);
    }
  });

  it('works on a fit, by closed form or numerically', () => {
    const fit = publishedFit();
    const [closed] = computeOptimal(fit, 5.76e23);
    const [numeric] = computeOptimal(fit, 5.76e23, { method: 'numeric' });
    expect(Math.abs(numeric!.N / closed!.N - 1)).toBeLessThan(1e-6);
    expect(computeOptimal(fit, [1e21, 1e22]).map((a) => a.C)).toEqual([1e21, 1e22]);
  });

  it('gives percentile intervals from bootstrap samples', () => {
    const samples = [0.33, 0.34, 0.35, 0.36, 0.37].map((alpha) => [epoch.A, epoch.B, epoch.E, alpha, epoch.beta]);
    const [best] = computeOptimalInterval(publishedFit(samples), 5.76e23);
    expect(best!.level).toBe(0.9);
    expect(best!.interval.N[0]).toBeLessThan(best!.N);
    expect(best!.interval.N[1]).toBeGreaterThan(best!.N);
    expect(() => computeOptimalInterval(publishedFit(), 1e23)).toThrow('fit of law "chinchilla" has no bootstrap samples; run bootstrap() (CLI: --bootstrap 1000) first');
  });

  it('rejects a non-positive budget and a law without N and D', () => {
    expect(() => chinchillaOptimal(epoch, -1)).toThrow('compute: must be a positive number of FLOPs, got -1');
    const fit = new ScalingFit({
      ...publishedFit().toJSON(),
      law: 'power-C',
      inputs: ['C'],
      params: [
        { name: 'E', value: 1.7, min: 0, max: Infinity, fixed: false, atBound: false },
        { name: 'A', value: 100, min: 0, max: Infinity, fixed: false, atBound: false },
        { name: 'alpha', value: 0.05, min: -Infinity, max: Infinity, fixed: false, atBound: false },
      ],
    });
    expect(() => computeOptimal(fit, 1e23)).toThrow('law "power-C" does not read both N and D (inputs: C); no allocation to optimise');
  });
});

describe('isoflop (Approach 2)', () => {
  it('recovers the exponent a = beta / (alpha + beta) from iso-FLOP profiles of a known law', () => {
    const N: number[] = [],
      C: number[] = [],
      loss: number[] = [];
    for (const c of [1e18, 1e19, 1e20, 1e21]) {
      const centre = chinchillaOptimal(epoch, c).N;
      for (let k = -4; k <= 4; k++) {
        const n = centre * 2 ** (k / 2);
        N.push(n);
        C.push(c);
        loss.push(epoch.E + epoch.A / n ** epoch.alpha + epoch.B / (c / (6 * n)) ** epoch.beta);
      }
    }
    const result = isoflop(observations({ N, C, loss }));
    expect(result.buckets).toHaveLength(4);
    const a = epoch.beta / (epoch.alpha + epoch.beta);
    // The parabola in log N is an approximation of the true profile: a agrees to 1e-2.
    expect(Math.abs(result.a - a)).toBeLessThan(1e-2);
    expect(result.a + result.b).toBeCloseTo(1, 10);
    const predicted = result.predict(1e20).N;
    expect(Math.abs(predicted / chinchillaOptimal(epoch, 1e20).N - 1)).toBeLessThan(0.05);
  });

  it('needs two buckets with a minimum', () => {
    expect(() => isoflop(observations({ N: [1e8, 2e8, 4e8], C: [1e19, 1e19, 1e19], loss: [3, 2.9, 3] }, { source: 'runs.csv' }))).toThrow(
      'runs.csv: isoflop needs at least 2 buckets with a minimum; found 1 of 1',
    );
  });
});
