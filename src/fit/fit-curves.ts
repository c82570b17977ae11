import { FitError, InputError, show } from '../core/errors.js';
import { rng } from '../core/rng.js';
import { warn } from '../core/warn.js';
import { adamw } from './adamw.js';
import { lbfgsb } from './lbfgsb.js';
import { huber, objective, type Loss } from './objective.js';
import type { Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';
import { curvePoints, selectPoints, type CurveInput, type CurvePoints } from '../laws/curve-points.js';
import { resampleDraws } from './bootstrap.js';
import { initialStarts } from './curve-starts.js';
import { atBoundWarning, identifiability, withCovarianceStderr } from './identifiability.js';
import { CurveFit, withIntervals, type BootstrapRecord, type FitParam, type FitWarning } from './result.js';

export { CurveFit } from './result.js';

/** Options of `fitCurves`. */
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
   * L-BFGS-B settings, when `optimizer` is 'lbfgsb': run to convergence by default (factr 10, pgtol
   * 1e-10), so the fit is an optimum of its objective whatever the law. scipy's defaults (factr 1e7,
   * pgtol 1e-5) stop the multi-power law part-way along the flat valley of its loss-drop parameters.
   * @default { maxIterations: 15000, factr: 10, pgtol: 1e-10 }
   */
  lbfgsb?: { maxIterations?: number; factr?: number; pgtol?: number };
  /**
   * What runs from the starts. 'lbfgsb' (the default): L-BFGS-B from every start to convergence,
   * keeping the lowest objective: an optimum of the objective whatever the law and the data.
   * 'adamw-early-stopped' (alias 'adamw'): Luo et al. 2025's own second stage, AdamW on the natural
   * parameters, at most 200 steps, stopped after 20 steps without improvement, keeping the best
   * iterate, averaged over `adamw.members` starts. It is not an optimum: it stops where the patience
   * rule or the step cap stops it, and on other labs' curves it stopped on the cap (recorded in
   * `warnings`). On Luo et al.'s own curves the early stop extrapolates better, because the
   * loss-drop parameters (B, C, beta, gamma) are weakly identified by three curves and the early stop
   * keeps them near the start (C = 1, beta = gamma = 0.5). Test PredE / WorstE (`scalelaw reproduce
   * mpl-25m`, `mpl-100m`; published 0.00110 / 0.00409 and 0.00142 / 0.00583): converged 25M 0.00137 /
   * 0.00360, 100M 0.00148 / 0.00464 (gamma ends on its bound of 1, which the fit reports);
   * early-stopped 25M 0.00083 / 0.00301, 100M 0.00131 / 0.00543.
   * @default 'lbfgsb'
   */
  optimizer?: 'lbfgsb' | 'adamw-early-stopped' | 'adamw';
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
  /** Central level of the bootstrap percentile intervals of the parameters. @default 0.95 */
  level?: number;
  /** Seed of the bootstrap (and of the early-stopped fit's jittered starts). @default 0 */
  seed?: number;
  /** Date stamped on the result (ISO). @default now */
  date?: string;
  /** Free text kept in the result. */
  notes?: string;
}

/**
 * Fits a whole-curve law to one or several loss curves at once: the sum over every point of
 * Huber(1e-3) on log residuals, minimised with the law's analytic gradient by L-BFGS-B to
 * convergence from data-driven starts, keeping the best (or by Luo et al. 2025's early-stopped
 * AdamW, see `optimizer`). The result records where it stopped short: an iteration cap, a bound, a
 * parameter the curves do not identify (`warnings`).
 *
 * @example
 * const fit = fitCurves([{ name: 'cosine', schedule: spec, steps, loss }], { law: 'mpl' });
 * fit.predict({ type: 'wsd', peak: 3e-4, steps: 24000, cooldownFraction: 0.2, warmup: 2160 });
 */
export function fitCurves(curves: readonly CurveInput[], options: CurveFitOptions = {}): CurveFit {
  const law = typeof options.law === 'object' ? options.law : getLaw<CurvePoints>(options.law ?? 'mpl');
  const { loss = huber(1e-3), bounds = {}, resamples = 0, resampleBy = 'points', seed = 0, level = 0.95 } = options;
  const { fixed = {} } = options;
  const settings = { maxIterations: 15000, factr: 10, pgtol: 1e-10, ...options.lbfgsb };
  const requested = options.optimizer ?? 'lbfgsb';
  if (requested !== 'adamw-early-stopped' && requested !== 'adamw' && requested !== 'lbfgsb') {
    throw new InputError(`optimizer: not "lbfgsb" or "adamw-early-stopped": ${show(requested)}`, 'optimizer');
  }
  const optimizer = requested === 'lbfgsb' ? 'lbfgsb' : 'adamw';
  const adamSettings = { maxSteps: 200, patience: 20, weightDecay: 0.01, members: 4, ...options.adamw, rates: options.adamw?.rates ?? {} };
  if (!Number.isInteger(adamSettings.members) || adamSettings.members < 1) throw new InputError(`adamw.members: not a positive integer: ${show(adamSettings.members)}`, 'members');
  if (!Number.isInteger(resamples) || resamples < 0) throw new InputError(`resamples: not a non-negative integer: ${show(resamples)}`, 'resamples');
  if (resampleBy !== 'points' && resampleBy !== 'curves') throw new InputError(`resampleBy: not "points" or "curves": ${show(resampleBy)}`, 'resampleBy');
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
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
  const run: FitSettings = { loss, fixed, bounds, settings, optimizer, adamw: adamSettings, seed };
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

  const obj = objective(law, x, y!, { loss, space: 'log', fixed, bounds });
  let params: FitParam[] = law.params.map((spec, j) => {
    const [min, max] = obj.naturalBounds[j]!;
    return { name: spec.name, value: best.values[j]!, min, max, fixed: fixed[spec.name] !== undefined, atBound: best.atBound.includes(spec.name) };
  });

  let bootstrap: BootstrapRecord | undefined;
  if (resamples > 0) {
    // L-BFGS-B resamples start from the optimum; early-stopped AdamW ones rerun the whole
    // procedure from the start that won, as stopping early is part of the estimator.
    const start = optimizer === 'adamw' ? starts[best.start]! : Object.fromEntries(law.params.map((p, j) => [p.name, best.values[j]!]));
    const draws = resampleDraws(x.length, resamples, seed, resampleBy === 'curves' ? { groups: x.curve, size: 'groups' } : {});
    let unconverged = 0;
    const samples = draws.map((rows) => {
      const fit = estimate(
        law,
        selectPoints(x, rows),
        Float64Array.from(rows, (i) => y![i]!),
        [start],
        run,
      );
      if (!fit.converged) unconverged++;
      return fit.values;
    });
    bootstrap = { resamples, seed, level, by: resampleBy, starts: 1, unconverged, samples };
    if (resamples >= 2) params = withIntervals(params, samples, level);
  }

  // The objective's space (log residuals, unweighted), as the scaling fit's report.
  const ident = identifiability(law, x, y!, Float64Array.from(best.values), { space: 'log', fixed, bounds, atBound: best.atBound });
  params = withCovarianceStderr(params, ident.stderr);
  const warnings = [...best.warnings, ...params.filter((p) => p.atBound && !p.fixed).map((p) => atBoundWarning(p)), ...ident.warnings];
  if (!best.converged) warn(`curve fit of law ${show(law.name)} did not converge: ${best.message}`);
  return new CurveFit({
    law: law.name,
    formula: law.formula,
    params,
    objective: { loss: loss.name, settings: { ...loss.settings }, space: 'log', value: best.f },
    converged: best.converged,
    message: best.message,
    warnings,
    statistics: ident.statistics,
    correlations: ident.correlations,
    starts: { count: starts.length, converged: best.startsConverged },
    optimizer:
      optimizer === 'adamw'
        ? { name: 'adamw-early-stopped', settings: { maxSteps: adamSettings.maxSteps, patience: adamSettings.patience, weightDecay: adamSettings.weightDecay, members: adamSettings.members } }
        : { name: 'lbfgsb', settings: { ...settings } },
    curves: curveSummaries,
    date: options.date ?? new Date().toISOString(),
    ...(bootstrap ? { bootstrap } : {}),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
  });
}

interface Best {
  /** Index of the start it came from. */
  start: number;
  values: number[];
  f: number;
  converged: boolean;
  message: string;
  atBound: string[];
  /** Where the optimizer stopped short (iteration caps). */
  warnings: FitWarning[];
  /** Starts whose run converged. */
  startsConverged: number;
  /** For AdamW fits: steps taken and why it stopped. */
  adam?: { steps: number; reason: string };
}

/**
 * The estimator: the best fit over the starts; for early-stopped AdamW, the mean of the parameters
 * of `members` fits from the best start and jittered copies of it (see `CurveFitOptions.adamw`).
 */
function estimate(law: Law<CurvePoints>, x: CurvePoints, y: Float64Array, starts: readonly Readonly<Record<string, number>>[], o: FitSettings): Best {
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
  const capped = fits.filter((fit) => fit.warnings.some((w) => w.code === 'iteration-limit')).length;
  return {
    start: best.start,
    values,
    f,
    warnings: capped ? [capWarning(`${capped} of ${members} early-stopped AdamW fits stopped on the ${o.adamw.maxSteps}-step cap`)] : [],
    startsConverged: best.startsConverged,
    converged: fits.every((fit) => fit.converged),
    message: `AdamW, mean of ${members} early-stopped fits (${Math.min(...steps)}-${Math.max(...steps)} steps each); best single fit: ${best.adam!.reason}`,
    atBound,
  };
}

/** L-BFGS-B or AdamW from every start (natural units by name), keeping the lowest objective. */
function fitFrom(law: Law<CurvePoints>, x: CurvePoints, y: Float64Array, starts: readonly Readonly<Record<string, number>>[], o: FitSettings): Best {
  const obj = objective(law, x, y, { loss: o.loss, space: 'log', fixed: o.fixed, bounds: o.bounds });
  let best: Best | undefined;
  let convergedCount = 0;
  starts.forEach((start, index) => {
    const natural = Float64Array.from(law.params, (p) => o.fixed[p.name] ?? start[p.name] ?? p.init ?? 1);
    const theta = obj.toInternal(natural);
    for (let k = 0; k < theta.length; k++) theta[k] = Math.min(Math.max(theta[k]!, obj.lower[k]!), obj.upper[k]!);
    const result = o.optimizer === 'adamw' ? adamwFrom(law, obj, theta, o.adamw) : lbfgsbFrom(obj, theta, o.settings);
    if (result.converged) convergedCount++;
    if (!Number.isFinite(result.f)) return;
    if (best && result.f >= best.f) return;
    const values = Array.from(obj.toNatural(result.x));
    const atBound = namesAtBound(law, obj, result.x);
    const warnings = result.capped
      ? [
          capWarning(
            o.optimizer === 'adamw'
              ? `AdamW stopped on its ${o.adamw.maxSteps}-step cap before its patience rule`
              : `L-BFGS-B stopped on its limit of ${o.settings.maxIterations} iterations: ${result.message}`,
          ),
        ]
      : [];
    best = { start: index, values, f: result.f, converged: result.converged, message: result.message, atBound, warnings, startsConverged: 0, ...('adam' in result ? { adam: result.adam } : {}) };
  });
  if (!best) throw new FitError(`law ${show(law.name)}: no start reached a finite objective (${starts.length} starts)`);
  const found: Best = best;
  found.startsConverged = convergedCount;
  return found;
}

function lbfgsbFrom(obj: ReturnType<typeof objective>, theta: Float64Array, settings: FitSettings['settings']) {
  const result = lbfgsb(obj.valueAndGradient, theta, { lower: obj.lower, upper: obj.upper, ...settings });
  return { ...result, capped: result.status === 'max-iterations' || result.status === 'max-evaluations' };
}

function capWarning(message: string): FitWarning {
  return { code: 'iteration-limit', message: `stopped on an iteration cap, not at an optimum: ${message}` };
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
    obj.free.forEach((j, k) => {
      full[j] = u[k]!;
    });
    return obj.toInternal(full, internal);
  };
  const result = adamw(
    (u, g) => {
      const f = obj.valueAndGradient(toInternal(u), gInternal);
      for (let k = 0; k < u.length; k++) g[k] = isLog[k] ? gInternal[k]! / u[k]! : gInternal[k]!;
      return f;
    },
    start,
    {
      rate,
      maxSteps: o.maxSteps,
      patience: o.patience,
      weightDecay: o.weightDecay,
      lower: obj.free.map((j) => obj.naturalBounds[j]![0]),
      upper: obj.free.map((j) => obj.naturalBounds[j]![1]),
    },
  );
  return {
    x: toInternal(result.x).slice(),
    f: result.f,
    converged: result.stop === 'patience' || result.stop === 'gradient',
    message: `AdamW, ${result.steps} steps: ${result.message}`,
    capped: result.stop === 'max-steps',
    adam: { steps: result.steps, reason: result.message },
  };
}
