import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { extrapolate } from '../../src/extrapolation/extrapolate.js';
import { learningCurve } from '../../src/extrapolation/curve.js';
import { correctionFeatures, fitCorrection, learnCorrection, type CorrectionRow } from '../../src/extrapolation/learned.js';
import { readCurveSet } from '../../src/extrapolation/read-curve.js';
import { referenceData } from '../reference-data.js';

const dir = referenceData('nas-curves');

describe('fitCorrection', () => {
  // Known truth: target = offset + 2 f1 - f2 + N(0, 0.5^2); f3 is noise.
  const make = (n: number, seed: number): CorrectionRow[] => {
    const r = rng(seed);
    return Array.from({ length: n }, () => {
      const f = [r.normal(), r.normal(), r.normal()];
      const offset = 3 * r.normal();
      return { features: f, offset, target: offset + 2 * f[0]! - f[1]! + 0.5 * r.normal() };
    });
  };

  it('recovers a linear relation and its 90% intervals cover about 90% of new rows', () => {
    const fit = fitCorrection(make(400, 1));
    const test = make(2000, 2);
    let cover = 0,
      err = 0;
    for (const row of test) {
      const p = fit.predictive(row, 10, 'min');
      const [lo, hi] = p.interval(0.9);
      if (row.target! >= lo && row.target! <= hi) cover++;
      err += Math.abs(fit.predictPoint(row) - row.target!) / test.length;
    }
    expect(cover / test.length).toBeGreaterThan(0.86);
    expect(cover / test.length).toBeLessThan(0.94);
    // The noise alone gives a mean absolute error of 0.5 sqrt(2 / pi) = 0.40.
    expect(err).toBeLessThan(0.43);
    expect(fit.residuals.length).toBe(400);
  });

  it('names the row and feature of bad input', () => {
    const rows = make(20, 3);
    expect(() => fitCorrection(rows.slice(0, 9))).toThrow('fitCorrection: need at least 10 finished curves, got 9');
    expect(() => fitCorrection([...rows.slice(0, 11), { features: [1, NaN, 0], offset: 0, target: 1 }])).toThrow('fitCorrection: row 12: feature 2: not a finite number: NaN');
    expect(() => fitCorrection([...rows.slice(0, 11), { features: [1, 2, 0], offset: 0 }])).toThrow('fitCorrection: row 12: target: not a finite number: undefined');
    expect(() => fitCorrection(rows, { folds: 1 })).toThrow('folds: must be an integer >= 2, got 1');
  });
});

describe('correctionFeatures', () => {
  it('reads last value, mean and slope of the last 3 points, and the best so far', () => {
    const f = correctionFeatures([5, 1, 4, 3, 2], 'min', { base: 1.5, fast: 1.6, pow3: 1.7 });
    [1.5, 1.6, 1.7, 2, 3, -1, 1].forEach((v, j) => expect(f[j]).toBeCloseTo(v, 12));
    expect(correctionFeatures([0.1, 0.5, 0.4], 'max', { base: 0, fast: 0, pow3: 0 })[6]).toBe(0.5);
  });
});

describe('learnCorrection on PTB LSTM curves (fast base)', () => {
  const lstm = readCurveSet(`${dir}/lstm_ptb.csv`, { prefix: 'ep_', goal: 'min', range: [1, Infinity], name: 'lstm_ptb' });
  const train = lstm.curves.filter((_, i) => i % 4 !== 0);
  const test = lstm.curves.filter((_, i) => i % 4 === 0);

  it('trained on 210 finished curves, it predicts the other 70 from 12 of 60 epochs better than the fast extrapolator', () => {
    const correction = learnCorrection(train, { seen: 12, goal: 'min', range: [1, Infinity], method: 'fast' });
    let learned = 0,
      fast = 0,
      cover = 0;
    for (const c of test) {
      const seen = c.subarray(0, 12);
      const truth = c[59]!;
      const p = correction.predict(seen);
      learned += Math.abs(p.median - truth) / test.length;
      const curve = learningCurve(
        Array.from({ length: 12 }, (_, k) => k + 1),
        seen,
        { goal: 'min', range: [1, Infinity] },
      );
      fast += Math.abs(extrapolate(curve, { to: 60, method: 'fast' }).at(60).median - truth) / test.length;
      const [lo, hi] = p.interval(0.9);
      if (truth >= lo && truth <= hi) cover++;
    }
    expect(learned).toBeLessThan(0.7 * fast);
    expect(cover / test.length).toBeGreaterThan(0.8);
    expect(correction.horizon).toBe(60);
    expect(correction.toJSON().features).toEqual(['base median', 'fast median', 'pow3 median', 'last', 'mean of last 3', 'slope of last 3', 'best so far']);
  });

  it('refuses what it cannot learn from or predict', () => {
    expect(() => learnCorrection(train, { seen: 60, goal: 'min', method: 'fast' })).toThrow('seen: must be an integer in [3, 60) for finished curves of 60 points, got 60');
    expect(() => learnCorrection([train[0]!, train[1]!.subarray(0, 50)], { seen: 12, method: 'fast' })).toThrow('finished: curve 2 has 50 points, curve 1 has 60; all must have the same length');
    expect(() => learnCorrection([], { seen: 12 })).toThrow('finished: give the finished curves to learn from');
    expect(() => learnCorrection(train.slice(0, 5), { seen: 12, method: 'fast' })).toThrow('fitCorrection: need at least 10 finished curves, got 5');
    expect(() => learnCorrection(train, { seen: 12, method: 'mcmc' as 'fast' })).toThrow('method: must be "ensemble", "fast" or "pfn", got "mcmc"');
    expect(() => learnCorrection(train, { seen: 12, method: 'fast', weighting: 'equal' })).toThrow('weighting: weights the ensemble\'s families; not used with method "fast", got "equal"');
    const correction = learnCorrection(train.slice(0, 20), { seen: 12, goal: 'min', method: 'fast' });
    expect(() => correction.predict(test[0]!.subarray(0, 11))).toThrow('predict: values: expected 12 points (the correction was learned for 12), got 11');
    expect(() => correction.predict(Float64Array.of(...test[0]!.subarray(0, 11), NaN))).toThrow('partial curve: row 12, column value: not a finite number: NaN');
  });
});

describe('crossFittedCorrection', () => {
  it('never trains on the curve it predicts: changing a final value leaves its own prediction unchanged', async () => {
    const { predictFinalValues } = await import('../../src/reproductions/lc-evaluate.js');
    const { crossFittedCorrection } = await import('../../src/reproductions/lc-learned-eval.js');
    const lstm = readCurveSet(`${dir}/lstm_ptb.csv`, { prefix: 'ep_', goal: 'min', range: [1, Infinity], name: 'lstm_ptb' });
    const [file] = await predictFinalValues([lstm], { stride: 5, fractions: [0.2], predictors: ['fast', 'pow3'], threads: 1 });
    const before = crossFittedCorrection(file!, { base: 'fast' });
    const truths = file!.truths.slice();
    truths[7] = truths[7]! + 500;
    const after = crossFittedCorrection({ ...file!, truths }, { base: 'fast' });
    expect(Array.from(after[0]![7]!.quantiles)).toEqual(Array.from(before[0]![7]!.quantiles));
    // Curves of other folds learned from it.
    expect(Array.from(after[0]![8]!.quantiles)).not.toEqual(Array.from(before[0]![8]!.quantiles));
    expect(() => crossFittedCorrection(file!, { base: 'ensemble' })).toThrow('crossFittedCorrection: lstm_ptb: needs stored ensemble, fast and pow3 predictions');
  }, 60_000);
});

describe('extrapolateMany with finished curves', () => {
  it('learns one correction per partial length and predicts each curve with it', async () => {
    const { extrapolateMany } = await import('../../src/extrapolation/many.js');
    const lstm = readCurveSet(`${dir}/lstm_ptb.csv`, { prefix: 'ep_', goal: 'min', range: [1, Infinity], name: 'lstm_ptb' });
    const finished = lstm.curves.slice(0, 100);
    const partials = [lstm.curves[200]!.subarray(0, 12), lstm.curves[201]!.subarray(0, 20), lstm.curves[202]!.subarray(0, 12)].map((v) => ({ steps: Array.from(v, (_, k) => k + 1), values: v }));
    const out = extrapolateMany(partials, { to: 60, goal: 'min', range: [1, Infinity], finished });
    const direct = learnCorrection(finished, { seen: 20, goal: 'min', range: [1, Infinity], method: 'fast' }).predict(partials[1]!.values, 1);
    expect(out[1]!.median).toBeCloseTo(direct.median, 10);
    expect(out.every((p) => p.step === 60 && Number.isFinite(p.median))).toBe(true);
    expect(() => extrapolateMany(partials, { to: 50, goal: 'min', finished })).toThrow('finished: curves have 60 points but to is 50; finished curves must run to the predicted step');
    expect(() => extrapolateMany([{ steps: [2, 4, 6], values: [3, 2, 1] }], { to: 60, finished })).toThrow('curve 1: steps must be 1, 2, 3, ... to use finished curves, got 2 at row 1');
  });
});
