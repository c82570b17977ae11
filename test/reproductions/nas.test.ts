import { describe, expect, it } from 'vitest';
import { conformalScale, cutoffPoints, LEVELS, predictFinalValues, scoreFinalValues, type StoredPrediction } from '../../src/reproductions/lc-evaluate.js';
import { probBetterFromQuantiles } from '../../src/reproductions/lc-nas.js';
import { readCurveSet } from '../../src/extrapolation/read-curve.js';
import { readNasCurves } from '../../src/reproductions/nas-data.js';
import { normalCdf } from '../../src/extrapolation/predictive.js';
import { referenceData } from '../reference-data.js';

// Reference data: ../shared/data/nas-curves, else the bundled data/nas-curves (Baker et al. 2017, MIT).
const dir = referenceData('nas-curves');

describe('NAS learning curves (fixed subset)', () => {
  it('reads the three files with their shapes', () => {
    const sets = readNasCurves(dir);
    expect(sets.map((s) => [s.name, s.curves.length, s.length, s.goal])).toEqual([
      ['metaqnn_cifar10', 1000, 20, 'max'],
      ['deep_resnets_cifar10', 486, 50, 'max'],
      ['lstm_ptb', 280, 60, 'min'],
    ]);
    expect(sets[2]!.curves[0]![0]).toBe(296);
  });

  it('on 7 LSTM curves from 40% of their epochs, both extrapolators beat the last seen value', async () => {
    const lstm = readCurveSet(`${dir}/lstm_ptb.csv`, { prefix: 'ep_', goal: 'min', range: [1, Infinity], name: 'lstm_ptb' });
    const files = await predictFinalValues([lstm], { stride: 40, fractions: [0.4], predictors: ['ensemble', 'fast', 'last'], threads: 1, extrapolate: { steps: 100 } });
    const rows = scoreFinalValues(files, { conformal: false });
    const mae = Object.fromEntries(rows.map((r) => [r.predictor, r.mae]));
    expect(rows[0]!.curves).toBe(7);
    expect(mae.ensemble!).toBeLessThan(0.7 * mae.last!);
    expect(mae.fast!).toBeLessThan(0.7 * mae.last!);
  }, 60_000);

  it('cutoffs keep at least 3 points and refuse to cut beyond the curve', () => {
    expect(cutoffPoints(0.1, 20)).toBe(3);
    expect(cutoffPoints(0.4, 50)).toBe(20);
    expect(() => cutoffPoints(1, 20)).toThrow('fractions: each must be in (0, 1), got 1');
    expect(() => cutoffPoints(0.99, 20)).toThrow('fractions: 0.99 of 20 epochs leaves nothing to predict');
  });
});

describe('conformal widening', () => {
  // Standard normal predictions; truths with sd 2 need intervals twice as wide.
  const z = Float64Array.from(LEVELS, (q) => {
    let a = -10,
      b = 10;
    for (let i = 0; i < 80; i++) {
      const m = (a + b) / 2;
      if (normalCdf(m) < q) a = m;
      else b = m;
    }
    return (a + b) / 2;
  });
  const pred: StoredPrediction = { quantiles: z, logDensity: new Float64Array(56) };

  it('finds the factor that makes 90% intervals cover 90% of the truths', () => {
    const truths = Float64Array.from({ length: 999 }, (_, i) => 2 * z[Math.floor((i / 999) * 99)]!);
    const c = conformalScale(Array(999).fill(pred), truths, 0.9);
    expect(c).toBeGreaterThan(1.8);
    expect(c).toBeLessThan(2.2);
  });

  it('reads P(better than a threshold) off stored quantiles', () => {
    expect(probBetterFromQuantiles(z, 'max', 0)).toBeCloseTo(0.5, 2);
    expect(probBetterFromQuantiles(z, 'min', 1.2816)).toBeCloseTo(0.9, 2);
    expect(probBetterFromQuantiles(z, 'max', 10)).toBeCloseTo(0.005, 12);
  });
});
