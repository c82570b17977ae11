import { learningCurve } from '../extrapolation/curve.js';
import { checkExtrapolateOptions, extrapolate, type ExtrapolateOptions } from '../extrapolation/extrapolate.js';
import { bestOf, checkView, nonNegative, positiveNumber, type RunView, type StopRule } from './rule.js';

/**
 * Rules for one run on its own, without peers.
 */

export interface ImprovementOptions {
  /** Stop when the predicted improvement per unit of compute falls below this (metric units per cost unit). */
  threshold: number;
  /** How far ahead to look, in steps. @default the distance to the horizon */
  lookahead?: number;
  /** Compute per step (e.g. FLOPs per step). @default 1 */
  costPerStep?: number;
  /** Passed to `extrapolate`. @default { method: 'fast' } */
  extrapolate?: Partial<ExtrapolateOptions>;
}

/**
 * Stop when the predicted improvement over the best value so far, per unit of compute over the
 * next `lookahead` steps, is below `threshold`: (median predicted value at t + lookahead - best so
 * far, in the improving direction) / (lookahead * costPerStep) < threshold.
 */
export function improvementPerCompute(options: ImprovementOptions): StopRule {
  const { threshold, costPerStep = 1 } = options;
  nonNegative('improvementPerCompute', 'threshold', threshold);
  positiveNumber('improvementPerCompute', 'costPerStep', costPerStep);
  if (options.lookahead !== undefined) positiveNumber('improvementPerCompute', 'lookahead', options.lookahead);
  checkExtrapolateOptions({ method: 'fast', ...options.extrapolate });
  const name = `improvementPerCompute(${threshold})`;
  return {
    name,
    decide(view) {
      checkView(view, 'improvementPerCompute');
      const last = view.steps[view.steps.length - 1]!;
      const ahead = Math.min(options.lookahead ?? view.horizon - last, view.horizon - last);
      if (ahead <= 0) return { stop: false, reason: `${name}: at the horizon` };
      const curve = learningCurve(view.steps, view.values, { goal: view.goal, range: view.range, source: 'run' });
      const predicted = extrapolate(curve, { method: 'fast', ...options.extrapolate, to: last + ahead }).at(last + ahead).median;
      const best = bestOf(view.goal, view.values);
      const gain = view.goal === 'max' ? predicted - best : best - predicted;
      const rate = gain / (ahead * costPerStep);
      return { stop: rate < threshold, reason: `${name}: predicted gain ${gain.toPrecision(3)} over ${ahead} steps, ${rate.toPrecision(3)} per unit` };
    },
  };
}

/**
 * The predicted step of the best validation value (the onset of overfitting): a quadratic in
 * log(step) fitted by least squares to the last half of the points (at least 3). When it curves
 * back (convex for 'min', concave for 'max') its vertex is the predicted optimum; otherwise the
 * curve is still improving and the result is Infinity.
 */
export function predictedOptimumStep(steps: ArrayLike<number>, values: ArrayLike<number>, goal: 'min' | 'max' = 'min'): number {
  const curve = learningCurve(steps, values, { goal, source: 'predictedOptimumStep' });
  const n = curve.step.length;
  const from = Math.max(0, Math.min(n - 3, Math.floor(n / 2)));
  // Normal equations for y = a + b u + c u^2, u = log step (centred for conditioning).
  const u = Array.from(curve.step.subarray(from), Math.log);
  const y = Array.from(curve.value.subarray(from));
  const mean = u.reduce((s, v) => s + v, 0) / u.length;
  const S = [0, 0, 0, 0, 0],
    R = [0, 0, 0];
  u.forEach((v, i) => {
    const w = v - mean;
    for (let k = 0; k < 5; k++) S[k]! += w ** k;
    for (let k = 0; k < 3; k++) R[k]! += w ** k * y[i]!;
  });
  const [a0, a1, a2, a3, a4] = S as [number, number, number, number, number];
  const det = a0 * (a2 * a4 - a3 * a3) - a1 * (a1 * a4 - a3 * a2) + a2 * (a1 * a3 - a2 * a2);
  if (!(Math.abs(det) > 1e-300)) return Infinity;
  // Cramer's rule for b and c.
  const b = (a0 * (R[1]! * a4 - a3 * R[2]!) - R[0]! * (a1 * a4 - a3 * a2) + a2 * (a1 * R[2]! - R[1]! * a2)) / det;
  const c = (a0 * (a2 * R[2]! - R[1]! * a3) - a1 * (a1 * R[2]! - R[1]! * a2) + R[0]! * (a1 * a3 - a2 * a2)) / det;
  const turnsBack = goal === 'min' ? c > 0 : c < 0;
  if (!turnsBack) return Infinity;
  return Math.exp(mean - b / (2 * c));
}

/** Stop once the run has passed its predicted optimum step by `margin` (a fraction of it). */
export function overfitting(options: { margin?: number } = {}): StopRule {
  const { margin = 0.1 } = options;
  nonNegative('overfitting', 'margin', margin);
  const name = `overfitting(margin=${margin})`;
  return {
    name,
    decide(view: RunView) {
      checkView(view, 'overfitting');
      if (view.values.length < 5) return { stop: false, reason: `${name}: fewer than 5 points` };
      const at = predictedOptimumStep(view.steps, view.values, view.goal);
      const last = view.steps[view.steps.length - 1]!;
      return { stop: last >= at * (1 + margin), reason: `${name}: predicted optimum at step ${Number.isFinite(at) ? at.toPrecision(4) : 'none (still improving)'}` };
    },
  };
}
