import { solveLinear } from '../core/linear.js';
import { lbfgsb } from './lbfgsb.js';
import { huber, objective } from './objective.js';
import type { Law } from '../laws/law.js';
import type { CurvePoints } from '../laws/curve-points.js';

/**
 * Luo et al. 2025's initialisation surrogate (their `fitting.py`): the law without the loss-drop
 * sum, L = L0 + A S1^-alpha - B (lr_max - lr(t)).
 */
const surrogate: Law<CurvePoints> = {
  name: 'mpl-surrogate',
  description: 'L0 + A S1^-alpha - B (lr_max - lr), the starting-point surrogate of Luo et al. 2025',
  inputs: ['schedule', 'step'],
  params: [
    { name: 'L0', min: 0 },
    { name: 'A', min: 0 },
    { name: 'alpha', min: 0 },
    { name: 'B', min: 0 },
  ],
  evaluate(p, x, out) {
    this.valueAndJacobian!(p, x, out, new Float64Array(x.length * 4));
  },
  valueAndJacobian(p, x, out, jac) {
    const [L0, A, alpha, B] = p as unknown as [number, number, number, number];
    const peaks = x.curves.map((c) => c.lr.reduce((a, b) => Math.max(a, b), 0));
    for (let i = 0; i < x.length; i++) {
      const curve = x.curves[x.curve[i]!]!;
      const s = x.step[i]!;
      const lnS1 = Math.log(curve.prefix[s]!);
      const power = Math.exp(-alpha * lnS1);
      const drop = peaks[x.curve[i]!]! - curve.lr[s]!;
      out[i] = L0 + A * power - B * drop;
      jac[i * 4] = 1;
      jac[i * 4 + 1] = power;
      jac[i * 4 + 2] = -A * power * lnS1;
      jac[i * 4 + 3] = -drop;
    }
  },
};

/**
 * Starting points for a whole-curve law from Luo et al. 2025's surrogate (their `fitting.py`)
 * L = L0 + A S1^-alpha - B (lr_max - lr(t)). They search it by L-BFGS-B over a grid; here, for each
 * alpha in 0.02, 0.04, ..., 1.5, the surrogate is linear in (L0, A, B) and relative least squares
 * gives them in closed form; the best few alphas (local minima of the surrogate's Huber objective
 * on log residuals) are then polished by L-BFGS-B on the surrogate. The starts extend them with
 * C = 1, beta = gamma = 0.5 for the multi-power law (their values) and C = B (1 - lambda) for the
 * momentum law (a rate drop d lowers the surrogate by B d and the momentum law's C S2 by about
 * C d / (1 - lambda) once S2 has settled).
 */
export function initialStarts(law: Law<CurvePoints>, x: CurvePoints, y: Float64Array, fixed: Readonly<Record<string, number>> = {}, count = 3): Record<string, number>[] {
  const n = x.length;
  const lnS1 = new Float64Array(n);
  const drop = new Float64Array(n);
  const peaks = x.curves.map((c) => c.lr.reduce((a, b) => Math.max(a, b), 0));
  for (let i = 0; i < n; i++) {
    const curve = x.curves[x.curve[i]!]!;
    lnS1[i] = Math.log(curve.prefix[x.step[i]!]!);
    drop[i] = peaks[x.curve[i]!]! - curve.lr[x.step[i]!]!;
  }
  const obj = objective(surrogate, x, y, { loss: huber(1e-3), space: 'log' });
  const grad = new Float64Array(4);
  const profile: { alpha: number; f: number; p: number[] }[] = [];
  for (let alpha = 0.02; alpha <= 1.5 + 1e-9; alpha += 0.02) {
    // Relative least squares: rows (1, S1^-alpha, -drop) / L against 1.
    const M = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const v = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const row = [1 / y[i]!, Math.exp(-alpha * lnS1[i]!) / y[i]!, -drop[i]! / y[i]!];
      for (let a = 0; a < 3; a++) {
        v[a]! += row[a]!;
        for (let b = 0; b < 3; b++) M[a]![b]! += row[a]! * row[b]!;
      }
    }
    const sol = solveLinear(M, v);
    if (!sol) continue;
    const p = [Math.max(sol[0]!, 0), Math.max(sol[1]!, 1e-6), alpha, Math.max(sol[2]!, 0)];
    const f = obj.valueAndGradient(obj.toInternal(p), grad);
    if (Number.isFinite(f)) profile.push({ alpha, f, p });
  }
  // Local minima of the profile, best first.
  const minima = profile.filter((e, i) => (i === 0 || e.f <= profile[i - 1]!.f) && (i === profile.length - 1 || e.f <= profile[i + 1]!.f));
  minima.sort((a, b) => a.f - b.f);
  // No rate drop among the points (e.g. a constant schedule logged after warmup): the surrogate's B
  // is not determined, so there is no profile; start from the law's own initial values.
  if (minima.length === 0) return [Object.fromEntries(law.params.map((p) => [p.name, fixed[p.name] ?? p.init ?? 1]))];
  const polished = minima.slice(0, count).map(({ p }) => {
    const r = lbfgsb(obj.valueAndGradient, obj.toInternal(p), { lower: obj.lower, upper: obj.upper, maxIterations: 500 });
    return Number.isFinite(r.f) ? Array.from(obj.toNatural(r.x)) : p;
  });
  const names = new Set(law.params.map((p) => p.name));
  return polished.map(([L0, A, alpha, B]) => {
    const base: Record<string, number> = { L0: L0!, A: A!, alpha: alpha! };
    if (law.name === 'size-aware') {
      // Split the floor: a size term worth 0.3 at the smallest size, growth of the annealing 0.
      const lambda = fixed.lambda ?? 0.999;
      const smallest = Math.min(...x.curves.map((c) => (c.N ?? 1e6) / 1e6));
      return { ...base, L0: Math.max(L0! - 0.3, 0), B: 0.3 * smallest ** 0.3, beta: 0.3, C: Math.max(B! * (1 - lambda), 1e-3), gamma: 0, lambda };
    }
    if (names.has('lambda') && !names.has('beta')) {
      const lambda = fixed.lambda ?? 0.999;
      return { ...base, C: Math.max(B! * (1 - lambda), 1e-3), lambda };
    }
    return { ...base, B: Math.max(B!, 1), C: 1, beta: 0.5, gamma: 0.5 };
  });
}
