import { describe, expect, it } from 'vitest';
import { pointPredictive, predictive, predictiveReport } from '../../src/extrapolation/predictive.js';

describe('predictiveReport', () => {
  it('tabulates each step and lists the weights of at least 0.01, largest first', () => {
    // Point masses: mean, median and both interval ends are the value itself.
    const points = [pointPredictive(100, 'min', Float64Array.of(2.5), Float64Array.of(0)), pointPredictive(200, 'min', Float64Array.of(2), Float64Array.of(0))];
    const p = predictive('fast', 'min', points, { mmf: 0.2, pow3: 0.795, hill3: 0.005 });
    expect(predictiveReport(p, { threshold: 2.2, level: 0.8 })).toBe(
      [
        'step  mean  median  80% low  80% high  P(< 2.2)',
        '----  ----  ------  -------  --------  --------',
        '100    2.5     2.5      2.5       2.5         0',
        '200      2       2        2         2         1',
        'weights: pow3 0.80, mmf 0.20',
      ].join('\n'),
    );
    expect(predictiveReport(predictive('constant', 'max', [points[0]!], {}))).toBe(
      'step  mean  median  90% low  90% high\n----  ----  ------  -------  --------\n100    2.5     2.5      2.5       2.5',
    );
  });
});
