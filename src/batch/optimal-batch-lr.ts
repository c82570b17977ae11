import { InputError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';
import type { Run } from '../core/run.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { squared } from '../fit/objective.js';
import type { ScalingFit } from '../fit/result.js';
import { batchOptInC, lrOptInC, powerLawStart } from '../laws/batch-power.js';
import { finalLoss, peakLr, runCompute } from './run-quantities.js';

export interface OptimalBatchLrOptions {
  /** Which final loss ranks the runs. @default 'evalLoss' */
  metric?: 'evalLoss' | 'trainLoss';
  /**
   * Runs within this relative margin of the best loss at their compute budget count as near-optimal
   * and all enter the fit (DeepSeek LLM, Bi et al. 2024, Sec. 3.1, use 0.25%). 0 keeps only the best run.
   * @default 0.0025
   */
  band?: number;
  /** Runs whose compute agrees to this many significant digits share a budget. @default 3 */
  digits?: number;
  /** Options for the fitting engine (objective defaults to squared residuals in log space). */
  fit?: FitOptions;
}

export interface SweepPoint {
  runId: string;
  C: number;
  batchSize: number;
  lr: number;
  loss: number;
}

export interface OptimalBatchLr {
  /** The near-optimal runs of each budget, the points the laws were fitted to. */
  points: SweepPoint[];
  /** Per budget: the best run. */
  best: SweepPoint[];
  /** B_opt = k C^e. */
  batch: ScalingFit;
  /** lr_opt = k C^e. */
  lr: ScalingFit;
}

/**
 * Optimal batch size and learning rate as power laws in compute, B_opt = k C^b and
 * lr_opt = k' C^e (DeepSeek LLM, Bi et al. 2024, eq. 1), from a sweep over batch size and learning
 * rate at several compute budgets. Needs at least 2 budgets.
 */
export async function optimalBatchLr(runs: readonly Run[], options: OptimalBatchLrOptions = {}): Promise<OptimalBatchLr> {
  const { metric = 'evalLoss', band = 0.0025, digits = 3, fit = {} } = options;
  if (!(band >= 0) || !Number.isFinite(band)) throw new InputError(`band: must be a non-negative number, got ${show(band)}`, 'band');
  const budgets = new Map<string, SweepPoint[]>();
  for (const run of runs) {
    const batchSize = run.config.batchSize;
    if (batchSize === undefined || !(batchSize > 0)) throw new InputError(`run ${show(run.config.id)}: config.batchSize must be a positive number, got ${show(batchSize)}`, 'batchSize');
    const point = { runId: run.config.id, C: runCompute(run), batchSize, lr: peakLr(run), loss: finalLoss(run, metric) };
    const key = point.C.toPrecision(digits);
    budgets.set(key, [...(budgets.get(key) ?? []), point]);
  }
  if (budgets.size < 2) throw new InputError(`optimal batch size and learning rate need runs at at least 2 compute budgets, got ${budgets.size}`, 'C');
  const points: SweepPoint[] = [];
  const best: SweepPoint[] = [];
  for (const [key, list] of budgets) {
    const finite = list.filter((p) => Number.isFinite(p.loss));
    if (finite.length === 0) throw new InputError(`compute budget ${key}: every run diverged (${list.map((p) => show(p.runId)).join(', ')})`, 'loss');
    const top = finite.reduce((a, b) => (b.loss < a.loss ? b : a));
    best.push(top);
    points.push(...finite.filter((p) => p.loss <= top.loss * (1 + band)));
  }
  best.sort((a, b) => a.C - b.C);
  points.sort((a, b) => a.C - b.C || a.batchSize - b.batchSize || a.lr - b.lr);
  const C = Float64Array.from(points, (p) => p.C);
  const B = Float64Array.from(points, (p) => p.batchSize);
  const lr = Float64Array.from(points, (p) => p.lr);
  const options_ = ([k, e]: [number, number]): FitOptions => ({ loss: squared(), space: 'log', starts: [{ k, e }], ...fit });
  return {
    points,
    best,
    batch: await fitLaw(batchOptInC, { inputs: { C }, loss: B, source: 'near-optimal batch sizes' }, options_(powerLawStart(C, B))),
    lr: await fitLaw(lrOptInC, { inputs: { C }, loss: lr, source: 'near-optimal learning rates' }, options_(powerLawStart(C, lr))),
  };
}

/** The analysis as text: the best run of each budget, then the two power laws in compute. */
export function optimalBatchLrReport(r: OptimalBatchLr): string {
  return [
    formatTable(
      r.best.map((p) => [p.C, p.batchSize, p.lr, p.loss, p.runId]),
      ['C', 'best batch', 'best lr', 'loss', 'run'],
    ),
    '',
    trendLine(
      'B_opt',
      'batch sizes',
      r.points.map((p) => p.batchSize),
      r.batch,
    ),
    trendLine(
      'lr_opt',
      'learning rates',
      r.points.map((p) => p.lr),
      r.lr,
    ),
  ].join('\n');
}

/**
 * `name = k C^e`, or, when every near-optimal run has the same value, that value with a note: a
 * power law fitted to constant data gives an exponent of rounding noise (C^-1.036e-14), not a trend.
 */
function trendLine(name: string, what: string, values: readonly number[], fit: { values: Record<string, number> }): string {
  const first = values[0]!;
  if (values.every((v) => v === first)) {
    return `${name} = ${formatNumber(first)} at every budget (every near-optimal run has it): no trend in C can be fitted; try ${what} on a finer grid`;
  }
  return `${name} = ${formatNumber(fit.values.k!)} C^${formatNumber(fit.values.e!)}`;
}
