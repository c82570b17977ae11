import type { Goal } from './curve.js';

/**
 * What the learning-curve PFN sees of a partial curve, and how its output is binned. Shared by the
 * trainer (src/proxy/pfn/) and the inference in `pfn.ts`, so both encode a curve identically.
 *
 * A curve (steps, values) with a target step T is put on a scale-free footing: steps as
 * x = step / T in (0, 1), values as z = (s(y) - lo) / (hi - lo) with s(y) = y for 'max' and -y for
 * 'min' and lo, hi the worst and best seen value. The network then gets a fixed-length summary
 * (`PFN_FEATURES` numbers):
 *
 * - the mean of z and an occupancy flag in each of `PFN_GRID` log-spaced cells of x over
 *   [1e-3, 1] (a curve of 3 points or 3,000 fits the same vector; dense curves are averaged),
 * - the last `PFN_LAST` points themselves (z and log x), which carry the local noise and slope,
 * - scalars: log x of the first and last point, log of the point count, a robust noise level
 *   (median absolute second difference of z), the mean of z over the last quarter, the slope of z
 *   in log x over the last half, and the headroom to the metric's bound ((bound - hi) / (hi - lo),
 *   with a flag; none for a metric of unknown range),
 * - the two largest accelerations of z (second differences, z_i - 2 z_(i-1) + z_(i-2); not
 *   adjacent): where they are (log x) and their size in units of the noise level. A learning-rate
 *   drop shows as a gain larger than the one before it, while the fast start of a curve, whose
 *   gains shrink, does not; periodic drops (one at t, the next at 2t) can be read off the positions,
 * - the run's planned length H (where its learning-rate schedule ends) as log(H / T), with a flag;
 *   none when the caller does not know it.
 *
 * The target value is predicted as d = (s(y_T) - lo) / (hi - lo), binned into `PFN_OUTPUT_BINS`
 * cells uniform in w = asinh((d - 1) / PFN_W_SCALE) over d in [-3, 9]: cells are about 0.001 wide
 * near the best seen value and widen geometrically away from it.
 */

export const PFN_GRID = 24;
export const PFN_LAST = 8;
const SCALARS = 14;
export const PFN_FEATURES = 2 * PFN_GRID + 2 * PFN_LAST + SCALARS;
export const PFN_OUTPUT_BINS = 200;
export const PFN_W_SCALE = 0.02;
const LOG_SPAN = Math.log(1000);
export const PFN_W_LO = Math.asinh(-4 / PFN_W_SCALE);
export const PFN_W_HI = Math.asinh(8 / PFN_W_SCALE);
const DW = (PFN_W_HI - PFN_W_LO) / PFN_OUTPUT_BINS;

/** The normalisation of one curve: s(y) = sign y, z = (s - lo) / width. */
export interface PfnScale {
  sign: 1 | -1;
  lo: number;
  width: number;
}

/** The bin of a normalised target d (clamped to the first and last bins). */
export function pfnBin(d: number): number {
  const w = Math.asinh((d - 1) / PFN_W_SCALE);
  return Math.min(PFN_OUTPUT_BINS - 1, Math.max(0, Math.floor((w - PFN_W_LO) / DW)));
}

/** Edges of the output bins in normalised units d (PFN_OUTPUT_BINS + 1 increasing values). */
export const PFN_EDGES: Float64Array = Float64Array.from({ length: PFN_OUTPUT_BINS + 1 }, (_, j) => 1 + PFN_W_SCALE * Math.sinh(PFN_W_LO + j * DW));

/**
 * Writes the features of a curve at `out[offset .. offset + PFN_FEATURES)` and returns its scale.
 * The curve must have at least 3 points, increasing positive steps, finite values that are not all
 * equal, a target beyond its last step, and a horizon (if known) at or beyond the target (the
 * callers check).
 */
export function pfnFeatures(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  goal: Goal,
  range: readonly [number, number],
  target: number,
  horizon: number | undefined,
  out: Float32Array,
  offset = 0,
): PfnScale {
  const n = values.length;
  const sign = goal === 'max' ? 1 : -1;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = sign * values[i]!;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const width = hi - lo;
  const z = new Float64Array(n);
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = (sign * values[i]! - lo) / width;
    u[i] = Math.max(-1, Math.log(steps[i]! / target) / LOG_SPAN) + 1;
  }
  out.fill(0, offset, offset + PFN_FEATURES);
  const sums = new Float64Array(PFN_GRID),
    counts = new Float64Array(PFN_GRID);
  for (let i = 0; i < n; i++) {
    const c = Math.min(PFN_GRID - 1, Math.max(0, Math.floor(u[i]! * PFN_GRID)));
    sums[c]! += z[i]!;
    counts[c]!++;
  }
  let o = offset;
  for (let c = 0; c < PFN_GRID; c++) {
    out[o++] = counts[c]! > 0 ? sums[c]! / counts[c]! : 0;
    out[o++] = counts[c]! > 0 ? 1 : 0;
  }
  for (let k = 0; k < PFN_LAST; k++) {
    const i = Math.max(0, n - PFN_LAST + k);
    out[o++] = z[i]!;
    out[o++] = u[i]!;
  }
  // Robust noise: median |second difference| / 1.65 is the sd of white noise (sqrt(6) * 0.674).
  const d2 = new Float64Array(Math.max(1, n - 2));
  for (let i = 2; i < n; i++) d2[i - 2] = Math.abs(z[i]! - 2 * z[i - 1]! + z[i - 2]!);
  d2.sort();
  const noise = d2[Math.floor((d2.length - 1) / 2)]! / 1.65;
  const quarter = Math.max(1, Math.floor(n / 4));
  let tail = 0;
  for (let i = n - quarter; i < n; i++) tail += z[i]! / quarter;
  const half = Math.max(2, Math.floor(n / 2));
  let mu = 0,
    mz = 0;
  for (let i = n - half; i < n; i++) {
    mu += u[i]! / half;
    mz += z[i]! / half;
  }
  let sxy = 0,
    sxx = 0;
  for (let i = n - half; i < n; i++) {
    sxy += (u[i]! - mu) * (z[i]! - mz);
    sxx += (u[i]! - mu) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx / LOG_SPAN : 0;
  const bound = goal === 'max' ? range[1] : -range[0];
  const headroom = Number.isFinite(bound) ? Math.max(0, (bound - hi) / width) : undefined;
  out[o++] = u[n - 1]!;
  out[o++] = u[0]!;
  out[o++] = Math.log(n) / LOG_SPAN;
  out[o++] = (Math.log10(noise + 1e-4) + 2) / 2;
  out[o++] = tail;
  out[o++] = Math.max(-5, Math.min(5, slope)) / 5;
  out[o++] = headroom === undefined ? 0 : 1;
  out[o++] = headroom === undefined ? 0 : Math.log1p(Math.min(headroom, 1000)) / 7;
  // The two largest accelerations (a gain larger than the one before), the second not next to the first.
  const acc = (i: number) => z[i]! - 2 * z[i - 1]! + z[i - 2]!;
  let i1 = -1,
    i2 = -1;
  for (let i = 2; i < n; i++) if (i1 < 0 || acc(i) > acc(i1)) i1 = i;
  for (let i = 2; i < n; i++) if (Math.abs(i - i1) > 1 && (i2 < 0 || acc(i) > acc(i2))) i2 = i;
  for (const i of [i1, i2]) {
    const jump = i >= 2 ? Math.max(0, acc(i)) : 0;
    out[o++] = i >= 2 ? u[i]! : 0;
    out[o++] = Math.log10(1 + jump / (noise + 1e-3)) / 2;
  }
  out[o++] = horizon === undefined ? 0 : 1;
  out[o++] = horizon === undefined ? 0 : Math.log(horizon / target) / LOG_SPAN;
  return { sign, lo, width };
}
