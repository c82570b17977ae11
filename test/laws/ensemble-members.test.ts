import { describe, expect, it } from 'vitest';
import { ensembleMembers } from '../../src/laws/ensemble-members.js';
import { getLaw } from '../../src/laws/registry.js';

const x = { K: Float64Array.from([1, 2, 5, 16]) };

describe('ensemble-K (Kim et al. 2025)', () => {
  it('is registered and evaluates E + A / K^alpha', () => {
    expect(getLaw('ensemble-K')).toBe(ensembleMembers);
    const out = new Float64Array(4);
    ensembleMembers.evaluate(Float64Array.of(3.27, 0.2, 1.1), x, out);
    for (let i = 0; i < 4; i++) expect(out[i]).toBeCloseTo(3.27 + 0.2 * x.K[i]! ** -1.1, 14);
  });

  it('has an analytic Jacobian that matches central differences', () => {
    const p = [3.27, 0.2, 1.1];
    const jac = new Float64Array(4 * 3),
      fused = new Float64Array(4 * 3),
      out = new Float64Array(4);
    ensembleMembers.jacobian!(Float64Array.from(p), x, jac);
    ensembleMembers.valueAndJacobian!(Float64Array.from(p), x, out, fused);
    for (let j = 0; j < 3; j++) {
      const h = 1e-6;
      const up = Float64Array.from(p),
        down = Float64Array.from(p);
      up[j]! += h;
      down[j]! -= h;
      const fu = new Float64Array(4),
        fd = new Float64Array(4);
      ensembleMembers.evaluate(up, x, fu);
      ensembleMembers.evaluate(down, x, fd);
      for (let i = 0; i < 4; i++) {
        expect(jac[i * 3 + j]).toBeCloseTo((fu[i]! - fd[i]!) / (2 * h), 7);
        expect(fused[i * 3 + j]).toBe(jac[i * 3 + j]);
      }
    }
  });

  it('refuses a non-positive member count, naming the row', () => {
    expect(() => ensembleMembers.validate!({ K: Float64Array.from([1, 0]) })).toThrow('law "ensemble-K": row 2, column K: must be positive and finite, got 0');
  });
});
