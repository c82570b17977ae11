import { InputError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';
import type { Run } from '../core/run.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { squared } from '../fit/objective.js';
import type { ScalingFit } from '../fit/result.js';
import { kaplanBcrit } from '../laws/kaplan-batch.js';
import { peakLr } from './run-quantities.js';
import { stepsVsBatch } from '../laws/steps-vs-batch.js';
import { stepsToTarget, type StepsToTargetOptions, type UnreachedTarget } from './steps-to-target.js';

/** The steps-versus-examples trade-off at one target loss. */
export interface StepsVsBatchFit {
  /** Fewest steps to the target at any batch size (McCandlish et al. 2018, eq. 2.11). */
  Smin: number;
  /** Fewest examples to the target at any batch size. */
  Emin: number;
  /** McCandlish et al.'s critical batch size E_min / S_min, in the unit of the batch sizes. */
  Bcrit: number;
  /** The fit of S(B) = S_min + E_min / B. */
  fit: ScalingFit;
}

export interface StepsVsBatchOptions {
  /**
   * Options for the fitting engine. The objective defaults to squared residuals of log S, as in
   * Zhang et al. 2024's published fits (log S = log(S_min + E_min / B) by least squares).
   */
  fit?: FitOptions;
}

/**
 * Fits S(B) = S_min + E_min / B in log space to the steps that each batch size needed to reach one
 * target loss. Needs at least two distinct batch sizes.
 *
 * @example fitStepsVsBatch([64, 256, 1024], [46000, 13282, 3840]).Bcrit
 */
export async function fitStepsVsBatch(batchSizes: ArrayLike<number>, steps: ArrayLike<number>, options: StepsVsBatchOptions = {}): Promise<StepsVsBatchFit> {
  const { fit: fitOptions = {} } = options;
  if (batchSizes.length !== steps.length) {
    throw new InputError(`steps has ${steps.length} values, batchSizes has ${batchSizes.length}`, 'steps');
  }
  for (let i = 0; i < steps.length; i++) {
    if (!(steps[i]! > 0) || !Number.isFinite(steps[i]!)) throw new InputError(`steps: row ${i + 1}: must be positive, got ${show(steps[i])}`, 'steps');
    if (!(batchSizes[i]! > 0) || !Number.isFinite(batchSizes[i]!)) throw new InputError(`batchSizes: row ${i + 1}: must be positive, got ${show(batchSizes[i])}`, 'batchSizes');
  }
  const distinct = new Set(Array.from(batchSizes));
  if (distinct.size < 2) {
    throw new InputError(`steps versus batch size needs at least 2 distinct batch sizes, got ${distinct.size === 0 ? 'none' : `only ${show([...distinct][0])}`}`, 'batchSize');
  }
  const B = Float64Array.from(batchSizes);
  const S = Float64Array.from(steps);
  // Starts bracket the answer: S_min below the fewest steps, E_min near the fewest examples.
  const sLow = Math.min(...S),
    eLow = Math.min(...Array.from(S, (s, i) => s * B[i]!));
  const starts: Record<string, number>[] = [];
  for (const fs of [0.1, 0.5, 0.9]) for (const fe of [0.1, 0.5, 0.9]) starts.push({ Smin: sLow * fs, Emin: eLow * fe });
  const fit = await fitLaw(stepsVsBatch, { inputs: { B }, loss: S, source: 'steps to target' }, { loss: squared(), space: 'log', starts, ...fitOptions });
  const { Smin, Emin } = fit.values as { Smin: number; Emin: number };
  return { Smin, Emin, Bcrit: Emin / Smin, fit };
}

/**
 * Zhang et al. 2024's critical batch size: the batch size at which the steps to the target exceed
 * linear scaling from a reference batch size B0 by a fraction x. With S(B) = S_min + E_min / B,
 * S(B) = (1 + x) S(B0) B0 / B solves to B = (1 + x) B0 + x E_min / S_min
 * (for x = 0.2, B0 = 256: 1.2 * 256 + E_min / (5 S_min), their eq. in Sec. 3).
 */
export function zhangCriticalBatch(fit: { Smin: number; Emin: number }, options: { referenceBatch?: number; overhead?: number } = {}): number {
  const { referenceBatch = 256, overhead = 0.2 } = options;
  if (!(referenceBatch > 0) || !Number.isFinite(referenceBatch)) throw new InputError(`referenceBatch: must be positive, got ${show(referenceBatch)}`, 'referenceBatch');
  if (!(overhead > 0) || !Number.isFinite(overhead)) throw new InputError(`overhead: must be positive, got ${show(overhead)}`, 'overhead');
  return (1 + overhead) * referenceBatch + (overhead * fit.Emin) / fit.Smin;
}

export interface CriticalBatchOptions extends StepsToTargetOptions, StepsVsBatchOptions {
  /** Reference batch size B0 for Zhang et al.'s definition. @default 256 */
  referenceBatch?: number;
  /** Step overhead x over linear scaling for Zhang et al.'s definition. @default 0.2 */
  overhead?: number;
  /**
   * Runs at the same batch size and peak learning rate (repeats with different seeds) count as one
   * setting whose steps are the mean over the repeats that reached the target; the best setting then
   * stands for its batch size. Without this, the luckiest seed would. Runs without a learning rate
   * are settings of their own.
   * @default true
   */
  averageSeeds?: boolean;
}

/** One batch size's steps to a target: its best (fewest-step) setting. */
export interface BatchPoint {
  batchSize: number;
  /** Steps to the target (mean over the setting's seeds). */
  steps: number;
  tokens?: number;
  /** The setting's run (the first of its seeds). */
  runId: string;
  /** Runs averaged into `steps` (1 without repeats). */
  runs: number;
}

export interface TargetAnalysis extends StepsVsBatchFit {
  target: number;
  points: BatchPoint[];
  /** Zhang et al.'s critical batch size at `overhead` over linear scaling from `referenceBatch`. */
  zhang: number;
}

/** The result of `criticalBatch`: one steps-vs-batch fit per target loss, and the runs that missed a target. */
export interface CriticalBatchAnalysis {
  targets: TargetAnalysis[];
  /** Runs that did not reach a target (only with unreached: 'exclude'). */
  unreached: UnreachedTarget[];
  referenceBatch: number;
  overhead: number;
}

/**
 * From runs at several batch sizes: per target loss, the steps each batch size needs (its best
 * learning rate when several runs share a batch size, since McCandlish et al. 2018 tune the learning
 * rate per batch size; seeds of one setting averaged), the fit of S(B), McCandlish's B_crit and Zhang's CBS.
 */
export async function criticalBatch(runs: readonly Run[], targets: readonly number[], options: CriticalBatchOptions = {}): Promise<CriticalBatchAnalysis> {
  const { referenceBatch = 256, overhead = 0.2, averageSeeds = true, fit, ...stepsOptions } = options;
  const { reached, unreached } = stepsToTarget(runs, targets, stepsOptions);
  // A setting is (batch size, peak learning rate); seeds of one setting share its key.
  const settingOf = new Map(runs.map((r) => [r.config.id, averageSeeds ? settingKey(r) : r.config.id]));
  const sizes = new Set(runs.map((r) => r.config.batchSize));
  if (sizes.size < 2) {
    throw new InputError(`steps versus batch size needs runs at at least 2 distinct batch sizes, got only ${show([...sizes][0])} (${runs.length} run${runs.length === 1 ? '' : 's'})`, 'batchSize');
  }
  const out: TargetAnalysis[] = [];
  for (const target of targets) {
    const settings = new Map<string, { batchSize: number; runId: string; steps: number[]; tokens: number[] }>();
    for (const r of reached) {
      if (r.target !== target) continue;
      const key = settingOf.get(r.runId) ?? r.runId;
      const s = settings.get(key) ?? { batchSize: r.batchSize, runId: r.runId, steps: [], tokens: [] };
      s.steps.push(r.steps);
      if (r.tokens !== undefined) s.tokens.push(r.tokens);
      settings.set(key, s);
    }
    const best = new Map<number, BatchPoint>();
    for (const s of settings.values()) {
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const point: BatchPoint = { batchSize: s.batchSize, steps: mean(s.steps), runId: s.runId, runs: s.steps.length, ...(s.tokens.length === s.steps.length ? { tokens: mean(s.tokens) } : {}) };
      const previous = best.get(s.batchSize);
      if (!previous || point.steps < previous.steps) best.set(s.batchSize, point);
    }
    const points = [...best.values()].sort((a, b) => a.batchSize - b.batchSize);
    if (points.length < 2) {
      throw new InputError(`target ${show(target)}: reached at ${points.length} batch size${points.length === 1 ? '' : 's'}, need at least 2`, 'targets');
    }
    const f = await fitStepsVsBatch(
      points.map((p) => p.batchSize),
      points.map((p) => p.steps),
      { fit },
    );
    out.push({ target, points, ...f, zhang: zhangCriticalBatch(f, { referenceBatch, overhead }) });
  }
  return { targets: out, unreached, referenceBatch, overhead };
}

export interface CriticalBatchReportOptions {
  /** The loss the targets are of, as the text names it. @default 'evalLoss' */
  metric?: string;
}

/**
 * The analysis as text: per target, the steps each batch size took, the fit of S(B), B_crit and
 * Zhang et al.'s CBS; then the runs left out for not reaching a target. Sections are separated by
 * a blank line.
 */
export function criticalBatchReport(analysis: CriticalBatchAnalysis, options: CriticalBatchReportOptions = {}): string {
  const { metric = 'evalLoss' } = options;
  const { referenceBatch, overhead } = analysis;
  const sections = analysis.targets.map((t) =>
    [
      `target ${metric} ${t.target}:`,
      formatTable(
        t.points.map((p) => [String(p.batchSize), p.steps, p.batchSize * p.steps, p.runId]),
        ['batch', 'steps', 'examples', 'run'],
      ),
      `S(B) = S_min + E_min / B: S_min ${formatNumber(t.Smin)}, E_min ${formatNumber(t.Emin)}${t.fit.converged ? '' : ' (fit NOT converged)'}`,
      `B_crit = E_min / S_min = ${formatNumber(t.Bcrit)} (McCandlish et al. 2018)`,
      `CBS at ${formatNumber(overhead * 100)}% step overhead over linear scaling from B0 = ${formatNumber(referenceBatch)}: ${formatNumber(t.zhang)} (Zhang et al. 2024)`,
    ].join('\n'),
  );
  if (analysis.unreached.length) {
    sections.push(
      ['left out (target not reached):', ...analysis.unreached.map((u) => `  run ${show(u.runId)} (batch ${u.batchSize}): target ${u.target}, best ${metric} ${formatNumber(u.bestLoss)}`)].join('\n'),
    );
  }
  return sections.join('\n\n');
}

/** Batch size and peak learning rate of a run, or its id when it has no learning rate. */
function settingKey(run: Run): string {
  try {
    return `${run.config.batchSize}|${peakLr(run)}`;
  } catch {
    return `id|${run.config.id}`;
  }
}

/**
 * Kaplan et al. 2020, eq. 5.3: B_crit(L) = B* / L^(1 / alpha_B) fitted (in log space) to the
 * critical batch sizes found at several target losses. Evaluate it at a large run's predicted
 * loss with `fit.predict({ L: loss })`.
 */
export async function fitBcritVsLoss(analysis: CriticalBatchAnalysis | { loss: ArrayLike<number>; bcrit: ArrayLike<number> }, options: FitOptions = {}): Promise<ScalingFit> {
  const loss = 'targets' in analysis ? analysis.targets.map((t) => t.target) : Array.from(analysis.loss);
  const bcrit = 'targets' in analysis ? analysis.targets.map((t) => t.Bcrit) : Array.from(analysis.bcrit);
  if (new Set(loss).size < 2) throw new InputError(`B_crit versus loss needs at least 2 distinct target losses, got ${show(loss)}`, 'targets');
  // Start from the exact least-squares line log B = log B* - (1 / alpha_B) log L.
  const n = loss.length;
  const lx = loss.map(Math.log),
    ly = bcrit.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / n,
    my = ly.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  const alpha = slope < 0 ? Math.min(100, Math.max(1e-3, -1 / slope)) : 0.21;
  const bstar = Math.exp(my + mx / alpha);
  return fitLaw(kaplanBcrit, { inputs: { L: loss }, loss: bcrit, source: 'critical batch sizes' }, { loss: squared(), space: 'log', starts: [{ Bstar: bstar, alphaB: alpha }], ...options });
}

/**
 * The fit of `fitBcritVsLoss` as text: B* and alpha_B, a note when a parameter ended on a bound,
 * and B_crit at a loss when `at` gives one.
 */
export function bcritVsLossReport(fit: ScalingFit, at?: { loss: number; bcrit: number }): string {
  const lines = [`B_crit(L) = B* / L^(1 / alpha_B): B* ${formatNumber(fit.values.Bstar!)}, alpha_B ${formatNumber(fit.values.alphaB!)} (Kaplan et al. 2020)`];
  if (fit.atBound.length) lines.push(`  note: ${fit.atBound.join(', ')} ended on a bound (alpha_B at its maximum means B_crit hardly changes with the loss over these targets)`);
  if (at !== undefined) lines.push(`B_crit at loss ${at.loss}: ${formatNumber(at.bcrit)}`);
  return lines.join('\n');
}
