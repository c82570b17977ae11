import { InputError, FitError, show } from '../core/errors.js';
import type { ObservationTable } from '../core/observations.js';
import { warn } from '../core/warn.js';
import { defaultThreads } from '../core/worker.js';
import type { Inputs, Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';
import { startGrid } from './grid.js';
import type { LbfgsbOptions } from './lbfgsb.js';
import { levenbergMarquardtStarts } from './lm.js';
import { runStarts, runStartsParallel, problemObjective, type MultistartRuns, type Problem } from './multistart.js';
import { huber, type Loss, type ResidualSpace } from './objective.js';
import { atBoundWarning, identifiability, withCovarianceStderr } from './identifiability.js';
import { ScalingFit, type FitParam, type FitWarning } from './result.js';

/** Data for a fit: an observation table, or named input columns with a loss column. */
export type FitData = ObservationTable | { readonly inputs: Readonly<Record<string, ArrayLike<number>>>; readonly loss: ArrayLike<number>; readonly source?: string };

/** Options of `fitLaw`. */
export interface FitOptions {
  /** Loss on each residual; the objective is the SUM over rows. @default huber(1e-3) */
  loss?: Loss;
  /** Residuals log Lhat - log L ('log', Hoffmann et al. 2022) or Lhat - L ('linear'). @default 'log' */
  space?: ResidualSpace;
  /** Weight per row (e.g. from `observationsFromRuns`). @default all 1 */
  weights?: ArrayLike<number>;
  /** Parameters held fixed, natural units. @default {} */
  fixed?: Readonly<Record<string, number>>;
  /** Bounds replacing the law's, natural units. @default the law's */
  bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Grid values replacing the law's, per parameter, natural units. @default the law's grids */
  grid?: Readonly<Record<string, readonly number[]>>;
  /** Explicit starting points (natural units, by name; missing names take the grid's first value). Replaces the grid. */
  starts?: readonly Readonly<Record<string, number>>[];
  /** 'lbfgsb' (any loss, bounds respected) or 'lm' (Levenberg-Marquardt, squared loss only). @default 'lbfgsb' */
  optimizer?: 'lbfgsb' | 'lm';
  /** L-BFGS-B settings (scipy's defaults). @default {} */
  lbfgsb?: Omit<LbfgsbOptions, 'lower' | 'upper'>;
  /** Worker threads for the multistart. @default every core */
  threads?: number;
  /**
   * Refine the best start once more with tight tolerances (L-BFGS-B only); the result is kept only
   * if its objective is lower. @default true
   */
  polish?: boolean;
  /** Throw a FitError when the best start did not converge or ends on a bound. @default false */
  strict?: boolean;
  /**
   * How many distinct local optima (objective within twice the best) to keep in the result, for
   * seeding bootstrap fits. @default 8
   */
  keepOptima?: number;
  /** Date stamped on the result (ISO). @default today */
  date?: string;
  /** Free text kept in the result. */
  notes?: string;
}

/** The columns and targets of a fit, checked. */
export interface PreparedData {
  inputs: Inputs;
  y: Float64Array;
  source: string;
  excluded: readonly { row: number; reason: string }[];
}

/** Picks the law's input columns out of the data and checks them (rows, positivity, distinct values). */
export function prepareData(law: Law<Inputs>, data: FitData, space: ResidualSpace, freeCount: number): PreparedData {
  const source = ('source' in data && data.source) || 'data';
  const columns: Record<string, ArrayLike<number> | undefined> = 'inputs' in data ? { ...data.inputs } : { N: data.N, D: data.D, C: data.C, ...numericExtra(data.extra) };
  const y = Float64Array.from(data.loss);
  const inputs: Record<string, Float64Array> = {};
  for (const name of law.inputs) {
    const values = columns[name];
    if (!values) throw new InputError(`${source}: law ${show(law.name)} needs column ${name}; it is missing`, name);
    if (values.length !== y.length) throw new InputError(`${source}: column ${name} has ${values.length} values, expected ${y.length}`, name);
    inputs[name] = Float64Array.from(values);
  }
  if (y.length < freeCount) {
    throw new InputError(`${source}: ${y.length} rows, fewer than the ${freeCount} free parameters of law ${show(law.name)}`, 'rows');
  }
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) throw new InputError(`${source}: row ${i + 1}, column loss: not a finite number: ${show(v)}`, 'loss');
    if (space === 'log' && v <= 0) throw new InputError(`${source}: row ${i + 1}, column loss: must be positive, got ${show(v)}`, 'loss');
  }
  law.validate?.(inputs);
  for (const name of law.inputs) {
    const values = inputs[name]!;
    if (values.every((v) => v === values[0])) {
      throw new InputError(`${source}: column ${name} has a single distinct value (${show(values[0])}); law ${show(law.name)} needs at least 2`, name);
    }
  }
  const excluded = 'excluded' in data ? data.excluded : [];
  return { inputs, y, source, excluded };
}

function numericExtra(extra: Readonly<Record<string, readonly unknown[]>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(extra)) if (values.every((v) => typeof v === 'number')) out[name] = values as number[];
  return out;
}

/**
 * Fits a law by multistart: L-BFGS-B (or Levenberg-Marquardt) from every point of the starting grid,
 * keeping the best. Chinchilla's default grid and objective are the published ones (Hoffmann et al.
 * 2022; Besiroglu et al. 2024): 4,500 starts, sum of Huber(1e-3) on log residuals.
 *
 * @example const fit = await fitLaw('chinchilla', table); console.log(fit.report());
 */
export async function fitLaw(lawOrName: Law<Inputs> | string, data: FitData, options: FitOptions = {}): Promise<ScalingFit> {
  const law = typeof lawOrName === 'string' ? getLaw<Inputs>(lawOrName) : lawOrName;
  const { space = 'log', optimizer = 'lbfgsb', threads = defaultThreads() } = options;
  const problem = buildProblem(law, data, options);
  const obj = problemObjective(problem.problem);
  const starts = startPoints(law, obj, options);
  let runs: MultistartRuns;
  if (optimizer === 'lm') runs = levenbergMarquardtStarts(problem.problem, obj, starts);
  else if (optimizer === 'lbfgsb') runs = await runStartsParallel(problem.problem, starts, obj.dimension, options.lbfgsb ?? {}, threads);
  else throw new InputError(`optimizer: must be "lbfgsb" or "lm", got ${show(optimizer)}`, 'optimizer');
  if (optimizer === 'lbfgsb' && (options.polish ?? true)) polishBest(problem.problem, runs);
  return summarise(law, problem, runs, { ...options, space });
}

/**
 * Restarts L-BFGS-B from the best end points until an iteration no longer lowers the objective
 * (factr 0, pgtol 1e-12), keeping the lowest result only when it beats the best start; the
 * convergence status stays that of the best start. With scipy's defaults the relative-reduction test stops an objective of
 * ~1e-3 once steps gain less than ~2e-9, so the best start can sit a little above its minimum.
 */
function polishBest(problem: Problem, runs: MultistartRuns): void {
  const dim = runs.dimension;
  const order = Array.from({ length: runs.f.length }, (_, s) => s)
    .filter((s) => Number.isFinite(runs.f[s]!))
    .sort((a, b) => runs.f[a]! - runs.f[b]!);
  if (order.length === 0) return;
  const best = order[0]!;
  // Polish the 8 best end points, not just the best: near the minimum a line search can run out of
  // resolution from one point and still get through from a neighbour.
  const candidates = order.slice(0, 8);
  const starts = new Float64Array(candidates.length * dim);
  candidates.forEach((s, k) => starts.set(runs.theta.subarray(s * dim, (s + 1) * dim), k * dim));
  const polished = runStarts(problem, starts, { factr: 0, pgtol: 1e-12 });
  let winner = -1;
  for (let k = 0; k < candidates.length; k++) if (polished.f[k]! < (winner < 0 ? runs.f[best]! : polished.f[winner]!)) winner = k;
  if (winner < 0) return;
  runs.f[best] = polished.f[winner]!;
  runs.theta.set(polished.theta.subarray(winner * dim, (winner + 1) * dim), best * dim);
  runs.iterations[best] = runs.iterations[best]! + polished.iterations[winner]!;
  runs.evaluations[best] = runs.evaluations[best]! + polished.evaluations[winner]!;
}

/** Validated problem plus the data description. */
export interface BuiltProblem {
  problem: Problem;
  prepared: PreparedData;
}

export function buildProblem(law: Law<Inputs>, data: FitData, options: FitOptions): BuiltProblem {
  const { loss = huber(1e-3), space = 'log', fixed = {}, bounds = {} } = options;
  for (const [name, pair] of Object.entries(bounds)) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new InputError(`bounds for ${name}: expected [min, max], got ${show(pair)}`, name);
    if (pair[0] > pair[1]) throw new InputError(`bounds for ${name}: min > max: [${show(pair[0])}, ${show(pair[1])}]`, name);
  }
  for (const spec of law.params) {
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max && !bounds[spec.name]) {
      throw new InputError(`law ${show(law.name)}, parameter ${spec.name}: bounds with min > max: [${show(spec.min)}, ${show(spec.max)}]`, spec.name);
    }
  }
  const freeCount = law.params.filter((p) => fixed[p.name] === undefined).length;
  const prepared = prepareData(law, data, space, freeCount);
  const problem: Problem = { law, inputs: prepared.inputs, y: prepared.y, loss, space, fixed, bounds };
  if (options.weights) {
    const w = Float64Array.from(options.weights);
    if (w.length !== prepared.y.length) throw new InputError(`weights: expected ${prepared.y.length} values, got ${w.length}`, 'weights');
    w.forEach((v, i) => {
      if (!(v >= 0) || !Number.isFinite(v)) throw new InputError(`weights: row ${i + 1}: must be a non-negative finite number, got ${show(v)}`, 'weights');
    });
    problem.weights = w;
  }
  return { problem, prepared };
}

/** Flattened internal starting points, clipped into the bounds. */
export function startPoints(law: Law<Inputs>, obj: ReturnType<typeof problemObjective>, options: FitOptions): Float64Array {
  const fixed = options.fixed ?? {};
  let natural: Float64Array[];
  if (options.starts) {
    const first = startGrid(law, { fixed, grid: options.grid ?? {} })[0]!;
    natural = options.starts.map((start, k) => {
      const p = Float64Array.from(first);
      for (const [name, value] of Object.entries(start)) {
        const j = law.params.findIndex((s) => s.name === name);
        if (j < 0) throw new InputError(`starts[${k}]: law ${show(law.name)} has no parameter ${show(name)}`, 'starts');
        p[j] = value;
      }
      return p;
    });
    if (natural.length === 0) throw new InputError('starts: no starting points', 'starts');
  } else natural = startGrid(law, { fixed, grid: options.grid ?? {} });
  const dim = obj.dimension;
  const out = new Float64Array(natural.length * dim);
  natural.forEach((p, s) => {
    const theta = obj.toInternal(p);
    for (let k = 0; k < dim; k++) out[s * dim + k] = Math.min(Math.max(theta[k]!, obj.lower[k]!), obj.upper[k]!);
  });
  return out;
}

/** Best start, distinct optima, bound and convergence flags, as a ScalingFit. */
export function summarise(law: Law<Inputs>, built: BuiltProblem, runs: MultistartRuns, options: FitOptions): ScalingFit {
  const { keepOptima = 8, strict = false, space = 'log', loss = huber(1e-3) } = options;
  const obj = problemObjective(built.problem);
  const dim = runs.dimension;
  const count = runs.f.length;
  const order = Array.from({ length: count }, (_, s) => s).filter((s) => Number.isFinite(runs.f[s]!));
  if (order.length === 0) throw new FitError(`law ${show(law.name)}: no start reached a finite objective (${count} starts)`);
  order.sort((a, b) => runs.f[a]! - runs.f[b]!);
  const best = order[0]!;
  const converged = runs.status[best] === 'gradient' || runs.status[best] === 'reduction';
  const convergedCount = runs.status.filter((s) => s === 'gradient' || s === 'reduction').length;
  const theta = runs.theta.subarray(best * dim, (best + 1) * dim);
  const p = obj.toNatural(theta);
  // Distinct optima: keep a start's end point unless one already kept is within 1e-2 (relative, or
  // absolute below 1) in every internal coordinate, or has the same objective to within 10x the
  // stopping tolerance: starts stopped by the default tolerances scatter along a flat valley
  // around one minimum, and those count as one.
  const optima: number[][] = [];
  const kept: Float64Array[] = [];
  const keptF: number[] = [];
  const ftol = (options.lbfgsb?.factr ?? 1e7) * 2.220446049250313e-16;
  const bestF = runs.f[best]!;
  for (const s of order) {
    // Optima far worse than the best (over twice its objective) are not worth restarting from.
    if (kept.length >= keepOptima || runs.f[s]! > 2 * bestF + 1e-12) break;
    const t = runs.theta.subarray(s * dim, (s + 1) * dim);
    const fs = runs.f[s]!;
    const sameF = (k: number) => Math.abs(keptF[k]! - fs) <= 10 * ftol * Math.max(1, Math.abs(fs));
    if (kept.some((k, n) => sameF(n) || k.every((v, i) => Math.abs(v - t[i]!) <= 1e-2 * Math.max(1, Math.abs(v))))) continue;
    kept.push(t);
    keptF.push(fs);
    optima.push(Array.from(obj.toNatural(t)));
  }
  const fixed = options.fixed ?? {};
  const params: FitParam[] = law.params.map((spec, j) => {
    const [min, max] = obj.naturalBounds[j]!;
    const value = p[j]!;
    const near = (bound: number) => Number.isFinite(bound) && Math.abs(value - bound) <= 1e-6 * Math.max(1, Math.abs(bound));
    return { name: spec.name, value, min, max, fixed: fixed[spec.name] !== undefined, atBound: fixed[spec.name] === undefined && (near(min) || near(max)) };
  });
  const atBound = params.filter((q) => q.atBound).map((q) => q.name);
  const statusMessage: Record<string, string> = {
    gradient: 'projected gradient below tolerance',
    reduction: 'relative reduction of the objective below tolerance',
    'max-iterations': 'iteration limit reached',
    'max-evaluations': 'evaluation limit reached',
    'line-search': 'line search could not make progress',
    'non-finite': 'objective not finite',
  };
  let message = `best of ${count} starts: ${statusMessage[runs.status[best]!] ?? runs.status[best]}`;
  if (atBound.length) message += `; ended on a bound: ${atBound.join(', ')}`;
  if (strict && (!converged || atBound.length)) throw new FitError(`law ${show(law.name)}: ${message}`);
  if (!converged) warn(`fit of law ${show(law.name)} did not converge: ${message}`);
  const status = runs.status[best]!;
  const warnings: FitWarning[] = [];
  if (status === 'max-iterations' || status === 'max-evaluations') warnings.push({ code: 'iteration-limit', message: `stopped on an iteration cap, not at an optimum: ${message}` });
  else if (!converged) warnings.push({ code: 'not-converged', message: `did not converge: ${message}` });
  warnings.push(...params.filter((q) => q.atBound).map(atBoundWarning));
  const { problem } = built;
  const ident = identifiability(law, problem.inputs, problem.y, p, { space: problem.space, weights: problem.weights, fixed: problem.fixed, bounds: problem.bounds, atBound });
  warnings.push(...ident.warnings);
  return new ScalingFit({
    law: law.name,
    formula: law.formula,
    inputs: [...law.inputs],
    params: withCovarianceStderr(params, ident.stderr),
    statistics: ident.statistics,
    correlations: ident.correlations,
    objective: { loss: loss.name, settings: { ...loss.settings }, space, value: runs.f[best]! },
    converged,
    message,
    warnings,
    starts: { count, converged: convergedCount },
    optima,
    data: { source: built.prepared.source, rows: built.prepared.y.length, excluded: [...built.prepared.excluded] },
    date: options.date ?? new Date().toISOString().slice(0, 10),
    notes: options.notes,
  });
}
