/**
 * Akima's (1970) local cubic interpolant: a C1 piecewise cubic through every point whose slope at
 * a point is a weighted mean of the secants either side, weighted so that a kink in the data does
 * not make the curve wiggle elsewhere. A point moves the curve only within two intervals of it.
 */
export interface Akima {
  /** The interpolant at x (clamped to the data's range). */
  at(x: number): number;
  /** Where the interpolant is lowest over the data's range, and its value there. */
  minimum(): { x: number; y: number };
}

/**
 * Builds Akima's interpolant through (x, y), x strictly increasing, at least 3 points.
 * Secants beyond the ends are extrapolated linearly (Akima 1970, eq. 8), as the usual
 * implementations do.
 *
 * @example akima([0, 1, 2, 3], [1, 0, 0.5, 2]).minimum().x // ≈ 1.2
 */
export function akima(x: readonly number[], y: readonly number[]): Akima {
  const n = x.length;
  // Secants m[k + 2] between points k and k + 1, with two extrapolated either side.
  const m = new Array<number>(n + 3);
  for (let k = 0; k < n - 1; k++) m[k + 2] = (y[k + 1]! - y[k]!) / (x[k + 1]! - x[k]!);
  m[1] = 2 * m[2]! - m[3]!;
  m[0] = 2 * m[1]! - m[2]!;
  m[n + 1] = 2 * m[n]! - m[n - 1]!;
  m[n + 2] = 2 * m[n + 1]! - m[n]!;
  const t = Array.from({ length: n }, (_, i) => {
    // Point i sits between secants m[i + 1] (left) and m[i + 2] (right).
    const w1 = Math.abs(m[i + 3]! - m[i + 2]!),
      w2 = Math.abs(m[i + 1]! - m[i]!);
    return w1 + w2 === 0 ? (m[i + 1]! + m[i + 2]!) / 2 : (w1 * m[i + 1]! + w2 * m[i + 2]!) / (w1 + w2);
  });
  // Cubic on [x_i, x_i+1]: y_i + t_i s + c2 s^2 + c3 s^3.
  const c2 = Array.from({ length: n - 1 }, (_, i) => (3 * m[i + 2]! - 2 * t[i]! - t[i + 1]!) / (x[i + 1]! - x[i]!));
  const c3 = Array.from({ length: n - 1 }, (_, i) => (t[i]! + t[i + 1]! - 2 * m[i + 2]!) / (x[i + 1]! - x[i]!) ** 2);
  const piece = (i: number, s: number) => y[i]! + s * (t[i]! + s * (c2[i]! + s * c3[i]!));
  const at = (value: number) => {
    const v = Math.min(Math.max(value, x[0]!), x[n - 1]!);
    let i = 0;
    while (i < n - 2 && v > x[i + 1]!) i++;
    return piece(i, v - x[i]!);
  };
  const minimum = () => {
    let best = { x: x[0]!, y: y[0]! };
    const consider = (i: number, s: number) => {
      const value = piece(i, s);
      if (value < best.y) best = { x: x[i]! + s, y: value };
    };
    for (let i = 0; i < n - 1; i++) {
      const h = x[i + 1]! - x[i]!;
      consider(i, h);
      // Roots of the derivative t + 2 c2 s + 3 c3 s^2 inside the interval.
      const A = 3 * c3[i]!,
        B = 2 * c2[i]!,
        Cc = t[i]!;
      if (Math.abs(A) < 1e-300) {
        if (B !== 0) {
          const s = -Cc / B;
          if (s > 0 && s < h) consider(i, s);
        }
        continue;
      }
      const disc = B * B - 4 * A * Cc;
      if (disc < 0) continue;
      for (const sign of [-1, 1]) {
        const s = (-B + sign * Math.sqrt(disc)) / (2 * A);
        if (s > 0 && s < h) consider(i, s);
      }
    }
    return best;
  };
  return { at, minimum };
}
