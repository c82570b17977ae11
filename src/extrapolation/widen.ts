import { InputError, show } from '../core/errors.js';
import { fromDistribution, type PointPredictive } from './predictive.js';

/**
 * A predictive widened by a factor c about its median: Y' = m + c (Y - m). This is how a conformal
 * factor from `conformalScale` (calibrated on finished curves of the same kind) is applied to a new
 * curve's prediction; c > 1 widens, c < 1 narrows, the median stays.
 *
 * @example widenPredictive(extrapolate(curve, { to: 50 }).at(50), 1.8).interval(0.9)
 */
export function widenPredictive(p: PointPredictive, c: number): PointPredictive {
  if (!(Number.isFinite(c) && c > 0)) throw new InputError(`widen: factor must be a positive number, got ${show(c)}`, 'widen');
  if (c === 1) return p;
  const m = p.median;
  const back = (y: number) => m + (y - m) / c;
  const quantile = (q: number) => m + c * (p.quantile(q) - m);
  const cdf = (y: number) => p.cdf(back(y));
  return fromDistribution({
    step: p.step,
    goal: p.goal,
    median: m,
    mean: m + c * (p.mean - m),
    sd: c * p.sd,
    cdf,
    quantile,
    quantiles: (levels) => p.quantiles(levels).map((v) => m + c * (v - m)),
    interval: (level = 0.9) => {
      const [lo, hi] = p.interval(level);
      return [m + c * (lo - m), m + c * (hi - m)];
    },
    logDensity: (y) => p.logDensity(back(y)) - Math.log(c),
  });
}
