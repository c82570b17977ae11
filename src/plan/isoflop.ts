import { InputError, show } from '../core/errors.js';
import { inverseOf, solveLinear } from '../core/linear.js';
import type { ObservationTable } from '../core/observations.js';
import { warn } from '../core/warn.js';
import type { IsoflopChartData } from '../plot/isoflop.js';
import { akima } from './akima.js';
import { bootstrapTrend, checkBootstrapOptions, fitTrend, lineFit, resampleCases, trendReport, type OptimalPoint, type Trend, type TrendBootstrapOptions } from './isoflop-trend.js';

/**
 * Which runs of a budget the parabola is fitted to.
 * - `{ neighbours: k }`: the budget's lowest-loss run and the k nearest sizes on each side of it
 *   (k = 1: the three-point parabola through the minimum and its two neighbours).
 * - `{ factor: f }`: runs with N within a factor f of the centre, N* / f <= N <= N* f, where the
 *   centre starts at the budget's lowest-loss run and moves to the parabola's vertex until the
 *   window stops changing.
 * - `{ loss: t }`: runs whose loss is at most t (nats) above the budget's lowest loss.
 * - `'all'`: every run of the budget (Hoffmann et al. 2022's plain Approach 2).
 */
export type IsoflopWindow = 'all' | { neighbours: number } | { factor: number } | { loss: number };

/** One IsoFLOP budget: the parabola fitted to loss against log N near its minimum, and that minimum. */
export interface IsoflopBucket {
  /** Geometric mean of the bucket's budgets. */
  C: number;
  /** Runs in the budget. */
  rows: number;
  /** Runs inside the window, the parabola's data. */
  windowRows: number;
  /** Row indices (0-based, into the table) of the window's runs, in order of N. */
  window: number[];
  /** Smallest and largest N sampled at this budget, and inside the window. */
  sampled: [number, number];
  windowRange: [number, number];
  /** loss = c0 + c1 log N + c2 (log N)^2 */
  coefficients: [number, number, number];
  /** Minimising N, exp(-c1 / (2 c2)); absent where the budget gave no optimum. */
  N?: number;
  /** Tokens at N: from the window's own (N, D) pairs (log D linear in log N), else C / (k N). */
  D?: number;
  /** The parabola's value at N. */
  loss?: number;
  /**
   * Variance of log N_opt per unit loss-noise variance (the delta method through the parabola's
   * least-squares covariance): a flat or thinly sampled profile pins its minimum down less well.
   */
  vertexVariance?: number;
  /** Why the bucket gave no optimum (it is left out of the power-law fit). */
  skipped?: string;
  /** What to be wary of in a bucket that was kept. */
  notes: string[];
}

/** The result of `isoflop`: the loss-optimal model size per compute budget, the power laws through them, and `report()`. */
export interface IsoflopResult extends Trend {
  approach: 2;
  estimator: 'parabola' | 'akima';
  /** The parabola's window (absent for 'akima', which uses every run of a budget). */
  window?: IsoflopWindow;
  buckets: IsoflopBucket[];
  /** Every warning raised, in order (also sent once each through `warn`). */
  warnings: string[];
  /** N_opt and D_opt at a budget from the power laws. */
  predict(C: number): { N: number; D: number };
  report(): string;
}

/** Options of `isoflop`. */
export interface IsoflopOptions extends TrendBootstrapOptions {
  /**
   * How each budget's minimum is found:
   * - 'akima': the minimum of Akima's local cubic interpolant of log loss in log N through the
   *   budget's runs, as Porian et al. 2024 estimate it (their code, `interp_flop`); the interpolant
   *   passes through every run and is shaped near the minimum only by the runs around it, so it
   *   follows a lopsided profile without a window to choose. Like any interpolant it smooths
   *   nothing: on a smooth, noisy profile (simulated from L = E + A/N^α + B/D^β with loss noise 0.004
   *   on 13 sizes a budget) its exponents erred ~0.015 on average where the `{ factor: 3 }`
   *   parabola erred ~0.002; on Porian et al.'s real sweeps wide parabolas ran 0.01-0.03 low.
   * - 'parabola': a least-squares parabola in log N through the runs of `window` (Hoffmann et al.
   *   2022's Approach 2).
   * @default 'parabola' where a `window` or a `weighting` is given, else 'akima'
   */
  estimator?: 'parabola' | 'akima';
  /**
   * Bucket label per row (e.g. the nominal budget). Default: rows whose log10 C lie within `gap` of
   * their neighbour share a bucket.
   */
  buckets?: ArrayLike<number | string>;
  /** Largest log10 C step inside one automatic bucket. @default 0.05 */
  gap?: number;
  /**
   * Runs the parabola is fitted to at each budget (see `IsoflopWindow`); estimator 'parabola' only.
   * The parabola is a second-order expansion of the IsoFLOP profile about its minimum, good only
   * near it: real profiles are lopsided (small models rise steeply, undertrained large ones
   * saturate), and how lopsided changes with the budget, so a parabola through distant runs moves
   * each vertex by a different amount and tilts the exponent (a whole-budget fit gave a = 1.2 on a
   * Kaplan-style sweep where the paper reports 0.86; wider windows ran low on Porian et al.'s
   * sweeps). The default is the most local window that determines a parabola and brackets the
   * minimum: the lowest run and its neighbour on each side. It needs no scale, so it suits any
   * grid. Its price is noise: on a dense grid of noisy runs, `{ factor: 3 }` (a ninefold span of N
   * about the vertex) averages more runs and is less variable.
   * @default { neighbours: 1 }
   */
  window?: IsoflopWindow;
  /**
   * Fewest runs (of distinct N) in a window. A window with fewer is widened to the `minRows` runs
   * nearest the centre in log N, with a warning. @default 3
   */
  minRows?: number;
  /**
   * A budget whose lowest loss is at its smallest or largest N has no bracketed minimum, and a
   * parabola whose vertex lies outside the runs it was fitted to is an extrapolation. 'exclude'
   * leaves such budgets out of the power-law fit (as Porian et al. 2024 drop minima on the edge of
   * the sampled range), 'keep' keeps them; both warn. @default 'exclude'
   */
  edge?: 'exclude' | 'keep';
  /**
   * How budgets weigh in the power-law fit: 'none' counts each alike (Hoffmann et al. 2022);
   * 'inverse-variance' weighs each by 1 / Var(log N_opt), its vertex's variance under a common
   * loss noise (Porian et al. 2024 weigh by their bootstrap spread of N_opt the same way).
   * @default 'none'
   */
  weighting?: 'none' | 'inverse-variance';
  /** FLOPs per parameter per token, for D = C / (k N) where the table has no D. @default 6 */
  flopsPerParameterToken?: number;
}

/**
 * Hoffmann et al. 2022, Approach 2 (IsoFLOP profiles): per compute budget, the N of lowest loss,
 * found near the budget's minimum (by default as Porian et al. 2024 do, the minimum of a local
 * interpolant; or a parabola in log N through a window of runs about the minimum); then
 * N_opt = kN C^a and D_opt = kD C^b, least squares in log-log across budgets. Budgets whose lowest
 * run is the smallest or largest sampled are left out (their minimum is not bracketed). With
 * `bootstrap` resamples, percentile intervals on a and b come from resampling the budgets (cases):
 * they show how far the budgets' optima scatter about the power law; with under ten budgets they
 * run narrow (95% intervals covered the truth about 90% of the time in simulation).
 *
 * @example isoflop(table).a // ≈ 0.5 for Chinchilla-like data
 * @example isoflop(table, { window: { neighbours: 1 } }) // three-point parabola through each minimum
 * @example isoflop(table, { window: 'all', edge: 'keep' }) // the old fit: one parabola through every run
 * @example isoflop(table, { bootstrap: 1000, seed: 1 }).interval?.a // [lo, hi]
 */
export function isoflop(table: ObservationTable, options: IsoflopOptions = {}): IsoflopResult {
  const { gap = 0.05, minRows = 3, flopsPerParameterToken = 6, edge = 'exclude', weighting = 'none' } = options;
  const estimator = options.estimator ?? (options.window !== undefined || weighting !== 'none' ? 'parabola' : 'akima');
  const boot = checkBootstrapOptions(options);
  if (estimator !== 'parabola' && estimator !== 'akima') throw new InputError(`estimator: must be "parabola" or "akima", got ${show(estimator)}`, 'estimator');
  if (estimator === 'akima' && options.window !== undefined) throw new InputError(`window: applies to estimator "parabola" only; "akima" uses every run of a budget`, 'window');
  if (estimator === 'akima' && weighting !== 'none') throw new InputError(`weighting: ${show(weighting)} needs estimator "parabola" (its vertex variance)`, 'weighting');
  const window = options.window ?? { neighbours: 1 };
  checkWindow(window);
  if (!(Number.isInteger(minRows) && minRows >= 3)) throw new InputError(`minRows: must be a whole number >= 3, got ${show(minRows)}`, 'minRows');
  if (edge !== 'exclude' && edge !== 'keep') throw new InputError(`edge: must be "exclude" or "keep", got ${show(edge)}`, 'edge');
  if (weighting !== 'none' && weighting !== 'inverse-variance') throw new InputError(`weighting: must be "none" or "inverse-variance", got ${show(weighting)}`, 'weighting');
  if (!(gap > 0)) throw new InputError(`gap: must be positive, got ${show(gap)}`, 'gap');
  const { N } = table;
  const C = table.C;
  if (!N) throw new InputError(`${table.source}: isoflop needs column N`, 'N');
  if (!C) throw new InputError(`${table.source}: isoflop needs column C (or N and D)`, 'C');
  const warnings: string[] = [];
  const say = (message: string) => {
    warnings.push(message);
    warn(message);
  };
  const buckets: IsoflopBucket[] = [];
  for (const rows of bucketRows(table, C, options.buckets, gap)) {
    buckets.push(fitBucket(table, rows, { window, minRows, edge, flopsPerParameterToken, estimator }));
  }
  buckets.sort((p, q) => p.C - q.C);
  for (const bucket of buckets) {
    const at = `isoflop: budget C = ${bucket.C.toExponential(3)}`;
    if (bucket.skipped) say(`${at} skipped: ${bucket.skipped}`);
    for (const note of bucket.notes) say(`${at}: ${note}`);
  }
  const usable = buckets.filter((bucket) => bucket.N !== undefined);
  if (usable.length < 2) throw new InputError(`${table.source}: isoflop needs at least 2 buckets with a minimum; found ${usable.length} of ${buckets.length}`, 'C');
  const points: OptimalPoint[] = usable.map((b) => ({ C: b.C, N: b.N!, D: b.D!, ...(weighting === 'inverse-variance' && b.vertexVariance! > 0 ? { weight: 1 / b.vertexVariance! } : {}) }));
  if (usable.length === 2) say(`isoflop: only 2 budgets with a minimum; the exponents rest on two points`);
  const trend = fitTrend(points);
  const interval = bootstrapTrend((random) => resampleCases(points, random), boot);
  if (boot.bootstrap > 0 && !interval) say(`isoflop: no bootstrap resample had two distinct budgets; no interval`);
  const { a, kN, b, kD } = trend;
  const result: IsoflopResult = {
    approach: 2,
    estimator,
    ...(estimator === 'parabola' ? { window } : {}),
    ...trend,
    ...(interval ? { interval } : {}),
    buckets,
    warnings,
    predict: (c: number) => ({ N: kN * c ** a, D: kD * c ** b }),
    report: () => isoflopReport(result),
  };
  return result;
}

/**
 * What `isoflopChart` draws for a result: the runs, each kept budget's parabola over its window
 * (or its Akima interpolant), its minimum, and the fitted trend N_opt = kN C^a read along each
 * budget's curve.
 *
 * @example isoflopChart(isoflopChartData(table, isoflop(table)))
 */
export function isoflopChartData(table: ObservationTable, result: IsoflopResult): IsoflopChartData {
  const N = table.N!,
    C = table.C!;
  const points = Array.from({ length: table.length }, (_, i) => ({ compute: C[i]!, N: N[i]!, loss: table.loss[i]! }));
  // Budgets are labelled by their geometric-mean C so runs, parabola and vertex share one colour.
  for (const bucket of result.buckets) for (const i of bucket.window) points[i]!.compute = bucket.C;
  const byRow = new Map<number, number>();
  for (const bucket of result.buckets) for (const i of bucket.window) byRow.set(i, bucket.C);
  const kept = result.buckets.filter((b) => b.N !== undefined);
  const along = (b: IsoflopBucket): ((n: number) => number) => {
    if (result.estimator === 'parabola') return (n) => b.coefficients[0] + b.coefficients[1] * Math.log(n) + b.coefficients[2] * Math.log(n) ** 2;
    const curve = akimaCurve(table, b.window);
    return (n) => Math.exp(curve.at(Math.log(n)));
  };
  const curves = new Map(kept.map((b) => [b, along(b)]));
  const parabolas = kept.flatMap((b) => {
    const lo = Math.log(Math.min(b.windowRange[0], b.N!)),
      hi = Math.log(Math.max(b.windowRange[1], b.N!));
    return Array.from({ length: 25 }, (_, k) => {
      const n = Math.exp(lo + ((hi - lo) * k) / 24);
      return { compute: b.C, N: n, loss: curves.get(b)!(n) };
    });
  });
  const optima = kept.map((b) => ({ compute: b.C, N: b.N!, loss: b.loss! }));
  const trend = kept.map((b) => {
    const n = result.predict(b.C).N;
    return { compute: b.C, N: n, loss: curves.get(b)!(n) };
  });
  return { points: points.map((p, i) => ({ ...p, compute: byRow.get(i) ?? p.compute })), parabolas, optima, trend };
}

/** Rejects a window that is not one of the three forms, echoing it. */
function checkWindow(window: unknown): asserts window is IsoflopWindow {
  if (window === 'all') return;
  if (window && typeof window === 'object') {
    const keys = Object.keys(window);
    if (keys.length === 1 && keys[0] === 'neighbours') {
      const k = (window as { neighbours: unknown }).neighbours;
      if (typeof k === 'number' && Number.isInteger(k) && k >= 1) return;
      throw new InputError(`window: neighbours must be a whole number >= 1, got ${show(k)}`, 'window');
    }
    if (keys.length === 1 && keys[0] === 'factor') {
      const f = (window as { factor: unknown }).factor;
      if (typeof f === 'number' && f > 1 && Number.isFinite(f)) return;
      throw new InputError(`window: factor must be a number > 1, got ${show(f)}`, 'window');
    }
    if (keys.length === 1 && keys[0] === 'loss') {
      const t = (window as { loss: unknown }).loss;
      if (typeof t === 'number' && t > 0 && Number.isFinite(t)) return;
      throw new InputError(`window: loss must be a positive number, got ${show(t)}`, 'window');
    }
  }
  throw new InputError(`window: must be "all", { neighbours: k }, { factor: f } or { loss: t }, got ${show(window)}`, 'window');
}

/** The window as a user writes it on the command line: all, factor:3, loss:0.1. */
export function windowLabel(window: IsoflopWindow): string {
  if (window === 'all') return 'all';
  if ('neighbours' in window) return `neighbours:${window.neighbours}`;
  return 'factor' in window ? `factor:${window.factor}` : `loss:${window.loss}`;
}

function bucketRows(table: ObservationTable, C: Float64Array, labels: ArrayLike<number | string> | undefined, gap: number): number[][] {
  const groups = new Map<string, number[]>();
  if (labels) {
    if (labels.length !== table.length) throw new InputError(`buckets: expected ${table.length} labels, got ${labels.length}`, 'buckets');
    for (let i = 0; i < table.length; i++) {
      const key = String(labels[i]);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    return [...groups.values()];
  }
  const order = Array.from({ length: table.length }, (_, i) => i).sort((x, y) => C[x]! - C[y]!);
  const out: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    if (current.length && Math.log10(C[i]!) - Math.log10(C[current[current.length - 1]!]!) > gap) {
      out.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length) out.push(current);
  return out;
}

interface BucketSettings {
  window: IsoflopWindow;
  minRows: number;
  edge: 'exclude' | 'keep';
  flopsPerParameterToken: number;
  estimator: 'parabola' | 'akima';
}

function fitBucket(table: ObservationTable, rows: number[], settings: BucketSettings): IsoflopBucket {
  const { window, minRows, edge, flopsPerParameterToken, estimator } = settings;
  const N = table.N!,
    C = table.C!,
    loss = table.loss;
  const Cmean = Math.exp(rows.reduce((s, i) => s + Math.log(C[i]!), 0) / rows.length);
  const byN = [...rows].sort((p, q) => N[p]! - N[q]! || p - q);
  const x = (i: number) => Math.log(N[i]!);
  const sampled: [number, number] = [N[byN[0]!]!, N[byN[byN.length - 1]!]!];
  const notes: string[] = [];
  const blank = { C: Cmean, rows: rows.length, sampled, notes };
  const distinct = (set: number[]) => new Set(set.map((i) => N[i]!)).size;
  if (distinct(byN) < minRows) {
    return { ...blank, windowRows: 0, window: [], windowRange: [NaN, NaN], coefficients: [NaN, NaN, NaN], skipped: `${rows.length} rows with ${distinct(byN)} distinct N; need ${minRows} distinct N` };
  }
  const best = byN.reduce((m, i) => (loss[i]! < loss[m]! ? i : m), byN[0]!);
  const atEdge = N[best]! === sampled[0] || N[best]! === sampled[1];
  const edgeNote = `lowest loss at the ${N[best]! === sampled[0] ? 'smallest' : 'largest'} N sampled (${N[best]!.toExponential(3)}); the minimum is not bracketed and the vertex is an extrapolation`;
  if (atEdge && edge === 'exclude') {
    return { ...blank, windowRows: 0, window: [], windowRange: [NaN, NaN], coefficients: [NaN, NaN, NaN], skipped: edgeNote };
  }
  if (atEdge) notes.push(edgeNote);
  if (estimator === 'akima') return akimaBucket(table, byN, best, blank, flopsPerParameterToken);

  // Pick the window, fit, recentre on the vertex, until the window stops changing.
  let centre = x(best);
  let chosen: number[] = [];
  let coefficients: [number, number, number] = [NaN, NaN, NaN];
  let widened = false;
  let inWindow = 0;
  for (let iteration = 0; iteration < 10; iteration++) {
    let next: number[];
    widened = false;
    if (window === 'all') next = byN;
    else if ('neighbours' in window) next = around(byN, N, N[best]!, window.neighbours);
    else if ('loss' in window) next = byN.filter((i) => loss[i]! <= loss[best]! + window.loss);
    else next = byN.filter((i) => Math.abs(x(i) - centre) <= Math.log(window.factor) * (1 + 1e-12));
    if (distinct(next) < minRows) {
      inWindow = distinct(next);
      next = nearest(byN, x, centre, minRows, N);
      widened = true;
    }
    if (sameRows(next, chosen)) break;
    chosen = next;
    coefficients = quadraticFit(
      chosen.map(x),
      chosen.map((i) => loss[i]!),
    );
    if (window === 'all' || !('factor' in window)) break;
    const [, c1, c2] = coefficients;
    const vertex = -c1 / (2 * c2);
    // Recentre only on a vertex inside the window's runs: outside, the parabola is not to be trusted.
    if (!(c2 > 0) || vertex < x(chosen[0]!) || vertex > x(chosen[chosen.length - 1]!)) break;
    centre = vertex;
  }
  const windowRange: [number, number] = [N[chosen[0]!]!, N[chosen[chosen.length - 1]!]!];
  const base = { ...blank, windowRows: chosen.length, window: chosen, windowRange, coefficients };
  if (widened)
    notes.push(
      `only ${inWindow} of the budget's sizes within the window; widened to the ${chosen.length} runs nearest the minimum (N ${windowRange[0].toExponential(2)} to ${windowRange[1].toExponential(2)})`,
    );
  const [c0, c1, c2] = coefficients;
  if (!(c2 > 0)) return { ...base, skipped: `parabola opens downwards (curvature ${show(c2)}) over ${chosen.length} runs` };
  const logN = -c1 / (2 * c2);
  const Nopt = Math.exp(logN);
  if (Nopt < windowRange[0] || Nopt > windowRange[1]) {
    const note = `vertex N = ${Nopt.toExponential(3)} lies outside the window's runs (N ${windowRange[0].toExponential(2)} to ${windowRange[1].toExponential(2)}); it is an extrapolation`;
    if (edge === 'exclude') return { ...base, skipped: note };
    notes.push(note);
  }
  let D: number;
  if (table.D && distinct(chosen) >= 2) {
    // Tokens at N_opt from the budget's own runs: exact for D = C / (6 N), and right for FLOP counts
    // that are not 6 N per token (attention, embeddings).
    const [d0, d1] = lineFit(
      chosen.map(x),
      chosen.map((i) => Math.log(table.D![i]!)),
    );
    D = Math.exp(d0 + d1 * logN);
  } else {
    D = Cmean / (flopsPerParameterToken * Nopt);
  }
  return { ...base, N: Nopt, D, loss: c0 + c1 * logN + c2 * logN * logN, vertexVariance: vertexVariance(chosen.map(x), coefficients) };
}

/** Porian et al. 2024's estimate: the minimum of Akima's interpolant of log loss in log N (repeats at one N averaged). */
function akimaBucket(
  table: ObservationTable,
  byN: number[],
  best: number,
  blank: { C: number; rows: number; sampled: [number, number]; notes: string[] },
  flopsPerParameterToken: number,
): IsoflopBucket {
  const N = table.N!;
  const { x, y } = akimaCurve(table, byN).minimum();
  const Nopt = Math.exp(x);
  let D: number;
  if (table.D) {
    // Tokens at N_opt from the runs around the minimum, as for the parabola.
    const near = around(byN, N, N[best]!, 1);
    const [d0, d1] = lineFit(
      near.map((i) => Math.log(N[i]!)),
      near.map((i) => Math.log(table.D![i]!)),
    );
    D = Math.exp(d0 + d1 * x);
  } else {
    D = blank.C / (flopsPerParameterToken * Nopt);
  }
  return { ...blank, windowRows: byN.length, window: byN, windowRange: blank.sampled, coefficients: [NaN, NaN, NaN], N: Nopt, D, loss: Math.exp(y) };
}

/** Akima's interpolant of log loss in log N through a budget's runs (rows sorted by N). */
function akimaCurve(table: ObservationTable, byN: readonly number[]) {
  const N = table.N!,
    loss = table.loss;
  const sizes = [...new Set(byN.map((i) => N[i]!))];
  const logLoss = sizes.map((n) => {
    const at = byN.filter((i) => N[i]! === n);
    return at.reduce((s, i) => s + Math.log(loss[i]!), 0) / at.length;
  });
  return akima(sizes.map(Math.log), logLoss);
}

/** The rows at `centre`'s N and at the k distinct N either side of it. */
function around(byN: number[], N: Float64Array, centre: number, k: number): number[] {
  const values = [...new Set(byN.map((i) => N[i]!))];
  const at = values.indexOf(centre);
  const keep = new Set(values.slice(Math.max(0, at - k), at + k + 1));
  return byN.filter((i) => keep.has(N[i]!));
}

/** The `count` rows of distinct N nearest `centre` in log N (all rows sharing those N). */
function nearest(byN: number[], x: (i: number) => number, centre: number, count: number, N: Float64Array): number[] {
  const values = [...new Set(byN.map((i) => N[i]!))].sort((p, q) => Math.abs(Math.log(p) - centre) - Math.abs(Math.log(q) - centre) || p - q);
  const keep = new Set(values.slice(0, count));
  return byN.filter((i) => keep.has(N[i]!));
}

function sameRows(p: number[], q: number[]): boolean {
  return p.length === q.length && p.every((v, k) => v === q[k]);
}

function isoflopReport(result: IsoflopResult): string {
  const used = result.buckets.filter((b) => b.N !== undefined).length;
  const lines = [
    `IsoFLOP Approach 2 (${result.window ? `parabola per budget, window ${windowLabel(result.window)}` : 'Akima interpolant per budget'}): ${used} of ${result.buckets.length} budgets`,
    ...trendReport(result),
    '',
    'budget C     runs  window  N range in window      N_opt       D_opt       loss',
  ];
  for (const b of result.buckets) {
    const range = b.windowRows ? `${b.windowRange[0].toExponential(2)}-${b.windowRange[1].toExponential(2)}` : '';
    lines.push(
      `${b.C.toExponential(3).padEnd(11)}  ${String(b.rows).padStart(4)}  ${String(b.windowRows).padStart(6)}  ${range.padEnd(21)}  ` +
        (b.N !== undefined ? `${b.N.toExponential(3).padEnd(10)}  ${b.D!.toExponential(3).padEnd(10)}  ${b.loss!.toFixed(4)}` : `skipped: ${b.skipped}`),
    );
  }
  if (result.warnings.length) lines.push('', ...result.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}

/** Var(-c1 / (2 c2)) per unit noise variance: g' (X'X)^-1 g in centred x (delta method). */
function vertexVariance(x: number[], coefficients: [number, number, number]): number {
  const n = x.length;
  const m = x.reduce((s, v) => s + v, 0) / n;
  const S = [0, 0, 0, 0, 0];
  for (const xi of x) {
    let p = 1;
    for (let k = 0; k < 5; k++) {
      S[k]! += p;
      p *= xi - m;
    }
  }
  const inv = inverseOf([S[0]!, S[1]!, S[2]!, S[1]!, S[2]!, S[3]!, S[2]!, S[3]!, S[4]!], 3);
  if (!inv) return NaN;
  const [, c1, c2] = coefficients;
  const d1 = c1 + 2 * c2 * m; // slope at the centre
  const g = [0, -1 / (2 * c2), d1 / (2 * c2 * c2)];
  let v = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) v += g[i]! * inv[i * 3 + j]! * g[j]!;
  return v;
}

/** Least-squares parabola y = c0 + c1 x + c2 x^2 (normal equations on centred x). */
function quadraticFit(x: number[], y: number[]): [number, number, number] {
  const n = x.length;
  const m = x.reduce((s, v) => s + v, 0) / n;
  const S = [0, 0, 0, 0, 0],
    T = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const u = x[i]! - m;
    let p = 1;
    for (let k = 0; k < 5; k++) {
      S[k]! += p;
      if (k < 3) T[k]! += p * y[i]!;
      p *= u;
    }
  }
  const M = [
    [S[0]!, S[1]!, S[2]!],
    [S[1]!, S[2]!, S[3]!],
    [S[2]!, S[3]!, S[4]!],
  ];
  // A singular system (all points at one x) leaves the parabola undefined: NaN coefficients.
  const solved = solveLinear(M, T);
  const [d0, d1, d2] = solved ? [solved[0]!, solved[1]!, solved[2]!] : [NaN, NaN, NaN];
  // Back from u = x - m: y = d0 + d1 (x - m) + d2 (x - m)^2.
  return [d0 - d1 * m + d2 * m * m, d1 - 2 * d2 * m, d2];
}
