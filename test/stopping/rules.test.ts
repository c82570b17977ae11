import { describe, expect, it } from 'vitest';
import { stopRule } from '../../src/stopping/by-name.js';
import { replay } from '../../src/stopping/replay.js';
import { all, any, type RunView, type StopRule } from '../../src/stopping/rule.js';
import { asha, ashaGrace, gl, median, patience, pq, predictive, successiveHalving } from '../../src/stopping/rules.js';
import { improvementPerCompute, overfitting, predictedOptimumStep } from '../../src/stopping/single-run.js';

const steps = (n: number) => Float64Array.from({ length: n }, (_, i) => i + 1);
const view = (values: number[], extra: Partial<RunView> = {}): RunView => ({ steps: steps(values.length), values: Float64Array.from(values), goal: 'min', horizon: 50, ...extra });
const always = (stop: boolean, name = String(stop)): StopRule => ({ name, decide: () => ({ stop, reason: name }) });

describe('stopping rules', () => {
  it('patience counts points without an improvement larger than minDelta', () => {
    const rule = patience({ patience: 3, minDelta: 0.05 });
    expect(rule.decide(view([3, 2, 1.98, 1.97, 1.96])).stop).toBe(true);
    expect(rule.decide(view([3, 2, 1.98, 1.9, 1.96])).stop).toBe(false);
  });

  it('GL stops once the error is alpha percent above its minimum (Prechelt 1998)', () => {
    expect(gl({ alpha: 5 }).decide(view([3, 2, 2.2])).stop).toBe(true); // GL = 10
    expect(gl({ alpha: 5 }).decide(view([3, 2, 2.05])).stop).toBe(false); // GL = 2.5
    // Accuracy: E = 1 - acc; 0.8 -> E 0.2, 0.78 -> E 0.22, GL = 10.
    expect(gl({ alpha: 5 }).decide(view([0.5, 0.8, 0.78], { goal: 'max', range: [0, 1] })).stop).toBe(true);
    expect(() => gl().decide(view([0.5, 0.8, 0.78], { goal: 'max' }))).toThrow('gl: a metric to maximise needs a finite range (e.g. [0, 1] for accuracy), got undefined');
  });

  it('PQ divides GL by the progress over the last strip', () => {
    // Strip 2,1.9 ... flat strip with GL > 0 gives a large quotient.
    expect(pq({ alpha: 0.5, strip: 2 }).decide(view([3, 2, 2.2, 2.2])).stop).toBe(true);
    expect(pq({ alpha: 0.5, strip: 2 }).decide(view([3, 2, 1.5, 1.0])).stop).toBe(false);
    expect(pq({ alpha: 0.5, strip: 2 }).decide(view([3, 2, 2.2])).reason).toContain('not at the end of a strip');
  });

  it('median stopping compares the best so far with the median of the peers', () => {
    const peers = [
      [3, 2, 1.5],
      [3, 2.1, 1.6],
      [2.9, 1.9, 1.4],
    ].map((v) => ({ values: Float64Array.from(v), finished: true }));
    expect(median().decide(view([3.5, 3, 2.8], { peers })).stop).toBe(true);
    expect(median().decide(view([2.5, 1.8, 1.3], { peers })).stop).toBe(false);
    expect(median().decide(view([3.5, 3, 2.8], { peers: peers.slice(0, 2) })).stop).toBe(false);
  });

  it('ASHA keeps the top 1/eta at each rung', () => {
    const peers = [[1], [2], [3], [4], [5]].map((v) => ({ values: Float64Array.from(v), finished: false }));
    const rule = asha({ minPoints: 1, eta: 3 });
    expect(rule.decide(view([1.5], { peers })).stop).toBe(false); // top 2 of 6
    expect(rule.decide(view([2.5], { peers })).stop).toBe(true);
    // Past rung 1 and short of rung 3: judged at rung 1, on its value there.
    expect(rule.decide(view([2.5, 0.1], { peers })).stop).toBe(true);
    expect(rule.decide(view([2.5, 0.1], { peers })).reason).toContain('rung 1, value 2.5');
    expect(rule.decide(view([1.5], { peers: peers.slice(0, 1) })).reason).toContain('too few runs at rung 1 (2)');
  });

  it('ASHA waits a grace period derived from the horizon, and judges at the highest rung reached', () => {
    // Horizon 50 points, eta 3: grace ceil(50 / 9) = 6, rungs 6 and 18 (54 is past the horizon).
    expect(ashaGrace(50, 3)).toBe(6);
    expect(ashaGrace(20, 3)).toBe(3);
    expect(ashaGrace(5, 3)).toBe(1);
    expect(ashaGrace(64, 4)).toBe(4);
    const flat = (v: number, n: number) => Array.from({ length: n }, () => v);
    const peers = [1, 2, 3, 4, 5].map((v) => ({ values: Float64Array.from(flat(v, 30)), finished: false }));
    const rule = asha();
    expect(rule.name).toBe('asha(grace=auto, eta=3)');
    expect(rule.decide(view(flat(9, 5), { peers })).reason).toContain('before the first rung (grace 6 of 50 points)');
    expect(rule.decide(view(flat(9, 6), { peers })).stop).toBe(true);
    // Second of six at rung 6; the peers then improve ten-fold and it does not: stopped at rung 18.
    const improving = [1, 2, 3, 4, 5].map((v) => ({ values: Float64Array.from([...flat(v, 6), ...flat(v / 10, 24)]), finished: false }));
    expect(rule.decide(view(flat(1.5, 17), { peers: improving })).stop).toBe(false);
    expect(rule.decide(view(flat(1.5, 17), { peers: improving })).reason).toContain('rung 6,');
    expect(rule.decide(view(flat(1.5, 18), { peers: improving })).stop).toBe(true);
    expect(rule.decide(view(flat(1.5, 18), { peers: improving })).reason).toContain('rung 18,');
    // The grace period counts points, not steps: logged every 100 steps to a horizon of 5000, 50 points.
    const every100 = (n: number) => Float64Array.from({ length: n }, (_, i) => 100 * (i + 1));
    const v = (n: number) => ({ ...view(flat(9, n), { peers }), steps: every100(n), horizon: 5000 });
    expect(rule.decide(v(5)).stop).toBe(false);
    expect(rule.decide(v(6)).reason).toContain('rung 6,');
    // A given grace period replaces the default; a rung at or past the horizon is the end, not a decision.
    expect(asha({ minPoints: 2 }).decide(view(flat(9, 2), { peers })).stop).toBe(true);
    expect(asha({ minPoints: 50 }).decide(view(flat(9, 49), { peers, horizon: 50 })).stop).toBe(false);
    expect(() => asha({ minPoints: 0 })).toThrow('asha: minPoints: must be a positive integer, got 0');
    expect(() => asha({ eta: Infinity })).toThrow('asha: eta: must be a finite number > 1, got Infinity');
    expect(stopRule('asha', { grace: 4, eta: 2 }).name).toBe('asha(grace=4, eta=2)');
  });

  it('successive halving trains the survivors eta times longer at each rung', () => {
    const curves = [5, 4, 3, 2, 1, 0.5, 6, 7, 8].map((v) => Float64Array.from({ length: 9 }, (_, i) => v - 0.01 * i));
    const trained = successiveHalving(curves, { goal: 'min', minPoints: 1, eta: 3 });
    expect(trained).toEqual([1, 1, 1, 3, 3, 9, 1, 1, 1]);
  });

  it('predictive termination compares P(final better than the best) with delta', () => {
    const predict = (p: number) => () => ({ probBetter: () => p });
    expect(predictive({ delta: 0.05, predict: predict(0.01) }).decide(view([3, 2, 1.9], { bestFinal: 1 })).stop).toBe(true);
    expect(predictive({ delta: 0.05, predict: predict(0.2) }).decide(view([3, 2, 1.9], { bestFinal: 1 })).stop).toBe(false);
    expect(predictive({ delta: 0.05, predict: predict(0) }).decide(view([3, 2, 1.9])).stop).toBe(false);
    // With the default predictor: a curve flattening at 2.5 cannot beat 1.0 by step 50.
    const flat = view([4, 3, 2.7, 2.6, 2.55, 2.52, 2.51, 2.505], { bestFinal: 1 });
    expect(predictive({ delta: 0.05 }).decide(flat).stop).toBe(true);
    expect(predictive({ delta: 0.05 }).decide({ ...flat, bestFinal: 2.6 }).stop).toBe(false);
    expect(() => predictive({ delta: 1.5 })).toThrow('predictive: delta: must be in (0, 1), got 1.5');
    // The extrapolator's options are checked when the rule is made, not at its first decision.
    expect(() => predictive({ extrapolate: { weighting: 'equal' } })).toThrow('weighting: weights the ensemble\'s families; not used with method "fast", got "equal"');
    expect(() => stopRule('predictive', { extrapolate: { method: 'ensemble', weighting: 'bic' as never } })).toThrow('weighting: must be "evidence" or "equal", got "bic"');
    expect(() => improvementPerCompute({ threshold: 0, extrapolate: { window: 'last' as never } })).toThrow('window: must be "auto" or "all", got "last"');
  });

  it('any and all compose rules', () => {
    expect(any(always(false), always(true, 'b')).decide(view([1, 2, 3]))).toEqual({ stop: true, reason: 'b' });
    expect(any(always(false), always(false)).decide(view([1, 2, 3])).stop).toBe(false);
    expect(all(always(true), always(false)).decide(view([1, 2, 3])).stop).toBe(false);
    expect(all(always(true, 'a'), always(true, 'b')).decide(view([1, 2, 3]))).toEqual({ stop: true, reason: 'a; b' });
    expect(() => any()).toThrow('any: give at least one rule');
  });

  it('single-run rules: improvement per compute and the predicted optimum step', () => {
    const flattening = view([4, 3, 2.7, 2.6, 2.55, 2.52, 2.51, 2.505, 2.503, 2.502]);
    expect(improvementPerCompute({ threshold: 0.01 }).decide(flattening).stop).toBe(true);
    expect(improvementPerCompute({ threshold: 0.01 }).decide(view([4, 3, 2.5, 2.1, 1.8, 1.55])).stop).toBe(false);
    // Validation loss (log t - 3)^2 + 1 has its minimum at t = e^3 ~ 20.1.
    const u = Array.from({ length: 30 }, (_, i) => (Math.log(i + 1) - 3) ** 2 + 1);
    expect(predictedOptimumStep(steps(30), u)).toBeCloseTo(Math.exp(3), 6);
    // Still falling ever faster in log step: no optimum ahead.
    expect(
      predictedOptimumStep(
        steps(10),
        Array.from({ length: 10 }, (_, i) => -(Math.log(i + 1) ** 2)),
      ),
    ).toBe(Infinity);
    expect(overfitting().decide(view(u)).stop).toBe(true);
    expect(overfitting().decide(view(u.slice(0, 15))).stop).toBe(false);
  });

  it('rules by name, and unknown names', () => {
    expect(stopRule('patience', { patience: 2 }).name).toBe('patience(2, minDelta=0)');
    expect(stopRule('predictive', { delta: 0.1, patience: undefined }).name).toBe('predictive(delta=0.1)');
    expect(() => stopRule('oracle')).toThrow('unknown rule: "oracle"; known rules: predictive, patience, gl, pq, median, asha, overfitting, improvement');
    expect(() => stopRule('improvement')).toThrow('improvement: needs a threshold (predicted gain per unit of compute)');
    expect(stopRule('improvement', { threshold: 0.01 }).name).toBe('improvementPerCompute(0.01)');
    expect(() => patience({ patience: 0 })).toThrow('patience: patience: must be a positive integer, got 0');
    expect(() => patience().decide(view([1, NaN, 2]))).toThrow('patience: value at step 2 is not a finite number: NaN');
  });
});

describe('replay', () => {
  // Ten curves that end at their index (lower is better), with an oracle that knows the finals.
  const curves = Array.from({ length: 10 }, (_, k) => Float64Array.from({ length: 10 }, (_, i) => k + 5 / (i + 1)));
  const finals = curves.map((c) => c[9]!);

  it('no stopping has speed-up 1 and no regret', () => {
    const r = replay(curves, always(false), { goal: 'min', checkpoints: [2, 5], orderings: 5, budget: 10 });
    expect(r.speedup).toBe(1);
    expect(r.regret).toBe(0);
    expect(r.sameBest).toBe(1);
  });

  it('an oracle predictive rule stops every run that cannot win, with no regret', () => {
    const oracle = predictive({ delta: 0.5, predict: (v) => ({ probBetter: (t) => (finals[v.id as number]! < t ? 1 : 0) }) });
    const r = replay(curves, oracle, { goal: 'min', checkpoints: [3], orderings: 20, budget: 10, seed: 3 });
    expect(r.regret).toBe(0);
    expect(r.speedup).toBeGreaterThan(1.5);
    expect(r.span).toBe(9);
  });

  it('a rule that stops everything after the first run has regret', () => {
    const r = replay(curves, predictive({ delta: 0.5, predict: () => ({ probBetter: () => 0 }) }), { goal: 'min', checkpoints: [3], orderings: 20, budget: 5, seed: 1 });
    expect(r.regret).toBeGreaterThan(0);
    expect(() => replay(curves, always(false), { goal: 'min', checkpoints: [10], budget: 5 })).toThrow('replay: checkpoints: each must be an integer in [1, 10), got 10');
    expect(() => replay(curves, always(false), { goal: 'min', checkpoints: [2], budget: 20 })).toThrow('replay: budget: 20 runs but only 10 curves');
  });
});
