import { InputError, show } from '../core/errors.js';

/** Options of `refineSchedule`. */
export interface RefineOptions {
  /**
   * Median-filter width as a fraction tau of the sequence length: the window is the odd number
   * 2 floor(floor(tau n) / 2) + 1 (1, no smoothing, when tau n < 2). The left edge repeats the
   * first norm, the right edge reflects the sequence (Defazio et al.'s released recipe).
   * @default 0
   */
  smoothing?: number;
}

/**
 * Defazio et al. 2023's refinement of a schedule from a run's gradient norms ("When, Why and How
 * Much? Adaptive Learning Rate Scheduling by Refinement", Algorithm 1, SGD): with g the gradient
 * norms of a previous run (median-filtered), w_t = g_t^-2 * sum_{p > t} g_p^-2, returned as
 * w / max(w), so the largest rate is 1 and the last is 0. Constant norms give w_t proportional to
 * T - 1 - t: linear decay to zero, their worst-case optimum.
 *
 * @example refineSchedule([1, 2, 1, 0.5]) // [1, 0.238095..., 0.761904..., 0]
 */
export function refineSchedule(gradNorms: ArrayLike<number>, options: RefineOptions = {}): Float64Array {
  const { smoothing = 0 } = options;
  checkNorms(gradNorms, 'gradNorms');
  checkSmoothing(smoothing, 'smoothing');
  const g = medianFilter(gradNorms, filterWidth(smoothing, gradNorms.length));
  const n = g.length;
  const w = new Float64Array(n);
  let tail = 0;
  let max = 0;
  for (let t = n - 1; t >= 0; t--) {
    const weight = 1 / (g[t]! * g[t]!);
    w[t] = weight * tail;
    tail += weight;
    if (w[t]! > max) max = w[t]!;
  }
  if (!(max > 0)) throw new InputError(`gradNorms: need at least 2 norms to refine a schedule, got ${n}`, 'gradNorms');
  for (let t = 0; t < n; t++) w[t] = w[t]! / max;
  return w;
}

/** The odd median-filter window for a smoothing fraction tau over n values. */
export function filterWidth(smoothing: number, n: number): number {
  return 2 * Math.floor(Math.floor(smoothing * n) / 2) + 1;
}

/**
 * Running median with an odd window: values before the start repeat the first one, values past
 * the end reflect the sequence about its last element (numpy's 'reflect'), as in Defazio et al.'s
 * released recipe (right-pad by reflection, then scipy's median_filter with mode 'nearest').
 */
export function medianFilter(values: ArrayLike<number>, width: number): Float64Array {
  if (!Number.isInteger(width) || width < 1 || width % 2 === 0) throw new InputError(`width: not an odd positive integer: ${show(width)}`, 'width');
  const n = values.length;
  const out = new Float64Array(n);
  if (width === 1 || n === 0) {
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    return out;
  }
  const period = 2 * (n - 1);
  const at = (j: number): number => {
    if (j < 0) return values[0]!;
    if (j < n) return values[j]!;
    if (n === 1) return values[0]!;
    const r = j % period;
    return values[r < n ? r : period - r]!;
  };
  const h = (width - 1) / 2;
  const window = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    for (let k = -h; k <= h; k++) window[k + h] = at(i + k);
    window.sort();
    out[i] = window[h]!;
  }
  return out;
}

/**
 * The per-step rates of a refined schedule after warmup: `n` rates from peak down, lr reaching 0
 * at step n (one past the end, as every decay here reaches its final rate at s = steps). The norms
 * are median-filtered as logged (the window a `smoothing` fraction of them), resampled by linear
 * interpolation onto n + 1 evenly spaced points of the run (used as they are when there are n + 1
 * of them, which is then exactly `refineSchedule`), refined, and the last (zero) rate dropped.
 */
export function refinedRates(gradNorms: ArrayLike<number>, n: number, peak: number, smoothing = 0): Float64Array {
  const m = n + 1;
  const L = gradNorms.length;
  // Filtering the logged norms, not the resampled ones, keeps the cost at the log's length.
  const g = medianFilter(gradNorms, filterWidth(smoothing, L));
  const resampled = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    if (L === m) {
      resampled[i] = g[i]!;
      continue;
    }
    const x = (i * (L - 1)) / (m - 1);
    const lo = Math.floor(x);
    const hi = Math.min(L - 1, lo + 1);
    resampled[i] = g[lo]! + (g[hi]! - g[lo]!) * (x - lo);
  }
  const w = refineSchedule(resampled);
  const lr = new Float64Array(n);
  for (let i = 0; i < n; i++) lr[i] = peak * w[i]!;
  return lr;
}

/** Throws unless `norms` is an array of at least 2 positive finite numbers. */
export function checkNorms(norms: unknown, label: string, field = label): void {
  const a = norms as ArrayLike<unknown>;
  if (norms === null || typeof norms !== 'object' || typeof a.length !== 'number' || a.length < 2) {
    throw new InputError(`${label}: not an array of at least 2 gradient norms: ${show(norms)}`, field);
  }
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InputError(`${label}[${i}]: not a positive gradient norm: ${show(v)}`, field);
  }
}

/** Throws unless the smoothing fraction is in [0, 1). */
export function checkSmoothing(v: unknown, label: string, field = label): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) throw new InputError(`${label}: not in [0, 1): ${show(v)}`, field);
}
