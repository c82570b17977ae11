import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import { quantile } from '../core/stats.js';
import { bootstrap } from '../fit/bootstrap.js';
import { fitLaw } from '../fit/fit.js';
import { squared } from '../fit/objective.js';
import { predictWith, type ScalingFit } from '../fit/result.js';
import { accuracySigmoid } from '../laws/accuracy-sigmoid.js';
import { chinchilla } from '../laws/chinchilla.js';

/** A finished proxy run for step 1: parameters, tokens and its task loss (e.g. bits per byte). */
export interface TaskLossPoint {
  N: number;
  D: number;
  taskLoss: number;
}

/** A checkpoint for step 2: its task loss and task accuracy, and the run it belongs to (for the bootstrap). */
export interface AccuracyPoint {
  taskLoss: number;
  accuracy: number;
  run?: string;
}

/** Options of `fitDownstream`. */
export interface DownstreamOptions {
  /** Chance accuracy of the task (e.g. 0.25 for four choices): step 2 starts at a = chance - 1. @default 0.25 */
  chance?: number;
  /**
   * Best reachable accuracy: step 2 starts at b = maximum and, with `idealPoint`, is anchored by a
   * point (loss 0, accuracy maximum), as Bhagia et al. do. @default 1
   */
  maximum?: number;
  /** Add the ideal point (task loss 0, accuracy `maximum`) to step 2's data. @default true */
  idealPoint?: boolean;
  /**
   * Bootstrap resamples of each step (step 1 over runs, step 2 over whole runs of checkpoints), for
   * the intervals of `predictDownstream`. 0: no intervals. @default 200
   */
  bootstrap?: number;
  /** Seed of the bootstrap. @default 0 */
  seed?: number;
  /** Central level of the intervals. @default 0.9 */
  level?: number;
  /** Worker threads. @default 1 */
  threads?: number;
}

/** The two fitted steps: task loss from (N, D), accuracy from task loss. */
export interface DownstreamFit {
  /** Step 1: L(N, D) = E + A / N^alpha + B / D^beta on the task loss (Huber 1e-3, log residuals). */
  taskLoss: ScalingFit;
  /** Step 2: Acc(L) = a / (1 + exp(-k (L - L0))) + b (least squares). */
  accuracy: ScalingFit;
  /** Where step 1's runs and step 2's checkpoints lie, for the out-of-range warnings. */
  range: { N: [number, number]; D: [number, number]; taskLoss: [number, number] };
  level: number;
  /** Whether step 2 was anchored by the ideal point (loss 0, accuracy maximum). */
  idealPoint: boolean;
}

/**
 * Step 1's start and bounds, the OLMo ladder's (allenai/OLMo-ladder src/scripts/step1.py, `p0` and
 * `bounds` for bpb): log A = 3, log B = 6, alpha = 0.1, beta = 0.2, E = 1; log A, log B, alpha,
 * beta, E >= 0. One start: the task-loss law is fitted on a handful of runs and a grid would pick
 * among optima the data cannot tell apart.
 */
export const STEP1_START = { A: Math.exp(3), B: Math.exp(6), alpha: 0.1, beta: 0.2, E: 1 } as const;
const STEP1_BOUNDS = { A: [1, Infinity], B: [1, Infinity], alpha: [0, Infinity], beta: [0, Infinity], E: [0, Infinity] } as const;

function check(points: readonly object[], name: string, least: number): void {
  if (!Array.isArray(points) || points.length < least) throw new InputError(`${name}: need at least ${least} points, got ${show(Array.isArray(points) ? points.length : points)}`, name);
}

/**
 * Fits the two-step downstream prediction of Bhagia et al. 2024 ("Establishing Task Scaling Laws
 * via Compute-Efficient Model Ladders"; Gadre et al. 2024 chain loss to accuracy the same way):
 * step 1 the task loss of each proxy run's final checkpoint as a Chinchilla law of N and D, step 2
 * the accuracy of every checkpoint as a sigmoid of its task loss.
 *
 * @example const fit = await fitDownstream(runs, checkpoints, { chance: 0.25 }); predictDownstream(fit, { N: 13.2e9, D: 5e12 })
 */
export async function fitDownstream(step1: readonly TaskLossPoint[], step2: readonly AccuracyPoint[], options: DownstreamOptions = {}): Promise<DownstreamFit> {
  const { chance = 0.25, maximum = 1, idealPoint = true, bootstrap: resamples = 200, seed = 0, level = 0.9, threads = 1 } = options;
  check(step1, 'step1', 6);
  check(step2, 'step2', 5);
  if (!(chance >= 0 && chance < maximum && maximum <= 1)) throw new InputError(`chance and maximum: need 0 <= chance < maximum <= 1, got ${show(chance)} and ${show(maximum)}`, 'chance');
  if (!(level > 0 && level < 1)) throw new InputError(`invalid level; not in (0, 1): ${show(level)}`, 'level');
  const data1 = {
    inputs: { N: step1.map((p) => p.N), D: step1.map((p) => p.D) },
    loss: step1.map((p) => p.taskLoss),
    source: 'step 1: task loss of each run',
  };
  const taskLoss = await fitLaw(chinchilla, data1, { starts: [STEP1_START], bounds: STEP1_BOUNDS, threads });
  const points = idealPoint ? [...step2, { taskLoss: 0, accuracy: maximum, run: '(ideal point)' }] : [...step2];
  const data2 = { inputs: { L: points.map((p) => p.taskLoss) }, loss: points.map((p) => p.accuracy), source: 'step 2: accuracy of each checkpoint' };
  const accuracy = await fitLaw(accuracySigmoid, data2, { loss: squared(), space: 'linear', starts: [{ a: chance - 1, L0: 0.9, k: 3, b: maximum }], threads });
  const withSamples =
    resamples > 0
      ? {
          taskLoss: await bootstrap(taskLoss, data1, { resamples, seed, level, threads }),
          accuracy: await bootstrap(accuracy, data2, { resamples, seed: seed + 1, level, threads, groups: points.map((p, i) => p.run ?? `row ${i}`) }),
        }
      : { taskLoss, accuracy };
  const span = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  return {
    ...withSamples,
    range: { N: span(data1.inputs.N), D: span(data1.inputs.D), taskLoss: span(step2.map((p) => p.taskLoss)) },
    level,
    idealPoint,
  };
}

/** A number with its interval, where the fits have bootstrap samples. */
export interface DownstreamEstimate {
  value: number;
  lower?: number;
  upper?: number;
}

/** The chained prediction for one target model. */
export interface DownstreamPrediction {
  N: number;
  D: number;
  taskLoss: DownstreamEstimate;
  accuracy: DownstreamEstimate;
  level: number;
  /** Extrapolation beyond the proxies and fits that stopped on a bound, one line each. */
  warnings: string[];
}

/**
 * Chains the two steps at a target (N, D): the task loss from step 1, the accuracy from step 2 at
 * that loss. Intervals pair bootstrap resample k of step 1 with resample k of step 2 (independent
 * fits), so they carry the parameter uncertainty of both steps; not the checkpoint-to-checkpoint
 * noise of the target's own evaluation.
 */
export function predictDownstream(fit: DownstreamFit, target: { N: number; D: number }, options: { margin?: number } = {}): DownstreamPrediction {
  const { margin = 10 } = options;
  const { N, D } = target;
  for (const [name, v] of Object.entries({ N, D })) if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`${name}: must be a positive number, got ${show(v)}`, name);
  const lossAt = (p: Float64Array) => predictWith(chinchilla, p, { N, D })[0]!;
  const accAt = (p: Float64Array, L: number) => predictWith(accuracySigmoid, p, { L })[0]!;
  const L = lossAt(fit.taskLoss.vector());
  const acc = accAt(fit.accuracy.vector(), L);
  const s1 = (fit.taskLoss.bootstrap?.samples ?? []).map((s) => Float64Array.from(s));
  const s2 = (fit.accuracy.bootstrap?.samples ?? []).map((s) => Float64Array.from(s));
  const n = Math.min(s1.length, s2.length);
  const losses: number[] = [],
    accs: number[] = [];
  for (let k = 0; k < n; k++) {
    const l = lossAt(s1[k]!);
    if (!Number.isFinite(l)) continue;
    losses.push(l);
    accs.push(accAt(s2[k]!, l));
  }
  const interval = (value: number, values: number[]): DownstreamEstimate => {
    if (values.length < 2) return { value };
    const sorted = [...values].sort((a, b) => a - b);
    return { value, lower: quantile(sorted, (1 - fit.level) / 2), upper: quantile(sorted, (1 + fit.level) / 2) };
  };
  const warnings: string[] = [];
  for (const [name, v] of Object.entries({ N, D }) as ['N' | 'D', number][]) {
    const [lo, hi] = fit.range[name];
    if (v > hi * margin) warnings.push(`${name} = ${formatNumber(v, 3)} is ${formatNumber(v / hi, 3)}x the largest proxy's (${formatNumber(hi, 3)}): step 1 extrapolates`);
    if (v < lo / margin) warnings.push(`${name} = ${formatNumber(v, 3)} is below the smallest proxy's ${formatNumber(lo, 3)} by more than ${margin}x`);
  }
  const [lo, hi] = fit.range.taskLoss;
  if (L < lo || L > hi)
    warnings.push(
      `the predicted task loss ${formatNumber(L, 4)} is outside the checkpoints' ${formatNumber(lo, 4)} to ${formatNumber(hi, 4)}: step 2 extrapolates the sigmoid${fit.idealPoint ? ' (anchored by the ideal point)' : ''}`,
    );
  for (const w of [...(fit.taskLoss.warnings ?? []), ...(fit.accuracy.warnings ?? [])]) warnings.push(w.message);
  if (n === 0) warnings.push('no bootstrap samples: no intervals (fitDownstream with bootstrap > 0)');
  return { N, D, taskLoss: interval(L, losses), accuracy: interval(acc, accs), level: fit.level, warnings };
}
