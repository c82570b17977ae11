import { describe, expect, it } from 'vitest';
import { setWarn } from '../../src/core/warn.js';
import { fitLaw } from '../../src/fit/fit.js';
import { identifiability, symmetricEigen } from '../../src/fit/identifiability.js';
import { ScalingFit } from '../../src/fit/result.js';
import { defineLaw } from '../../src/laws/define.js';
import { getLaw } from '../../src/laws/registry.js';

setWarn(() => {});

// L = E + a b / N: the data fix the product a b, never a or b alone.
const product = defineLaw({
  name: 'test-product',
  inputs: ['N'],
  params: { E: { min: 0, grid: [1] }, a: { scale: 'log', min: 1e-3, max: 1e3, grid: [3] }, b: { scale: 'log', min: 1e-3, max: 1e3, grid: [5] } },
  evaluate: ({ E, a, b }, { N }) => E + (a * b) / N,
  register: false,
});
const N = [1, 2, 4, 8, 16, 32];

describe('fit warnings', () => {
  it('flags a parameter the data cannot identify, from the Jacobian of the residuals at the optimum', async () => {
    const fit = await fitLaw(product, { inputs: { N }, loss: N.map((n) => 2 + 6 / n) }, { threads: 1 });
    const flagged = fit.warnings!.filter((w) => w.code === 'not-identified');
    expect(flagged).toHaveLength(1);
    expect(['a', 'b']).toContain(flagged[0]!.parameter);
    expect(flagged[0]!.message).toMatch(/^[ab] not identified: the data leave a direction of a, b flat \(scaled Fisher eigenvalue .*\)$/);
    expect(fit.report()).toMatch(new RegExp(`\\n    ${flagged[0]!.parameter}  .*not identified`));
  });

  it('gives finite standard errors and no warning where the data identify every parameter', async () => {
    const law = getLaw('power-N');
    const fit = await fitLaw(law, { inputs: { N: N.map((n) => n * 1e6) }, loss: N.map((n, i) => (2 + 300 * (n * 1e6) ** -0.3) * (1 + 1e-3 * Math.sin(i))) }, { threads: 1 });
    expect(fit.warnings!.filter((w) => w.code === 'not-identified')).toEqual([]);
    const id = identifiability(
      law,
      fit.toJSON().data && { N: Float64Array.from(N, (n) => n * 1e6) },
      Float64Array.from(N, (n, i) => (2 + 300 * (n * 1e6) ** -0.3) * (1 + 1e-3 * Math.sin(i))),
      fit.vector(),
    );
    expect(Array.from(id.stderr).every((s) => Number.isFinite(s) && s > 0)).toBe(true);
  });

  it('warns on an iteration cap and on a bound, naming the parameter', async () => {
    const capped = await fitLaw(product, { inputs: { N }, loss: N.map((n) => 2 + 6 / n) }, { threads: 1, lbfgsb: { maxIterations: 1 }, polish: false });
    expect(capped.warnings!.map((w) => w.code)).toContain('iteration-limit');
    // No floor in the data: E goes to its bound 0.
    const floorless = await fitLaw(product, { inputs: { N }, loss: N.map((n) => 6 / n) }, { threads: 1 });
    const bound = floorless.warnings!.find((w) => w.code === 'at-bound')!;
    expect(bound).toEqual({ code: 'at-bound', parameter: 'E', message: 'E ended on its lower bound 0: the bound, not the data, set it' });
  });

  it('never prints a non-finite standard error as a number, and keeps it through JSON', async () => {
    const fit = await fitLaw('power-N', { inputs: { N: N.map((n) => n * 1e6) }, loss: N.map((n) => 2 + 300 * (n * 1e6) ** -0.3) }, { threads: 1 });
    const record = fit.toJSON();
    const withInfinite = new ScalingFit({ ...record, params: record.params.map((p, j) => ({ ...p, stderr: j === 0 ? Infinity : 0.1 })) });
    expect(withInfinite.report()).toMatch(/\n    E +\S+ \+\/- not identified/);
    expect(withInfinite.report()).not.toContain('Infinity');
    const again = ScalingFit.fromJSON(JSON.parse(JSON.stringify(withInfinite)));
    expect(again.params[0]!.stderr).toBe(Infinity);
  });

  it('has an exact symmetric eigensolver', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    expect(Array.from(values).map((v) => +v.toFixed(12))).toEqual([1, 3, 5]);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });
});
