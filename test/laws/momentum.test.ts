import { describe, expect, it } from 'vitest';
import { momentumLaw, momentumS2 } from '../../src/laws/momentum.js';
import { curvePoints, prepareCurve } from '../../src/laws/curve-points.js';

describe('momentum law', () => {
  it('computes S2 as its closed form sum_k (lr[k-1] - lr[k]) (1 - lambda^(s-k+1)) / (1 - lambda)', () => {
    const lr = [0, 1, 2, 3, 3, 2.5, 1, 1, 0.5];
    const lambda = 0.9;
    const { S2 } = momentumS2(prepareCurve(lr), lambda);
    for (let s = 0; s < lr.length; s++) {
      let closed = 0;
      for (let k = 1; k <= s; k++) closed += ((lr[k - 1]! - lr[k]!) * (1 - lambda ** (s - k + 1))) / (1 - lambda);
      expect(S2[s]).toBeCloseTo(closed, 12);
    }
  });

  it('has an analytic Jacobian (lambda included) that agrees with central differences', () => {
    const lr = Array.from({ length: 400 }, (_, s) => (s < 50 ? (s / 49) * 3e-4 : s < 300 ? 3e-4 : 3e-4 * 0.99 ** (s - 300)));
    const { x } = curvePoints([{ schedule: lr, steps: [60, 250, 320, 399] }]);
    const law = momentumLaw();
    const p = Float64Array.from([3, 0.5, 0.5, 400, 0.99]);
    const jac = new Float64Array(4 * 5);
    law.jacobian!(p, x, jac);
    for (let j = 0; j < 5; j++) {
      const h = 1e-7 * Math.abs(p[j]!);
      const up = Float64Array.from(p);
      const down = Float64Array.from(p);
      up[j]! += h;
      down[j]! -= h;
      const a = new Float64Array(4);
      const b = new Float64Array(4);
      law.evaluate(up, x, a);
      law.evaluate(down, x, b);
      for (let i = 0; i < 4; i++) {
        const fd = (a[i]! - b[i]!) / (2 * h);
        expect(Math.abs(jac[i * 5 + j]! - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('predicts a lower loss after annealing than at a constant rate', () => {
    const constant = Array.from({ length: 1000 }, () => 1e-3);
    const annealed = constant.map((v, s) => (s < 800 ? v : v * (1 - (s - 800) / 250)));
    const { x } = curvePoints([
      { schedule: constant, steps: [999] },
      { schedule: annealed, steps: [999] },
    ]);
    const out = new Float64Array(2);
    momentumLaw().evaluate(Float64Array.from([2, 1, 0.5, 100, 0.999]), x, out);
    expect(out[1]).toBeLessThan(out[0]!);
  });
});
