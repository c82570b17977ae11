import { InputError, show } from '../core/errors.js';
import { warn } from '../core/warn.js';
import { type LearningCurve, zScale } from './curve.js';
import { ensembleDraws, resolveFamilies, type EnsembleOptions } from './ensemble.js';
import { FAST_FAMILIES, fastDraws, type FastOptions } from './fast.js';
import { fitWindowStart } from './window.js';
import { scheduleTime, withDrops } from './schedule-aware.js';
import type { LrSchedule } from '../schedules/lr-steps.js';
import { pointPredictive, predictive, type Predictive } from './predictive.js';
import { loadPfn, pfnExtrapolate } from './pfn.js';

/** Options of `extrapolate`: the method, the step to extrapolate to, and the options of the chosen method. */
export interface ExtrapolateOptions extends EnsembleOptions, FastOptions {
  /** Step or steps to predict, in the curve's units; each must lie beyond the curve's last step. */
  to: number | readonly number[];
  /**
   * 'ensemble': the Bayesian ensemble of the eleven families, sampled by MCMC (about 0.1-1 s a
   * curve). 'fast': least-squares fits of a few families with Laplace intervals (milliseconds).
   * 'pfn': the prior-fitted network of `pfn.ts` (one forward pass per network, about a millisecond; no
   * fit, so `window`, `families` and `schedule` do not apply).
   * @default 'ensemble'
   */
  method?: 'ensemble' | 'fast' | 'pfn';
  /**
   * Points the families are fitted to: 'auto' drops an early regime when backtesting says a later
   * window predicts the curve's tail better (see `fitWindowStart`); 'all' fits every point.
   * @default 'auto'
   */
  window?: 'auto' | 'all';
  /**
   * The run's learning-rate schedule, when it is known (steps in the curve's units). The families
   * are then fitted over the area under the learning rate instead of the step, with a jump at each
   * drop of the rate the curve has already passed; a drop still ahead gets the last seen jump
   * scaled by the ratio of the two decreases. Before any drop has been seen the size of a jump is
   * unknown: the schedule is then not used, with a warning. `window` is ignored (every point is
   * fitted: the drops are modelled, not cut away).
   */
  schedule?: LrSchedule;
  /**
   * The step the run is planned to end at (where its learning-rate schedule ends), when known. Only
   * `method: 'pfn'` uses it: its prior ties schedules to the run's length, so it judges by it
   * whether a drop or a decay may still come. It must be at or beyond every step predicted.
   * @default unknown
   */
  horizon?: number;
  /**
   * A weights file for `method: 'pfn'` (a network or an ensemble written by `npm run train:pfn`,
   * e.g. one trained on a prior of your own). @default the shipped fits/pfn-lc.json
   */
  pfnWeights?: string;
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
  checkExtrapolateOptions(options);
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
  if (method === 'pfn') {
    if (options.schedule) throw new InputError('schedule: not used by method "pfn" (its prior draws the schedule; give the run\'s planned end as horizon)', 'schedule');
    return pfnExtrapolate(curve, steps, { horizon: options.horizon, network: options.pfnWeights === undefined ? undefined : loadPfn(options.pfnWeights) });
  }
  if (options.schedule) {
    const withSchedule = scheduleDraws(curve, steps, method, options);
    if (withSchedule) return toPredictive(curve, method, steps, withSchedule);
  }
  const targets = steps.map((s) => curve.toX(s));
  const start = window === 'auto' ? fitWindowStart(curve) : 0;
  const fitted = start === 0 ? curve : { ...curve, x: curve.x.subarray(start), z: curve.z.subarray(start) };
  const draws = method === 'fast' ? fastDraws(fitted, targets, options) : ensembleDraws(fitted, targets, options);
  return toPredictive(curve, method, steps, draws);
}

/**
 * Checks the options that choose how `extrapolate` works (method, window, weighting), so that a
 * caller holding options for later, such as the predictive stopping rule, can refuse bad ones at
 * once. `weighting` weights the ensemble's families and is refused with `method: 'fast'`.
 */
export function checkExtrapolateOptions(options: Partial<ExtrapolateOptions>): void {
  const { method = 'ensemble', window = 'auto', weighting } = options;
  if (window !== 'auto' && window !== 'all') throw new InputError(`window: must be "auto" or "all", got ${show(window)}`, 'window');
  if (method !== 'ensemble' && method !== 'fast' && method !== 'pfn') throw new InputError(`method: must be "ensemble", "fast" or "pfn", got ${show(method)}`, 'method');
  if (weighting !== undefined && weighting !== 'evidence' && weighting !== 'equal') throw new InputError(`weighting: must be "evidence" or "equal", got ${show(weighting)}`, 'weighting');
  if (weighting !== undefined && method !== 'ensemble') throw new InputError(`weighting: weights the ensemble's families; not used with method "${method}", got ${show(weighting)}`, 'weighting');
  if (options.horizon !== undefined && method !== 'pfn') throw new InputError(`horizon: the run's planned end is used by method "pfn" only, not "${method}"; got ${show(options.horizon)}`, 'horizon');
  if (options.pfnWeights !== undefined && method !== 'pfn')
    throw new InputError(`pfnWeights: weights of the prior-fitted network, used by method "pfn" only, not "${method}"; got ${show(options.pfnWeights)}`, 'pfnWeights');
}

/** Drops of the rate (seen by the curve) that each get their own fitted jump. */
const MAX_FREE_JUMPS = 4;

/** Draws of the schedule-aware families (see `ExtrapolateOptions.schedule`); undefined when no drop ahead can be sized. */
function scheduleDraws(curve: LearningCurve, steps: Float64Array, method: 'ensemble' | 'fast' | 'pfn', options: ExtrapolateOptions): ReturnType<typeof fastDraws> | undefined {
  const time = scheduleTime(options.schedule!, 'schedule');
  const first = curve.step[0]!,
    lastSeen = curve.step[curve.step.length - 1]!,
    lastTarget = steps[steps.length - 1]!;
  const a0 = time.area(first);
  if (!(a0 > 0)) throw new InputError(`schedule: no learning-rate area before the curve's first step ${show(first)}; the schedule must start before it`, 'schedule');
  // Drops before the first point only shift the level; drops after the last target do not matter.
  const drops = time.drops.filter((d) => d.step >= first && d.step < lastTarget);
  const passed = drops.filter((d) => d.step < lastSeen).length;
  // A free jump per drop suits a step schedule (a few drops). A smooth schedule written out row by
  // row (a cosine as a CSV) has a drop at every row: one gain per unit of rate decrease, fitted at
  // the first drop and scaled by each decrease, instead of thousands of free parameters.
  const seen = passed > MAX_FREE_JUMPS ? 1 : passed;
  if (passed > MAX_FREE_JUMPS) {
    warn(`${curve.source}: the schedule decreases at ${drops.length} steps; one gain per unit of rate decrease is fitted for all of them (free jumps only for ${MAX_FREE_JUMPS} drops or fewer)`);
  }
  if (seen === 0 && drops.length > 0) {
    warn(
      `${curve.source}: the learning rate drops at step ${drops[0]!.step}, ahead of the curve, and the curve has not passed a drop yet: the size of the jump is unknown, so the schedule is not used`,
    );
    return undefined;
  }
  const at = drops.map((d) => time.area(d.step) / a0);
  const laws = resolveFamilies(method === 'fast' ? (options.fastFamilies ?? FAST_FAMILIES) : options.families).map((law) =>
    drops.length === 0
      ? law
      : withDrops(
          law,
          at,
          drops.map((d) => d.by),
          seen,
        ),
  );
  const fitted = { ...curve, x: curve.step.map((s) => time.area(s) / a0) };
  const targets = steps.map((s) => time.area(s) / a0);
  if (method === 'fast') return fastDraws(fitted, targets, options, laws);
  const most = Math.max(...laws.map((l) => l.params.length));
  const walkers = Math.max(options.walkers ?? 12, 2 * (most + 1));
  return ensembleDraws(fitted, targets, { ...options, walkers }, laws);
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
