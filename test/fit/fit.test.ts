import { describe, expect, it } from 'vitest';
import { observations } from '../../src/core/observations.js';
import { setWarn } from '../../src/core/warn.js';
import { fitLaw } from '../../src/fit/fit.js';
import { squared } from '../../src/fit/objective.js';
import { ScalingFit } from '../../src/fit/result.js';
import { defineLaw } from '../../src/laws/define.js';
import { epochPoints } from './epoch-data.js';

setWarn(() => {});

describe('fitLaw: Chinchilla on the Epoch points (Besiroglu et al. 2024 protocol)', () => {
  it('reproduces the published grid fit within 1%', async () => {
    const { N, D, loss } = epochPoints();
    expect(N.length).toBe(240);
    const fit = await fitLaw('chinchilla', { inputs: { N, D }, loss, source: 'epoch' }, { threads: 2 });
    expect(fit.starts.count).toBe(4500);
    const published = { A: 477.8, B: 2143.9, E: 1.8172, alpha: 0.3473, beta: 0.3672 };
    for (const [name, value] of Object.entries(published)) expect(Math.abs(fit.values[name]! / value - 1)).toBeLessThan(0.01);
    // The objective value scipy reaches on the same problem (issue 3): 0.00101827.
    expect(fit.objective.value).toBeCloseTo(0.00101827, 8);
    expect(fit.converged).toBe(true);
    expect(fit.atBound).toEqual([]);
  });
});

function synthetic(truth: { A: number; B: number; E: number; alpha: number; beta: number }) {
  const N: number[] = [],
    D: number[] = [],
    loss: number[] = [];
  for (const n of [1e7, 3e7, 1e8, 3e8, 1e9]) {
    for (const d of [1e9, 3e9, 1e10, 3e10]) {
      N.push(n);
      D.push(d);
      loss.push(truth.E + truth.A / n ** truth.alpha + truth.B / d ** truth.beta);
    }
  }
  return { N, D, loss };
}

describe('fitLaw', () => {
  const truth = { A: 400, B: 1000, E: 1.7, alpha: 0.34, beta: 0.3 };
  const small = { A: [Math.exp(5), Math.exp(7)], B: [Math.exp(6), Math.exp(8)], E: [1, 2], alpha: [0.2, 0.5], beta: [0.2, 0.5] };

  it('recovers exact synthetic Chinchilla parameters', async () => {
    const { N, D, loss } = synthetic(truth);
    // Exact data drive the objective towards 0, where scipy's default stopping rule (reduction below
    // 2.2e-9 max(|f|, 1)) stops early; tighter tolerances let it go to the exact answer.
    const fit = await fitLaw('chinchilla', observations({ N, D, loss }), { grid: small, threads: 1, lbfgsb: { factr: 1, pgtol: 1e-14 } });
    for (const [name, value] of Object.entries(truth)) expect(Math.abs(fit.values[name]! / value - 1)).toBeLessThan(1e-4);
  });

  it('fits with Levenberg-Marquardt on the squared loss', async () => {
    const { N, D, loss } = synthetic(truth);
    const fit = await fitLaw('chinchilla', observations({ N, D, loss }), { grid: small, optimizer: 'lm', loss: squared(), threads: 1 });
    expect(fit.values.alpha!).toBeCloseTo(truth.alpha, 2);
    expect(fit.values.E!).toBeCloseTo(truth.E, 2);
  });

  it('holds fixed parameters', async () => {
    const { N, D, loss } = synthetic(truth);
    const fit = await fitLaw('chinchilla', observations({ N, D, loss }), { grid: small, fixed: { E: 1.7 }, threads: 1 });
    expect(fit.values.E).toBe(1.7);
    expect(fit.params.find((p) => p.name === 'E')!.fixed).toBe(true);
    expect(fit.values.beta!).toBeCloseTo(truth.beta, 2);
  });

  it('says when the optimum sits on a bound, in the result and the report', async () => {
    const { N, D, loss } = synthetic(truth);
    const fit = await fitLaw('chinchilla', observations({ N, D, loss }), { grid: { ...small, alpha: [0.2] }, bounds: { alpha: [0, 0.25] }, threads: 1 });
    expect(fit.atBound).toEqual(['alpha']);
    expect(fit.values.alpha).toBe(0.25);
    expect(fit.message).toContain('ended on a bound: alpha');
    expect(fit.report()).toContain('ended on a bound: alpha');
  });

  it('says when the fit did not converge', async () => {
    const { N, D, loss } = synthetic(truth);
    const fit = await fitLaw('chinchilla', observations({ N, D, loss }), { starts: [{ A: 10, B: 10, E: 1, alpha: 0.1, beta: 0.1 }], lbfgsb: { maxIterations: 2 }, threads: 1 });
    expect(fit.converged).toBe(false);
    expect(fit.message).toBe('best of 1 starts: iteration limit reached');
    expect(fit.report()).toContain('NOT CONVERGED: best of 1 starts: iteration limit reached');
    await expect(
      fitLaw('chinchilla', observations({ N, D, loss }), { starts: [{ A: 10, B: 10, E: 1, alpha: 0.1, beta: 0.1 }], lbfgsb: { maxIterations: 2 }, threads: 1, strict: true }),
    ).rejects.toThrow('law "chinchilla": best of 1 starts: iteration limit reached');
  });

  it('fits a user-defined law without a gradient (finite differences)', async () => {
    const law = defineLaw({
      name: 'test-offset-power',
      inputs: ['N'],
      params: { E: { min: 0, grid: [1, 2] }, A: { scale: 'log', min: 0, grid: [10, 1000] }, alpha: { min: 0, max: 2, grid: [0.2, 0.6] } },
      evaluate: ({ E, A, alpha }, { N }) => E + A * N ** -alpha,
      register: false,
    });
    const N = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8];
    const fit = await fitLaw(law, { inputs: { N }, loss: N.map((n) => 2 + 300 * n ** -0.3) }, { threads: 1 });
    expect(fit.values.alpha!).toBeCloseTo(0.3, 3);
    expect(fit.values.E!).toBeCloseTo(2, 3);
  });

  it('round-trips through JSON', async () => {
    const { N, D, loss } = synthetic(truth);
    const fit = await fitLaw('chinchilla', observations({ N, D, loss }, { source: 'synthetic' }), { grid: small, threads: 1, date: '2026-11-23' });
    const again = ScalingFit.fromJSON(JSON.parse(JSON.stringify(fit)));
    expect(again.toJSON()).toEqual(fit.toJSON());
    expect(again.predict({ N: 1e9, D: 1e10 })[0]).toBeCloseTo(fit.predict({ N: 1e9, D: 1e10 })[0]!, 12);
    expect(Object.isFrozen(fit)).toBe(true);
    expect(Object.isFrozen(fit.params[0])).toBe(true);
  });
});

describe('fitLaw: bad input', () => {
  it('rejects fewer rows than free parameters', async () => {
    await expect(fitLaw('chinchilla', observations({ N: [1e8, 2e8, 4e8], D: [1e9, 2e9, 3e9], loss: [3, 2.9, 2.8] }, { source: 'runs.csv' }))).rejects.toThrow(
      'runs.csv: 3 rows, fewer than the 5 free parameters of law "chinchilla"',
    );
  });
  it('rejects a non-positive loss', async () => {
    await expect(fitLaw('power-N', { inputs: { N: [1, 2, 3, 4] }, loss: [3, 2, 0, 1], source: 'runs.csv' })).rejects.toThrow('runs.csv: row 3, column loss: must be positive, got 0');
  });
  it('rejects a single distinct N', async () => {
    await expect(
      fitLaw('chinchilla', { inputs: { N: [1e8, 1e8, 1e8, 1e8, 1e8, 1e8], D: [1, 2, 3, 4, 5, 6].map((k) => k * 1e9) }, loss: [3, 2.9, 2.8, 2.7, 2.6, 2.5], source: 'runs.csv' }),
    ).rejects.toThrow('runs.csv: column N has a single distinct value (100000000); law "chinchilla" needs at least 2');
  });
  it('rejects an unknown law', async () => {
    await expect(fitLaw('chinchila', { inputs: { N: [1, 2] }, loss: [1, 2] })).rejects.toThrow(/^unknown law: "chinchila"; known laws: .*chinchilla/);
  });
  it('rejects bounds with min > max', async () => {
    const { N, D, loss } = synthetic({ A: 400, B: 1000, E: 1.7, alpha: 0.34, beta: 0.3 });
    await expect(fitLaw('chinchilla', observations({ N, D, loss }), { bounds: { alpha: [1, 0] } })).rejects.toThrow('bounds for alpha: min > max: [1, 0]');
  });
  it('rejects a law defined with min > max', () => {
    expect(() => defineLaw({ name: 'bad-bounds', inputs: ['N'], params: { a: { min: 2, max: 1 } }, evaluate: ({ a }, { N }) => a * N, register: false })).toThrow(
      'law "bad-bounds", parameter a: bounds with min > max: [2, 1]',
    );
  });
});
