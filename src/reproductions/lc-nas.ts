import { fileURLToPath } from 'node:url';
import { InputError, show } from '../core/errors.js';
import type { ReproducedMetric, Reproduction } from './reproduction.js';
import { replay, replayAsync, type ReplayResult } from '../stopping/replay.js';
import type { RunView } from '../stopping/rule.js';
import { median, patience, predictive } from '../stopping/rules.js';
import {
  crossFittedScales,
  LEVELS,
  predictFinalValues,
  scoreFinalValues,
  widen,
  type CutoffScore,
  type EvaluateOptions,
  type FilePredictions,
  type LearnedPredictor,
  type Predictor,
} from './lc-evaluate.js';
import { learningCurve, type Goal } from '../extrapolation/curve.js';
import { extrapolate as extrapolateCurve, POW3_FIT, type ExtrapolateOptions } from '../extrapolation/extrapolate.js';
import { correctionFeatures, fitCorrection } from '../extrapolation/learned.js';
import { crossFittedCorrection } from './lc-learned-eval.js';
import { readNasCurves } from './nas-data.js';
import { predictionPool } from './lc-prediction-pool.js';

/**
 * The learning-curve protocol on the NAS curves of Baker et al. 2017 (data/nas-curves): final-value
 * prediction from 10/20/40/80% of each curve (MAE, mean log predictive density, 90% coverage) for
 * the ensemble, the fast extrapolator, one pow3 fit and the last seen value; then early stopping
 * replayed over 40 orderings x 20 runs per file.
 */

/** P(value better than threshold) from stored quantiles at LEVELS, interpolated linearly. */
export function probBetterFromQuantiles(quantiles: Float64Array, goal: Goal, threshold: number): number {
  const n = quantiles.length;
  let cdf: number;
  if (threshold <= quantiles[0]!) cdf = LEVELS[0]! / 2;
  else if (threshold >= quantiles[n - 1]!) cdf = 1 - (1 - LEVELS[n - 1]!) / 2;
  else {
    let k = 0;
    while (quantiles[k + 1]! < threshold) k++;
    const a = quantiles[k]!,
      b = quantiles[k + 1]!;
    cdf = LEVELS[k]! + (b > a ? ((threshold - a) / (b - a)) * (LEVELS[k + 1]! - LEVELS[k]!) : 0);
  }
  return goal === 'max' ? 1 - cdf : cdf;
}

export interface StoppingScore {
  file: string;
  /** The predictor, '+learned' for its learned correction, ' (raw)' when not widened. */
  predictor: string;
  result: ReplayResult;
}

/** Replays predictive termination with the stored (conformally widened) predictions, and patience and median stopping for reference. */
export function replayNas(files: readonly FilePredictions[], options: { predictor?: Predictor | LearnedPredictor; delta?: number; seed?: number } = {}): StoppingScore[] {
  const { predictor = 'ensemble', delta = 0.05, seed = 0 } = options;
  const out: StoppingScore[] = [];
  for (const file of files) {
    const preds = file.preds[predictor];
    if (!preds) continue;
    const scales = crossFittedScales(preds, file.truths);
    const predict = (view: RunView) => {
      const c = file.cutoffs.indexOf(view.values.length);
      const j = view.id as number; // replay's id: the position in file.curves
      const q = widen(preds[c]![j]!, scales[c]![j]!);
      return { probBetter: (t: number) => probBetterFromQuantiles(q, file.goal, t) };
    };
    const range: readonly [number, number] = file.goal === 'max' ? [0, 1] : [1, Infinity];
    // 20 runs per ordering as in the protocol; fewer when a subset of the curves is evaluated.
    const common = { goal: file.goal, checkpoints: file.cutoffs, seed, range, budget: Math.min(20, file.curves.length) };
    out.push({ file: file.name, predictor, result: replay(file.curves, predictive({ delta, predict }), common) });
    out.push({
      file: file.name,
      predictor: 'none',
      result: replay(file.curves, patience({ patience: Math.max(2, Math.round(file.length / 10)) }), { ...common, checkpoints: Array.from({ length: file.length - 1 }, (_, i) => i + 1) }),
    });
    out.push({ file: file.name, predictor: 'none', result: replay(file.curves, median(), common) });
  }
  return out;
}

/**
 * The conformal factor of curve j after m points, between the factors cross-fitted at the cutoffs
 * (`crossFittedScales`, so never calibrated on curve j itself): linear in log c between the two
 * nearest cutoffs, constant beyond the first and the last.
 */
export function epochScale(cutoffs: readonly number[], scales: readonly Float64Array[], j: number, m: number): number {
  if (m <= cutoffs[0]!) return scales[0]![j]!;
  const last = cutoffs.length - 1;
  if (m >= cutoffs[last]!) return scales[last]![j]!;
  let c = 0;
  while (cutoffs[c + 1]! < m) c++;
  const t = (m - cutoffs[c]!) / (cutoffs[c + 1]! - cutoffs[c]!);
  return Math.exp((1 - t) * Math.log(scales[c]![j]!) + t * Math.log(scales[c + 1]![j]!));
}

export interface EpochReplayOptions {
  predictor?: Predictor;
  /** @default 0.05 */
  delta?: number;
  /** @default 0 */
  seed?: number;
  /** Worker threads computing the predictions. @default every core */
  threads?: number;
  /** Passed to `extrapolate`; must match what produced `files` for the stored cutoff predictions to be reused. */
  extrapolate?: Partial<ExtrapolateOptions>;
  onProgress?: (message: string) => void;
  /**
   * Predict with a correction learned from the runs finished so far in the same ordering
   * (`fitCorrection` with 3 folds, on the base, fast and pow3 predictions of their prefix of the
   * same length), once at least `minFinished` have finished; before that, the conformally widened
   * base predictive. @default false
   */
  learned?: boolean;
  /** @default 6 */
  minFinished?: number;
  /**
   * Use each prediction as it is, with no conformal widening from the file's other curves (the
   * PFN's case: calibrated on its own). @default false
   */
  raw?: boolean;
}

/**
 * Early stopping with a decision at every epoch from the first cutoff (10% of the epochs, at least
 * 3 points) on: predictive termination with the conformally widened predictive of each prefix that a
 * run reaches (computed once per curve and prefix, in worker threads, and shared by the 40
 * orderings; the stored cutoff predictions are reused), and patience and median stopping checked at
 * the same epochs for reference. `predictions` counts the prefixes predicted.
 */
export async function replayNasPerEpoch(files: readonly FilePredictions[], options: EpochReplayOptions = {}): Promise<(StoppingScore & { predictions?: number; seconds?: number })[]> {
  const { predictor = 'ensemble', delta = 0.05, seed = 0, threads, extrapolate, onProgress, learned = false, minFinished = 6, raw = false } = options;
  if (!(Number.isInteger(minFinished) && minFinished >= 6)) throw new InputError(`minFinished: must be an integer >= 6 (3 folds of at least 2 runs), got ${show(minFinished)}`, 'minFinished');
  const out: (StoppingScore & { predictions?: number; seconds?: number })[] = [];
  for (const file of files) {
    const preds = file.preds[predictor];
    if (!preds) continue;
    const t0 = performance.now();
    const scales = crossFittedScales(preds, file.truths);
    const range: readonly [number, number] = file.goal === 'max' ? [0, 1] : [1, Infinity];
    const pool = predictionPool({ curves: file.curves, goal: file.goal, range, predictor, seed, index: file.index, threads, extrapolate });
    file.cutoffs.forEach((m, c) => preds[c]!.forEach((p, j) => pool.put(j, m, p)));
    const first = file.cutoffs[0]!;
    const checkpoints = Array.from({ length: file.length - first }, (_, k) => first + k);
    // The fast and pow3 medians the learned correction needs as features, computed in this thread
    // (milliseconds) and kept.
    const medians = new Map<number, number>();
    const fastMedian = (kind: 'fast' | 'pow3', j: number, m: number): number => {
      const key = (j * 1000 + m) * 2 + (kind === 'pow3' ? 1 : 0);
      let v = medians.get(key);
      if (v === undefined) {
        const seen = file.curves[j]!.subarray(0, m);
        const curve = learningCurve(
          Array.from({ length: m }, (_, k) => k + 1),
          seen,
          { goal: file.goal, range },
        );
        const o: Partial<ExtrapolateOptions> = kind === 'pow3' ? POW3_FIT : { method: 'fast' };
        try {
          const { weighting: _ensembleOnly, ...shared } = extrapolate ?? {};
          v = extrapolateCurve(curve, { ...shared, ...o, to: file.length }).at(file.length).median;
        } catch (error) {
          // As in the evaluation: a curve no family describes is predicted by its last value.
          if (!(error instanceof InputError)) throw error;
          v = seen[m - 1]!;
        }
        medians.set(key, v);
      }
      return v;
    };
    const features = (j: number, m: number) =>
      correctionFeatures(file.curves[j]!.subarray(0, m), file.goal, {
        base: pool.cached(j, m)!.quantiles[49]!,
        fast: fastMedian('fast', j, m),
        pow3: fastMedian('pow3', j, m),
      });
    const finishedPeers = (view: RunView) => (view.peers ?? []).filter((p) => p.finished).map((p) => p.id as number);
    const predict = (view: RunView) => {
      const j = view.id as number;
      const m = view.values.length;
      const done = learned ? finishedPeers(view) : [];
      if (done.length >= minFinished) {
        const rows = done.map((k) => ({ features: features(k, m), offset: file.curves[k]![m - 1]!, target: file.truths[k]! }));
        const fit = fitCorrection(rows, { folds: 3 });
        return fit.predictive({ features: features(j, m), offset: view.values[m - 1]! }, file.length, file.goal, range);
      }
      const q = raw ? pool.cached(j, m)!.quantiles : widen(pool.cached(j, m)!, epochScale(file.cutoffs, scales, j, m));
      return { probBetter: (t: number) => probBetterFromQuantiles(q, file.goal, t) };
    };
    const common = { goal: file.goal, checkpoints, seed, range, budget: Math.min(20, file.curves.length) };
    let asked = 0;
    const stored = pool.size;
    try {
      const result = await replayAsync(file.curves, predictive({ delta, predict, minPoints: first }), {
        ...common,
        prefetch: async (view) => {
          if (view.bestFinal === undefined) return;
          const m = view.values.length;
          const ids = learned ? [view.id as number, ...finishedPeers(view)] : [view.id as number];
          await Promise.all(ids.map((k) => pool.predict(k, m)));
          if (++asked % 500 === 0) onProgress?.(`${file.name}: ${asked} decisions, ${pool.size - stored} new predictions`);
        },
      });
      out.push({
        file: file.name,
        predictor: learned ? `${predictor}+learned` : raw ? `${predictor} (raw)` : predictor,
        result,
        predictions: pool.size - stored,
        seconds: (performance.now() - t0) / 1000,
      });
    } finally {
      await pool.close();
    }
    out.push({ file: file.name, predictor: 'none', result: replay(file.curves, patience({ patience: Math.max(2, Math.round(file.length / 10)) }), common) });
    out.push({ file: file.name, predictor: 'none', result: replay(file.curves, median(), common) });
  }
  return out;
}

export interface LcNasReport {
  scores: CutoffScore[];
  /** Predictive termination with decisions at the cutoffs only, and (`perEpoch`) at every epoch. */
  stopping: (StoppingScore & { decisions: 'cutoffs' | 'every epoch' })[];
  files: FilePredictions[];
  seconds: number;
}

export interface LcNasOptions extends EvaluateOptions {
  /** @default data/nas-curves of this package */
  dir?: string;
  /** @default 0.05 */
  delta?: number;
  /** Replay predictive termination with a decision at every epoch too (a prediction per prefix reached). @default true */
  perEpoch?: boolean;
  /**
   * Extrapolators of the every-epoch replay. The ensemble's needs about 11,600 new predictions on
   * all curves (~35 min on 2 cores); the fast extrapolator's about 30 s per file. The PFN's is
   * replayed raw (no widening), as its bar asks.
   * @default ['fast', 'pfn']
   */
  perEpochPredictors?: readonly Predictor[];
  /** Add the learned correction of the ensemble and of the fast extrapolator (files of at least 13 curves). @default true */
  learned?: boolean;
}

export async function runLcNas(options: LcNasOptions = {}): Promise<LcNasReport> {
  const { perEpoch = true, learned = true } = options;
  const dir = options.dir ?? fileURLToPath(new URL('../../data/nas-curves', import.meta.url));
  const t0 = performance.now();
  const files = await predictFinalValues(readNasCurves(dir), options);
  // Cross-fitting over 5 folds needs >= 10 training curves in each.
  if (learned) {
    for (const file of files.filter((f) => f.curves.length >= 13 && f.preds.fast && f.preds.pow3)) {
      for (const base of ['ensemble', 'fast'] as const) if (file.preds[base]) file.preds[`${base}+learned`] = crossFittedCorrection(file, { base });
    }
  }
  const scores = scoreFinalValues(files);
  const predictor = options.predictors?.includes('ensemble') === false ? options.predictors[0]! : 'ensemble';
  const common = { predictor, delta: options.delta, seed: options.seed };
  const stopping: LcNasReport['stopping'] = replayNas(files, common).map((s) => ({ ...s, decisions: 'cutoffs' as const }));
  // The learned correction trained on the other folds' finished curves (as if from an earlier search of the same kind).
  const learnedStopping = replayNas(
    files.filter((f) => f.preds[`${predictor}+learned`]),
    { ...common, predictor: `${predictor}+learned` },
  );
  stopping.push(...learnedStopping.filter((r) => r.predictor !== 'none').map((s) => ({ ...s, decisions: 'cutoffs' as const })));
  if (perEpoch) {
    for (const p of options.perEpochPredictors ?? ['fast', 'pfn']) {
      if (!files.some((f) => f.preds[p])) continue;
      const rows = await replayNasPerEpoch(files, { ...common, predictor: p, threads: options.threads, extrapolate: options.extrapolate, onProgress: options.onProgress, raw: p === 'pfn' });
      stopping.push(...rows.filter((r) => r.predictor !== 'none').map((s) => ({ ...s, decisions: 'every epoch' as const })));
    }
  }
  return { scores, stopping, files, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Each figure next to its baseline: `published` holds the baseline (or the bar), `ours` the
 * Bayesian ensemble and, where evaluated, the ensemble with the learned correction.
 */
export function lcNasMetrics(report: LcNasReport): ReproducedMetric[] {
  const metrics: ReproducedMetric[] = [];
  const find = (file: string, fraction: number, predictor: string) => report.scores.find((s) => s.file === file && s.fraction === fraction && s.predictor === predictor);
  for (const s of report.scores.filter((r) => r.predictor === 'ensemble')) {
    const last = find(s.file, s.fraction, 'last'),
      pow3 = find(s.file, s.fraction, 'pow3');
    const cal = find(s.file, s.fraction, 'ensemble+conformal');
    const tag = `${s.file} ${Math.round(s.fraction * 100)}%`;
    if (last) metrics.push({ metric: `${tag} MAE (baseline: last value)`, published: last.mae, ours: s.mae });
    if (pow3) metrics.push({ metric: `${tag} MAE (baseline: pow3 fit)`, published: pow3.mae, ours: s.mae });
    if (last) metrics.push({ metric: `${tag} LPD (baseline: last value)`, published: last.lpd, ours: s.lpd });
    metrics.push({ metric: `${tag} 90% coverage (target 0.9)`, published: 0.9, ours: s.coverage90 });
    if (cal) metrics.push({ metric: `${tag} 90% coverage, conformal (target 0.9)`, published: 0.9, ours: cal.coverage90 });
    const l = find(s.file, s.fraction, 'ensemble+learned');
    if (l) {
      if (last) metrics.push({ metric: `${tag} ensemble+learned MAE (baseline: last value)`, published: last.mae, ours: l.mae });
      if (pow3) metrics.push({ metric: `${tag} ensemble+learned MAE (baseline: pow3 fit)`, published: pow3.mae, ours: l.mae });
      if (last) metrics.push({ metric: `${tag} ensemble+learned LPD (baseline: last value)`, published: last.lpd, ours: l.lpd });
      metrics.push({ metric: `${tag} ensemble+learned 90% coverage (target 0.9)`, published: 0.9, ours: l.coverage90 });
    }
  }
  // The PFN beside them: its raw intervals (no widening, no finished curves), and its MAE.
  for (const s of report.scores.filter((r) => r.predictor === 'pfn')) {
    const last = find(s.file, s.fraction, 'last'),
      pow3 = find(s.file, s.fraction, 'pow3'),
      fast = find(s.file, s.fraction, 'fast');
    const tag = `${s.file} ${Math.round(s.fraction * 100)}%`;
    if (last) metrics.push({ metric: `${tag} pfn MAE (baseline: last value)`, published: last.mae, ours: s.mae });
    if (pow3) metrics.push({ metric: `${tag} pfn MAE (baseline: pow3 fit)`, published: pow3.mae, ours: s.mae });
    if (fast) metrics.push({ metric: `${tag} pfn MAE (reference: fast)`, published: fast.mae, ours: s.mae });
    if (last) metrics.push({ metric: `${tag} pfn LPD (baseline: last value)`, published: last.lpd, ours: s.lpd });
    metrics.push({ metric: `${tag} pfn raw 90% coverage (bar [0.85, 0.95])`, published: 0.9, ours: s.coverage90 });
  }
  for (const s of report.stopping.filter((r) => r.predictor !== 'none')) {
    const how = ` (${s.predictor})${s.decisions === 'every epoch' ? ', every epoch' : ', at the cutoffs'}`;
    metrics.push({ metric: `${s.file} predictive termination${how}, speed-up (bar 2x)`, published: 2, ours: s.result.speedup });
    metrics.push({ metric: `${s.file} predictive termination${how}, regret / span (bar 0.005)`, published: 0.005, ours: s.result.regret });
  }
  return metrics;
}

export const lcNasReproduction: Reproduction = {
  id: 'lc-nas',
  // All curves: about 13 min of predictions, 6 min of learned corrections and ~2 min of per-epoch replay (fast extrapolator) on 2 cores.
  description:
    'Learning-curve extrapolation (Bayesian ensemble, and with a correction learned from the other folds\' finished curves; the prior-fitted network raw) and early stopping at the cutoffs and every epoch, on the NAS curves of Baker et al. 2017 (Domhan et al. 2015 protocol); baseline or bar in the "published" column',
  async run(options = {}) {
    const report = await runLcNas({ seed: options.seed, onProgress: options.onProgress });
    options.onProgress?.(`lc-nas: ${report.seconds.toFixed(0)} s`);
    return lcNasMetrics(report);
  },
};
