/**
 * The q-quantile of values sorted ascending, by linear interpolation between the two nearest ranks:
 * h = (n - 1) q, Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). This is Hyndman and
 * Fan's type 7, the default of numpy (`method='linear'`) and R. q outside [0, 1] or an empty array
 * gives NaN; the values are not checked for order (sorting is the caller's, done once for many q).
 *
 * @example quantile([1, 2, 3, 4], 0.25) // 1.75
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
