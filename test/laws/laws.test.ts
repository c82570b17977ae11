import { describe, expect, it } from 'vitest';
import { defineLaw } from '../../src/laws/define.js';
import type { Inputs, Law } from '../../src/laws/law.js';
import { addLaw, getLaw, listLaws } from '../../src/laws/registry.js';

const x: Inputs = { N: Float64Array.from([3e7, 2e8, 9e9]), D: Float64Array.from([1e9, 7e10, 2e12]), C: Float64Array.from([1e18, 3e20, 5e23]) };

function checkJacobian(law: Law<Inputs>, p: number[]) {
  const rows = 3,
    np = p.length;
  const jac = new Float64Array(rows * np),
    out = new Float64Array(rows);
  law.jacobian!(Float64Array.from(p), x, jac);
  const fused = new Float64Array(rows * np);
  law.valueAndJacobian?.(Float64Array.from(p), x, out, fused);
  for (let j = 0; j < np; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(p[j]!));
    const up = Float64Array.from(p),
      down = Float64Array.from(p);
    up[j]! += h;
    down[j]! -= h;
    const fu = new Float64Array(rows),
      fd = new Float64Array(rows);
    law.evaluate(up, x, fu);
    law.evaluate(down, x, fd);
    for (let i = 0; i < rows; i++) {
      const numeric = (fu[i]! - fd[i]!) / (2 * h);
      expect(jac[i * np + j], `${law.name} d/d${law.params[j]!.name} row ${i}`).toBeCloseTo(numeric, 6);
      if (law.valueAndJacobian) expect(fused[i * np + j]).toBe(jac[i * np + j]);
    }
  }
}

describe('built-in laws', () => {
  it('are registered', () => {
    for (const name of ['power-N', 'power-D', 'power-C', 'chinchilla', 'kaplan']) expect(listLaws()).toContain(name);
  });

  it('evaluate their published formulas', () => {
    const out = new Float64Array(3);
    getLaw<Inputs>('chinchilla').evaluate(Float64Array.from([406.4, 410.7, 1.69, 0.34, 0.28]), x, out);
    expect(out[2]).toBeCloseTo(1.69 + 406.4 / 9e9 ** 0.34 + 410.7 / 2e12 ** 0.28, 12);
    getLaw<Inputs>('kaplan').evaluate(Float64Array.from([8.8e13, 5.4e13, 0.076, 0.095]), x, out);
    expect(out[1]).toBeCloseTo(((8.8e13 / 2e8) ** (0.076 / 0.095) + 5.4e13 / 7e10) ** 0.095, 12);
    getLaw<Inputs>('power-C').evaluate(Float64Array.from([1.7, 50, 0.05]), x, out);
    expect(out[0]).toBeCloseTo(1.7 + 50 * 1e18 ** -0.05, 12);
  });

  it('have Jacobians that match central differences', () => {
    checkJacobian(getLaw('chinchilla'), [406.4, 410.7, 1.69, 0.34, 0.28]);
    checkJacobian(getLaw('kaplan'), [8.8e13, 5.4e13, 0.076, 0.095]);
    checkJacobian(getLaw('power-N'), [1.7, 300, 0.3]);
    checkJacobian(getLaw('power-D'), [1.7, 3000, 0.3]);
  });

  it('keep the published Chinchilla grid: 4,500 starts', () => {
    const sizes = getLaw('chinchilla').params.map((p) => p.grid!.length);
    expect(sizes.reduce((a, b) => a * b, 1)).toBe(4500);
  });

  it('reject non-positive inputs, naming row and column', () => {
    expect(() => getLaw<Inputs>('chinchilla').validate!({ N: Float64Array.from([1, -2]), D: Float64Array.from([1, 1]) })).toThrow(
      'law "chinchilla": row 2, column N: must be positive and finite, got -2',
    );
  });
});

describe('defineLaw', () => {
  it('defines and registers a law in a few lines, with a gradient', () => {
    const law = defineLaw({
      name: 'test-define-with-gradient',
      inputs: ['N'],
      params: { E: { min: 0, grid: [1] }, A: { min: 0, scale: 'log', grid: [100] }, alpha: { grid: [0.3] } },
      formula: 'L = E + A N^-alpha',
      evaluate: ({ E, A, alpha }, { N }) => E + A * N ** -alpha,
      gradient: ({ A, alpha }, { N }) => [1, N ** -alpha, -A * N ** -alpha * Math.log(N)],
    });
    expect(getLaw('test-define-with-gradient')).toBe(law);
    checkJacobian(law, [1.5, 200, 0.25]);
    expect(() => addLaw(law)).toThrow('law "test-define-with-gradient" is already registered; pass { override: true } to replace it');
  });
});
