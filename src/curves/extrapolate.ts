import { InputError, show } from '../core/errors.js';
import { warn } from '../core/warn.js';
import { type LearningCurve, zScale } from './curve.js';
import { ensembleDraws, type EnsembleOptions } from './ensemble.js';
import { fastDraws, type FastOptions } from './fast.js';
import { fitWindowStart } from './window.js';
import { pointPredictive, predictive, type Predictive } from './predictive.js';

export interface ExtrapolateOptions extends EnsembleOptions, FastOptions {
  /** Step or steps to predict, in the curve's units; each must lie beyond the curve's last step. */
  to: number | readonly number[];
  /**
   * 'ensemble': the Bayesian ensemble of the eleven families, sampled by MCMC (about 0.1-1 s a
   * curve). 'fast': least-squares fits of a few families with Laplace intervals (milliseconds).
   * @default 'ensemble'
   */
  method?: 'ensemble' | 'fast';
  /**
   * Points the families are fitted to: 'auto' drops an early regime when backtesting says a later
   * window predicts the curve's tail better (see `fitWindowStart`); 'all' fits every point.
   * @default 'auto'
   */
  window?: 'auto' | 'all';
}

/** Options that make `extrapolate` one pow3 least-squares fit on every seen point: the pow3 baseline. */
export const POW3_FIT = { method: 'fast', fastFamilies: ['pow3'], window: 'all' } as const satisfies Partial<ExtrapolateOptions>;

/**
 * The posterior predictive of a partial learning curve at future steps.
 *
 * A constant curve has nothing to fit: the prediction is that constant with zero spread (and a
 * warning).
 *
 * @example extrapolate(learningCurve(steps, loss), { to: 100000 }).at(100000).interval(0.9)
 */
export function extrapolate(curve: LearningCurve, options: ExtrapolateOptions): Predictive {
  const { method = 'ensemble', window = 'auto' } = options;
  if (window !== 'auto' && window !== 'all') throw new InputError(`window: must be "auto" or "all", got ${show(window)}`, 'window');
  if (method !== 'ensemble' && method !== 'fast') throw new InputError(`method: must be "ensemble" or "fast", got ${show(method)}`, 'method');
  const to = typeof options.to === 'number' ? [options.to] : [...(options.to ?? [])];
  if (to.length === 0) throw new InputError('to: give at least one step to predict', 'to');
  const last = curve.step[curve.step.length - 1]!;
  for (const t of to) {
    if (!Number.isFinite(t) || t <= last) {
      throw new InputError(`to: step ${show(t)} is not beyond the curve's last step ${show(last)}`, 'to');
    }
  }
  const steps = Float64Array.from(to).sort();
  if (curve.constant) {
    warn(`${curve.source}: the curve is constant; predicting the same value with no spread`);
    const v = curve.value[0]!;
    const points = Array.from(steps, (s) => pointPredictive(s, curve.goal, Float64Array.of(v), Float64Array.of(0), curve.range));
    return predictive('constant', curve.goal, points, {});
  }
  const targets = steps.map((s) => curve.toX(s));
  const start = window === 'auto' ? fitWindowStart(curve) : 0;
  const fitted = start === 0 ? curve : { ...curve, x: curve.x.subarray(start), z: curve.z.subarray(start) };
  const draws = method === 'fast' ? fastDraws(fitted, targets, options) : ensembleDraws(fitted, targets, options);
  return toPredictive(curve, method, steps, draws);
}

export function toPredictive(curve: LearningCurve, method: string, steps: Float64Array, draws: { mu: Float64Array; sigma: Float64Array; count: number; weights: Record<string, number> }): Predictive {
  const T = steps.length;
  const scale = zScale(curve);
  const points = Array.from(steps, (s, t) => {
    const mu = new Float64Array(draws.count);
    const sigma = new Float64Array(draws.count);
    for (let k = 0; k < draws.count; k++) {
      mu[k] = curve.fromZ(draws.mu[k * T + t]!);
      sigma[k] = draws.sigma[k * T + t]! * scale;
    }
    return pointPredictive(s, curve.goal, mu, sigma, curve.range);
  });
  return predictive(method, curve.goal, points, draws.weights);
}
