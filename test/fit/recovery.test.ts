import { describe, expect, it } from 'vitest';
import { observations } from '../../src/core/observations.js';
import { rng } from '../../src/core/rng.js';
import { setWarn } from '../../src/core/warn.js';
import { bootstrap } from '../../src/fit/bootstrap.js';
import { fitLaw } from '../../src/fit/fit.js';
import { getLaw } from '../../src/laws/registry.js';

setWarn(() => {});

/** Rows on a grid of N and D, loss = law(truth) times log-normal noise of 1%. */
function noisy(lawName: string, truth: number[], Ns: number[], Ds: number[], seed: number) {
  const law = getLaw(lawName);
  const N: number[] = [],
    D: number[] = [];
  for (const n of Ns)
    for (const d of Ds) {
      N.push(n);
      D.push(d);
    }
  const clean = new Float64Array(N.length);
  law.evaluate(Float64Array.from(truth), { N: Float64Array.from(N), D: Float64Array.from(D) }, clean);
  const random = rng(seed);
  return observations({ N, D, loss: Array.from(clean, (l) => l * Math.exp(0.01 * random.normal())) }, { source: `synthetic ${lawName}` });
}

const grid = (from: number, to: number, count: number) => Array.from({ length: count }, (_, k) => from * (to / from) ** (k / (count - 1)));

describe('synthetic recovery: 1% noise, truth inside the bootstrap intervals', () => {
  it('Chinchilla', async () => {
    const truth = { A: 400, B: 1000, E: 1.7, alpha: 0.34, beta: 0.3 };
    const table = noisy('chinchilla', Object.values(truth), grid(1e7, 3e9, 7), grid(1e9, 3e11, 7), 11);
    const fit = await fitLaw('chinchilla', table, { grid: { A: [Math.exp(5), Math.exp(10)], B: [Math.exp(5), Math.exp(10)], E: [1, 2], alpha: [0.2, 0.5], beta: [0.2, 0.5] }, threads: 1 });
    const withErrors = await bootstrap(fit, table, { resamples: 300, seed: 3, threads: 1 });
    for (const p of withErrors.params) {
      const value = truth[p.name as keyof typeof truth];
      expect(p.interval![0], p.name).toBeLessThanOrEqual(value);
      expect(p.interval![1], p.name).toBeGreaterThanOrEqual(value);
    }
    expect(withErrors.bootstrap!.unconverged).toBeLessThan(15);
    // Informative intervals, not just wide ones.
    const width = (name: string) => {
      const q = withErrors.params.find((x) => x.name === name)!.interval!;
      return q[1] - q[0];
    };
    expect(width('alpha')).toBeLessThan(0.15);
    expect(width('beta')).toBeLessThan(0.1);
    expect(width('E')).toBeLessThan(0.4);
  });

  it('Kaplan', async () => {
    const truth = { Nc: 8.8e13, Dc: 5.4e13, alphaN: 0.076, alphaD: 0.095 };
    const table = noisy('kaplan', Object.values(truth), grid(1e7, 3e9, 7), grid(1e9, 3e11, 7), 12);
    const fit = await fitLaw('kaplan', table, { threads: 1 });
    const withErrors = await bootstrap(fit, table, { resamples: 300, seed: 4, threads: 1 });
    for (const p of withErrors.params) {
      const value = truth[p.name as keyof typeof truth];
      expect(p.interval![0], p.name).toBeLessThanOrEqual(value);
      expect(p.interval![1], p.name).toBeGreaterThanOrEqual(value);
    }
    const alphaN = withErrors.params.find((x) => x.name === 'alphaN')!.interval!;
    expect(alphaN[1] - alphaN[0]).toBeLessThan(0.01);
  });

  it('the same seed gives the same samples, whatever the thread count', async () => {
    const table = noisy('chinchilla', [400, 1000, 1.7, 0.34, 0.3], grid(1e7, 3e9, 4), grid(1e9, 3e11, 4), 5);
    const fit = await fitLaw('chinchilla', table, { grid: { A: [Math.exp(6)], B: [Math.exp(7)], E: [1.5], alpha: [0.3], beta: [0.3] }, threads: 1 });
    const one = await bootstrap(fit, table, { resamples: 20, seed: 9, threads: 1 });
    const two = await bootstrap(fit, table, { resamples: 20, seed: 9, threads: 2 });
    expect(two.bootstrap!.samples).toEqual(one.bootstrap!.samples);
    const other = await bootstrap(fit, table, { resamples: 20, seed: 10, threads: 1 });
    expect(other.bootstrap!.samples).not.toEqual(one.bootstrap!.samples);
  });
});
