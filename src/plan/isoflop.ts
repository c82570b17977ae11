import { InputError, show } from '../core/errors.js';
import { solveLinear } from '../core/linear.js';
import type { ObservationTable } from '../core/observations.js';
import { warn } from '../core/warn.js';

/** One iso-FLOP bucket: the parabola fitted to loss against log N, and its minimum. */
export interface IsoflopBucket {
  /** Geometric mean of the bucket's budgets. */
  C: number;
  rows: number;
  /** loss = c0 + c1 log N + c2 (log N)^2 */
  coefficients: [number, number, number];
  /** Minimising N, exp(-c1 / (2 c2)); absent where the parabola opens downwards. */
  N?: number;
  D?: number;
  /** Why the bucket gave no optimum. */
  skipped?: string;
}

export interface IsoflopResult {
  buckets: IsoflopBucket[];
  /** N_opt = kN C^a (least squares in log-log over the usable buckets). */
  a: number;
  kN: number;
  /** D_opt = kD C^b. */
  b: number;
  kD: number;
  /** N_opt and D_opt at a budget from the power laws. */
  predict(C: number): { N: number; D: number };
}

export interface IsoflopOptions {
  /**
   * Bucket label per row (e.g. the nominal budget). Default: rows whose log10 C lie within `gap` of
   * their neighbour share a bucket.
   */
  buckets?: ArrayLike<number | string>;
  /** Largest log10 C step inside one automatic bucket. @default 0.05 */
  gap?: number;
  /** Fewest rows for a bucket's parabola. @default 3 */
  minRows?: number;
  /** FLOPs per parameter per token, for D = C / (k N). @default 6 */
  flopsPerParameterToken?: number;
}

/**
 * Hoffmann et al. 2022, Approach 2 (IsoFLOP profiles): per compute bucket, fit a parabola to loss
 * against log N and take its minimum; then fit N_opt = kN C^a and D_opt = kD C^b across buckets.
 *
 * @example isoflop(table).a // ≈ 0.5 for Chinchilla-like data
 */
export function isoflop(table: ObservationTable, options: IsoflopOptions = {}): IsoflopResult {
  const { gap = 0.05, minRows = 3, flopsPerParameterToken = 6 } = options;
  const { N, loss } = table;
  const C = table.C;
  if (!N) throw new InputError(`${table.source}: isoflop needs column N`, 'N');
  if (!C) throw new InputError(`${table.source}: isoflop needs column C (or N and D)`, 'C');
  const groups = new Map<string, number[]>();
  if (options.buckets) {
    if (options.buckets.length !== table.length) throw new InputError(`buckets: expected ${table.length} labels, got ${options.buckets.length}`, 'buckets');
    for (let i = 0; i < table.length; i++) {
      const key = String(options.buckets[i]);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
  } else {
    const order = Array.from({ length: table.length }, (_, i) => i).sort((x, y) => C[x]! - C[y]!);
    let current: number[] = [];
    let k = 0;
    for (const i of order) {
      if (current.length && Math.log10(C[i]!) - Math.log10(C[current[current.length - 1]!]!) > gap) {
        groups.set(String(k++), current);
        current = [];
      }
      current.push(i);
    }
    if (current.length) groups.set(String(k), current);
  }
  const buckets: IsoflopBucket[] = [];
  for (const rows of groups.values()) {
    const Cmean = Math.exp(rows.reduce((s, i) => s + Math.log(C[i]!), 0) / rows.length);
    const x = rows.map((i) => Math.log(N[i]!));
    const y = rows.map((i) => loss[i]!);
    const distinct = new Set(x).size;
    if (rows.length < minRows || distinct < 3) {
      buckets.push({ C: Cmean, rows: rows.length, coefficients: [NaN, NaN, NaN], skipped: `${rows.length} rows with ${distinct} distinct N; need ${minRows} rows and 3 distinct N` });
      continue;
    }
    const coefficients = quadraticFit(x, y);
    const [, c1, c2] = coefficients;
    if (!(c2 > 0)) {
      buckets.push({ C: Cmean, rows: rows.length, coefficients, skipped: `parabola opens downwards (curvature ${show(c2)})` });
      continue;
    }
    const Nopt = Math.exp(-c1 / (2 * c2));
    buckets.push({ C: Cmean, rows: rows.length, coefficients, N: Nopt, D: Cmean / (flopsPerParameterToken * Nopt) });
  }
  buckets.sort((p, q) => p.C - q.C);
  const usable = buckets.filter((bucket) => bucket.N !== undefined);
  for (const bucket of buckets) if (bucket.skipped) warn(`isoflop: bucket at C = ${bucket.C.toExponential(3)} skipped: ${bucket.skipped}`);
  if (usable.length < 2) throw new InputError(`${table.source}: isoflop needs at least 2 buckets with a minimum; found ${usable.length} of ${buckets.length}`, 'C');
  const logC = usable.map((bucket) => Math.log(bucket.C));
  const [logKN, a] = lineFit(logC, usable.map((bucket) => Math.log(bucket.N!)));
  const [logKD, b] = lineFit(logC, usable.map((bucket) => Math.log(bucket.D!)));
  const kN = Math.exp(logKN), kD = Math.exp(logKD);
  return { buckets, a, kN, b, kD, predict: (c: number) => ({ N: kN * c ** a, D: kD * c ** b }) };
}

/** Least-squares line y = c0 + c1 x. */
function lineFit(x: number[], y: number[]): [number, number] {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i]! - mx) * (y[i]! - my); sxx += (x[i]! - mx) ** 2; }
  const slope = sxy / sxx;
  return [my - slope * mx, slope];
}

/** Least-squares parabola y = c0 + c1 x + c2 x^2 (normal equations on centred x). */
function quadraticFit(x: number[], y: number[]): [number, number, number] {
  const n = x.length;
  const m = x.reduce((s, v) => s + v, 0) / n;
  const S = [0, 0, 0, 0, 0], T = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const u = x[i]! - m;
    let p = 1;
    for (let k = 0; k < 5; k++) { S[k]! += p; if (k < 3) T[k]! += p * y[i]!; p *= u; }
  }
  const M = [[S[0]!, S[1]!, S[2]!], [S[1]!, S[2]!, S[3]!], [S[2]!, S[3]!, S[4]!]];
  // A singular system (all points at one x) leaves the parabola undefined: NaN coefficients.
  const [d0, d1, d2] = solveLinear(M, T) ?? [NaN, NaN, NaN];
  // Back from u = x - m: y = d0 + d1 (x - m) + d2 (x - m)^2.
  return [d0 - d1 * m + d2 * m * m, d1 - 2 * d2 * m, d2];
}
