import { describe, expect, it } from 'vitest';
import { quantile } from '../../src/core/stats.js';

describe('quantile: numpy default (linear, type 7)', () => {
  // Worked by hand with h = (n - 1) q: numpy.quantile([1, 2, 3, 4], q) gives the same values.
  it('interpolates between the two nearest ranks', () => {
    const x = [1, 2, 3, 4];
    expect(quantile(x, 0)).toBe(1);
    expect(quantile(x, 0.25)).toBe(1.75); // h = 0.75: 1 + 0.75 (2 - 1)
    expect(quantile(x, 0.5)).toBe(2.5); // h = 1.5
    expect(quantile(x, 0.9)).toBeCloseTo(3.7, 15); // h = 2.7: 3 + 0.7 (4 - 3)
    expect(quantile(x, 1)).toBe(4);
  });

  it('matches numpy on uneven gaps and typed arrays', () => {
    const x = Float64Array.of(0, 1, 10, 100, 1000);
    expect(quantile(x, 0.05)).toBeCloseTo(0.2, 15); // h = 0.2
    expect(quantile(x, 0.5)).toBe(10); // h = 2, a rank exactly
    expect(quantile(x, 0.95)).toBeCloseTo(820, 12); // h = 3.8: 100 + 0.8 (1000 - 100)
    expect(quantile([7], 0.3)).toBe(7);
  });

  it('gives NaN for no values or q outside [0, 1]', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantile([1, 2], 1.5)).toBeNaN();
    expect(quantile([1, 2], NaN)).toBeNaN();
  });
});
