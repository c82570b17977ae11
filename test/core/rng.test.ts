import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';

describe('rng', () => {
  it('gives the same numbers for the same seed and different ones for another', () => {
    const a = rng(42),
      b = rng(42),
      c = rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it('draws uniforms in [0, 1) with the right mean and normals with unit variance', () => {
    const r = rng(1);
    let s = 0,
      s2 = 0,
      m = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      m += u;
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(m / n).toBeCloseTo(0.5, 2);
    expect(s / n).toBeCloseTo(0, 2);
    expect(s2 / n).toBeCloseTo(1, 1);
  });
  it('int stays in range and forks are independent but reproducible', () => {
    const r = rng(7);
    for (let i = 0; i < 1000; i++) {
      const k = r.int(10);
      expect(Number.isInteger(k) && k >= 0 && k < 10).toBe(true);
    }
    expect(rng(7).fork().next()).toBe(rng(7).fork().next());
  });
});
