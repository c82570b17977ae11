import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { curveErrors } from '../../src/reproductions/mpl.js';
import { mplCurve, mplTestCurves } from '../../src/reproductions/mpl-data.js';
import { CurveFit } from '../../src/fit/result.js';
import { referenceData } from '../reference-data.js';

const dir = referenceData('multipowerlaw');

describe('saved curve fits in fits/', () => {
  for (const [size, predE, worstE] of [
    ['25', 0.0008327, 0.0030107],
    ['100', 0.0013146, 0.0054321],
  ] as const) {
    it(`fits/mpl-${size}m.json loads and predicts the test curves as when it was saved`, () => {
      const fit = CurveFit.fromJSON(JSON.parse(readFileSync(`fits/mpl-${size}m.json`, 'utf8')), `fits/mpl-${size}m.json`);
      expect(fit.law).toBe('mpl');
      const errors = curveErrors(
        fit,
        mplTestCurves.map((n) => mplCurve(size, n, dir)),
      );
      expect(errors.predE).toBeCloseTo(predE, 6);
      expect(errors.worstE).toBeCloseTo(worstE, 6);
    });
  }
});
