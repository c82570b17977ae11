import { InputError, show } from '../core/errors.js';
import { learningCurve, type CurveOptions } from './curve.js';
import { extrapolate, type ExtrapolateOptions } from './extrapolate.js';
import { learnCorrection, type LearnedCorrection } from './learned.js';
import type { PointPredictive } from './predictive.js';
import { pfnPredictMany } from './pfn.js';

export interface ManyOptions extends Omit<ExtrapolateOptions, 'to'>, CurveOptions {
  /** The one step every curve is extrapolated to. */
  to: number;
  /**
   * Finished curves of the same search (values at steps 1..`to`). When given, each partial curve
   * (logged at steps 1..m) is predicted by a correction learned from them (`learnCorrection`, one
   * per distinct m, on top of `method`), instead of by the extrapolator alone.
   */
  finished?: readonly ArrayLike<number>[];
}

/**
 * Extrapolates many curves to one step, for sweeps of thousands of runs: the fast extrapolator by
 * default (well under 5 ms a curve). Curve i is seeded with seed + i, so results do not depend on
 * batching. Returns one point predictive per curve. With `method: 'pfn'` (and no `finished`) the
 * curves go through the network in one batched forward pass.
 *
 * @example extrapolateMany(curves.map((c) => ({ steps, values: c })), { to: 50, goal: 'max' })
 * @example extrapolateMany(partials, { to: 50, goal: 'max', range: [0, 1], finished })
 */
export function extrapolateMany(curves: readonly { steps: ArrayLike<number>; values: ArrayLike<number> }[], options: ManyOptions): PointPredictive[] {
  const { goal, range, method = 'fast', seed = 0, finished } = options;
  if (typeof options.to !== 'number') throw new InputError('to: give one step for every curve', 'to');
  if (method === 'pfn' && !finished) {
    if (goal !== undefined && goal !== 'min' && goal !== 'max') throw new InputError(`goal: must be "min" or "max", got ${show(goal)}`, 'goal');
    return pfnPredictMany(curves.map((c, i) => ({ steps: c.steps, values: c.values, goal: goal ?? 'min', range, target: options.to, horizon: options.horizon, source: `curve ${i + 1}` })));
  }
  const corrections = new Map<number, LearnedCorrection>();
  return curves.map((c, i) => {
    const curve = learningCurve(c.steps, c.values, { goal, range, source: `curve ${i + 1}` });
    if (!finished) return extrapolate(curve, { ...options, method, seed: seed + i }).at(options.to);
    if (finished[0] !== undefined && finished[0].length !== options.to) {
      throw new InputError(`finished: curves have ${finished[0].length} points but to is ${show(options.to)}; finished curves must run to the predicted step`, 'finished');
    }
    curve.step.forEach((s, k) => {
      if (s !== k + 1) throw new InputError(`curve ${i + 1}: steps must be 1, 2, 3, ... to use finished curves, got ${show(s)} at row ${k + 1}`, 'step');
    });
    const m = curve.step.length;
    let correction = corrections.get(m);
    if (!correction) {
      correction = learnCorrection(finished, { ...options, seen: m, method, seed });
      corrections.set(m, correction);
    }
    return correction.predict(curve.value, seed + i);
  });
}
