import { describe, expect, it } from 'vitest';
import { base, synthetic } from '../fit/mpl-synthetic.js';
import { backtestCurveFit, spearman } from '../../src/plan/curve-backtest.js';

const fit = { law: 'mpl', optimizer: 'lbfgsb', lbfgsb: { factr: 10, pgtol: 1e-10 }, date: '2026-12-03' } as const;

describe('backtestCurveFit', () => {
  const train = [synthetic({ type: 'cosine', ...base, final: 3e-5 }, 'cosine'), synthetic({ type: 'constant', ...base }, 'constant')];
  const cooldowns = [0.1, 0.3, 0.6].map((f) => synthetic({ type: 'wsd', ...base, final: 3e-5, cooldownFraction: f }, `wsd ${f}`));

  it('fits on the named curves and predicts the others, with their ranking', () => {
    const result = backtestCurveFit([...train, ...cooldowns], { train: ['cosine', 'constant'], fit });
    expect(result.mode).toBe('train-set');
    expect(result.rows.map((r) => r.curve)).toEqual(['wsd 0.1', 'wsd 0.3', 'wsd 0.6']);
    for (const r of result.rows) expect(r.trainedOn).toEqual(['cosine', 'constant']);
    expect(result.worstFinalError).toBeLessThan(1e-3);
    const measured = result.rows.map((r) => r.measuredFinal);
    expect(result.rankCorrelation).toBeCloseTo(
      spearman(
        result.rows.map((r) => r.predictedFinal),
        measured,
      ),
      12,
    );
    expect(result.report()).toContain('fit on cosine, constant, predict the other 3');
  });

  it('leaves each curve out in turn by default', () => {
    const result = backtestCurveFit([...train, cooldowns[1]!], { fit });
    expect(result.mode).toBe('leave-one-out');
    expect(result.rows.map((r) => r.trainedOn)).toEqual([
      ['constant', 'wsd 0.3'],
      ['cosine', 'wsd 0.3'],
      ['cosine', 'constant'],
    ]);
    expect(result.rankCorrelation).not.toBeNull();
  });

  it('refuses what it cannot backtest', () => {
    expect(() => backtestCurveFit(train, { train: ['cosine', 'constant'], fit })).toThrow('train: names every curve; nothing is left to predict');
    expect(() => backtestCurveFit(train, { train: ['cos'], fit })).toThrow('train: no curve named "cos"; curves: cosine, constant');
    expect(() => backtestCurveFit([train[0]!], { fit })).toThrow('curves: leaving one out needs at least 2 curves, got 1');
    expect(() => backtestCurveFit([train[0]!, { ...train[0]! }], { fit })).toThrow('curves: names must be distinct');
  });

  it('computes Spearman correlations with ties', () => {
    expect(spearman([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(spearman([1, 1, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9486832980505138, 12);
  });
});
