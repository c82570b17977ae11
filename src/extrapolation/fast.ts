import { InputError, show } from '../core/errors.js';
import type { Inputs, Law } from '../laws/law.js';
import type { LearningCurve } from './curve.js';
import { evidenceWeights, resolveFamilies } from './ensemble.js';
import { fitFamily } from './least-squares.js';
import { NOISE_PRIOR } from './noise.js';
import { hasProjection, projectionFit } from './projection.js';

/** The fast extrapolator's default families. */
export const FAST_FAMILIES: readonly string[] = ['pow3', 'ilog2', 'mmf', 'weibull', 'hill3'];

export interface FastOptions {
  /**
   * Families of the fast extrapolator (names without `curve.`); few and well-behaved keeps it fast.
   * Families with a variable-projection grid (`PROJECTED_FAMILIES`) are fitted without iterations;
   * the others by L-BFGS-B.
   * @default ['pow3', 'ilog2', 'mmf', 'weibull', 'hill3']
   */
  fastFamilies?: readonly string[];
  /** Mixture slots the family components are spread over (by weight). @default 100 */
  components?: number;
}

/**
 * The fast extrapolator: one least-squares fit per family, the Laplace (delta-method) predictive
 * N(f(T; u_hat), g^T Sigma g + sigma^2) per family, with Sigma = sigma^2 (J^T J)^-1 and
 * sigma^2 = (SSE + nu s0^2) / (n - d + nu) (the noise prior of `NOISE_PRIOR`), combined with Schwarz (BIC) weights (as the ensemble with `weighting: 'evidence'`). No sampling, and
 * the default families are fitted by variable projection on a grid (`projectionFit`), so a curve
 * costs well under a millisecond of arithmetic.
 */
export function fastDraws(
  curve: LearningCurve,
  targets: Float64Array,
  options: FastOptions = {},
  families?: Law<Inputs>[],
): { mu: Float64Array; sigma: Float64Array; count: number; weights: Record<string, number> } {
  const { fastFamilies = FAST_FAMILIES, components = 100 } = options;
  if (!Number.isInteger(components) || components < 1) throw new InputError(`components: must be a positive integer, got ${show(components)}`, 'components');
  const laws = families ?? resolveFamilies(fastFamilies);
  const { x, z } = curve;
  const n = x.length;
  const T = targets.length;
  const parts = laws.map((law) => {
    const d = law.params.length;
    const name = law.name.slice(6);
    const projected = hasProjection(name) ? projectionFit(name, x, z) : undefined;
    // Jacobian in natural units for projected fits, in working units for L-BFGS-B fits; the delta
    // method gives the same predictive variance in either.
    const fit = projected ? { params: projected.params, sse: projected.sse, jac: naturalJacobian(law, projected.params, x) } : fitFamily(law, x, z);
    const natural = projected !== undefined;
    // Conjugate scaled-inverse-chi^2 prior on the noise (NOISE_PRIOR): with as many points as
    // parameters the residuals say nothing about the noise, and sigma must not collapse to 0.
    const sigma2 = (fit.sse + NOISE_PRIOR.nu * NOISE_PRIOR.scale ** 2) / (Math.max(0, n - d) + NOISE_PRIOR.nu);
    // J^T J with a tiny ridge: unidentified directions (e.g. an asymptote far beyond the data) get a
    // large but finite variance instead of breaking the factorisation.
    const A = new Float64Array(d * d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) A[a * d + b]! += fit.jac[i * d + a]! * fit.jac[i * d + b]!;
    let trace = 0;
    for (let a = 0; a < d; a++) trace += A[a * d + a]!;
    for (let a = 0; a < d; a++) A[a * d + a]! += 1e-6 * (trace / d) + 1e-12;
    const L = cholesky(A, d);
    const mu = new Float64Array(T);
    const sd = new Float64Array(T);
    const p = fit.params;
    law.evaluate(p, { step: targets }, mu);
    const g = new Float64Array(T * d);
    law.jacobian!(p, { step: targets }, g);
    for (let t = 0; t < T; t++) {
      const gt = new Float64Array(d);
      for (let j = 0; j < d; j++) gt[j] = g[t * d + j]! * (!natural && law.params[j]!.scale === 'log' ? p[j]! : 1);
      // g^T (J^T J)^-1 g = |L^-1 g|^2.
      const v = forward(L, gt, d);
      let q = 0;
      for (const e of v) q += e * e;
      sd[t] = Math.sqrt(sigma2 * (1 + q));
    }
    const ok = L !== undefined && mu.every(Number.isFinite) && sd.every(Number.isFinite) && Number.isFinite(fit.sse);
    const logEvidence = ok ? -(n / 2) * Math.log(fit.sse / n + 1e-300) - ((d + 1) / 2) * Math.log(n) : -Infinity;
    return { family: name, mu, sd, logEvidence };
  });
  const w = evidenceWeights(parts.map((p) => p.logEvidence));
  if (w.every((v) => v === 0)) throw new InputError(`${curve.source}: no curve family could be fitted`, 'value');
  const mu = new Float64Array(components * T);
  const sigma = new Float64Array(components * T);
  let filled = 0,
    cumulative = 0;
  parts.forEach((part, k) => {
    cumulative += w[k]!;
    const until = Math.min(components, Math.round(cumulative * components));
    for (; filled < until; filled++) {
      mu.set(part.mu, filled * T);
      sigma.set(part.sd, filled * T);
    }
  });
  const weights: Record<string, number> = {};
  parts.forEach((p, k) => {
    weights[p.family] = w[k]!;
  });
  return { mu: mu.subarray(0, filled * T), sigma: sigma.subarray(0, filled * T), count: filled, weights };
}

function naturalJacobian(law: Law<Inputs>, params: Float64Array, x: Float64Array): Float64Array {
  const jac = new Float64Array(x.length * law.params.length);
  law.jacobian!(params, { step: x }, jac);
  return jac;
}

/** Lower-triangular L with L L^T = A (row-major d x d); undefined when A is not positive definite. */
function cholesky(A: Float64Array, d: number): Float64Array | undefined {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / L[j * d + j]!;
      }
    }
  }
  return L;
}

function forward(L: Float64Array | undefined, b: Float64Array, d: number): Float64Array {
  const y = new Float64Array(d);
  if (!L) return y.fill(NaN);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
    y[i] = s / L[i * d + i]!;
  }
  return y;
}
