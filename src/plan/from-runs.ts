import { InputError, show } from '../core/errors.js';
import type { Run } from '../core/run.js';
import { warn } from '../core/warn.js';
import { criticalBatch, fitBcritVsLoss, type CriticalBatchAnalysis } from '../batch/critical-batch.js';
import { peakLr } from '../batch/run-quantities.js';
import { stabilityForecast, type StabilityForecast } from '../batch/stability-forecast.js';
import { fitLaw } from '../fit/fit.js';
import type { ScalingFit } from '../fit/result.js';

/** One finished run as a scaling-law observation. */
export interface RunObservation {
  id: string;
  N: number;
  D: number;
  loss: number;
  batchSize?: number;
}

export interface RunFitsOptions {
  /** Scaling law to fit to the runs' final losses. @default 'chinchilla' */
  law?: string;
  /**
   * Target losses for the critical batch size. @default three targets above the worst best loss
   * of the batch-size group (x 1.02, 1.10, 1.25), so every run reaches them
   */
  targets?: readonly number[];
  /**
   * Scaling-law parameters held fixed, e.g. { E: entropy rate } for a synthetic language whose
   * irreducible loss is known exactly. @default {}
   */
  fixed?: Readonly<Record<string, number>>;
  /** Worker threads for the fits. @default every core */
  threads?: number;
  /** Refines the scaling fit with a bootstrap (e.g. `bootstrap` from src/fit), for intervals. @default none */
  bootstrap?: (fit: ScalingFit, observations: { inputs: { N: Float64Array; D: Float64Array }; loss: Float64Array; source: string }) => Promise<ScalingFit>;
  /**
   * Which runs the scaling law reads, e.g. the scaling sweep's ids, so that batch-size runs that
   * share its batch size (with other lengths or eval sets) do not pull the law around.
   * @default the finished runs at the most common batch size
   */
  scalingRuns?: (run: Run) => boolean;
  /** Names the runs in fit sources. @default 'runs' */
  source?: string;
}

/** The result of `fitsFromRuns`: the observations taken from the runs and the fits made from them. */
export interface RunFits {
  observations: RunObservation[];
  scaling: ScalingFit;
  /** From runs of one model size at several batch sizes, where the runs include such a group. */
  criticalBatch?: { analysis: CriticalBatchAnalysis; fit: ScalingFit; N: number; runs: Run[] };
  /** What could not be fitted, and why. */
  notes: string[];
}

/** Final eval loss of each finished run with N and tokens seen, for a scaling fit. */
export function runObservations(runs: readonly Run[]): RunObservation[] {
  const out: RunObservation[] = [];
  for (const run of runs) {
    const { config, summary } = run;
    if (summary?.status !== 'finished') continue;
    const loss = summary.finalEvalLoss ?? summary.finalTrainLoss;
    const D = summary.tokens ?? config.D;
    if (config.N === undefined || D === undefined || loss === undefined) continue;
    out.push({ id: config.id, N: config.N, D, loss, ...(config.batchSize !== undefined ? { batchSize: config.batchSize } : {}) });
  }
  return out;
}

/** Runs `runObservations` leaves out, each with the reason, so reports can list them. */
export function unusedRuns(runs: readonly Run[]): { id: string; reason: string }[] {
  const out: { id: string; reason: string }[] = [];
  for (const { config, summary } of runs) {
    if (summary?.status !== 'finished') {
      out.push({ id: config.id, reason: summary ? summary.status : 'no summary (unfinished or interrupted)' });
      continue;
    }
    const missing = [
      config.N === undefined ? 'N' : '',
      (summary.tokens ?? config.D) === undefined ? 'tokens' : '',
      (summary.finalEvalLoss ?? summary.finalTrainLoss) === undefined ? 'final loss' : '',
    ].filter(Boolean);
    if (missing.length) out.push({ id: config.id, reason: `no ${missing.join(', ')}` });
  }
  return out;
}

/**
 * Fits what the planner needs from a set of runs: the scaling law on the final losses of the runs at
 * the most common batch size, and, where one model size was trained at several batch sizes, the
 * critical batch size per target loss (McCandlish et al. 2018) and Kaplan's B_crit(L) across them.
 */
export async function fitsFromRuns(runs: readonly Run[], options: RunFitsOptions = {}): Promise<RunFits> {
  const { law = 'chinchilla', threads, source = 'runs', fixed } = options;
  const notes: string[] = [];
  const scalingRuns = options.scalingRuns ? runs.filter(options.scalingRuns) : runs;
  const all = runObservations(scalingRuns);
  const unused = unusedRuns(scalingRuns);
  if (unused.length > 0) {
    const listed = unused
      .slice(0, 10)
      .map((u) => `${u.id} (${u.reason})`)
      .join(', ');
    notes.push(`scaling law: ${unused.length} of ${scalingRuns.length} runs not used: ${listed}${unused.length > 10 ? ', ...' : ''}`);
  }
  if (all.length === 0) throw new InputError(`${source}: no finished run with N, tokens and a final loss (of ${runs.length} runs)`, 'runs');
  // The scaling fit reads one batch size, so the batch-size sweep does not pull the law around.
  const counts = new Map<number | undefined, number>();
  for (const o of all) counts.set(o.batchSize, (counts.get(o.batchSize) ?? 0) + 1);
  const batch = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const observations = all.filter((o) => o.batchSize === batch);
  const data = {
    inputs: { N: Float64Array.from(observations, (o) => o.N), D: Float64Array.from(observations, (o) => o.D) },
    loss: Float64Array.from(observations, (o) => o.loss),
    source: `${source}: ${observations.length} finished runs${batch !== undefined ? ` at batch ${batch}` : ''}`,
  };
  let scaling = await fitLaw(law, data, { ...(threads === undefined ? {} : { threads }), ...(fixed ? { fixed } : {}) });
  if (options.bootstrap) scaling = await options.bootstrap(scaling, data);

  // The largest group of finished runs sharing N with at least 3 batch sizes.
  const byN = new Map<number, Run[]>();
  for (const run of runs) {
    if (run.summary?.status !== 'finished' || run.config.N === undefined || run.config.batchSize === undefined) continue;
    byN.set(run.config.N, [...(byN.get(run.config.N) ?? []), run]);
  }
  const groups = [...byN.entries()].filter(([, g]) => new Set(g.map((r) => r.config.batchSize)).size >= 3).sort((a, b) => b[1].length - a[1].length);
  let critical: RunFits['criticalBatch'];
  if (groups.length === 0) {
    notes.push('critical batch size: no model size was trained at 3 or more batch sizes');
  } else {
    const [N, group] = groups[0]!;
    const best = group.map((r) => Math.min(...r.trajectory.map((p) => p.evalLoss ?? Infinity)));
    const worst = Math.max(...best);
    const targets = options.targets ?? [1.25, 1.1, 1.02].map((f) => worst * f);
    if (targets.some((t) => !(t > 0))) throw new InputError(`targets must be positive losses; got ${show(targets)}`, 'targets');
    try {
      const analysis = await criticalBatch(group, targets, { unreached: 'exclude' });
      const fit = await fitBcritVsLoss(analysis, threads === undefined ? {} : { threads });
      critical = { analysis, fit, N, runs: group };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      warn(`critical batch size not measured: ${error.message}`);
      notes.push(`critical batch size: ${error.message}`);
    }
  }
  return { observations, scaling, ...(critical ? { criticalBatch: critical } : {}), notes };
}

/** Options of `stabilityFromRuns`. */
export interface StabilityFromRunsOptions {
  /** Distinct peak learning rates a size needs for its runs to count as a sweep. @default 3 */
  minRates?: number;
  /** Central coverage of the forecast interval. @default 0.9 */
  level?: number;
}

/**
 * The divergence forecast for the planned model from the learning-rate sweeps in a set of runs
 * (`stabilityForecast`, Wortsman et al. 2023): the runs of every size swept over at least
 * `minRates` peak learning rates, where two or more sizes were. Undefined where the runs hold no
 * such sweep (a scaling sweep with one tuned rate per size is not one), so the plan says nothing.
 * Runs with no size or no learning rate are left out of the sweep.
 */
export function stabilityFromRuns(runs: readonly Run[], N: number, options: StabilityFromRunsOptions = {}): StabilityForecast | undefined {
  const { minRates = 3, level = 0.9 } = options;
  const rates = new Map<number, Map<number, Run[]>>();
  for (const run of runs) {
    const n = run.config.N;
    if (n === undefined || !(n > 0)) continue;
    let lr: number;
    try {
      lr = peakLr(run);
    } catch (error) {
      if (error instanceof InputError) continue;
      throw error;
    }
    const bySize = rates.get(n) ?? new Map<number, Run[]>();
    bySize.set(lr, [...(bySize.get(lr) ?? []), run]);
    rates.set(n, bySize);
  }
  const swept = [...rates.values()].filter((byLr) => byLr.size >= minRates);
  if (swept.length < 2) return undefined;
  return stabilityForecast(
    swept.flatMap((byLr) => [...byLr.values()].flat()),
    { at: N, level },
  );
}
