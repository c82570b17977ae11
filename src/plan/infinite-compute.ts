// Kim et al. 2025, "Pre-training under infinite compute" (arXiv 2509.14786): at a fixed budget of
// unique tokens, the asymptote of a regularised recipe's power law in N, ensembles of K members as
// the alternative to one larger model, and the planner's comparison of the recipes.
import { InputError, show } from '../core/errors.js';
import type { ObservationTable } from '../core/observations.js';
import { formatNumber, formatTable } from '../core/format.js';
import { rng } from '../core/rng.js';
import { quantile } from '../core/stats.js';
import { fitLaw } from '../fit/fit.js';
import { squared } from '../fit/objective.js';
import type { ScalingFit } from '../fit/result.js';
import { parametersForUniqueTokens, type DataConstrainedValues } from '../laws/data-constrained.js';
import { ensembleMembers } from '../laws/ensemble-members.js';
import type { Inputs, Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';
import { dataConstrainedOptimum } from './data-constrained.js';

/** An asymptote with its percentile interval. */
export interface Asymptote {
  value: number;
  /** Percentile interval at `level` over the resampled fits; absent where none could be drawn. */
  interval?: [number, number];
  level: number;
}

/** An asymptote E with its percentile interval over resampled fits (none from fewer than 2). */
function asymptoteOf(value: number, level: number, samples: readonly { E: number }[]): Asymptote {
  return samples.length >= 2
    ? {
        value,
        level,
        interval: percentile(
          samples.map((s) => s.E),
          level,
        ),
      }
    : { value, level };
}

/** Options of `fitParameterScaling` and `fitEnsembleScaling`. */
export interface AsymptoteFitOptions {
  /** Resampled fits for the intervals (0: none). @default 200 */
  resamples?: number;
  /** Seed of the resampling. @default 0 */
  seed?: number;
  /** Central level of the intervals. @default 0.9 */
  level?: number;
  /**
   * The seed-to-seed standard deviation of one run's loss, where it is known (e.g. from repeated
   * seeds): the intervals then come from a parametric bootstrap, y* = fitted + noise z. Without it,
   * from a residual bootstrap (residuals centred and scaled by sqrt(n / (n - 3))), which needs more
   * points than the law's 3 parameters and rests on n - 3 degrees of freedom. @default residuals
   */
  noise?: number;
  /** Names the data in messages. @default 'runs' */
  source?: string;
}

/**
 * A power law with an asymptote, L(x) = E + A / x^alpha, fitted by least squares on the loss, as
 * Kim et al. fit theirs (scipy's curve_fit, all parameters non-negative), with resampled fits.
 */
export interface AsymptoteFit {
  /** The law fitted: `power-N` (parameter scaling) or `ensemble-K` (members). */
  law: string;
  variable: 'N' | 'K';
  E: number;
  A: number;
  alpha: number;
  /** E: the loss as the variable goes to infinity, with its interval. */
  asymptote: Asymptote;
  /** Resampled parameter sets, in the order E, A, alpha. */
  samples: { E: number; A: number; alpha: number }[];
  /** How the samples were drawn. */
  resampling: 'residuals' | 'noise' | 'none';
  /** Smallest and largest value of the variable fitted on. */
  range: [number, number];
  points: number;
  /** Root mean square residual of the fit, in loss. */
  rmse: number;
  /** Bounds hit, unidentified parameters, thin residual scatter, non-monotone data. */
  warnings: string[];
  /** The full fit (parameters, correlations, statistics, the engine's own warnings). */
  fit: ScalingFit;
}

const LAW_NAME = { N: 'power-N', K: 'ensemble-K' } as const;

function lawFor(variable: 'N' | 'K'): Law<Inputs> {
  return variable === 'K' ? ensembleMembers : getLaw<Inputs>(LAW_NAME.N);
}

function checkPoints(x: readonly number[], y: readonly number[], variable: string, source: string): void {
  if (x.length !== y.length) throw new InputError(`${source}: ${x.length} values of ${variable} but ${y.length} losses`, variable);
  for (let i = 0; i < x.length; i++) {
    if (!(x[i]! > 0) || !Number.isFinite(x[i]!)) throw new InputError(`${source}: row ${i + 1}, column ${variable}: must be positive and finite, got ${show(x[i])}`, variable);
    if (!(y[i]! > 0) || !Number.isFinite(y[i]!)) throw new InputError(`${source}: row ${i + 1}, column loss: must be positive and finite, got ${show(y[i])}`, 'loss');
  }
  const distinct = new Set(x).size;
  if (distinct < 3) throw new InputError(`${source}: ${distinct} distinct values of ${variable}; a power law with an asymptote (3 parameters) needs at least 3`, variable);
}

/** The asymptote lies below every loss seen: start E at fractions of the lowest. */
function startsFor(y: readonly number[]): readonly number[] {
  const low = Math.min(...y);
  return [0.5, 0.8, 0.9, 0.97].map((f) => f * low);
}

const FIT_BOUNDS = { alpha: [0, 10] as const };

/**
 * Fits L(x) = E + A / x^alpha to the points and draws resampled fits, each refitted from the full
 * fit's optima by the same engine (multistart L-BFGS-B, squared loss on linear residuals).
 */
async function fitAsymptoteLaw(variable: 'N' | 'K', x: readonly number[], y: readonly number[], options: AsymptoteFitOptions, what: string): Promise<AsymptoteFit> {
  const { resamples = 200, seed = 0, level = 0.9, noise, source = 'runs' } = options;
  if (!(Number.isInteger(resamples) && resamples >= 0)) throw new InputError(`resamples: must be a non-negative integer, got ${show(resamples)}`, 'resamples');
  if (!(level > 0 && level < 1)) throw new InputError(`level: must be in (0, 1), got ${show(level)}`, 'level');
  if (noise !== undefined && !(noise > 0 && Number.isFinite(noise))) throw new InputError(`noise: must be a positive finite number, got ${show(noise)}`, 'noise');
  checkPoints(x, y, variable, source);
  const law = lawFor(variable);
  const common = { loss: squared(), space: 'linear' as const, bounds: FIT_BOUNDS, threads: 1 };
  const data = (values: readonly number[]) => ({ inputs: { [variable]: Float64Array.from(x) }, loss: Float64Array.from(values), source: `${source} (${what})` });
  const fit = await fitLaw(law, data(y), { ...common, grid: { E: startsFor(y) } });
  const [E, A, alpha] = [fit.values.E!, fit.values.A!, fit.values.alpha!];
  const fitted = x.map((v) => E + A * v ** -alpha);
  const residuals = y.map((v, i) => v - fitted[i]!);
  const n = x.length;
  const rmse = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / n);
  const warnings = (fit.warnings ?? []).map((w) => `${what}: ${w.message}`);
  const samples: AsymptoteFit['samples'] = [];
  let resampling: AsymptoteFit['resampling'] = noise !== undefined ? 'noise' : 'residuals';
  const dof = n - 3;
  if (resamples === 0) resampling = 'none';
  else if (resampling === 'residuals' && dof < 1) {
    resampling = 'none';
    warnings.push(`${what}: ${n} points for 3 parameters leave no residual scatter to resample: no interval (give the seed-to-seed noise to draw one)`);
  }
  if (resampling !== 'none') {
    if (resampling === 'residuals' && dof < 3)
      warnings.push(`${what}: the interval rests on ${dof} degree${dof === 1 ? '' : 's'} of freedom of residual scatter (${n} points, 3 parameters): treat it as rough`);
    const mean = residuals.reduce((s, r) => s + r, 0) / n;
    const scale = Math.sqrt(n / Math.max(dof, 1));
    const centred = residuals.map((r) => (r - mean) * scale);
    const random = rng(seed);
    const starts = [{ E, A, alpha }, ...(fit.optima ?? []).slice(1, 4).map((o) => ({ E: o[0]!, A: o[1]!, alpha: o[2]! }))];
    let failed = 0;
    for (let b = 0; b < resamples; b++) {
      const ystar = fitted.map((f) => f + (resampling === 'noise' ? noise! * random.normal() : centred[random.int(n)]!));
      if (ystar.some((v) => !(v > 0))) {
        failed++;
        continue;
      }
      const refit = await fitLaw(law, data(ystar), { ...common, starts, keepOptima: 1 });
      samples.push({ E: refit.values.E!, A: refit.values.A!, alpha: refit.values.alpha! });
    }
    if (failed > 0) warnings.push(`${what}: ${failed} of ${resamples} resamples drew a non-positive loss and were left out`);
  }
  const asymptote = asymptoteOf(E, level, samples);
  if (asymptote.interval && asymptote.interval[0] <= 1e-6 * Math.max(E, 1))
    warnings.push(`${what}: the asymptote's interval reaches 0: the points do not bound it from below (more or larger ${variable === 'N' ? 'models' : 'ensembles'} would)`);
  if (alpha <= 1e-6) warnings.push(`${what}: the exponent is 0: the loss does not fall with ${variable} in these points, so there is no asymptote to speak of`);
  const order = x.map((_, i) => i).sort((i, j) => x[i]! - x[j]!);
  const rises = order.slice(1).filter((i, k) => y[i]! > y[order[k]!]! + 1e-12 && x[i]! > x[order[k]!]!).length;
  if (rises > 0)
    warnings.push(
      `${what}: the loss rises with ${variable} between ${rises} pair${rises === 1 ? '' : 's'} of neighbouring points: Kim et al.'s asymptote assumes a recipe whose loss falls monotonically (for N: tune weight decay, epochs and learning rate per size)`,
    );
  const range: [number, number] = [Math.min(...x), Math.max(...x)];
  return { law: law.name, variable, E, A, alpha, asymptote, samples, resampling, range, points: n, rmse, warnings, fit };
}

function percentile(values: number[], level: number): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
}

/**
 * Kim et al. 2025's regularised parameter scaling at one data budget D (section 3, figure 3): the
 * best loss of each model size N (weight decay, epochs and learning rate tuned per size) fitted by
 * L(N) = E_D + A / N^alpha; E_D, the headline, is the best loss this recipe reaches on these tokens
 * with unlimited compute. They fit 4 sizes (150M to 1.4B) and find, at 200M tokens,
 * L = 0.05 / N^1.02 + 3.43 (N in billions).
 *
 * @example const r = await fitParameterScaling([{ N: 1.5e8, loss: 3.75 }, { N: 3e8, loss: 3.6 }, { N: 6e8, loss: 3.53 }, { N: 1.4e9, loss: 3.48 }]); r.asymptote.value
 */
export async function fitParameterScaling(points: readonly { N: number; loss: number }[], options: AsymptoteFitOptions = {}): Promise<AsymptoteFit> {
  return fitAsymptoteLaw(
    'N',
    points.map((p) => p.N),
    points.map((p) => p.loss),
    options,
    'parameter scaling',
  );
}

/** One member size's ensemble law, L_N(K) = E_N + A_N / K^alpha_N. */
export interface MemberScaling extends AsymptoteFit {
  /** Parameters of each member. */
  N: number;
}

/** Kim et al.'s ensemble scaling at one data budget: a law in K per member size, and the asymptote of their asymptotes. */
export interface EnsembleScaling {
  /** One fit per member size with at least 3 distinct member counts, by N ascending. */
  members: MemberScaling[];
  /**
   * The K -> infinity asymptotes fitted as a power law in N (Kim et al., section 4.3, figure 6):
   * its E is lim N -> inf lim K -> inf, the best loss on these tokens. Its samples propagate the
   * members' resampled asymptotes (resample b of every member size, fitted again). Absent with
   * fewer than 3 member sizes.
   */
  joint?: AsymptoteFit;
  warnings: string[];
}

/**
 * Fits Kim et al.'s ensemble scaling (section 4, figures 4 and 6): for each member size N, the
 * loss of K-member ensembles as L_N(K) = E_N + A_N / K^alpha_N (they use K = 1 to 5), then the
 * asymptotes E_N as a power law in N, whose asymptote is the joint N, K -> infinity limit (3.17 at
 * 200M tokens in their runs, against 3.43 for one ever larger model).
 */
export async function fitEnsembleScaling(points: readonly { N: number; K: number; loss: number }[], options: AsymptoteFitOptions = {}): Promise<EnsembleScaling> {
  const { level = 0.9, source = 'runs', seed = 0 } = options;
  // Each member size draws its own resamples: with one seed for all, resample b would shift every
  // size's asymptote the same way, and the joint interval would miss the curvature's uncertainty.
  const seeds = rng(seed);
  for (const [i, p] of points.entries()) {
    if (!(Number.isInteger(p.K) && p.K >= 1)) throw new InputError(`${source}: row ${i + 1}, column K: must be a whole number of members, at least 1, got ${show(p.K)}`, 'K');
  }
  const sizes = [...new Set(points.map((p) => p.N))].sort((a, b) => a - b);
  const members: MemberScaling[] = [];
  const warnings: string[] = [];
  for (const N of sizes) {
    const rows = points.filter((p) => p.N === N);
    const counts = new Set(rows.map((p) => p.K)).size;
    if (counts < 3) {
      warnings.push(`ensembles of N = ${formatNumber(N, 3)}: ${counts} distinct member count${counts === 1 ? '' : 's'}, fewer than the 3 a law in K needs: left out`);
      continue;
    }
    const fit = await fitAsymptoteLaw(
      'K',
      rows.map((p) => p.K),
      rows.map((p) => p.loss),
      { ...options, source, seed: seeds.int(2 ** 31) },
      `ensembles of N = ${formatNumber(N, 3)}`,
    );
    members.push({ ...fit, N });
    warnings.push(...fit.warnings);
  }
  if (members.length === 0) throw new InputError(`${source}: no member size has runs at 3 or more distinct K; ensemble scaling needs them`, 'K');
  if (members.length < 3) {
    warnings.push(`${members.length} member size${members.length === 1 ? '' : 's'} with an ensemble law: the joint N, K -> infinity asymptote needs 3 or more`);
    return { members, warnings };
  }
  const x = members.map((m) => m.N);
  const joint = await fitAsymptoteLaw(
    'N',
    x,
    members.map((m) => m.E),
    { ...options, resamples: 0, source },
    'joint scaling (K -> infinity asymptotes in N)',
  );
  // Propagate: resample b of every member's asymptote, fitted again in N.
  const draws = Math.min(...members.map((m) => m.samples.length));
  const samples: AsymptoteFit['samples'] = [];
  const law = lawFor('N');
  for (let b = 0; b < draws; b++) {
    const y = members.map((m) => m.samples[b]!.E);
    const refit = await fitLaw(
      law,
      { inputs: { N: Float64Array.from(x) }, loss: Float64Array.from(y), source: `${source} (joint scaling, resample ${b + 1})` },
      { loss: squared(), space: 'linear', bounds: FIT_BOUNDS, threads: 1, starts: [{ E: joint.E, A: joint.A, alpha: joint.alpha }], keepOptima: 1 },
    );
    samples.push({ E: refit.values.E!, A: refit.values.A!, alpha: refit.values.alpha! });
  }
  const withInterval: AsymptoteFit = {
    ...joint,
    samples,
    resampling: draws > 0 ? members[0]!.resampling : 'none',
    asymptote: asymptoteOf(joint.E, level, samples),
    warnings: joint.warnings.filter((w) => !w.includes('no residual scatter')),
  };
  if (members.length === 3) withInterval.warnings.push('joint scaling: 3 member sizes for 3 parameters: the law in N passes through every asymptote, so its own fit says nothing of its error');
  if (withInterval.asymptote.interval && withInterval.asymptote.interval[0] <= 1e-6 * Math.max(joint.E, 1))
    withInterval.warnings.push('joint scaling: the interval of the N, K -> infinity asymptote reaches 0: the member sizes do not bound it from below');
  warnings.push(...withInterval.warnings);
  return { members, joint: withInterval, warnings };
}

/** L = E + A x^-alpha with a percentile interval over the samples. */
export function predictAsymptoteFit(fit: AsymptoteFit, x: number): { value: number; interval?: [number, number] } {
  const at = (p: { E: number; A: number; alpha: number }) => p.E + p.A * x ** -p.alpha;
  return { value: at(fit), ...(fit.samples.length >= 2 ? { interval: percentile(fit.samples.map(at), fit.asymptote.level) } : {}) };
}

/**
 * Tokens each run trained on (epochs x unique tokens), as a function of N: interpolated in log N
 * between the median at each size of the runs, held at the nearest size outside them (Kim et al.
 * tune epochs per size; a larger model keeps the largest one's).
 */
export function tokensBySize(runs: readonly { N: number; tokens: number }[]): (N: number) => number {
  const sizes = [...new Set(runs.map((r) => r.N))].sort((a, b) => a - b);
  if (sizes.length === 0) throw new InputError('runs: no runs to read training tokens from', 'D');
  const logT = sizes.map((N) => {
    const t = runs
      .filter((r) => r.N === N)
      .map((r) => r.tokens)
      .sort((a, b) => a - b);
    return Math.log(quantile(t, 0.5));
  });
  const logN = sizes.map(Math.log);
  return (N) => {
    const l = Math.log(N);
    if (l <= logN[0]!) return Math.exp(logT[0]!);
    if (l >= logN.at(-1)!) return Math.exp(logT.at(-1)!);
    let k = 0;
    while (logN[k + 1]! < l) k++;
    const w = (l - logN[k]!) / (logN[k + 1]! - logN[k]!);
    return Math.exp(logT[k]! + w * (logT[k + 1]! - logT[k]!));
  };
}

/** One way to spend the budget on the unique tokens. */
export interface FixedDataCandidate {
  recipe: 'more epochs' | 'bigger model' | 'ensemble';
  /** One line: what is trained. */
  description: string;
  /** Parameters of each model (each member, for an ensemble). */
  N: number;
  /** Members (1 for a single model). */
  K: number;
  /** Tokens each model trains on. */
  tokens: number;
  /** tokens / U. */
  epochs: number;
  /** Training FLOPs of all K models: 6 N tokens K. */
  compute: number;
  /** Predicted loss, with its interval (percentile over the resampled fits) where there are samples. */
  loss: number;
  interval?: [number, number];
  /** The loss the recipe approaches with unlimited compute on these tokens. */
  limit?: { value: number; interval?: [number, number]; what: string };
  warnings: string[];
}

/** Options of `compareAtFixedData`. */
export interface FixedDataOptions {
  /** Unique tokens U. */
  uniqueTokens: number;
  /** Training FLOPs to spend. */
  compute: number;
  /** "More epochs": Muennighoff et al.'s data-constrained law, with resampled values for an interval. */
  epochs?: { values: DataConstrainedValues; samples?: readonly DataConstrainedValues[]; source: string };
  /** "Bigger model": Kim et al.'s regularised parameter scaling at U, with the tokens its runs trained on by size. */
  parameters?: { fit: AsymptoteFit; tokens: (N: number) => number; source: string };
  /** "Ensemble of K": Kim et al.'s ensemble scaling at U, with its members' training tokens by size. */
  ensembles?: { fit: EnsembleScaling; tokens: (N: number) => number; source: string };
  /** How far past the fitted sizes or member counts a prediction may go before it is flagged. @default 10 */
  margin?: number;
}

/** The comparison: every candidate, the best, and what the rows rest on. */
export interface FixedDataComparison {
  uniqueTokens: number;
  compute: number;
  level: number;
  candidates: FixedDataCandidate[];
  /** Index into `candidates` of the lowest predicted loss. */
  best: number;
  /** E_D: the regularised recipe's asymptote in N, the best loss one model reaches on these tokens. */
  regularized?: Asymptote;
  /** The N, K -> infinity asymptote of the ensemble scaling, where there is one. */
  joint?: Asymptote;
  warnings: string[];
}

/**
 * At a fixed budget of U unique tokens and C FLOPs, what each way of spending C predicts (Kim et
 * al. 2025, section 4; Muennighoff et al. 2023): "more epochs", the data-constrained optimum (N and
 * epochs of the data-constrained law); "bigger model", the largest model of the regularised recipe
 * whose run fits in C (its epochs as its runs used them), on the power law in N; "ensemble of K",
 * for each member size with an ensemble law, as many members as C pays for. Each with its compute,
 * predicted loss and interval, and the loss the recipe approaches with unlimited compute.
 */
export function compareAtFixedData(options: FixedDataOptions): FixedDataComparison {
  const { uniqueTokens: U, compute: C, epochs, parameters, ensembles, margin = 10 } = options;
  if (!(U > 0 && Number.isFinite(U))) throw new InputError(`uniqueTokens: must be a positive finite number, got ${show(U)}`, 'uniqueTokens');
  if (!(C > 0 && Number.isFinite(C))) throw new InputError(`compute: must be a positive finite number, got ${show(C)}`, 'compute');
  if (!(margin >= 1)) throw new InputError(`margin: must be at least 1, got ${show(margin)}`, 'margin');
  if (!epochs && !parameters && !ensembles) throw new InputError('compareAtFixedData: give at least one of epochs, parameters and ensembles', 'options');
  const level = parameters?.fit.asymptote.level ?? ensembles?.fit.members[0]?.asymptote.level ?? 0.9;
  const candidates: FixedDataCandidate[] = [];
  const warnings: string[] = [];
  const f = (x: number) => formatNumber(x, 3);
  if (epochs) {
    const a = dataConstrainedOptimum(epochs.values, C, U);
    const draws = (epochs.samples ?? []).map((v) => dataConstrainedOptimum(v, C, U).loss);
    const v = epochs.values;
    const UN = parametersForUniqueTokens(v, U);
    const floor = v.E + v.A / (UN * (1 + v.RN)) ** v.alpha + v.B / (U * (1 + v.RD)) ** v.beta;
    candidates.push({
      recipe: 'more epochs',
      description: `one model of N = ${f(a.N)} for ${formatNumber(a.epochs, 3)} epochs (data-constrained optimum, Muennighoff et al. 2023)`,
      N: a.N,
      K: 1,
      tokens: a.D,
      epochs: a.epochs,
      compute: C,
      loss: a.loss,
      ...(draws.length >= 2 ? { interval: percentile(draws, level) } : {}),
      limit: { value: floor, what: 'the data-constrained law at unlimited compute on U tokens' },
      warnings: draws.length >= 2 ? [] : [`no resampled values of ${epochs.source}: its loss has no interval`],
    });
  }
  if (parameters) {
    const { fit, tokens } = parameters;
    // The largest N whose run, at the tokens its size trains on, fits in C.
    const lo = Math.log(fit.range[0] / 1e3),
      hi = Math.log(fit.range[1] * 1e9);
    let N: number | undefined;
    for (let k = 0; k <= 2000; k++) {
      const candidate = Math.exp(lo + ((hi - lo) * k) / 2000);
      if (6 * candidate * tokens(candidate) <= C) N = candidate;
    }
    const w: string[] = [];
    if (N === undefined) {
      warnings.push(`bigger model: ${f(C)} FLOPs pay for no model of the regularised recipe's sizes at its epochs`);
    } else {
      const p = predictAsymptoteFit(fit, N);
      if (N > fit.range[1] * margin) w.push(`N = ${f(N)} is ${formatNumber(N / fit.range[1], 3)}x the largest size fitted (${f(fit.range[1])}): the power law is extrapolated that far`);
      if (N < fit.range[0]) w.push(`N = ${f(N)} is below the smallest size fitted (${f(fit.range[0])})`);
      const t = tokens(N);
      candidates.push({
        recipe: 'bigger model',
        description: `one model of N = ${f(N)} for ${formatNumber(t / U, 3)} epochs, regularised recipe (Kim et al. 2025)`,
        N,
        K: 1,
        tokens: t,
        epochs: t / U,
        compute: 6 * N * t,
        loss: p.value,
        ...(p.interval ? { interval: p.interval } : {}),
        limit: { value: fit.asymptote.value, ...(fit.asymptote.interval ? { interval: fit.asymptote.interval } : {}), what: 'E_D: the regularised recipe as N -> infinity' },
        warnings: [...w, ...fit.warnings],
      });
    }
  }
  if (ensembles) {
    const { fit, tokens } = ensembles;
    for (const m of fit.members) {
      const t = tokens(m.N);
      const perMember = 6 * m.N * t;
      const K = Math.floor(C / perMember);
      if (K < 1) {
        warnings.push(`ensemble of N = ${f(m.N)}: one member costs ${f(perMember)} FLOPs, more than the budget`);
        continue;
      }
      const p = predictAsymptoteFit(m, K);
      const w: string[] = [];
      if (K > m.range[1] * margin) w.push(`K = ${K} is ${formatNumber(K / m.range[1], 3)}x the most members fitted (${m.range[1]}): the law in K is extrapolated that far`);
      candidates.push({
        recipe: 'ensemble',
        description: `${K} members of N = ${f(m.N)}, ${formatNumber(t / U, 3)} epochs each, logits averaged (Kim et al. 2025)`,
        N: m.N,
        K,
        tokens: t,
        epochs: t / U,
        compute: K * perMember,
        loss: p.value,
        ...(p.interval ? { interval: p.interval } : {}),
        limit: { value: m.asymptote.value, ...(m.asymptote.interval ? { interval: m.asymptote.interval } : {}), what: `E_N: ensembles of N = ${f(m.N)} as K -> infinity` },
        warnings: [...w, ...m.warnings],
      });
    }
    warnings.push(...fit.warnings.filter((x) => x.startsWith('joint') || x.includes('member size')));
  }
  if (candidates.length === 0) throw new InputError(`compute: ${f(C)} FLOPs pay for none of the recipes compared`, 'compute');
  if (epochs && (parameters || ensembles)) {
    const kim = [...new Set([parameters?.source, ensembles?.source].filter(Boolean))].join(', ');
    warnings.push(`"more epochs" comes from ${epochs.source}, the other rows from ${kim}: their losses compare only where both describe the same data, tokenizer and evaluation`);
  }
  let best = 0;
  candidates.forEach((c, i) => {
    if (c.loss < candidates[best]!.loss) best = i;
  });
  return {
    uniqueTokens: U,
    compute: C,
    level,
    candidates,
    best,
    ...(parameters ? { regularized: parameters.fit.asymptote } : {}),
    ...(ensembles?.fit.joint ? { joint: ensembles.fit.joint.asymptote } : {}),
    warnings,
  };
}

/** The comparison as a table and a few lines, for the plan's text report. */
export function fixedDataReport(c: FixedDataComparison): string {
  const pct = `${Math.round(c.level * 100)}%`;
  const interval = (i?: [number, number]) => (i ? `${formatNumber(i[0], 4)} to ${formatNumber(i[1], 4)}` : '-');
  const rows = c.candidates.map((x, i) => [
    x.recipe,
    i === c.best ? '*' : '',
    x.N,
    x.K,
    x.epochs,
    x.compute,
    x.loss,
    x.interval?.[0] ?? '-',
    x.interval?.[1] ?? '-',
    x.limit ? x.limit.value : '-',
    x.limit?.interval?.[0] ?? '-',
    x.limit?.interval?.[1] ?? '-',
  ]);
  const lines = [
    `At U = ${formatNumber(c.uniqueTokens, 3)} unique tokens and ${formatNumber(c.compute, 3)} FLOPs (Kim et al. 2025; * lowest predicted loss; limit: the loss with unlimited compute):`,
    formatTable(rows, ['recipe', 'best', 'N', 'K', 'epochs', 'FLOPs', 'loss', `${pct} low`, `${pct} high`, 'limit', `limit ${pct} low`, `limit ${pct} high`]),
    ...c.candidates.map((x) => `  ${x.recipe}: ${x.description}${x.limit ? `; limit: ${x.limit.what}` : ''}`),
  ];
  if (c.regularized)
    lines.push(
      `  best loss one model reaches on these tokens (regularised recipe, N -> infinity): E_D = ${formatNumber(c.regularized.value, 4)}${c.regularized.interval ? `, ${pct} interval ${interval(c.regularized.interval)}` : ''}`,
    );
  if (c.joint)
    lines.push(`  ensembles as N, K -> infinity (asymptote of the asymptotes): ${formatNumber(c.joint.value, 4)}${c.joint.interval ? `, ${pct} interval ${interval(c.joint.interval)}` : ''}`);
  const all = [...c.warnings, ...c.candidates.flatMap((x) => x.warnings.map((w) => `${x.recipe}: ${w}`))];
  for (const w of [...new Set(all)]) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** Runs at one unique-token budget, split for `fitParameterScaling` and `fitEnsembleScaling`. */
export interface FixedDataRuns {
  /** Single models (K = 1) of the regularised recipe, with the tokens each trained on. */
  single: { N: number; loss: number; tokens: number }[];
  /** Ensembles: the loss of K members of N parameters, each trained on `tokens`. */
  ensemble: { N: number; K: number; loss: number; tokens: number }[];
  /**
   * Pooled seed-to-seed standard deviation of the loss over configurations run more than once
   * (same N, K and recipe), where there are any: the intervals then use it (parametric bootstrap).
   */
  noise?: number;
  warnings: string[];
}

/**
 * Picks a table of runs apart for Kim et al.'s fits at U unique tokens. Columns: N, loss, D (tokens
 * trained, epochs x U; or `epochs`), optional K (members of the ensemble whose loss the row is;
 * default 1), U (rows within 1% of U are kept; without it every row is taken to be at U) and
 * `recipe` ('single' rows feed only the parameter scaling, 'ensemble' rows only the ensemble laws;
 * without it K = 1 rows feed both, as one model is a one-member ensemble).
 */
export function fixedDataRuns(table: ObservationTable, U: number, source = table.source): FixedDataRuns {
  const f = (x: number) => formatNumber(x, 3);
  if (!table.N) throw new InputError(`${source}: no N column (parameters); Kim et al.'s laws are in N`, 'N');
  const number = (name: string, i: number): number | undefined => {
    const v = table.extra[name]?.[i];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${source}: row ${i + 1}, column ${name}: not a finite number: ${show(v)}`, name);
    return v;
  };
  const warnings: string[] = [];
  if (!('U' in table.extra)) warnings.push(`${source} has no U column: every run is taken to have seen the ${f(U)} unique tokens planned`);
  const single: FixedDataRuns['single'] = [];
  const ensemble: FixedDataRuns['ensemble'] = [];
  const groups = new Map<string, number[]>();
  const budgets = new Set<number>();
  for (let i = 0; i < table.length; i++) {
    const u = number('U', i);
    if (u !== undefined) {
      budgets.add(u);
      if (Math.abs(u / U - 1) > 0.01) continue;
    }
    const N = table.N[i]!,
      loss = table.loss[i]!;
    const K = number('K', i) ?? 1;
    if (!(Number.isInteger(K) && K >= 1)) throw new InputError(`${source}: row ${i + 1}, column K: must be a whole number of members, at least 1, got ${show(K)}`, 'K');
    const epochs = number('epochs', i);
    const tokens = table.D?.[i] ?? (epochs !== undefined ? epochs * U : undefined);
    if (tokens === undefined) throw new InputError(`${source}: row ${i + 1}: no D (tokens trained) and no epochs: the compute of a run needs one of them`, 'D');
    const recipe = table.extra.recipe?.[i];
    if (recipe !== undefined && recipe !== 'single' && recipe !== 'ensemble' && recipe !== '')
      throw new InputError(`${source}: row ${i + 1}, column recipe: must be single or ensemble, got ${show(recipe)}`, 'recipe');
    if (recipe === 'single' && K !== 1) throw new InputError(`${source}: row ${i + 1}: recipe single with K = ${K}; a single model has K = 1`, 'K');
    if (recipe !== 'ensemble' && K === 1) single.push({ N, loss, tokens });
    if (recipe !== 'single') ensemble.push({ N, K, loss, tokens });
    const key = `${N}|${K}|${recipe ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), loss]);
  }
  if (single.length + ensemble.length === 0)
    throw new InputError(
      `${source}: no runs at U = ${f(U)} (within 1%); the file's U: ${[...budgets]
        .sort((a, b) => a - b)
        .map(f)
        .join(', ')}`,
      'uniqueTokens',
    );
  let ss = 0,
    dof = 0;
  for (const losses of groups.values()) {
    if (losses.length < 2) continue;
    const mean = losses.reduce((s, v) => s + v, 0) / losses.length;
    ss += losses.reduce((s, v) => s + (v - mean) ** 2, 0);
    dof += losses.length - 1;
  }
  const noise = dof > 0 && ss > 0 ? Math.sqrt(ss / dof) : undefined;
  if (noise !== undefined) warnings.push(`seed-to-seed noise ${formatNumber(noise, 3)} (pooled over ${dof} degrees of freedom of repeated configurations) sets the intervals`);
  return { single, ensemble, ...(noise !== undefined ? { noise } : {}), warnings };
}
