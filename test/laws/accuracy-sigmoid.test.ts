import { describe, expect, it } from 'vitest';
import { accuracySigmoid } from '../../src/laws/accuracy-sigmoid.js';
import { getLaw } from '../../src/laws/registry.js';

describe('accuracy-sigmoid law (Bhagia et al. 2024, step 2)', () => {
  const p = Float64Array.of(-0.7, 0.8, 5, 0.95);
  const x = { L: Float64Array.of(0, 0.5, 0.8, 1.2, 3) };

  it('is registered and runs from b at zero loss towards b + a at high loss', () => {
    expect(getLaw('accuracy-sigmoid')).toBe(accuracySigmoid);
    const out = new Float64Array(5);
    accuracySigmoid.evaluate(p, x, out);
    expect(out[2]).toBeCloseTo(0.95 - 0.35, 12); // the midpoint
    expect(out[4]).toBeCloseTo(0.25, 3);
    expect(out[0]).toBeGreaterThan(out[1]!);
  });

  it('has an analytic Jacobian equal to central differences', () => {
    const jac = new Float64Array(20);
    accuracySigmoid.jacobian!(p, x, jac);
    const out = new Float64Array(5),
      up = new Float64Array(5);
    for (let j = 0; j < 4; j++) {
      const h = 1e-6;
      const q = Float64Array.from(p);
      q[j]! += h;
      accuracySigmoid.evaluate(q, x, up);
      q[j]! -= 2 * h;
      accuracySigmoid.evaluate(q, x, out);
      for (let i = 0; i < 5; i++) expect(jac[i * 4 + j]).toBeCloseTo((up[i]! - out[i]!) / (2 * h), 6);
    }
  });
});
