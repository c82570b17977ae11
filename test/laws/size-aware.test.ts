import { describe, expect, it } from 'vitest';
import { fitCurves } from '../../src/fit/fit-curves.js';
import { curveErrors } from '../../src/reproductions/mpl.js';
import { mplCurve, mplTestCurves, mplTrainCurves } from '../../src/reproductions/mpl-data.js';
import { referenceData } from '../reference-data.js';

const dir = referenceData('multipowerlaw');

describe('size-aware momentum law', () => {
  it('predicts the six 100M test curves from the 25M curves plus one 100M constant curve within PredE 0.5%', () => {
    const train = [...mplTrainCurves.map((n) => mplCurve('25', n, dir)), { ...mplCurve('100', 'constant_24000', dir), name: '100M constant' }];
    // gamma is not identified: the only 100M curve is never annealed, so hold it at 0.
    const fit = fitCurves(train, { law: 'size-aware', fixed: { gamma: 0 } });
    const errors = curveErrors(
      fit,
      mplTestCurves.map((n) => mplCurve('100', n, dir)),
    );
    expect(errors.predE).toBeLessThanOrEqual(0.005);
    expect(errors.predE).toBeLessThan(0.0023); // measured 0.00219
  });

  it('needs the model size of every curve', () => {
    const { N: _, ...curve } = mplCurve('25', 'constant_24000', dir);
    expect(() => fitCurves([curve], { law: 'size-aware' })).toThrow('constant_24000: no model size N; the size-aware law needs N for every curve');
  });
});
