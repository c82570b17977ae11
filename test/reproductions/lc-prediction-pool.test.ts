import { describe, expect, it } from 'vitest';
import { predictFinalValues } from '../../src/reproductions/lc-evaluate.js';
import { epochScale, replayNasPerEpoch } from '../../src/reproductions/lc-nas.js';
import { readCurveSet } from '../../src/extrapolation/read-curve.js';
import { predictionPool } from '../../src/reproductions/lc-prediction-pool.js';
import { referenceData } from '../reference-data.js';

const dir = referenceData('nas-curves');
const lstm = readCurveSet(`${dir}/lstm_ptb.csv`, { prefix: 'ep_', goal: 'min', range: [1, Infinity], name: 'lstm_ptb' });

describe('predictions per prefix', () => {
  it('a worker pool and this thread give the predictions of predictFinalValues, computed once', async () => {
    const index = [0, 1, 2]; // positions in the set given to predictFinalValues below
    const curves = [0, 7, 14].map((i) => lstm.curves[i]!);
    const [file] = await predictFinalValues([{ ...lstm, curves: lstm.curves.filter((_, i) => i % 7 === 0 && i <= 14) }], { fractions: [0.2], predictors: ['fast'], threads: 1, seed: 3 });
    const pooled = predictionPool({ curves, goal: 'min', range: [1, Infinity], predictor: 'fast', seed: 3, index, threads: 2 });
    const local = predictionPool({ curves, goal: 'min', range: [1, Infinity], predictor: 'fast', seed: 3, index, threads: 0 });
    try {
      const a = await Promise.all([pooled.predict(1, 12), pooled.predict(1, 12), pooled.predict(2, 30)]);
      const b = await local.predict(1, 12);
      expect(Array.from(a[0].quantiles)).toEqual(Array.from(file!.preds.fast![0]![1]!.quantiles));
      expect(Array.from(b.quantiles)).toEqual(Array.from(a[0].quantiles));
      expect(a[1]).toBe(a[0]);
      expect(pooled.size).toBe(2);
      expect(pooled.cached(2, 30)).toBe(a[2]);
      expect(pooled.cached(2, 31)).toBeUndefined();
    } finally {
      await pooled.close();
      await local.close();
    }
  }, 60_000);

  it('interpolates the conformal factor between cutoffs in log scale', () => {
    const scales = [Float64Array.of(1, 2), Float64Array.of(4, 2)];
    expect(epochScale([6, 12], scales, 0, 3)).toBe(1);
    expect(epochScale([6, 12], scales, 0, 9)).toBeCloseTo(2, 12);
    expect(epochScale([6, 12], scales, 0, 50)).toBe(4);
    expect(epochScale([6, 12], scales, 1, 8)).toBeCloseTo(2, 12);
  });

  it('replays predictive termination with a decision every epoch', async () => {
    const files = await predictFinalValues([lstm], { stride: 10, predictors: ['fast'], threads: 1 });
    const rows = await replayNasPerEpoch(files, { predictor: 'fast', threads: 0 });
    const pred = rows.find((r) => r.predictor === 'fast')!;
    expect(pred.result.rule).toBe('predictive(delta=0.05)');
    expect(pred.result.budget).toBe(20);
    expect(pred.result.speedup).toBeGreaterThan(1);
    expect(pred.predictions).toBeGreaterThan(0);
    expect(rows.map((r) => r.result.rule)).toEqual(['predictive(delta=0.05)', 'patience(6, minDelta=0)', 'median']);
  }, 60_000);

  it('replays with a correction learned from the runs finished so far in each ordering', async () => {
    const metaqnn = readCurveSet(`${dir}/metaqnn_cifar10.csv`, { prefix: 'acc_', goal: 'max', range: [0, 1], name: 'metaqnn_cifar10' });
    const files = await predictFinalValues([metaqnn], { stride: 10, predictors: ['fast'], threads: 1 });
    const plain = await replayNasPerEpoch(files, { predictor: 'fast', threads: 0 });
    const learned = await replayNasPerEpoch(files, { predictor: 'fast', threads: 0, learned: true });
    expect(learned[0]!.predictor).toBe('fast+learned');
    expect(learned[0]!.result.budget).toBe(20);
    expect(learned[0]!.result.speedup).toBeGreaterThan(1);
    expect(learned[0]!.result.speedup).not.toBe(plain[0]!.result.speedup);
    await expect(replayNasPerEpoch(files, { predictor: 'fast', threads: 0, learned: true, minFinished: 3 })).rejects.toThrow(
      'minFinished: must be an integer >= 6 (3 folds of at least 2 runs), got 3',
    );
  }, 60_000);
});
