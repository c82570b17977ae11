import { InputError, show } from '../core/errors.js';
import { inverseOf } from '../core/linear.js';
import { learningCurve, type Goal } from './curve.js';
import { checkExtrapolateOptions, extrapolate, POW3_FIT, type ExtrapolateOptions } from './extrapolate.js';
import { pointPredictive, type PointPredictive } from './predictive.js';

/**
 * A learned correction of extrapolated final values, trained on finished curves of the same search
 * (Baker et al. 2017 predict final values with a regression on completed curves; Klein et al. 2017
 * similarly). The extrapolators' medians are stacked with simple features of the partial curve in
 * a ridge regression; its intervals are the regression's out-of-fold residuals (cross-conformal,
 * Vovk 2015), so they hold as well as the finished curves resemble the new ones.
 */

/** Names of the features, in the order of `correctionFeatures`. */
export const CORRECTION_FEATURES = ['base median', 'fast median', 'pow3 median', 'last', 'mean of last 3', 'slope of last 3', 'best so far'] as const;

/**
 * The features of a partial curve: the medians predicted for its final value by the base
 * extrapolator, the fast extrapolator and one pow3 fit, then its last value, the mean and the
 * least-squares slope per point of its last 3 values, and its best value so far.
 */
export function correctionFeatures(values: ArrayLike<number>, goal: Goal, medians: { base: number; fast: number; pow3: number }): Float64Array {
  const m = values.length;
  const k = Math.min(3, m);
  let mean = 0;
  for (let i = m - k; i < m; i++) mean += values[i]! / k;
  let num = 0,
    den = 0;
  for (let i = m - k; i < m; i++) {
    const t = i - (m - (k + 1) / 2);
    num += t * (values[i]! - mean);
    den += t * t;
  }
  let best = values[0]!;
  for (let i = 1; i < m; i++) if (goal === 'max' ? values[i]! > best : values[i]! < best) best = values[i]!;
  return Float64Array.of(medians.base, medians.fast, medians.pow3, values[m - 1]!, mean, den > 0 ? num / den : 0, best);
}

/** One training or query row of the correction. */
export interface CorrectionRow {
  features: ArrayLike<number>;
  /** The regression predicts target - offset (the last seen value), so shrinkage pulls towards it. */
  offset: number;
  /** The true final value (training rows). */
  target?: number;
}

export interface CorrectionFitOptions {
  /** Ridge penalties tried (on standardised features); the one with the lowest leave-one-out error is kept. @default 10^-4 ... 10^2 */
  lambdas?: readonly number[];
  /** Folds of the out-of-fold residuals that make the intervals. @default 5 */
  folds?: number;
}

/** A fitted correction: ridge coefficients and the out-of-fold residuals. */
export interface CorrectionFit {
  /** Coefficients on the standardised (and clipped) features, then the intercept. */
  coefficients: Float64Array;
  intercept: number;
  lambda: number;
  /** Out-of-fold residuals (truth - prediction) of the training rows, sorted. */
  residuals: Float64Array;
  /** Point prediction of the final value. */
  predictPoint(row: CorrectionRow): number;
  /**
   * The predictive of the final value: the point prediction plus the out-of-fold residuals,
   * smoothed by a normal kernel (Silverman's bandwidth), as a mixture, with 2% of its weight on a
   * normal three times as wide as the residuals.
   */
  predictive(row: CorrectionRow, step: number, goal: Goal, range?: readonly [number, number]): PointPredictive;
}

interface Ridge {
  beta: Float64Array;
  intercept: number;
  center: Float64Array;
  spread: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
}

const DEFAULT_LAMBDAS = [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100];

/**
 * Fits the ridge regression of (target - offset) on the features, choosing the penalty by
 * leave-one-out error, and collects out-of-fold residuals for the intervals. Rows need a target.
 */
export function fitCorrection(rows: readonly CorrectionRow[], options: CorrectionFitOptions = {}): CorrectionFit {
  const { lambdas = DEFAULT_LAMBDAS, folds = 5 } = options;
  if (!Number.isInteger(folds) || folds < 2) throw new InputError(`folds: must be an integer >= 2, got ${show(folds)}`, 'folds');
  if (rows.length < 2 * folds) throw new InputError(`fitCorrection: need at least ${2 * folds} finished curves, got ${rows.length}`, 'finished');
  rows.forEach((r, i) => {
    if (r.target === undefined || !Number.isFinite(r.target)) throw new InputError(`fitCorrection: row ${i + 1}: target: not a finite number: ${show(r.target)}`, 'target');
    for (let j = 0; j < r.features.length; j++) {
      if (!Number.isFinite(r.features[j]!)) throw new InputError(`fitCorrection: row ${i + 1}: feature ${j + 1}: not a finite number: ${show(r.features[j])}`, 'features');
    }
  });
  const ridge = fitRidge(rows, lambdas);
  const residuals = new Float64Array(rows.length);
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => i % folds !== f);
    const { model } = fitRidge(train, [ridge.lambda]);
    for (let i = f; i < rows.length; i += folds) residuals[i] = rows[i]!.target! - predictRidge(model, rows[i]!);
  }
  residuals.sort();
  // Mixture components: at most 200 order statistics of the residuals keep the predictive cheap.
  const C = Math.min(200, residuals.length);
  const comps = Float64Array.from({ length: C }, (_, k) => residuals[Math.min(residuals.length - 1, Math.floor(((k + 0.5) / C) * residuals.length))]!);
  const n = residuals.length;
  const mean = residuals.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const iqr = residuals[Math.floor(0.75 * (n - 1))]! - residuals[Math.floor(0.25 * (n - 1))]!;
  // Silverman's rule of thumb, 0.9 min(sd, IQR / 1.34) n^(-1/5), floored so a perfect fit keeps a density.
  const h = Math.max(0.9 * Math.min(sd, iqr / 1.34 || sd) * n ** -0.2, 1e-9 * (1 + Math.abs(mean)));
  return {
    coefficients: Float64Array.from([...ridge.model.beta]),
    intercept: ridge.model.intercept,
    lambda: ridge.lambda,
    residuals,
    predictPoint: (row) => predictRidge(ridge.model, row),
    predictive(row, step, goal, range) {
      const point = predictRidge(ridge.model, row);
      // A defensive 2% of broad components (3 residual sds, about the mean residual) keeps the
      // density of a curve unlike any in training from vanishing.
      const B = Math.max(1, Math.round(C / 49));
      const mu = new Float64Array(C + B),
        sigma = new Float64Array(C + B);
      for (let k = 0; k < C; k++) {
        mu[k] = point + comps[k]!;
        sigma[k] = h;
      }
      for (let k = C; k < C + B; k++) {
        mu[k] = point + mean;
        sigma[k] = Math.max(3 * sd, h);
      }
      return pointPredictive(step, goal, mu, sigma, range);
    },
  };
}

function predictRidge(model: Ridge, row: CorrectionRow): number {
  let y = model.intercept;
  for (let j = 0; j < model.beta.length; j++) y += model.beta[j]! * standardise(model, j, row.features[j]!);
  return row.offset + y;
}

function standardise(model: Ridge, j: number, v: number): number {
  return (Math.min(model.hi[j]!, Math.max(model.lo[j]!, v)) - model.center[j]!) / model.spread[j]!;
}

/** Ridge on features clipped to their 1st-99th percentiles and standardised; lambda by leave-one-out. */
function fitRidge(rows: readonly CorrectionRow[], lambdas: readonly number[]): { model: Ridge; lambda: number } {
  const n = rows.length,
    d = rows[0]!.features.length;
  const lo = new Float64Array(d),
    hi = new Float64Array(d),
    center = new Float64Array(d),
    spread = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const col = rows.map((r) => r.features[j]!).sort((a, b) => a - b);
    lo[j] = col[Math.floor(0.01 * (n - 1))]!;
    hi[j] = col[Math.ceil(0.99 * (n - 1))]!;
    let mean = 0;
    for (const v of col) mean += Math.min(hi[j]!, Math.max(lo[j]!, v)) / n;
    let s2 = 0;
    for (const v of col) s2 += (Math.min(hi[j]!, Math.max(lo[j]!, v)) - mean) ** 2 / n;
    center[j] = mean;
    // A constant feature gets spread 1 (its standardised value is 0 and its coefficient irrelevant).
    spread[j] = s2 > 0 ? Math.sqrt(s2) : 1;
  }
  const shell: Ridge = { beta: new Float64Array(d), intercept: 0, center, spread, lo, hi };
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  let ybar = 0;
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) X[i * d + j] = standardise(shell, j, r.features[j]!);
    y[i] = r.target! - r.offset;
    ybar += y[i]! / n;
  });
  // Centred columns (the clipped features' means are the centres), so the intercept is ybar.
  const XtX = new Float64Array(d * d),
    Xty = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      Xty[a]! += X[i * d + a]! * (y[i]! - ybar);
      for (let b = 0; b < d; b++) XtX[a * d + b]! += X[i * d + a]! * X[i * d + b]!;
    }
  }
  let best: { model: Ridge; lambda: number; loo: number } | undefined;
  for (const lambda of lambdas) {
    const A = XtX.slice();
    for (let a = 0; a < d; a++) A[a * d + a]! += lambda * n;
    const Ainv = inverseOf(A, d);
    if (!Ainv) continue;
    const beta = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) beta[a]! += Ainv[a * d + b]! * Xty[b]!;
    // Leave-one-out residual e_i / (1 - h_ii), h_ii = 1/n + x_i^T A^-1 x_i (the intercept's share is 1/n).
    let loo = 0;
    for (let i = 0; i < n; i++) {
      let fit = ybar,
        h = 1 / n;
      for (let a = 0; a < d; a++) {
        fit += beta[a]! * X[i * d + a]!;
        let s = 0;
        for (let b = 0; b < d; b++) s += Ainv[a * d + b]! * X[i * d + b]!;
        h += X[i * d + a]! * s;
      }
      loo += ((y[i]! - fit) / Math.max(1e-9, 1 - h)) ** 2;
    }
    if (!best || loo < best.loo) best = { model: { ...shell, beta, intercept: ybar }, lambda, loo };
  }
  if (!best) throw new InputError('fitCorrection: lambdas: no penalty gave a solvable system; give positive values', 'lambdas');
  return best;
}

export interface LearnCorrectionOptions extends Omit<Partial<ExtrapolateOptions>, 'to'>, CorrectionFitOptions {
  /** Points of the partial curves the correction is for (the finished curves are cut there to train). */
  seen: number;
  /** @default 'min' */
  goal?: Goal;
  /** Values the metric can take (accuracy: [0, 1]). @default [-Infinity, Infinity] */
  range?: readonly [number, number];
}

/** A correction learned from finished curves; predicts the final value of partial curves of `seen` points. */
export interface LearnedCorrection {
  seen: number;
  /** Length of the finished curves: the step (epoch) predicted. */
  horizon: number;
  /** The base extrapolator ('ensemble' or 'fast'). */
  method: 'ensemble' | 'fast' | 'pfn';
  features: readonly string[];
  fit: CorrectionFit;
  /**
   * The predictive of the final value of a partial curve (its values at epochs 1..seen). `seed`
   * seeds the base extrapolator. @default seed 0
   */
  predict(values: ArrayLike<number>, seed?: number): PointPredictive;
  toJSON(): { seen: number; horizon: number; method: string; features: string[]; coefficients: number[]; intercept: number; lambda: number; residuals: number };
}

/** The base, fast and pow3 medians of a partial curve's final value (epochs 1..m, predicted at `horizon`). */
export function extrapolatedMedians(values: ArrayLike<number>, horizon: number, options: Omit<LearnCorrectionOptions, 'seen'> & { seed?: number }): { base: number; fast: number; pow3: number } {
  const { goal, range, method = 'ensemble' } = options;
  const steps = Array.from({ length: values.length }, (_, k) => k + 1);
  const curve = learningCurve(steps, values, { goal, range, source: 'partial curve' });
  // The ensemble's weighting is refused by the fast extrapolator: the fast and pow3 features go without it.
  const { weighting: _weighting, ...fastOptions } = options;
  const median = (base: Partial<ExtrapolateOptions>, o: Partial<ExtrapolateOptions>) => extrapolate(curve, { ...base, ...o, to: horizon }).at(horizon).median;
  const fast = median(fastOptions, { method: 'fast' });
  return { base: method === 'fast' ? fast : median(options, { method }), fast, pow3: median(fastOptions, POW3_FIT) };
}

/**
 * Learns a correction of the extrapolated final value from finished curves of the same search
 * (values at epochs 1..L, all of the same length L): each is cut after `seen` points, extrapolated
 * (the base method, the fast extrapolator and one pow3 fit), and a ridge regression maps the
 * medians and the partial curve's features (`correctionFeatures`) to its true final value.
 * Intervals come from the regression's out-of-fold residuals. Finished curve i seeds the base
 * extrapolator with seed + i.
 *
 * @example const c = learnCorrection(finished, { seen: 8, goal: 'max', range: [0, 1], method: 'fast' });
 *          c.predict(partial).interval(0.9)
 */
export function learnCorrection(finished: readonly ArrayLike<number>[], options: LearnCorrectionOptions): LearnedCorrection {
  const { seen, goal = 'min', method = 'ensemble', seed = 0, lambdas, folds } = options;
  checkExtrapolateOptions({ ...options, method });
  if (finished.length === 0) throw new InputError('finished: give the finished curves to learn from', 'finished');
  const horizon = finished[0]!.length;
  finished.forEach((c, i) => {
    if (c.length !== horizon) throw new InputError(`finished: curve ${i + 1} has ${c.length} points, curve 1 has ${horizon}; all must have the same length`, 'finished');
    if (!Number.isFinite(c[horizon - 1]!)) throw new InputError(`finished: curve ${i + 1}: final value is not a finite number: ${show(c[horizon - 1])}`, 'finished');
  });
  if (!(Number.isInteger(seen) && seen >= 3 && seen < horizon)) {
    throw new InputError(`seen: must be an integer in [3, ${horizon}) for finished curves of ${horizon} points, got ${show(seen)}`, 'seen');
  }
  const rowOf = (values: ArrayLike<number>, s: number): CorrectionRow => {
    const prefix = Float64Array.from({ length: seen }, (_, k) => values[k]!);
    return { features: correctionFeatures(prefix, goal, extrapolatedMedians(prefix, horizon, { ...options, seed: s })), offset: prefix[seen - 1]! };
  };
  const rows = finished.map((c, i) => ({ ...rowOf(c, seed + i), target: c[horizon - 1]! }));
  const fit = fitCorrection(rows, { lambdas, folds });
  return {
    seen,
    horizon,
    method,
    features: CORRECTION_FEATURES,
    fit,
    predict(values, s = 0) {
      if (values.length !== seen) throw new InputError(`predict: values: expected ${seen} points (the correction was learned for ${seen}), got ${values.length}`, 'values');
      return fit.predictive(rowOf(values, s), horizon, goal, options.range);
    },
    toJSON: () => ({
      seen,
      horizon,
      method,
      features: [...CORRECTION_FEATURES],
      coefficients: Array.from(fit.coefficients),
      intercept: fit.intercept,
      lambda: fit.lambda,
      residuals: fit.residuals.length,
    }),
  };
}
