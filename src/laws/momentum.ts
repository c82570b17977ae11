import { selectPoints, type CurvePoints, type PreparedCurve } from './curve-points.js';
import { type Law, fromPass } from './law.js';
import { validateS1 } from './multipower.js';

/**
 * S2 at every step up to `last` and its derivative in lambda (Tissue et al. 2024, eq. 4):
 * m_i = lambda m_(i-1) + (lr[i-1] - lr[i]), S2(s) = m_1 + ... + m_s, one pass, O(last). With
 * `increases` false, rises of the rate contribute 0 instead of a negative drop.
 */
export function momentumS2(curve: PreparedCurve, lambda: number, last = curve.lr.length - 1, increases = true): { S2: Float64Array; dS2: Float64Array } {
  const lr = curve.lr;
  const S2 = new Float64Array(last + 1);
  const dS2 = new Float64Array(last + 1);
  let m = 0;
  let dm = 0;
  let s2 = 0;
  let ds2 = 0;
  for (let i = 1; i <= last; i++) {
    dm = m + lambda * dm; // d m_i / d lambda, before m is updated
    const drop = lr[i - 1]! - lr[i]!;
    m = lambda * m + (increases || drop > 0 ? drop : 0);
    s2 += m;
    ds2 += dm;
    S2[i] = s2;
    dS2[i] = ds2;
  }
  return { S2, dS2 };
}

/**
 * S2 and dS2/dlambda of every curve of `x` up to its last row's step, kept per curve between calls
 * with the same lambda (a fit evaluates the same curves many times; lambda changes less often).
 */
export function momentumTables(increases: boolean): (x: CurvePoints, lambda: number) => { S2: Float64Array; dS2: Float64Array }[] {
  const cache = new WeakMap<PreparedCurve, { lambda: number; last: number; S2: Float64Array; dS2: Float64Array }>();
  return (x, lambda) => {
    const last = new Int32Array(x.curves.length);
    for (let i = 0; i < x.length; i++) last[x.curve[i]!] = Math.max(last[x.curve[i]!]!, x.step[i]!);
    return x.curves.map((curve, c) => {
      const hit = cache.get(curve);
      if (hit && hit.lambda === lambda && hit.last >= last[c]!) return hit;
      const entry = { lambda, last: last[c]!, ...momentumS2(curve, lambda, last[c]!, increases) };
      cache.set(curve, entry);
      return entry;
    });
  };
}

/**
 * The momentum law of Tissue et al. 2024 ("Scaling Law with Learning Rate Annealing"):
 *
 *   L(s) = L0 + A S1(s)^-alpha - C S2(s),
 *   S1(s) = lr[0] + ... + lr[s],  S2(s) = sum_{i=1..s} m_i,  m_i = lambda m_(i-1) + (lr[i-1] - lr[i]).
 *
 * Rate increases (warmup) are left out of m unless `increases` is set. lambda is a parameter (0.999
 * in the paper; fix it with `fixed: { lambda: 0.999 }` or let the fit find it). S1 and S2 take one
 * pass over the schedule; analytic Jacobian, lambda included.
 */
export interface MomentumOptions {
  /**
   * The name saved fits refer to; predictions rebuild the law from the registry by this name, so a
   * variant needs its own. @default 'momentum', or 'momentum-warmup' with `increases`
   */
  name?: string;
  /**
   * Let rising rates (a warmup) add (negative) annealing momentum, the recursion taken literally.
   * Off by default: the momentum measures annealing, and on Luo et al.'s curves leaving the warmup
   * out fits the training curves better (summed Huber 1.80e-4 against 2.08e-4 at 25M) and predicts
   * the test curves better (PredE 0.00130 against 0.00137).
   * @default false
   */
  increases?: boolean;
}

/** The momentum law (Tissue et al. 2024) with other options: a variant for warmup, or under another name. */
export function momentumLaw(options: MomentumOptions = {}): Law<CurvePoints> {
  const { increases = false } = options;
  const { name = increases ? 'momentum-warmup' : 'momentum' } = options;
  const s2Tables = momentumTables(increases);
  const pass = (p: Float64Array, x: CurvePoints, out: Float64Array | undefined, jac: Float64Array | undefined) => {
    const [L0, A, alpha, C, lambda] = p as unknown as [number, number, number, number, number];
    const tables = s2Tables(x, lambda);
    for (let i = 0; i < x.length; i++) {
      const c = x.curve[i]!;
      const s = x.step[i]!;
      const lnS1 = Math.log(x.curves[c]!.prefix[s]!);
      const power = Math.exp(-alpha * lnS1);
      const S2 = tables[c]!.S2[s]!;
      if (out) out[i] = L0 + A * power - C * S2;
      if (jac) {
        const r = i * 5;
        jac[r] = 1;
        jac[r + 1] = power;
        jac[r + 2] = -A * power * lnS1;
        jac[r + 3] = -S2;
        jac[r + 4] = -C * tables[c]!.dS2[s]!;
      }
    }
  };
  return {
    name,
    description: 'momentum law: loss along any learning-rate schedule (Tissue et al. 2024)',
    inputs: ['schedule', 'step'],
    formula: 'L(s) = L0 + A S1(s)^-alpha - C S2(s), S2 = sum_i m_i, m_i = lambda m_(i-1) + (lr[i-1] - lr[i])',
    params: [
      { name: 'L0', min: 0, init: 3, description: 'loss floor' },
      { name: 'A', min: 1e-8, init: 0.5, scale: 'log', description: 'amplitude of the power law in S1' },
      { name: 'alpha', min: 0, max: 5, init: 0.5, description: 'exponent of S1' },
      { name: 'C', min: 0, init: 300, description: 'weight of the annealing area S2' },
      { name: 'lambda', min: 0.9, max: 0.99999, init: 0.999, description: 'decay of the annealing momentum' },
    ],
    size: (x) => x.length,
    ...fromPass(pass),
    validate(x) {
      validateS1(x, 'momentum');
    },
    select: selectPoints,
  };
}

/** The momentum law as registered under 'momentum'. */
export const momentum: Law<CurvePoints> = momentumLaw();
/** The recursion taken literally, warmup rises included (`increases: true`). */
export const momentumWarmup: Law<CurvePoints> = momentumLaw({ increases: true });
