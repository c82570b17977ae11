import { InputError } from '../core/errors.js';
import { learningCurve, type CurveOptions } from './curve.js';
import { extrapolate, type ExtrapolateOptions } from './extrapolate.js';
import type { PointPredictive } from './predictive.js';

/**
 * Extrapolates many curves to one step, for sweeps of thousands of runs: the fast extrapolator by
 * default (well under 5 ms a curve). Curve i is seeded with seed + i, so results do not depend on
 * batching. Returns one point predictive per curve.
 *
 * @example extrapolateMany(curves.map((c) => ({ steps, values: c })), { to: 50, goal: 'max' })
 */
export function extrapolateMany(
  curves: readonly { steps: ArrayLike<number>; values: ArrayLike<number> }[],
  options: Omit<ExtrapolateOptions, 'to'> & CurveOptions & { to: number },
): PointPredictive[] {
  const { goal, range, method = 'fast', seed = 0 } = options;
  if (typeof options.to !== 'number') throw new InputError('to: give one step for every curve', 'to');
  return curves.map((c, i) => {
    const curve = learningCurve(c.steps, c.values, { goal, range, source: `curve ${i + 1}` });
    return extrapolate(curve, { ...options, method, seed: seed + i }).at(options.to);
  });
}
