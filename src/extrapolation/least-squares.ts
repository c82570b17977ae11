import type { Inputs, Law } from '../laws/law.js';
import { lbfgsb } from '../fit/lbfgsb.js';

/**
 * Least-squares fits of one curve family in the working coordinates the sampler also uses:
 * u_j = log p_j for parameters with `scale: 'log'`, u_j = p_j otherwise. The optimiser is the fitting
 * engine's L-BFGS-B; starts come from the law's grid, scored by their sum of squares without
 * optimising, and only the best `starts` are optimised (a cheap multistart that keeps a fit of one
 * family on one curve well under a millisecond).
 */
export interface FamilyFit {
  law: Law<Inputs>;
  /** Natural-unit parameters. */
  params: Float64Array;
  /** Working coordinates. */
  u: Float64Array;
  /** Sum of squared residuals. */
  sse: number;
  /** Points fitted. */
  n: number;
  /** Jacobian of the model at the fit with respect to u, row-major n x d (for Laplace). */
  jac: Float64Array;
}

export interface FamilyFitOptions {
  /** Grid starts optimised. @default 2 */
  starts?: number;
  /** L-BFGS-B iteration cap per start. @default 100 */
  maxIterations?: number;
}

const LOG_FLOOR = 1e-12;

export function toNatural(law: Law<Inputs>, u: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let j = 0; j < law.params.length; j++) out[j] = law.params[j]!.scale === 'log' ? Math.exp(u[j]!) : u[j]!;
  return out;
}

export function workingBounds(law: Law<Inputs>): { lower: Float64Array; upper: Float64Array } {
  const d = law.params.length;
  const lower = new Float64Array(d),
    upper = new Float64Array(d);
  law.params.forEach((p, j) => {
    const min = p.min ?? -Infinity,
      max = p.max ?? Infinity;
    if (p.scale === 'log') {
      lower[j] = Math.log(Math.max(min, LOG_FLOOR));
      upper[j] = max === Infinity ? Infinity : Math.log(max);
    } else {
      lower[j] = min;
      upper[j] = max;
    }
  });
  return { lower, upper };
}

/** Every combination of the law's grid values, in working coordinates. */
export function gridStarts(law: Law<Inputs>): Float64Array[] {
  let starts: number[][] = [[]];
  for (const p of law.params) {
    const values = p.grid ?? [p.init ?? 0];
    starts = starts.flatMap((s) => values.map((v) => [...s, p.scale === 'log' ? Math.log(v) : v]));
  }
  return starts.map((s) => Float64Array.from(s));
}

const gridCache = new WeakMap<Law<Inputs>, Float64Array[]>();

export function fitFamily(law: Law<Inputs>, x: Float64Array, z: Float64Array, options: FamilyFitOptions = {}): FamilyFit {
  const { starts = 2, maxIterations = 100 } = options;
  const n = x.length,
    d = law.params.length;
  const input = { step: x };
  const p = new Float64Array(d);
  const pred = new Float64Array(n);
  const jac = new Float64Array(n * d);
  const sse = (u: Float64Array): number => {
    law.evaluate(toNatural(law, u, p), input, pred);
    let s = 0;
    for (let i = 0; i < n; i++) s += (pred[i]! - z[i]!) ** 2;
    return Number.isFinite(s) ? s : Infinity;
  };
  const fg = (u: Float64Array, grad: Float64Array): number => {
    toNatural(law, u, p);
    law.evaluate(p, input, pred);
    law.jacobian!(p, input, jac);
    let s = 0;
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const r = pred[i]! - z[i]!;
      s += 0.5 * r * r;
      for (let j = 0; j < d; j++) grad[j]! += r * jac[i * d + j]! * (law.params[j]!.scale === 'log' ? p[j]! : 1);
    }
    // A non-finite value (a family undefined at these parameters) makes the line search back off.
    return Number.isFinite(s) ? s : Infinity;
  };
  let grid = gridCache.get(law);
  if (!grid) {
    grid = gridStarts(law);
    gridCache.set(law, grid);
  }
  const scored = grid
    .map((u) => ({ u, s: sse(u) }))
    .filter((g) => g.s < Infinity)
    .sort((a, b) => a.s - b.s);
  const { lower, upper } = workingBounds(law);
  let best: { u: Float64Array; s: number } = scored[0] ?? { u: Float64Array.from(law.params.map((q) => (q.scale === 'log' ? Math.log(q.init ?? 1) : (q.init ?? 0)))), s: Infinity };
  for (const start of scored.slice(0, starts)) {
    const result = lbfgsb(fg, start.u, { lower, upper, maxIterations, maxEvaluations: 3 * maxIterations, factr: 1e9, pgtol: 1e-7 });
    const s = sse(result.x);
    if (s < best.s || !Number.isFinite(best.s)) best = { u: result.x, s };
  }
  const u = Float64Array.from(best.u);
  const params = toNatural(law, u, new Float64Array(d));
  law.jacobian!(params, input, jac);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) if (law.params[j]!.scale === 'log') jac[i * d + j]! *= params[j]!;
  return { law, params, u, sse: sse(u), n, jac: Float64Array.from(jac) };
}
