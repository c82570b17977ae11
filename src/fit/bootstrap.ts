import { InputError, show } from '../core/errors.js';
import { rng } from '../core/rng.js';
import { defaultThreads, startWorker } from '../core/worker.js';
import type { Inputs } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';
import type { LbfgsbOptions } from './lbfgsb.js';
import { buildProblem, type FitData, type FitOptions } from './fit.js';
import { problemObjective, runStarts, type Problem } from './multistart.js';
import { lossFromJSON } from './objective.js';
import { ScalingFit, predictWith, withIntervals } from './result.js';
import { quantile } from '../core/stats.js';

/** Options of `bootstrap`. */
export interface BootstrapOptions {
  /** Number of resamples. @default 1000 */
  resamples?: number;
  /** Seed of the resampling; the same seed gives the same samples whatever the thread count. @default 0 */
  seed?: number;
  /** Central level of the percentile intervals. @default 0.95 */
  level?: number;
  /** Worker threads. @default every core */
  threads?: number;
  /**
   * Resample whole groups (e.g. runs, with `observationsFromRuns`) instead of rows: one label per row.
   * Rows of a drawn group come in together. @default rows
   */
  groups?: ArrayLike<string | number>;
  /** Row weights the fit used. @default none */
  weights?: ArrayLike<number>;
  /**
   * L-BFGS-B settings of the resample fits. They start at an optimum, where scipy's default
   * reduction test (f_old - f <= 2.2e-9 max(|f|, 1)) would stop at once on an objective of ~1e-3, so
   * the default is much tighter. @default { factr: 10, pgtol: 1e-8 }
   */
  lbfgsb?: Omit<LbfgsbOptions, 'lower' | 'upper'>;
  /** Called every so often with the number of resamples done. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Nonparametric bootstrap of a fit (Efron 1979): refits the law on `resamples` resamples of the rows
 * (or of `groups`) and returns the fit with standard errors, percentile intervals and the samples.
 *
 * Each resample is fitted by L-BFGS-B from the full fit's distinct optima (`fit.optima`: the best end
 * points of the full multistart, within twice the best objective) rather than the whole grid: the
 * resampled optimum lies near one of them, and 1,000 resamples then take seconds, not hours.
 *
 * @example const withErrors = await bootstrap(fit, table, { resamples: 1000, seed: 1 });
 */
export async function bootstrap(fit: ScalingFit, data: FitData, options: BootstrapOptions = {}): Promise<ScalingFit> {
  const { resamples = 1000, seed = 0, level = 0.95, threads = defaultThreads(), onProgress, lbfgsb = { factr: 10, pgtol: 1e-8 } } = options;
  if (!(Number.isInteger(resamples) && resamples >= 2)) throw new InputError(`resamples: must be an integer >= 2, got ${show(resamples)}`, 'resamples');
  if (!(level > 0 && level < 1)) throw new InputError(`invalid level; not in (0, 1): ${show(level)}`, 'level');
  const law = getLaw<Inputs>(fit.law);
  const fitOptions = optionsOf(fit);
  if (options.weights) fitOptions.weights = options.weights;
  const { problem } = buildProblem(law, data, fitOptions);
  const rows = problem.y.length;
  if (rows !== fit.data.rows) throw new InputError(`bootstrap: the data have ${rows} rows but the fit used ${fit.data.rows}`, 'data');
  const obj = problemObjective(problem);
  const dim = obj.dimension;
  const candidates = fit.optima && fit.optima.length > 0 ? fit.optima : [fit.params.map((p) => p.value)];
  const starts = polishedOptima(problem, candidates, lbfgsb);
  const optima = { length: starts.length / dim };
  const indices = resampleIndices(rows, resamples, seed, options.groups);

  const workers = Math.max(1, Math.min(threads, Math.floor(resamples / 8)));
  const results = new Float64Array(resamples * (dim + 2)); // theta, f, converged per resample
  if (workers <= 1 || getLaw(law.name) !== law) {
    fitResamples(problem, indices, 0, resamples, starts, results, lbfgsb, onProgress);
  } else {
    const chunks: [number, number][] = [];
    for (let w = 0; w < workers; w++) chunks.push([Math.floor((w * resamples) / workers), Math.floor(((w + 1) * resamples) / workers)]);
    let done = 0;
    await Promise.all(
      chunks.map(
        ([from, to]) =>
          new Promise<void>((resolve, reject) => {
            const worker = startWorker(new URL('./bootstrap-worker.js', import.meta.url), {
              law: law.name,
              inputs: { ...problem.inputs },
              y: problem.y,
              weights: problem.weights,
              loss: { name: problem.loss.name, settings: { ...problem.loss.settings } },
              space: problem.space,
              fixed: { ...problem.fixed },
              bounds: Object.fromEntries(Object.entries(problem.bounds).map(([k, v]) => [k, [v[0], v[1]]])),
              indices: indices.slice(from * rows, to * rows),
              starts,
              lbfgsb,
            } satisfies BootstrapRequest);
            worker.on('message', (message: { progress?: number; results?: Float64Array }) => {
              if (message.progress !== undefined) {
                done += message.progress;
                onProgress?.(done, resamples);
                return;
              }
              results.set(message.results!, from * (dim + 2));
              // Settle first: Deno's worker_threads emits 'exit' (code 1) synchronously on terminate.
              resolve();
              void worker.terminate();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (code !== 0) reject(new Error(`bootstrap worker exited with code ${code}`));
            });
          }),
      ),
    );
  }

  const np = law.params.length;
  const samples: number[][] = [];
  let unconverged = 0;
  const p = new Float64Array(np);
  for (let k = 0; k < resamples; k++) {
    const base = k * (dim + 2);
    obj.toNatural(results.subarray(base, base + dim), p);
    samples.push(Array.from(p));
    if (results[base + dim + 1] !== 1) unconverged++;
  }
  return new ScalingFit({
    ...fit.toJSON(),
    params: withIntervals(fit.params, samples, level),
    bootstrap: { resamples, seed, level, ...(options.groups ? { by: 'groups' } : {}), starts: optima.length, unconverged, samples },
  });
}

/**
 * The full fit's optima refined with the resample fits' tight tolerances, then merged where they
 * meet (within 1e-3 in every internal coordinate): the default multistart tolerances leave its end
 * points scattered along a flat valley, and restarting from each of them would repeat the same work.
 */
export function polishedOptima(problem: Problem, candidates: readonly (readonly number[])[], lbfgsb: Omit<LbfgsbOptions, 'lower' | 'upper'>): Float64Array {
  const obj = problemObjective(problem);
  const dim = obj.dimension;
  const flat = new Float64Array(candidates.length * dim);
  candidates.forEach((values, s) => {
    const theta = obj.toInternal(values);
    for (let k = 0; k < dim; k++) flat[s * dim + k] = Math.min(Math.max(theta[k]!, obj.lower[k]!), obj.upper[k]!);
  });
  const runs = runStarts(problem, flat, lbfgsb);
  const order = Array.from({ length: candidates.length }, (_, s) => s)
    .filter((s) => Number.isFinite(runs.f[s]!))
    .sort((a, b) => runs.f[a]! - runs.f[b]!);
  const kept: Float64Array[] = [];
  for (const s of order) {
    const t = runs.theta.subarray(s * dim, (s + 1) * dim);
    if (kept.some((k) => k.every((v, i) => Math.abs(v - t[i]!) <= 1e-3 * Math.max(1, Math.abs(v))))) continue;
    kept.push(Float64Array.from(t));
  }
  if (kept.length === 0) return flat.slice(0, dim);
  const out = new Float64Array(kept.length * dim);
  kept.forEach((t, s) => out.set(t, s * dim));
  return out;
}

/** Fit options that reproduce `fit`'s objective: loss, residual space, fixed values and bounds. */
export function optionsOf(fit: ScalingFit): FitOptions {
  const fixed: Record<string, number> = {};
  const bounds: Record<string, [number, number]> = {};
  for (const p of fit.params) {
    if (p.fixed) fixed[p.name] = p.value;
    else bounds[p.name] = [p.min ?? -Infinity, p.max ?? Infinity];
  }
  return { loss: lossFromJSON({ name: fit.objective.loss, settings: { ...fit.objective.settings } }), space: fit.objective.space, fixed, bounds };
}

/**
 * How a bootstrap draws a resample: `rows` of them with replacement (the default), or whole groups
 * (one label per row; rows of a drawn group come in together), either until the resample has as many
 * rows as the data (`size: 'rows'`, the last group cut to fit: runs of a trajectory fit) or as many
 * groups as the data have (`size: 'groups'`: whole curves of a curve fit, so a resample's length varies).
 */
export interface ResampleSpec {
  groups?: ArrayLike<string | number>;
  /** @default 'rows' */
  size?: 'rows' | 'groups';
}

/**
 * The rows of each of `resamples` resamples, drawn from `seed` in order: the one resampling engine
 * behind `bootstrap` (scaling fits) and `fitCurves({ resamples })` (whole-curve fits).
 */
export function resampleDraws(rows: number, resamples: number, seed: number, spec: ResampleSpec = {}): Int32Array[] {
  const random = rng(seed);
  const { groups, size = 'rows' } = spec;
  if (size !== 'rows' && size !== 'groups') throw new InputError(`size: not "rows" or "groups": ${show(size)}`, 'size');
  if (!groups) return Array.from({ length: resamples }, () => Int32Array.from({ length: rows }, () => random.int(rows)));
  if (groups.length !== rows) throw new InputError(`groups: expected ${rows} labels, got ${groups.length}`, 'groups');
  const members = new Map<string | number, number[]>();
  for (let i = 0; i < rows; i++) {
    const list = members.get(groups[i]!) ?? [];
    list.push(i);
    members.set(groups[i]!, list);
  }
  const lists = [...members.values()];
  const out: Int32Array[] = [];
  for (let k = 0; k < resamples; k++) {
    const picked: number[] = [];
    if (size === 'groups') {
      for (let g = 0; g < lists.length; g++) picked.push(...lists[random.int(lists.length)]!);
    } else {
      while (picked.length < rows) {
        for (const i of lists[random.int(lists.length)]!) {
          if (picked.length >= rows) break;
          picked.push(i);
        }
      }
    }
    out.push(Int32Array.from(picked));
  }
  return out;
}

/** Row indices of each resample, flattened (resamples x rows), drawn from `seed` in the calling thread. */
export function resampleIndices(rows: number, resamples: number, seed: number, groups?: ArrayLike<string | number>): Int32Array {
  const draws = resampleDraws(rows, resamples, seed, groups ? { groups } : {});
  const out = new Int32Array(resamples * rows);
  draws.forEach((d, k) => out.set(d, k * rows));
  return out;
}

/** Message to a bootstrap worker. */
export interface BootstrapRequest {
  law: string;
  inputs: Record<string, Float64Array>;
  y: Float64Array;
  weights?: Float64Array;
  loss: { name: string; settings: Record<string, number> };
  space: 'log' | 'linear';
  fixed: Record<string, number>;
  bounds: Record<string, [number, number]>;
  indices: Int32Array;
  starts: Float64Array;
  lbfgsb: Omit<LbfgsbOptions, 'lower' | 'upper'>;
}

/** Fits resamples [from, to) of `indices` into `out` (theta, f, converged flag per resample). */
export function fitResamples(
  problem: Problem,
  indices: Int32Array,
  from: number,
  to: number,
  starts: Float64Array,
  out: Float64Array,
  lbfgsb: Omit<LbfgsbOptions, 'lower' | 'upper'>,
  onProgress?: (done: number, total: number) => void,
): void {
  const rows = problem.y.length;
  const dim = problemObjective(problem).dimension;
  const names = Object.keys(problem.inputs);
  for (let k = from; k < to; k++) {
    const pick = indices.subarray((k - from) * rows, (k - from + 1) * rows);
    const inputs: Record<string, Float64Array> = {};
    for (const name of names) inputs[name] = Float64Array.from(pick, (i) => problem.inputs[name]![i]!);
    const resampled: Problem = { ...problem, inputs, y: Float64Array.from(pick, (i) => problem.y[i]!) };
    if (problem.weights) resampled.weights = Float64Array.from(pick, (i) => problem.weights![i]!);
    const runs = runStarts(resampled, starts, lbfgsb);
    let best = -1;
    for (let s = 0; s < runs.f.length; s++) if (Number.isFinite(runs.f[s]!) && (best < 0 || runs.f[s]! < runs.f[best]!)) best = s;
    const base = (k - from) * (dim + 2);
    if (best < 0) {
      out.fill(NaN, base, base + dim + 2);
      continue;
    }
    out.set(runs.theta.subarray(best * dim, (best + 1) * dim), base);
    out[base + dim] = runs.f[best]!;
    out[base + dim + 1] = runs.status[best] === 'gradient' || runs.status[best] === 'reduction' ? 1 : 0;
    if (onProgress && (k + 1 - from) % 50 === 0) onProgress(k + 1 - from, to - from);
  }
}

/** Point prediction and a bootstrap percentile interval for L at each row (parameter uncertainty). */
export interface PredictionInterval {
  value: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  level: number;
}

/**
 * L at each row with a percentile interval over the bootstrap samples: the spread of the fitted
 * curve (parameter uncertainty), not of a single new run's loss.
 *
 * @example predictInterval(fit, { N: 7e10, D: 1.4e12 }) // { value, lower, upper, level: 0.95 }
 */
export function predictInterval(fit: ScalingFit, inputs: Readonly<Record<string, ArrayLike<number> | number>>, options: { level?: number } = {}): PredictionInterval {
  const { level = fit.bootstrap?.level ?? 0.95 } = options;
  if (!(level > 0 && level < 1)) throw new InputError(`invalid level; not in (0, 1): ${show(level)}`, 'level');
  if (!fit.bootstrap) throw new InputError(`fit of law ${show(fit.law)} has no bootstrap samples; run bootstrap() (CLI: --bootstrap 1000) first`, 'bootstrap');
  const law = fit.lawObject();
  const value = fit.predict(inputs);
  const rows = value.length;
  const draws = fit.bootstrap.samples.map((s) => predictWith(law, Float64Array.from(s), inputs));
  const lower = new Float64Array(rows),
    upper = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const column = draws
      .map((d) => d[i]!)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    lower[i] = quantile(column, (1 - level) / 2);
    upper[i] = quantile(column, (1 + level) / 2);
  }
  return { value, lower, upper, level };
}
