import { FitError, InputError, show } from '../core/errors.js';
import { rng } from '../core/rng.js';
import { adamw } from './adamw.js';
import { lbfgsb } from './lbfgsb.js';
import { huber, objective, type Loss } from './objective.js';
import type { Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import { curvePoints, curveRows, selectPoints, type CurveInput, type CurvePoints } from '../laws/curve-points.js';
import { initialStarts } from './curve-starts.js';

export interface CurveFitOptions {
  /** The whole-curve law: 'mpl', 'momentum', 'size-aware', or a law object. @default 'mpl' */
  law?: string | Law<CurvePoints>;
  /** Loss on each log residual log Lhat - log L, summed over points (Luo et al. 2025). @default huber(1e-3) */
  loss?: Loss;
  /** Parameters held fixed, natural units (e.g. { lambda: 0.999 } for the momentum law). @default {} */
  fixed?: Readonly<Record<string, number>>;
  /** Bounds replacing the law's, natural units. @default the law's */
  bounds?: Readonly<Record<string, readonly [number, number]>>;
  /**
   * Starting points (natural units, by name; missing names take the data-driven start's values).
   * @default data-driven starts (see `initialStarts`)
   */
  starts?: readonly Readonly<Record<string, number>>[];
  /**
   * L-BFGS-B settings, when `optimizer` is 'lbfgsb'. For the multi-power law it stops at scipy's
   * defaults (factr 1e7, pgtol 1e-5): its loss-drop parameters trade off along a flat valley, and on
   * Luo et al.'s curves running to full convergence lowers the training objective but extrapolates
   * worse (test PredE 25M 0.00137 and 100M 0.00165 against 0.00119 and 0.00125). Other laws run to
   * convergence (factr 10, pgtol 1e-10): the momentum law has a single well-defined optimum, and
   * stopping early leaves it short (25M PredE 0.00141 against 0.00130).
   * @default { maxIterations: 15000, factr: 1e7, pgtol: 1e-5 } for 'mpl', factr 10 and pgtol 1e-10 otherwise
   */
  lbfgsb?: { maxIterations?: number; factr?: number; pgtol?: number };
  /**
   * What runs from the starts. 'adamw' is Luo et al. 2025's own second stage: AdamW on the natural
   * parameters, at most 200 steps, stopped after 20 steps without improvement, keeping the best
   * iterate: an early-stopped fit, averaged over `adamw.members` starts. On their curves it predicts
   * the held-out schedules better than the L-BFGS-B optimum (test PredE 25M 0.00083 against
   * 0.00119; 100M 0.00131 against 0.00125, WorstE 0.0054 against 0.0044): the loss-drop parameters
   * (B, C, beta, gamma) are weakly identified by three curves and the early stop keeps them near the
   * start (C = 1, beta = gamma = 0.5). 'lbfgsb' runs L-BFGS-B.
   * @default 'adamw' for 'mpl', 'lbfgsb' otherwise
   */
  optimizer?: 'adamw' | 'lbfgsb';
  /**
   * AdamW settings (torch's defaults otherwise: betas 0.9 / 0.999, eps 1e-8). `rates` by parameter
   * name; unnamed parameters take 5e-3 if they are exponents or lambda (alpha, beta, gamma, lambda)
   * and 5e-2 otherwise, Luo et al.'s two groups. `members`: where an early-stopped fit ends depends
   * on its start (on Luo et al.'s 100M curves single fits from starts 3% apart range over test PredE
   * 0.0012-0.0016), so the fit is the mean of the parameters of `members` early-stopped fits, from
   * the best start and from copies of it jittered by `seed` (log-scaled parameters by 3%, the
   * others by 0.2%, log-normal / normal); 1 gives the single fit of Luo et al.'s code.
   * @default { maxSteps: 200, patience: 20, weightDecay: 0.01, members: 4 }
   */
  adamw?: { rates?: Readonly<Record<string, number>>; maxSteps?: number; patience?: number; weightDecay?: number; members?: number };
  /** Bootstrap resamples for uncertainty bands; 0 for none. @default 0 */
  resamples?: number;
  /** Resample single points or whole curves. @default 'points' */
  resampleBy?: 'points' | 'curves';
  /** Seed of the bootstrap. @default 0 */
  seed?: number;
  /** Date stamped on the result (ISO). @default now */
  date?: string;
}

/** A saved whole-curve fit: plain JSON, loads again with `curveFitFromJSON`. */
export interface CurveFit {
  readonly kind: 'curve-fit';
  readonly version: 1;
  readonly law: string;
  readonly params: Readonly<Record<string, number>>;
  /** Parameter values in the law's order. */
  readonly values: readonly number[];
  readonly fixed: readonly string[];
  /** Objective at the optimum (sum of the loss over points). */
  readonly objective: number;
  readonly converged: boolean;
  readonly message: string;
  /** Parameters that ended on a bound. */
  readonly atBound: readonly string[];
  readonly loss: { readonly name: string; readonly settings: Readonly<Record<string, number>> };
  /** The curves it was fitted on: name, schedule, model size, points and fit error. */
  readonly curves: readonly {
    readonly name: string;
    readonly schedule: ScheduleSpec | null;
    readonly N?: number;
    readonly points: number;
    /** mean |L - Lhat| / L over the curve's points. */
    readonly meanRelativeError: number;
  }[];
  /** Bootstrap parameter vectors (law order), one per resample, when asked for. */
  readonly bootstrap?: { readonly by: 'points' | 'curves'; readonly seed: number; readonly values: readonly (readonly number[])[] };
  readonly date: string;
}

/**
 * Fits a whole-curve law to one or several loss curves at once: the sum over every point of
 * Huber(1e-3) on log residuals, minimised with the law's analytic gradient from data-driven starts,
 * keeping the best: by Luo et al. 2025's early-stopped AdamW for the multi-power law, by L-BFGS-B
 * for the others (see `optimizer`).
 *
 * @example
 * const fit = fitCurves([{ name: 'cosine', schedule: spec, steps, loss }], { law: 'mpl' });
 * predictCurve(fit, { type: 'wsd', peak: 3e-4, steps: 24000, cooldownFraction: 0.2, warmup: 2160 });
 */
export function fitCurves(curves: readonly CurveInput[], options: CurveFitOptions = {}): CurveFit {
  const law = typeof options.law === 'object' ? options.law : getLaw<CurvePoints>(options.law ?? 'mpl');
  const { loss = huber(1e-3), bounds = {}, resamples = 0, resampleBy = 'points', seed = 0 } = options;
  const { fixed = {} } = options;
  const stopping = law.name === 'mpl' ? { factr: 1e7, pgtol: 1e-5 } : { factr: 10, pgtol: 1e-10 };
  const settings = { maxIterations: 15000, ...stopping, ...options.lbfgsb };
  const optimizer = options.optimizer ?? (law.name === 'mpl' ? 'adamw' : 'lbfgsb');
  if (optimizer !== 'adamw' && optimizer !== 'lbfgsb') throw new InputError(`optimizer: not "adamw" or "lbfgsb": ${show(optimizer)}`, 'optimizer');
  const adamSettings = { maxSteps: 200, patience: 20, weightDecay: 0.01, members: 4, ...options.adamw, rates: options.adamw?.rates ?? {} };
  if (!Number.isInteger(adamSettings.members) || adamSettings.members < 1) throw new InputError(`adamw.members: not a positive integer: ${show(adamSettings.members)}`, 'members');
  if (!Number.isInteger(resamples) || resamples < 0) throw new InputError(`resamples: not a non-negative integer: ${show(resamples)}`, 'resamples');
  if (resampleBy !== 'points' && resampleBy !== 'curves') throw new InputError(`resampleBy: not "points" or "curves": ${show(resampleBy)}`, 'resampleBy');
  curves.forEach((c, i) => {
    if (c.loss === undefined) throw new InputError(`${c.name ?? `curve ${i + 1}`}: no losses to fit`, 'loss');
  });
  const { x, y } = curvePoints(curves);
  const free = law.params.filter((p) => fixed[p.name] === undefined).length;
  if (x.length < free) {
    throw new InputError(`curves: ${x.length} points, fewer than the ${free} free parameters of law ${show(law.name)}`, 'points');
  }
  law.validate?.(x);

  let starts = initialStarts(law, x, y!, fixed);
  if (options.starts) starts = options.starts.map((s) => ({ ...starts[0], ...s }));
  const run = { loss, fixed, bounds, settings, optimizer, adamw: adamSettings, seed };
  const best = estimate(law, x, y!, starts, run);

  const pred = new Float64Array(x.length);
  law.evaluate(Float64Array.from(best.values), x, pred);
  const curveSummaries = x.curves.map((curve, c) => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < x.length; i++) {
      if (x.curve[i] !== c) continue;
      sum += Math.abs(pred[i]! - y![i]!) / y![i]!;
      n++;
    }
    return { name: curve.name, schedule: curve.spec ?? null, ...(curve.N !== undefined ? { N: curve.N } : {}), points: n, meanRelativeError: sum / n };
  });

  let bootstrap: CurveFit['bootstrap'];
  if (resamples > 0) {
    const random = rng(seed);
    const values: number[][] = [];
    // L-BFGS-B resamples start from the optimum; early-stopped AdamW ones rerun the whole
    // procedure from the start that won, as stopping early is part of the estimator.
    const start = optimizer === 'adamw' ? starts[best.start]! : Object.fromEntries(law.params.map((p, j) => [p.name, best.values[j]!]));
    for (let r = 0; r < resamples; r++) {
      let rows: ArrayLike<number>;
      if (resampleBy === 'curves') {
        const drawn = Array.from({ length: x.curves.length }, () => random.int(x.curves.length));
        rows = curveRows(x, drawn);
      } else {
        rows = Array.from({ length: x.length }, () => random.int(x.length));
      }
      const xs = selectPoints(x, rows);
      const ys = Float64Array.from(rows as ArrayLike<number>, (i) => y![i]!);
      values.push(estimate(law, xs, ys, [start], run).values);
    }
    bootstrap = { by: resampleBy, seed, values };
  }

  const record: CurveFit = {
    kind: 'curve-fit',
    version: 1,
    law: law.name,
    params: Object.fromEntries(law.params.map((p, j) => [p.name, best.values[j]!])),
    values: best.values,
    fixed: Object.keys(fixed),
    objective: best.f,
    converged: best.converged,
    message: best.message,
    atBound: best.atBound,
    loss: { name: loss.name, settings: { ...loss.settings } },
    curves: curveSummaries,
    ...(bootstrap ? { bootstrap } : {}),
    date: options.date ?? new Date().toISOString(),
  };
  return deepFreeze(record);
}

interface Best {
  /** Index of the start it came from. */
  start: number;
  values: number[];
  f: number;
  converged: boolean;
  message: string;
  atBound: string[];
  /** For AdamW fits: steps taken and why it stopped. */
  adam?: { steps: number; reason: string };
}

/**
 * The estimator: the best fit over the starts; for early-stopped AdamW, the mean of the parameters
 * of `members` fits from the best start and jittered copies of it (see `CurveFitOptions.adamw`).
 */
function estimate(
  law: Law<CurvePoints>,
  x: CurvePoints,
  y: Float64Array,
  starts: readonly Readonly<Record<string, number>>[],
  o: FitSettings,
): Best {
  const best = fitFrom(law, x, y, starts, o);
  const members = o.optimizer === 'adamw' ? o.adamw.members : 1;
  if (members === 1) return best;
  const random = rng(o.seed);
  const start = starts[best.start]!;
  const fits = [best];
  for (let m = 1; m < members; m++) {
    const jittered: Record<string, number> = {};
    for (const p of law.params) {
      const value = start[p.name] ?? p.init ?? 1;
      jittered[p.name] = p.scale === 'log' ? value * Math.exp(0.03 * random.normal()) : value * (1 + 0.002 * random.normal());
    }
    fits.push(fitFrom(law, x, y, [jittered], o));
  }
  const values = law.params.map((p, j) => o.fixed[p.name] ?? fits.reduce((a, f) => a + f.values[j]!, 0) / members);
  const obj = objective(law, x, y, { loss: o.loss, space: 'log', fixed: o.fixed, bounds: o.bounds });
  const theta = obj.toInternal(values);
  const f = obj.valueAndGradient(theta, new Float64Array(obj.dimension));
  const steps = fits.map((fit) => fit.adam!.steps);
  const atBound = namesAtBound(law, obj, theta);
  return {
    start: best.start,
    values,
    f,
    converged: fits.every((fit) => fit.converged),
    message: `AdamW, mean of ${members} early-stopped fits (${Math.min(...steps)}-${Math.max(...steps)} steps each); best single fit: ${best.adam!.reason}`,
    atBound,
  };
}

/** L-BFGS-B or AdamW from every start (natural units by name), keeping the lowest objective. */
function fitFrom(
  law: Law<CurvePoints>,
  x: CurvePoints,
  y: Float64Array,
  starts: readonly Readonly<Record<string, number>>[],
  o: FitSettings,
): Best {
  const obj = objective(law, x, y, { loss: o.loss, space: 'log', fixed: o.fixed, bounds: o.bounds });
  let best: Best | undefined;
  starts.forEach((start, index) => {
    const natural = Float64Array.from(law.params, (p) => o.fixed[p.name] ?? start[p.name] ?? p.init ?? 1);
    const theta = obj.toInternal(natural);
    for (let k = 0; k < theta.length; k++) theta[k] = Math.min(Math.max(theta[k]!, obj.lower[k]!), obj.upper[k]!);
    const result = o.optimizer === 'adamw' ? adamwFrom(law, obj, theta, o.adamw) : lbfgsb(obj.valueAndGradient, theta, {
      lower: obj.lower,
      upper: obj.upper,
      maxIterations: o.settings.maxIterations,
      factr: o.settings.factr,
      pgtol: o.settings.pgtol,
    });
    if (!Number.isFinite(result.f)) return;
    if (best && result.f >= best.f) return;
    const values = Array.from(obj.toNatural(result.x));
    const atBound = namesAtBound(law, obj, result.x);
    best = { start: index, values, f: result.f, converged: result.converged, message: result.message, atBound, ...('adam' in result ? { adam: result.adam } : {}) };
  });
  if (!best) throw new FitError(`law ${show(law.name)}: no start reached a finite objective (${starts.length} starts)`);
  return best;
}

/** Names of the free parameters that sit on a bound at theta. */
function namesAtBound(law: Law<CurvePoints>, obj: ReturnType<typeof objective>, theta: ArrayLike<number>): string[] {
  return obj.free.filter((j, k) => theta[k] === obj.lower[k] || theta[k] === obj.upper[k]).map((j) => law.params[j]!.name);
}

interface FitSettings {
  loss: Loss;
  fixed: Readonly<Record<string, number>>;
  bounds: Readonly<Record<string, readonly [number, number]>>;
  settings: { maxIterations: number; factr: number; pgtol: number };
  optimizer: 'adamw' | 'lbfgsb';
  adamw: { rates: Readonly<Record<string, number>>; maxSteps: number; patience: number; weightDecay: number; members: number };
  /** Seed of the jittered starts. */
  seed: number;
}

const slowRates = new Set(['alpha', 'beta', 'gamma', 'lambda']);

/**
 * AdamW on the natural parameters (as Luo et al. 2025 run it in PyTorch), through the objective's
 * internal coordinates: for a log-scaled parameter theta = log p, df/dp = (df/dtheta) / p. Returns
 * the best iterate in internal coordinates.
 */
function adamwFrom(law: Law<CurvePoints>, obj: ReturnType<typeof objective>, theta: Float64Array, o: FitSettings['adamw']) {
  const isLog = obj.free.map((j) => law.params[j]!.scale === 'log');
  const full = obj.toNatural(theta);
  const start = Float64Array.from(obj.free, (j) => full[j]!);
  const rate = obj.free.map((j) => {
    const name = law.params[j]!.name;
    return o.rates[name] ?? (slowRates.has(name) ? 5e-3 : 5e-2);
  });
  const internal = new Float64Array(obj.dimension);
  const gInternal = new Float64Array(obj.dimension);
  const toInternal = (u: Float64Array) => {
    obj.free.forEach((j, k) => { full[j] = u[k]!; });
    return obj.toInternal(full, internal);
  };
  const result = adamw((u, g) => {
    const f = obj.valueAndGradient(toInternal(u), gInternal);
    for (let k = 0; k < u.length; k++) g[k] = isLog[k] ? gInternal[k]! / u[k]! : gInternal[k]!;
    return f;
  }, start, {
    rate,
    maxSteps: o.maxSteps,
    patience: o.patience,
    weightDecay: o.weightDecay,
    lower: obj.free.map((j) => obj.naturalBounds[j]![0]),
    upper: obj.free.map((j) => obj.naturalBounds[j]![1]),
  });
  return {
    x: toInternal(result.x).slice(),
    f: result.f,
    converged: result.stop === 'patience' || result.stop === 'gradient',
    message: `AdamW, ${result.steps} steps: ${result.message}`,
    adam: { steps: result.steps, reason: result.message },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
