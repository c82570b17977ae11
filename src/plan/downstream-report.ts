import { InputError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';
import { predictInterval } from '../fit/bootstrap.js';
import type { DownstreamChartData } from '../plot/downstream.js';
import { predictDownstream, type DownstreamEstimate, type DownstreamFit, type DownstreamPrediction } from './downstream.js';
import type { DownstreamTaskData } from './downstream-table.js';
import { chinchillaOptimal } from './optimal.js';

/** Where to predict: N and D, or a compute budget C with N or D, or C alone (the task loss's compute-optimal split). */
export interface DownstreamTargetSpec {
  N?: number;
  D?: number;
  C?: number;
}

/** A resolved target. */
export interface DownstreamTarget {
  N: number;
  D: number;
  C: number;
  /** 'given': N and D from the caller (or C with one of them); 'compute-optimal': the split of C minimising step 1's task loss. */
  split: 'given' | 'compute-optimal';
}

/**
 * N and D of the target: as given, D = C / (6 N) or N = C / (6 D) from C and one of them, or, from C
 * alone, the N and D that minimise this task's step-1 law at C = 6 N D (Hoffmann et al. 2022, eq.
 * 4, on the task loss rather than the pre-training loss, so each task has its own split).
 */
export function downstreamTarget(fit: DownstreamFit, spec: DownstreamTargetSpec, task = 'task'): DownstreamTarget {
  const { N, D, C } = spec;
  for (const [name, v] of Object.entries({ N, D, C }))
    if (v !== undefined && (!(v > 0) || !Number.isFinite(v))) throw new InputError(`--${name.toLowerCase()}: must be a positive number, got ${show(v)}`, name);
  if (N !== undefined && D !== undefined && C !== undefined) throw new InputError('--c: give two of --n, --d and --c, or --c alone, not all three', 'c');
  if (N !== undefined && D !== undefined) return { N, D, C: 6 * N * D, split: 'given' };
  if (C !== undefined && N !== undefined) return { N, D: C / (6 * N), C, split: 'given' };
  if (C !== undefined && D !== undefined) return { N: C / (6 * D), D, C, split: 'given' };
  if (C === undefined) throw new InputError(`target: give --n and --d, or --c (got ${N !== undefined ? '--n alone' : D !== undefined ? '--d alone' : 'neither'})`, N !== undefined ? 'd' : 'n');
  const v = fit.taskLoss.values;
  if (!(v.alpha! > 0 && v.beta! > 0))
    throw new InputError(
      `--c: ${task}: step 1's fit has alpha = ${formatNumber(v.alpha!, 3)}, beta = ${formatNumber(v.beta!, 3)}, so its task loss has no compute-optimal split; give --n and --d`,
      'c',
    );
  const o = chinchillaOptimal({ A: v.A!, B: v.B!, E: v.E!, alpha: v.alpha!, beta: v.beta! }, C);
  return { N: o.N, D: o.D, C, split: 'compute-optimal' };
}

/**
 * Where the target sits on the fitted sigmoid: s = 1 / (1 + exp(-k (L - L0))) runs from 0 (the
 * ceiling b) to 1 (the floor b + a, chance). Outside [share, 1 - share] the sigmoid saturates: the
 * accuracy there moves little with the task loss and is set by the asymptote, which the ladder's
 * checkpoints (and, at the ceiling, the ideal point) pin down less than its middle.
 */
export function saturationWarning(fit: DownstreamFit, taskLoss: number, share = 0.05): string | undefined {
  const { a, L0, k, b } = fit.accuracy.values as { a: number; L0: number; k: number; b: number };
  const s = 1 / (1 + Math.exp(-k * (taskLoss - L0)));
  const f = (x: number) => formatNumber(x, 3);
  if (s < share)
    return `the sigmoid saturates: at task loss ${formatNumber(taskLoss, 4)} the prediction is ${f(s * 100)}% of the way from its ceiling b = ${f(b)} to chance${fit.idealPoint ? ' (b is anchored by the ideal point)' : ''}, so the accuracy is set by the ceiling, not by the ladder`;
  if (s > 1 - share)
    return `the sigmoid saturates: at task loss ${formatNumber(taskLoss, 4)} the prediction is within ${f((1 - s) * 100)}% of chance level b + a = ${f(b + a)}: the task is not yet learned there`;
  return undefined;
}

/** One task's fit and prediction at the target. */
export interface DownstreamTaskResult {
  task: string;
  runs: number;
  checkpoints: number;
  target: DownstreamTarget;
  fit: DownstreamFit;
  prediction: DownstreamPrediction;
}

/** The prediction at a resolved target, with the saturation warning added to `predictDownstream`'s. */
export function predictTask(task: string, data: Pick<DownstreamTaskData, 'step1' | 'step2'>, fit: DownstreamFit, spec: DownstreamTargetSpec): DownstreamTaskResult {
  const target = downstreamTarget(fit, spec, task);
  const prediction = predictDownstream(fit, target);
  const saturated = saturationWarning(fit, prediction.taskLoss.value);
  if (saturated) prediction.warnings.push(saturated);
  if (target.split === 'compute-optimal') prediction.warnings.push(`N and D are the compute-optimal split of C for this task's loss (step 1); the interval holds that split fixed`);
  return { task, runs: data.step1.length, checkpoints: data.step2.length, target, fit, prediction };
}

const interval = (e: DownstreamEstimate, digits: number) => (e.lower !== undefined && e.upper !== undefined ? `[${formatNumber(e.lower, digits)}, ${formatNumber(e.upper, digits)}]` : 'none');

/** The text report: a table of the predictions, a table of the fitted parameters, and the warnings (each prefixed with its task). */
export function downstreamReport(results: readonly DownstreamTaskResult[], source: string): string {
  const level = results[0]?.prediction.level ?? 0.9;
  const pct = `${Math.round(level * 100)}%`;
  const same = results.every((r) => r.target.N === results[0]!.target.N && r.target.D === results[0]!.target.D);
  const t = results[0]!.target;
  const head = same
    ? `Downstream prediction (Bhagia et al. 2024, two steps) from ${source}: target N = ${formatNumber(t.N, 3)}, D = ${formatNumber(t.D, 3)} (C = ${formatNumber(t.C, 3)}${t.split === 'compute-optimal' ? ', compute-optimal for the task loss' : ''})`
    : `Downstream prediction (Bhagia et al. 2024, two steps) from ${source}: at C = ${formatNumber(t.C, 3)}, each task at the compute-optimal split of its own task loss`;
  const predictions = formatTable(
    results.map((r) => [
      r.task,
      ...(same ? [] : [formatNumber(r.target.N, 3), formatNumber(r.target.D, 3)]),
      r.runs,
      r.checkpoints,
      formatNumber(r.prediction.taskLoss.value, 4),
      interval(r.prediction.taskLoss, 4),
      formatNumber(r.prediction.accuracy.value, 4),
      interval(r.prediction.accuracy, 4),
    ]),
    ['task', ...(same ? [] : ['N', 'D']), 'runs', 'checkpoints', 'task loss', `${pct} interval`, 'accuracy', `${pct} interval`],
  );
  const names = (r: DownstreamTaskResult, which: 'taskLoss' | 'accuracy') => r.fit[which].params.map((p) => p.name);
  const p1 = names(results[0]!, 'taskLoss'),
    p2 = names(results[0]!, 'accuracy');
  const fits = formatTable(
    results.map((r) => [r.task, ...p1.map((n) => formatNumber(r.fit.taskLoss.values[n]!, 4)), ...p2.map((n) => formatNumber(r.fit.accuracy.values[n]!, 4))]),
    ['task', ...p1.map((n) => `${n} (step 1)`), ...p2.map((n) => `${n} (step 2)`)],
  );
  const warnings = results.flatMap((r) => r.prediction.warnings.map((w) => `warning: ${r.task}: ${w}`));
  return [
    head,
    predictions,
    `  intervals: ${pct} bootstrap intervals of both steps (runs resampled for step 1, whole runs of checkpoints for step 2); they leave out the target's own evaluation noise`,
    '',
    'Fits: step 1 task loss L(N, D) = E + A / N^alpha + B / D^beta; step 2 accuracy Acc(L) = a / (1 + exp(-k (L - L0))) + b',
    fits,
    ...warnings,
  ].join('\n');
}

/** Options of `downstreamChartData`. */
export interface DownstreamChartDataOptions {
  /** Points along each curve. @default 61 */
  points?: number;
  /** Chance accuracy of the task, drawn as a rule. @default none */
  chance?: number;
}

/**
 * The downstream chart's data for one task: its checkpoints (coloured by the run's N), the sigmoid
 * with its bootstrap band, the runs at their compute, and the chained prediction along compute at
 * the target's tokens per parameter (so that the line passes through the target).
 */
export function downstreamChartData(result: DownstreamTaskResult, data: Pick<DownstreamTaskData, 'step2' | 'runs'>, options: DownstreamChartDataOptions = {}): DownstreamChartData {
  const { points = 61, chance } = options;
  const { fit, prediction, target } = result;
  const sizeOf = new Map(data.runs.map((r) => [r.run, r.N]));
  const label = (N: number) => `N = ${formatNumber(N, 3)}`;
  const losses = data.step2.map((p) => p.taskLoss);
  const lo = Math.min(...losses, prediction.taskLoss.lower ?? prediction.taskLoss.value),
    hi = Math.max(...losses, prediction.taskLoss.upper ?? prediction.taskLoss.value);
  const from = Math.max(0, lo - 0.08 * (hi - lo)),
    to = hi + 0.04 * (hi - lo);
  const L = Array.from({ length: points }, (_, i) => from + ((to - from) * i) / (points - 1));
  const value = fit.accuracy.predict({ L });
  const bandOf = fit.accuracy.bootstrap ? predictInterval(fit.accuracy, { L }, { level: fit.level }) : undefined;
  const sigmoid = L.map((x, i) => ({ x, y: value[i]!, ...(bandOf ? { lower: bandOf.lower[i]!, upper: bandOf.upper[i]! } : {}) }));
  const compute = data.runs.map((r) => 6 * r.N * r.D);
  const ratio = target.D / target.N;
  const c0 = Math.min(...compute, target.C) / 2,
    c1 = Math.max(...compute, target.C) * 2;
  const chain = Array.from({ length: points }, (_, i) => c0 * (c1 / c0) ** (i / (points - 1))).map((C) => {
    const N = Math.sqrt(C / (6 * ratio));
    const p = predictDownstream(fit, { N, D: ratio * N });
    return { x: C, y: p.accuracy.value, ...(p.accuracy.lower !== undefined && p.accuracy.upper !== undefined ? { lower: p.accuracy.lower, upper: p.accuracy.upper } : {}) };
  });
  const a = prediction.accuracy,
    l = prediction.taskLoss;
  return {
    checkpoints: data.step2.filter((p) => sizeOf.has(p.run ?? '')).map((p) => ({ taskLoss: p.taskLoss, accuracy: p.accuracy, series: label(sizeOf.get(p.run!)!) })),
    sigmoid,
    runs: data.runs
      .map((r, i) => ({ compute: compute[i]!, accuracy: r.accuracy, N: r.N, series: label(r.N) }))
      .sort((p, q) => p.N - q.N || p.compute - q.compute)
      .map(({ N: _N, ...r }) => r),
    chain: chain.filter((p) => Number.isFinite(p.y)),
    target: {
      compute: target.C,
      taskLoss: l.value,
      ...(l.lower !== undefined && l.upper !== undefined ? { taskLossLower: l.lower, taskLossUpper: l.upper } : {}),
      accuracy: a.value,
      ...(a.lower !== undefined && a.upper !== undefined ? { lower: a.lower, upper: a.upper } : {}),
      label: `target: ${formatNumber(a.value, 3)}`,
    },
    ...(chance !== undefined ? { chance } : {}),
  };
}

/** The chart title's caption of the compute panel's line. */
export function chainCaption(target: DownstreamTarget): string {
  return `at the target's D/N = ${formatNumber(target.D / target.N, 3)}`;
}
