import type { Inputs, Law } from '../laws/law.js';
import { hill3, ilog2, mmf, pow3, weibull } from '../laws/families.js';

/**
 * Variable projection on a grid (Golub & Pereyra 1973) for the families that are linear in all but
 * one or two parameters: for each grid value of the nonlinear parameters the linear ones have a
 * closed-form least-squares solution, so a fit is a few hundred tiny solves and no iterations.
 * The fast extrapolator uses it for thousands of curves; the grids are fine enough that the
 * optimum on the grid is within the noise of the continuous one.
 */
interface Projection {
  law: Law<Inputs>;
  /** Grid of the nonlinear parameters. */
  grid: Float64Array[];
  /** Basis functions at x for nonlinear values nl: f = sum_k lin_k basis_k. */
  basis(nl: Float64Array, x: number, out: Float64Array): void;
  /** Number of linear parameters (1 or 2). */
  k: number;
  /** The law's parameter vector from linear and nonlinear values; undefined when the curve would not increase or leaves the bounds. */
  params(lin: Float64Array, nl: Float64Array): Float64Array | undefined;
  /** Parameters of the (nearly) flat member at level v: the constrained optimum of a curve that does not improve. */
  flat(v: number): Float64Array;
}

const logspace = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
const grid1 = (values: number[]) => values.map((v) => Float64Array.of(v));
const grid2 = (a: number[], b: number[]) => a.flatMap((u) => b.map((v) => Float64Array.of(u, v)));
const ASYMPTOTE_MAX = 4;

const projections: Record<string, Projection> = {
  pow3: {
    law: pow3,
    k: 2,
    grid: grid1(logspace(0.02, 5, 40)),
    // c - a x^-alpha = c * 1 + a * (-x^-alpha)
    basis: (nl, x, out) => {
      out[0] = 1;
      out[1] = -(x ** -nl[0]!);
    },
    params: (lin, nl) => (lin[1]! > 0 && lin[0]! <= ASYMPTOTE_MAX ? Float64Array.of(lin[0]!, lin[1]!, nl[0]!) : undefined),
    flat: (v) => Float64Array.of(v, 1e-8, 1),
  },
  ilog2: {
    law: ilog2,
    k: 2,
    grid: [new Float64Array(0)],
    basis: (_nl, x, out) => {
      out[0] = 1;
      out[1] = -1 / Math.log(x + 1);
    },
    params: (lin) => (lin[1]! > 0 && lin[0]! <= ASYMPTOTE_MAX ? Float64Array.of(lin[0]!, lin[1]!) : undefined),
    flat: (v) => Float64Array.of(v, 1e-8),
  },
  mmf: {
    law: mmf,
    k: 2,
    grid: grid2(logspace(1e-3, 3, 16), logspace(0.3, 4, 10)),
    // alpha - (alpha - beta) h = alpha (1 - h) + beta h
    basis: (nl, x, out) => {
      const h = 1 / (1 + (nl[0]! * x) ** nl[1]!);
      out[0] = 1 - h;
      out[1] = h;
    },
    params: (lin, nl) => (lin[0]! > lin[1]! && lin[0]! <= ASYMPTOTE_MAX ? Float64Array.of(lin[0]!, lin[1]!, nl[0]!, nl[1]!) : undefined),
    flat: (v) => Float64Array.of(v, v - 1e-8, 1, 1),
  },
  weibull: {
    law: weibull,
    k: 2,
    grid: grid2(logspace(1e-3, 3, 16), logspace(0.3, 4, 10)),
    basis: (nl, x, out) => {
      const h = Math.exp(-((nl[0]! * x) ** nl[1]!));
      out[0] = 1 - h;
      out[1] = h;
    },
    params: (lin, nl) => (lin[0]! > lin[1]! && lin[0]! <= ASYMPTOTE_MAX ? Float64Array.of(lin[0]!, lin[1]!, nl[0]!, nl[1]!) : undefined),
    flat: (v) => Float64Array.of(v, v - 1e-8, 1, 1),
  },
  hill3: {
    law: hill3,
    k: 1,
    grid: grid2(logspace(0.2, 6, 14), logspace(0.3, 200, 16)),
    basis: (nl, x, out) => {
      const xe = x ** nl[0]!;
      out[0] = xe / (nl[1]! ** nl[0]! + xe);
    },
    params: (lin, nl) => (lin[0]! > 0 && lin[0]! <= ASYMPTOTE_MAX ? Float64Array.of(lin[0]!, nl[0]!, nl[1]!) : undefined),
    // x^eta / (kappa^eta + x^eta) -> 1/2 as eta -> 0.
    flat: (v) => Float64Array.of(Math.min(ASYMPTOTE_MAX, Math.max(1e-8, 2 * v)), 1e-8, 1),
  },
};

/** Families `projectionFit` can fit. */
export const PROJECTED_FAMILIES = Object.keys(projections);

export function hasProjection(family: string): boolean {
  return family in projections;
}

/**
 * The least-squares fit of `family` to (x, z) on its grid: natural-unit parameters and the sum of
 * squares. When no grid point gives an increasing curve within bounds (a declining curve), the
 * family's flat member at the mean level.
 */
export function projectionFit(family: string, x: Float64Array, z: Float64Array): { law: Law<Inputs>; params: Float64Array; sse: number } {
  const proj = projections[family]!;
  const { k } = proj;
  const n = x.length;
  const phi = new Float64Array(n * k);
  const b = new Float64Array(k);
  const lin = new Float64Array(k);
  let best: { params: Float64Array; sse: number } | undefined;
  for (const nl of proj.grid) {
    for (let i = 0; i < n; i++) {
      proj.basis(nl, x[i]!, b);
      for (let j = 0; j < k; j++) phi[i * k + j] = b[j]!;
    }
    // Normal equations, k <= 2.
    let a00 = 0,
      a01 = 0,
      a11 = 0,
      r0 = 0,
      r1 = 0;
    for (let i = 0; i < n; i++) {
      const p0 = phi[i * k]!,
        p1 = k > 1 ? phi[i * k + 1]! : 0;
      a00 += p0 * p0;
      a01 += p0 * p1;
      a11 += p1 * p1;
      r0 += p0 * z[i]!;
      r1 += p1 * z[i]!;
    }
    if (k === 1) {
      if (!(a00 > 0)) continue;
      lin[0] = r0 / a00;
    } else {
      const det = a00 * a11 - a01 * a01;
      if (!(Math.abs(det) > 1e-14 * Math.max(1, a00 * a11))) continue;
      lin[0] = (a11 * r0 - a01 * r1) / det;
      lin[1] = (a00 * r1 - a01 * r0) / det;
    }
    const params = proj.params(lin, nl);
    if (!params) continue;
    let sse = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < k; j++) f += lin[j]! * phi[i * k + j]!;
      sse += (f - z[i]!) ** 2;
    }
    if (Number.isFinite(sse) && (!best || sse < best.sse)) best = { params, sse };
  }
  if (!best) {
    // No grid point improves: the data decline or stall, and the constrained least-squares optimum
    // is the family's flat member at the mean level.
    const v = z.reduce((a, b) => a + b, 0) / n;
    const params = proj.flat(v);
    const pred = new Float64Array(n);
    proj.law.evaluate(params, { step: x }, pred);
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (pred[i]! - z[i]!) ** 2;
    best = { params, sse };
  }
  return { law: proj.law, ...best };
}
