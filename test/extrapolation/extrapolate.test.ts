import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { setWarn, resetWarnings } from '../../src/core/warn.js';
import { learningCurve } from '../../src/extrapolation/curve.js';
import { extrapolate } from '../../src/extrapolation/extrapolate.js';
import { extrapolateMany } from '../../src/extrapolation/many.js';

// A loss curve L(t) = 2 + 3 t^-0.5 with small noise, seen for 20 steps.
function lossCurve(seed: number, n = 20, noise = 0.01) {
  const r = rng(seed);
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  const values = steps.map((t) => 2 + 3 * t ** -0.5 + noise * r.normal());
  return { steps, values, truth: (t: number) => 2 + 3 * t ** -0.5 };
}

describe('extrapolate', () => {
  it('the ensemble covers the true value of a noisy power law at 5x the seen steps', () => {
    const { steps, values, truth } = lossCurve(1);
    const curve = learningCurve(steps, values, { goal: 'min' });
    const p = extrapolate(curve, { to: 100, seed: 3 }).at(100);
    const [lo, hi] = p.interval(0.9);
    expect(lo).toBeLessThan(truth(100));
    expect(hi).toBeGreaterThan(truth(100));
    expect(Math.abs(p.median - truth(100))).toBeLessThan(0.1);
    // Lower is better: P(below the truth + 0.3) is high, P(below 2) (the asymptote) is small.
    expect(p.probBetter(truth(100) + 0.3)).toBeGreaterThan(0.95);
    expect(p.probBetter(2)).toBeLessThan(0.1);
    // This curve is exactly one family (pow3): equal weights keep the other families' spread, so
    // the interval still covers the truth but is wider and the median further off.
    const equal = extrapolate(curve, { to: 100, seed: 3, weighting: 'equal' }).at(100);
    const [elo, ehi] = equal.interval(0.9);
    expect(elo).toBeLessThan(truth(100));
    expect(ehi).toBeGreaterThan(truth(100));
    expect(ehi - elo).toBeGreaterThan(hi - lo);
    expect(Math.abs(equal.median - truth(100))).toBeGreaterThan(Math.abs(p.median - truth(100)));
  });

  it('the fast extrapolator covers it too, and is deterministic', () => {
    const { steps, values, truth } = lossCurve(2);
    const curve = learningCurve(steps, values, { goal: 'min' });
    const a = extrapolate(curve, { to: [50, 100], method: 'fast' });
    const b = extrapolate(curve, { to: [50, 100], method: 'fast' });
    expect(a.toJSON()).toEqual(b.toJSON());
    for (const t of [50, 100]) {
      const [lo, hi] = a.at(t).interval(0.9);
      expect(lo).toBeLessThan(truth(t));
      expect(hi).toBeGreaterThan(truth(t));
    }
  });

  it('the same seed gives the same ensemble, another seed a different one', () => {
    const { steps, values } = lossCurve(4, 10);
    const curve = learningCurve(steps, values, { goal: 'min' });
    const opts = { to: 40, steps: 60, families: ['pow3', 'ilog2'] };
    const a = extrapolate(curve, { ...opts, seed: 1 }).at(40);
    const b = extrapolate(curve, { ...opts, seed: 1 }).at(40);
    const c = extrapolate(curve, { ...opts, seed: 2 }).at(40);
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.mean).not.toBe(c.mean);
  });

  it("weighting 'equal' gives every family that described the curve the same weight; 'evidence' does not", () => {
    const { steps, values } = lossCurve(6, 12);
    const curve = learningCurve(steps, values, { goal: 'min' });
    const opts = { to: 60, steps: 60, seed: 2, families: ['pow3', 'exp4', 'ilog2'] };
    const equal = extrapolate(curve, { ...opts, weighting: 'equal' });
    for (const w of Object.values(equal.weights)) expect(w).toBeCloseTo(1 / 3, 12);
    const evidence = extrapolate(curve, opts);
    const ws = Object.values(evidence.weights);
    expect(ws.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...ws) - Math.min(...ws)).toBeGreaterThan(0.01);
    // The predictive is the weighted mixture: with equal weights, a family's share of the draws is a third.
    expect(equal.at(60).median).not.toBe(evidence.at(60).median);
  });

  it('a metric to maximise mirrors one to minimise', () => {
    const { steps, values } = lossCurve(5, 12);
    const loss = extrapolate(learningCurve(steps, values, { goal: 'min' }), { to: 60, seed: 9, steps: 60 }).at(60);
    const score = extrapolate(
      learningCurve(
        steps,
        values.map((v) => 10 - v),
        { goal: 'max' },
      ),
      { to: 60, seed: 9, steps: 60 },
    ).at(60);
    expect(score.median).toBeCloseTo(10 - loss.median, 6);
    expect(score.probBetter(10 - 2.5)).toBeCloseTo(loss.probBetter(2.5), 6);
  });

  it('keeps bounded metrics inside their range', () => {
    const steps = [1, 2, 3, 4, 5, 6];
    const acc = [0.5, 0.7, 0.8, 0.86, 0.9, 0.93];
    const p = extrapolate(learningCurve(steps, acc, { goal: 'max', range: [0, 1] }), { to: 50, seed: 1 }).at(50);
    expect(p.quantile(0.99)).toBeLessThanOrEqual(1);
  });

  it('a constant curve predicts the constant with no spread, and warns', () => {
    const messages: string[] = [];
    const previous = setWarn((m) => messages.push(m));
    resetWarnings();
    try {
      const p = extrapolate(learningCurve([1, 2, 3, 4], [0.1, 0.1, 0.1, 0.1], { goal: 'max', source: 'flat.csv' }), { to: 10 }).at(10);
      expect(p.median).toBe(0.1);
      expect(p.interval(0.9)).toEqual([0.1, 0.1]);
      expect(messages).toEqual(['flat.csv: the curve is constant; predicting the same value with no spread']);
    } finally {
      setWarn(previous);
    }
  });

  it('rejects bad input with messages naming the field and value', () => {
    const ok = learningCurve([1, 2, 3], [3, 2, 1.5]);
    expect(() => learningCurve([1, 2, 3], [3, NaN, 1], { source: 'run.csv' })).toThrow('run.csv: row 2, column value: not a finite number: NaN');
    expect(() => learningCurve([1, 2], [3, 2], { source: 'run.csv' })).toThrow('run.csv: needs at least 3 points to extrapolate, got 2');
    expect(() => learningCurve([1, 3, 2], [3, 2, 1])).toThrow('curve: row 3, column step: steps must increase, got 2 after 3');
    expect(() => learningCurve([0, 1, 2], [3, 2, 1])).toThrow('curve: row 1, column step: must be a positive finite number, got 0');
    expect(() => learningCurve([1, 2, 3], [3, 2, 1], { goal: 'up' as never })).toThrow('curve: goal: must be "min" or "max", got "up"');
    expect(() => extrapolate(ok, { to: 3 })).toThrow("to: step 3 is not beyond the curve's last step 3");
    expect(() => extrapolate(ok, { to: [] })).toThrow('to: give at least one step to predict');
    expect(() => extrapolate(ok, { to: 10, method: 'mcmc' as never })).toThrow('method: must be "ensemble", "fast" or "pfn", got "mcmc"');
    expect(() => extrapolate(ok, { to: 10, families: ['pow5'] })).toThrow('unknown curve family: "pow5"');
    expect(() => extrapolate(ok, { to: 10, weighting: 'bic' as never })).toThrow('weighting: must be "evidence" or "equal", got "bic"');
    expect(() => extrapolate(ok, { to: 10, method: 'fast', weighting: 'equal' })).toThrow('weighting: weights the ensemble\'s families; not used with method "fast", got "equal"');
    expect(() => extrapolate(ok, { to: 10, walkers: 3 })).toThrow('walkers: need an even number >= 8 for family pow3, got 3');
    expect(() => extrapolate(ok, { to: 10 }).at(11)).toThrow('predictive: no prediction at step 11; steps: 10');
  });

  it('extrapolateMany seeds each curve by its position', () => {
    const curves = [lossCurve(1, 8), lossCurve(2, 8)].map(({ steps, values }) => ({ steps, values }));
    const all = extrapolateMany(curves, { to: 30, goal: 'min' });
    const second = extrapolateMany([curves[1]!], { to: 30, goal: 'min', seed: 1 });
    expect(all[1]!.toJSON()).toEqual(second[0]!.toJSON());
  });
});

describe('widenPredictive', () => {
  it('scales intervals about the median and keeps densities normalised', async () => {
    const { widenPredictive } = await import('../../src/extrapolation/widen.js');
    const { pointPredictive } = await import('../../src/extrapolation/predictive.js');
    const p = pointPredictive(10, 'min', Float64Array.of(1, 1.2), Float64Array.of(0.1, 0.1));
    const w = widenPredictive(p, 2);
    const [lo, hi] = p.interval(0.9),
      [wlo, whi] = w.interval(0.9);
    expect(w.median).toBe(p.median);
    expect(wlo).toBeCloseTo(p.median - 2 * (p.median - lo), 12);
    expect(whi).toBeCloseTo(p.median + 2 * (hi - p.median), 12);
    let mass = 0;
    for (let y = -1; y < 3; y += 0.001) mass += Math.exp(w.logDensity(y)) * 0.001;
    expect(mass).toBeCloseTo(1, 3);
    expect(w.probBetter(p.median)).toBeCloseTo(0.5, 6);
    expect(() => widenPredictive(p, 0)).toThrow('widen: factor must be a positive number, got 0');
  });
});

describe('curves that do not improve', () => {
  it('a declining accuracy curve gets a flat prediction near its level, not an error', () => {
    const steps = [1, 2, 3, 4, 5, 6];
    const acc = [0.5, 0.48, 0.47, 0.45, 0.44, 0.42];
    for (const method of ['fast', 'ensemble'] as const) {
      const p = extrapolate(learningCurve(steps, acc, { goal: 'max', range: [0, 1] }), { to: 20, method, steps: 60 }).at(20);
      expect(p.median, method).toBeGreaterThan(0.4);
      expect(p.median, method).toBeLessThan(0.5);
    }
  });
});
