import { InputError, show } from '../core/errors.js';
import { defaultThreads, startWorker } from '../core/worker.js';
import { learningCurve, type Goal } from '../extrapolation/curve.js';
import { extrapolate, POW3_FIT, type ExtrapolateOptions } from '../extrapolation/extrapolate.js';
import type { CurveSet } from '../extrapolation/read-curve.js';
import { normalCdf } from '../extrapolation/predictive.js';

/**
 * Final-value prediction from the first part of complete curves, the protocol of Domhan et al.
 * 2015 and Baker et al. 2017: cut each curve after a fraction of its epochs, predict the last
 * epoch, and score the prediction against the true last value.
 */

/** The predictors compared. 'last': the last seen value; 'pow3': one pow3 least-squares fit; 'pfn': the prior-fitted network. */
export type Predictor = 'ensemble' | 'fast' | 'pow3' | 'last' | 'pfn';

/** A predictor corrected by a regression learned from the other curves of its file (`crossFittedCorrection`). */
export type LearnedPredictor = `${Predictor}+learned`;

/** Probability levels of the stored predictive quantiles: 0.01, 0.02, ..., 0.99. */
export const LEVELS = Float64Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
/** Interval scales c at which the log density of the truth is stored (see `conformalScale`). */
export const SCALES = Float64Array.from({ length: 56 }, (_, i) => 0.5 + i * 0.1);

export interface PredictJob {
  curves: Float64Array[];
  goal: Goal;
  range: readonly [number, number];
  /** Points seen at each cutoff. */
  cutoffs: number[];
  predictor: Predictor;
  /** Seed of the first curve; curve i uses seed + index[i]. */
  seed: number;
  /** Index of each curve in its file (seeds depend on it, not on how curves are split). */
  index: number[];
  options?: Partial<ExtrapolateOptions>;
}

/** One prediction: quantiles at LEVELS and the log density of the truth at each of SCALES. */
export interface StoredPrediction {
  quantiles: Float64Array;
  /** logDensity[k]: log density of the truth under the predictive widened by SCALES[k] about its median. */
  logDensity: Float64Array;
  /** True when the predictor failed on this curve and the last-value prediction stands in. */
  fallback?: boolean;
}

/** Predictions of one slice of curves: out[cutoff][curve]. */
export function predictCutoffs(job: PredictJob): StoredPrediction[][] {
  const { curves, goal, range, cutoffs, predictor, seed, index, options = {} } = job;
  return cutoffs.map((m) =>
    curves.map((c, i) => {
      const length = c.length;
      const truth = c[length - 1]!;
      const seen = c.subarray(0, m);
      const steps = Array.from({ length: m }, (_, k) => k + 1);
      if (predictor === 'last') return lastValuePrediction(seen, length, truth);
      const curve = learningCurve(steps, seen, { goal, range });
      const method = predictor === 'ensemble' || predictor === 'pfn' ? predictor : 'fast';
      const extra: Partial<ExtrapolateOptions> = predictor === 'pow3' ? POW3_FIT : {};
      let p;
      try {
        // The ensemble's weighting means nothing to the fast and pow3 fits (extrapolate refuses it there).
        const { weighting, ...rest } = options;
        // The PFN is told that the cutoff's target is the run's last epoch (the end of its schedule),
        // and takes no fit options (only another weights file).
        const shared =
          method === 'ensemble' && weighting !== undefined ? { ...rest, weighting } : method === 'pfn' ? { pfnWeights: rest.pfnWeights, horizon: length } : { ...rest, pfnWeights: undefined };
        p = extrapolate(curve, { ...shared, method, ...extra, to: length, seed: seed + index[i]! }).at(length);
      } catch (error) {
        // A curve no family can describe counts with the last-value prediction, and is flagged.
        if (!(error instanceof InputError)) throw error;
        return { ...lastValuePrediction(seen, length, truth), fallback: true };
      }
      const quantiles = p.quantiles(LEVELS);
      const median = p.median;
      const logDensity = SCALES.map((s) => p.logDensity(median + (truth - median) / s) - Math.log(s));
      return { quantiles, logDensity };
    }),
  );
}

/**
 * The last-seen-value baseline as a predictive: N(y_m, s^2 (T - m)), a random walk whose step
 * variance s^2 is the mean squared epoch-to-epoch change over the last half of the seen points.
 */
function lastValuePrediction(seen: Float64Array, length: number, truth: number): StoredPrediction {
  const m = seen.length;
  const from = Math.max(1, Math.floor(m / 2));
  let s2 = 0;
  for (let i = from; i < m; i++) s2 += (seen[i]! - seen[i - 1]!) ** 2 / (m - from);
  const sd = Math.sqrt(Math.max(s2, 1e-12) * (length - m));
  const mu = seen[m - 1]!;
  const quantiles = LEVELS.map((q) => mu + sd * normalQuantile(q));
  const logDensity = SCALES.map((s) => {
    const t = (truth - mu) / (s * sd);
    return -0.5 * t * t - Math.log(s * sd) - 0.5 * Math.log(2 * Math.PI);
  });
  return { quantiles, logDensity };
}

/** Inverse standard normal CDF by bisection on normalCdf (only used for 99 fixed levels). */
function normalQuantile(q: number): number {
  let a = -10,
    b = 10;
  for (let i = 0; i < 80; i++) {
    const m = 0.5 * (a + b);
    if (normalCdf(m) < q) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

export interface EvaluateOptions {
  /** Fractions of each curve seen. @default [0.1, 0.2, 0.4, 0.8] */
  fractions?: readonly number[];
  /** @default ['ensemble', 'fast', 'pow3', 'last', 'pfn'] */
  predictors?: readonly Predictor[];
  /** Use every `stride`-th curve of each file (1: all). @default 1 */
  stride?: number;
  /** Worker threads. @default every core */
  threads?: number;
  /** @default 0 */
  seed?: number;
  /** Passed to `extrapolate` (e.g. walkers, steps). */
  extrapolate?: Partial<ExtrapolateOptions>;
  onProgress?: (message: string) => void;
}

/** Points seen at a fraction of a curve of `length` epochs: round(f L), at least 3. */
export function cutoffPoints(fraction: number, length: number): number {
  if (!(fraction > 0 && fraction < 1)) throw new InputError(`fractions: each must be in (0, 1), got ${show(fraction)}`, 'fractions');
  const m = Math.max(3, Math.round(fraction * length));
  if (m >= length) throw new InputError(`fractions: ${show(fraction)} of ${length} epochs leaves nothing to predict`, 'fractions');
  return m;
}

/** Everything predicted for one file: preds[predictor][cutoff][curve], truths[curve]. */
export interface FilePredictions {
  name: string;
  goal: Goal;
  length: number;
  fractions: number[];
  cutoffs: number[];
  /** Indices (in the file) of the curves used. */
  index: number[];
  truths: Float64Array;
  curves: Float64Array[];
  preds: Partial<Record<Predictor | LearnedPredictor, StoredPrediction[][]>>;
  /** Wall seconds per predictor for this file. */
  seconds: Partial<Record<Predictor, number>>;
}

/**
 * Predicts the final value of every curve (or every `stride`-th) at every cutoff with every
 * predictor, in worker threads.
 */
export async function predictFinalValues(sets: readonly CurveSet[], options: EvaluateOptions = {}): Promise<FilePredictions[]> {
  const { fractions = [0.1, 0.2, 0.4, 0.8], predictors = ['ensemble', 'fast', 'pow3', 'last', 'pfn'], stride = 1, threads = defaultThreads(), seed = 0, onProgress } = options;
  const out: FilePredictions[] = [];
  for (const set of sets) {
    const cutoffs = fractions.map((f) => cutoffPoints(f, set.length));
    const index = set.curves.map((_, i) => i).filter((i) => i % stride === 0);
    const curves = index.map((i) => set.curves[i]!);
    const file: FilePredictions = {
      name: set.name,
      goal: set.goal,
      length: set.length,
      fractions: [...fractions],
      cutoffs,
      index,
      curves,
      truths: Float64Array.from(curves, (c) => c[c.length - 1]!),
      preds: {},
      seconds: {},
    };
    for (const predictor of predictors) {
      const t0 = performance.now();
      // Several chunks per thread, run `threads` at a time, so progress can be reported.
      const chunks = Math.min(threads > 1 ? threads * 4 : 1, curves.length);
      const jobs = Array.from({ length: chunks }, (_, k) => {
        const pick = index.map((_, j) => j).filter((j) => j % chunks === k);
        const job: PredictJob = {
          curves: pick.map((j) => curves[j]!),
          goal: set.goal,
          range: set.range,
          cutoffs,
          predictor,
          seed,
          index: pick.map((j) => index[j]!),
          options: options.extrapolate,
        };
        return { pick, job };
      });
      const parts: { pick: number[]; r: StoredPrediction[][] }[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(threads, chunks) }, async () => {
          while (next < jobs.length) {
            const { pick, job } = jobs[next++]!;
            parts.push({ pick, r: await runJob(job, threads > 1) });
            if (chunks > 1) onProgress?.(`${set.name}: ${predictor}: ${parts.length}/${chunks} chunks`);
          }
        }),
      );
      const merged: StoredPrediction[][] = cutoffs.map(() => new Array(curves.length));
      for (const { pick, r } of parts)
        r.forEach((row, c) =>
          row.forEach((p, j) => {
            merged[c]![pick[j]!] = p;
          }),
        );
      file.preds[predictor] = merged;
      file.seconds[predictor] = (performance.now() - t0) / 1000;
      onProgress?.(`${set.name}: ${predictor} on ${curves.length} curves x ${cutoffs.length} cutoffs in ${file.seconds[predictor]!.toFixed(1)} s`);
    }
    out.push(file);
  }
  return out;
}

function runJob(job: PredictJob, inWorker: boolean): Promise<StoredPrediction[][]> {
  if (!inWorker) return Promise.resolve(predictCutoffs(job));
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./lc-evaluate-worker.js', import.meta.url), job);
    worker.once('message', (r: StoredPrediction[][]) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/**
 * Split-conformal widening of central intervals (Vovk et al. 2005; Romano et al. 2019's CQR, with a
 * multiplicative score): the score of a curve is the factor c by which its central `level`
 * interval must be widened about the median to contain the truth; the calibrated factor is the
 * ceil((n + 1) level)-th smallest score of the calibration curves.
 */
export function conformalScale(preds: readonly StoredPrediction[], truths: ArrayLike<number>, level = 0.9): number {
  const lo = Math.round(((1 - level) / 2) * 100) - 1,
    hi = Math.round(((1 + level) / 2) * 100) - 1;
  const scores = preds
    .map((p, i) => {
      const med = p.quantiles[49]!,
        y = truths[i]!;
      const down = med - p.quantiles[lo]!,
        up = p.quantiles[hi]! - med;
      if (y >= med) return up > 0 ? (y - med) / up : y === med ? 0 : Infinity;
      return down > 0 ? (med - y) / down : Infinity;
    })
    .sort((a, b) => a - b);
  const k = Math.min(scores.length, Math.ceil((scores.length + 1) * level)) - 1;
  return scores[k]!;
}

/** A prediction's quantiles widened by c about its median. */
export function widen(p: StoredPrediction, c: number): Float64Array {
  const med = p.quantiles[49]!;
  return p.quantiles.map((q) => med + c * (q - med));
}

/** Log density of the truth under a prediction widened by c (nearest stored scale). */
export function widenedLogDensity(p: StoredPrediction, c: number): number {
  let best = 0;
  for (let k = 1; k < SCALES.length; k++) if (Math.abs(SCALES[k]! - c) < Math.abs(SCALES[best]! - c)) best = k;
  return p.logDensity[best]!;
}

/**
 * Cross-fitted conformal factors: curve i gets the factor calibrated on the other folds of its
 * file at the same cutoff (curves assigned to `folds` folds by position), so no curve calibrates
 * its own interval. factors[cutoff][curve].
 */
export function crossFittedScales(preds: StoredPrediction[][], truths: Float64Array, folds = 5, level = 0.9): Float64Array[] {
  return preds.map((row) => {
    const out = new Float64Array(row.length);
    for (let f = 0; f < folds; f++) {
      const cal = row.map((p, i) => ({ p, i })).filter(({ i }) => i % folds !== f);
      const c = conformalScale(
        cal.map((e) => e.p),
        cal.map((e) => truths[e.i]!),
        level,
      );
      for (let i = f; i < row.length; i += folds) out[i] = c;
    }
    return out;
  });
}

export interface CutoffScore {
  file: string;
  fraction: number;
  points: number;
  predictor: Predictor | LearnedPredictor | `${Predictor}+conformal`;
  curves: number;
  mae: number;
  /** Mean log predictive density of the true final value. */
  lpd: number;
  /** Fraction of curves whose true final value lies in the central 90% interval. */
  coverage90: number;
  /** Curves where the predictor failed and the last-value prediction stood in. */
  fallbacks: number;
}

/** MAE (of the median), mean log predictive density and 90% coverage per file, cutoff and predictor. */
export function scoreFinalValues(files: readonly FilePredictions[], options: { conformal?: boolean } = {}): CutoffScore[] {
  const { conformal = true } = options;
  const rows: CutoffScore[] = [];
  for (const file of files) {
    for (const [predictor, preds] of Object.entries(file.preds) as [Predictor | LearnedPredictor, StoredPrediction[][]][]) {
      const variants: (Float64Array[] | undefined)[] = [undefined];
      // A learned correction's intervals are already conformal (out-of-fold residuals).
      if (conformal && predictor !== 'last' && !predictor.endsWith('+learned')) variants.push(crossFittedScales(preds, file.truths));
      for (const scales of variants) {
        file.cutoffs.forEach((m, c) => {
          let mae = 0,
            lpd = 0,
            cover = 0,
            fallbacks = 0;
          const n = preds[c]!.length;
          preds[c]!.forEach((p, i) => {
            const y = file.truths[i]!;
            const s = scales ? scales[c]![i]! : 1;
            const q = scales ? widen(p, s) : p.quantiles;
            mae += Math.abs(q[49]! - y) / n;
            lpd += (scales ? widenedLogDensity(p, s) : p.logDensity[5]!) / n;
            cover += (y >= q[4]! && y <= q[94]! ? 1 : 0) / n;
            if (p.fallback) fallbacks++;
          });
          rows.push({
            file: file.name,
            fraction: file.fractions[c]!,
            points: m,
            predictor: scales ? `${predictor as Predictor}+conformal` : predictor,
            curves: n,
            mae,
            lpd,
            coverage90: cover,
            fallbacks,
          });
        });
      }
    }
  }
  return rows;
}
