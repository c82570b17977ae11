import { describe, expect, it } from 'vitest';
import { learningCurve } from '../../src/extrapolation/curve.js';
import { backtestExtrapolation } from '../../src/extrapolation/backtest.js';

// pow3 curves, y = c + 3 x^-0.5: the fast pow3 fit describes them, so every cut predicts the end within 2% and covers it.
const pow3 = (n: number, c = 2) => {
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  return learningCurve(
    steps,
    steps.map((s) => c + 3 * s ** -0.5),
    { source: `pow3 c=${c}` },
  );
};

describe('backtestExtrapolation', () => {
  it('cuts each curve at the fractions and scores the prediction of its last value', () => {
    const result = backtestExtrapolation([pow3(50), pow3(50, 2.5)], { method: 'fast', fastFamilies: ['pow3'], window: 'all', fractions: [0.2, 0.8] });
    expect(result.rows.map((r) => [r.curve, r.fraction, r.seen])).toEqual([
      ['pow3 c=2', 0.2, 10],
      ['pow3 c=2', 0.8, 40],
      ['pow3 c=2.5', 0.2, 10],
      ['pow3 c=2.5', 0.8, 40],
    ]);
    for (const r of result.rows) {
      expect(r.truth).toBeCloseTo((r.curve.endsWith('2.5') ? 2.5 : 2) + 3 * 50 ** -0.5, 12);
      expect(r.relativeError).toBeCloseTo(Math.abs(r.median - r.truth) / r.truth, 12);
      expect(r.relativeError).toBeLessThan(0.02);
      expect(r.covered).toBe(true);
    }
    expect(result.summary.map((s) => [s.curves, s.coverage])).toEqual([
      [2, 1],
      [2, 1],
    ]);
    expect(result.report()).toContain('[[Backtest]] extrapolation (fast)');
  });

  it('skips cuts that leave fewer than three points and refuses bad options', () => {
    const result = backtestExtrapolation([pow3(10)], { method: 'fast', fractions: [0.1, 0.4] });
    expect(result.rows.map((r) => r.seen)).toEqual([4]);
    expect(() => backtestExtrapolation([pow3(10)], { fractions: [1.2] })).toThrow('fractions: each must be in (0, 1), got 1.2');
    expect(() => backtestExtrapolation([pow3(10)], { level: 1 })).toThrow('level: not in (0, 1): 1');
    expect(() => backtestExtrapolation([])).toThrow('curves: give at least one finished curve');
    expect(() => backtestExtrapolation([pow3(4)], { fractions: [0.1] })).toThrow('curves: no cut leaves 3 points seen');
  });
});
