import { describe, expect, it } from 'vitest';
import { curveFamilies, curveFamily, ilog2 } from '../../src/laws/families.js';
import { getLaw } from '../../src/laws/registry.js';

const step = Float64Array.from([1, 2, 3, 5, 8, 13, 21, 50]);

describe('curve families (Domhan et al. 2015)', () => {
  it('registers all eleven under curve.<name>', () => {
    const names = ['pow3', 'pow4', 'log_power', 'weibull', 'mmf', 'janoschek', 'ilog2', 'exp4', 'vap', 'loglog_linear', 'hill3'];
    expect(curveFamilies.map((f) => f.name)).toEqual(names.map((n) => `curve.${n}`));
    for (const n of names) expect(getLaw(`curve.${n}`)).toBe(curveFamily(n));
  });

  it('analytic Jacobians match central finite differences at the initial values', () => {
    for (const law of curveFamilies) {
      const d = law.params.length;
      const p = Float64Array.from(law.params.map((q) => q.init!));
      const jac = new Float64Array(step.length * d);
      law.jacobian!(p, { step }, jac);
      for (let j = 0; j < d; j++) {
        const h = 1e-6 * Math.max(1, Math.abs(p[j]!));
        const up = Float64Array.from(p);
        up[j]! += h;
        const down = Float64Array.from(p);
        down[j]! -= h;
        const a = new Float64Array(step.length),
          b = new Float64Array(step.length);
        law.evaluate(up, { step }, a);
        law.evaluate(down, { step }, b);
        for (let i = 0; i < step.length; i++) {
          const fd = (a[i]! - b[i]!) / (2 * h);
          expect(Math.abs(jac[i * d + j]! - fd), `${law.name} d/d${law.params[j]!.name} at step ${step[i]}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
        }
      }
    }
  });

  it('every family increases over the steps at its initial values', () => {
    for (const law of curveFamilies) {
      const p = Float64Array.from(law.params.map((q) => q.init!));
      const out = new Float64Array(step.length);
      law.evaluate(p, { step }, out);
      for (let i = 1; i < step.length; i++) expect(out[i]!, law.name).toBeGreaterThan(out[i - 1]!);
    }
  });

  it('ilog2 is finite at step 1 (shifted to log(x + 1))', () => {
    const out = new Float64Array(1);
    ilog2.evaluate(Float64Array.from([1, 0.5]), { step: Float64Array.from([1]) }, out);
    expect(out[0]).toBeCloseTo(1 - 0.5 / Math.log(2), 12);
  });

  it('rejects steps below 1 and unknown names', () => {
    expect(() => ilog2.validate!({ step: Float64Array.from([1, 0]) })).toThrow('law curve.ilog2: row 2, column step: must be >= 1, got 0');
    expect(() => curveFamily('pow5')).toThrow('unknown curve family: "pow5"; known: pow3, pow4, log_power, weibull, mmf, janoschek, ilog2, exp4, vap, loglog_linear, hill3');
  });
});
