import { InputError, show } from '../core/errors.js';
import { learningCurve } from '../extrapolation/curve.js';
import { checkExtrapolateOptions, extrapolate, type ExtrapolateOptions } from '../extrapolation/extrapolate.js';
import { checkView, type RunView, type StopRule } from './rule.js';

/** The part of a predictive a rule needs: P(value at the horizon better than a threshold). */
export interface FinalPredictor {
  (view: RunView): { probBetter(threshold: number): number };
}

export interface PredictiveOptions {
  /** Stop when P(final better than the best finished run) < delta. @default 0.05 */
  delta?: number;
  /** Points needed before the rule decides. @default 3 */
  minPoints?: number;
  /**
   * How the final value is predicted. @default the fast extrapolator, `extrapolate(curve,
   * { to: horizon, method: 'fast' })`
   */
  predict?: FinalPredictor;
  /** Passed to `extrapolate` by the default predictor (method, seed, ...). */
  extrapolate?: Partial<ExtrapolateOptions>;
}

/** The default predictor: the curve's predictive at its horizon. */
export function extrapolatingPredictor(options: Partial<ExtrapolateOptions> = {}): FinalPredictor {
  // An option given as undefined takes its default too (method: the fast extrapolator).
  const { method = 'fast', ...rest } = options;
  checkExtrapolateOptions({ ...rest, method });
  return (view) => {
    const curve = learningCurve(view.steps, view.values, { goal: view.goal, range: view.range, source: 'run' });
    return extrapolate(curve, { ...rest, method, to: view.horizon, ...(method === 'pfn' ? { horizon: view.horizon } : {}) }).at(view.horizon);
  };
}

/**
 * Predictive termination (Domhan et al. 2015, §4): stop a run when the probability that its final
 * value beats the best final value so far falls below delta. Never stops before a run has
 * finished (no best yet).
 */
export function predictive(options: PredictiveOptions = {}): StopRule {
  const { delta = 0.05, minPoints = 3 } = options;
  if (!(delta > 0 && delta < 1)) throw new InputError(`predictive: delta: must be in (0, 1), got ${show(delta)}`, 'delta');
  const predict = options.predict ?? extrapolatingPredictor(options.extrapolate);
  const name = `predictive(delta=${delta})`;
  return {
    name,
    decide(view) {
      checkView(view, 'predictive');
      if (view.bestFinal === undefined || view.values.length < minPoints) return { stop: false, reason: `${name}: nothing to compare with yet` };
      const last = view.steps[view.steps.length - 1]!;
      if (last >= view.horizon) return { stop: false, reason: `${name}: at the horizon` };
      const p = predict(view).probBetter(view.bestFinal);
      return { stop: p < delta, reason: `${name}: P(final better than ${view.bestFinal}) = ${p.toPrecision(3)}` };
    },
  };
}
