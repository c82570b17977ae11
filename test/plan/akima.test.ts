import { describe, expect, it } from 'vitest';
import { akima } from '../../src/plan/akima.js';

describe('akima', () => {
  // Reference values from scipy.interpolate.Akima1DInterpolator (SciPy 1.17) on the same points:
  // an IsoFLOP profile, log loss against log N, whose lowest run is not where the curve is lowest.
  const x = [12.71, 13.86, 14.37, 15.27, 15.89, 16.34];
  const y = [4.709, 4.668, 4.72, 5.342, 5.893, 6.317].map(Math.log);

  it('agrees with SciPy to 6 digits and passes through every point', () => {
    const curve = akima(x, y);
    expect([12.9, 13.5, 14.0, 14.8, 16.0].map((v) => curve.at(v).toFixed(6))).toEqual(['1.545934', '1.541326', '1.540158', '1.603163', '1.790828']);
    x.forEach((v, i) => expect(curve.at(v)).toBeCloseTo(y[i]!, 12));
  });

  it('finds the minimum inside an interval (SciPy on a grid of 200001: 14.0390519)', () => {
    const { x: at, y: value } = akima(x, y).minimum();
    expect(at).toBeCloseTo(14.0390519, 4); // the grid spacing is 1.8e-5
    expect(value).toBeLessThan(Math.min(...y));
  });

  it('is exact on a straight line', () => {
    const curve = akima([0, 1, 3, 4], [1, 3, 7, 9]);
    expect(curve.at(2)).toBeCloseTo(5, 12);
    expect(curve.minimum()).toEqual({ x: 0, y: 1 });
  });
});
