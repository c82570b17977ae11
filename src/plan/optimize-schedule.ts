import { InputError, show } from '../core/errors.js';
import { lbfgsb } from '../fit/lbfgsb.js';
import { momentumS2 } from '../laws/momentum.js';
import { lrSchedule } from '../schedules/schedule.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import { prepareCurve } from '../laws/curve-points.js';
import type { Budget } from './schedule-choice.js';
import type { CurveFit } from '../fit/fit-curves.js';
import { finalLosses } from '../fit/predict-curve.js';

/**
 * The final loss L(T - 1) of a per-step schedule under a fit, and its gradient with respect to every
 * rate, exactly and in O(T).
 *
 * Multi-power law (Luo et al. 2025, eq. 5), t = T - 1, D_k = lr[k] + ... + lr[t],
 * x_k = C lr[k]^-gamma D_k, g_k = 1 - (1 + x_k)^-beta:
 *   dL/dlr[s] = -alpha A S1^(-alpha-1) - B ( -g_s + g_(s+1) - (lr[s-1] - lr[s]) g'_s gamma x_s / lr[s]
 *               + sum_(k<=s) (lr[k-1] - lr[k]) g'_k C lr[k]^-gamma ),
 * the last sum a running prefix. Momentum law (Tissue et al. 2024): S2(t) = sum_k drop_k w_k with
 * w_k = (1 - lambda^(t-k+1)) / (1 - lambda), so dS2/dlr[s] = -w_s + w_(s+1) over counted drops.
 * Convex bound (Schaipp et al. 2025, constant G): see the branch; three running sums.
 */
export function finalLossGradient(fit: CurveFit, lr: Float64Array, grad: Float64Array): number {
  const T = lr.length;
  const t = T - 1;
  let S1 = 0;
  for (let s = 0; s < T; s++) S1 += lr[s]!;
  const p = Array.from(fit.vector());
  if (fit.law === 'mpl') {
    const [L0, A, alpha, B, C, beta, gamma] = p as [number, number, number, number, number, number, number];
    const base = -alpha * A * S1 ** (-alpha - 1);
    const g = new Float64Array(T + 1);
    const slope = new Float64Array(T);
    const a = new Float64Array(T);
    const x = new Float64Array(T);
    let D = 0;
    let LD = 0;
    for (let k = t; k >= 1; k--) {
      D += lr[k]!;
      a[k] = lr[k]! ** -gamma;
      x[k] = C * a[k]! * D;
      const lu = Math.log1p(x[k]!);
      g[k] = -Math.expm1(-beta * lu);
      slope[k] = (beta * (1 - g[k]!)) / (1 + x[k]!);
      LD += (lr[k - 1]! - lr[k]!) * g[k]!;
    }
    let prefix = 0;
    for (let s = 0; s < T; s++) {
      let dLD = 0;
      if (s >= 1) {
        const drop = lr[s - 1]! - lr[s]!;
        prefix += drop * slope[s]! * C * a[s]!;
        dLD += -g[s]! - (drop * slope[s]! * gamma * x[s]!) / lr[s]! + prefix;
      }
      if (s + 1 <= t) dLD += g[s + 1]!;
      grad[s] = base - B * dLD;
    }
    return L0 + A * S1 ** -alpha - B * LD;
  }
  if (fit.law === 'momentum') {
    const [L0, A, alpha, C, lambda] = p as [number, number, number, number, number];
    const base = -alpha * A * S1 ** (-alpha - 1);
    const w = (k: number) => (1 - lambda ** (t - k + 1)) / (1 - lambda);
    const { S2 } = momentumS2(prepareCurve(lr), lambda, t, false);
    for (let s = 0; s < T; s++) {
      // Rises of the rate are not counted by the momentum law (see MomentumOptions.increases).
      let dS2 = 0;
      if (s >= 1 && lr[s - 1]! > lr[s]!) dS2 -= w(s);
      if (s + 1 <= t && lr[s]! > lr[s + 1]!) dS2 += w(s + 1);
      grad[s] = base - C * dS2;
    }
    return L0 + A * S1 ** -alpha - C * S2[t]!;
  }
  if (fit.law === 'convex-bound') {
    // bound = D2 / (2 S) + G2 (P / (2 S) + F / 2), P = sum lr^2, F = sum_{k<t} g_k (1/a_k - 1/b_k)
    // with a_k = lr[k+1] + ... + lr[t], b_k = a_k + lr[k], g_k = lr[k]^2 + ... + lr[t]^2 (the sum
    // telescoped: lr[k] / (a_k b_k) = 1/a_k - 1/b_k). dF/dlr[s] = 2 lr[s] sum_{k<=s} (1/a_k - 1/b_k)
    // - sum_{k<s} g_k / a_k^2 + sum_{k<=s} g_k / b_k^2, three running sums.
    const [L0, D2, G2] = p as [number, number, number];
    const a = new Float64Array(T);
    const g = new Float64Array(T);
    let P = 0;
    for (let k = t; k >= 0; k--) {
      a[k] = k === t ? 0 : a[k + 1]! + lr[k + 1]!;
      P += lr[k]! * lr[k]!;
      g[k] = P;
    }
    let F = 0;
    let inv = 0;
    let overA = 0;
    let overB = 0;
    for (let s = 0; s < T; s++) {
      if (s < t) {
        const b = a[s]! + lr[s]!;
        F += g[s]! * (1 / a[s]! - 1 / b);
        inv += 1 / a[s]! - 1 / b;
        overB += g[s]! / (b * b);
      }
      const dF = 2 * lr[s]! * inv - overA + overB;
      if (s < t) overA += g[s]! / (a[s]! * a[s]!);
      grad[s] = -D2 / (2 * S1 * S1) + G2 * (lr[s]! / S1 - P / (2 * S1 * S1) + dF / 2);
    }
    return L0 + D2 / (2 * S1) + G2 * (P / (2 * S1) + F / 2);
  }
  throw new InputError(`law ${show(fit.law)}: schedule optimisation supports "mpl", "momentum" and "convex-bound"`, 'law');
}

export interface OptimizeOptions {
  /** Number of constant pieces after warmup (at most the steps after warmup). @default 200 */
  blocks?: number;
  /** L-BFGS-B iteration limit. @default 500 */
  maxIterations?: number;
}

/**
 * A free-form non-increasing schedule that minimises the predicted final loss under a peak rate, as
 * Luo et al. 2025 (§5) do. After a linear warmup, the rate is piecewise constant on `blocks` pieces,
 * lr_j = peak exp(-(softplus(theta_0) + ... + softplus(theta_j))): non-increasing and at most the
 * peak by construction, so L-BFGS-B runs on theta without constraints, with the exact gradient of
 * `finalLossGradient`. Starts from the cosine schedule to `final`; reports the gain over it.
 */
export function optimizeSchedule(fit: CurveFit, budget: Budget, options: OptimizeOptions = {}) {
  const { steps: T, peak, warmup: W = 0 } = budget;
  const final = budget.final ?? peak / 10;
  const { maxIterations = 500 } = options;
  if (!Number.isInteger(T) || T < W + 2) throw new InputError(`steps: not an integer above warmup + 1: ${show(T)}`, 'steps');
  const K = Math.min(options.blocks ?? 200, T - W);
  if (!Number.isInteger(K) || K < 1) throw new InputError(`blocks: not a positive integer: ${show(options.blocks)}`, 'blocks');
  const cosine: ScheduleSpec = { type: 'cosine', peak, final, steps: T, warmup: W };
  const start = lrSchedule(cosine);
  const width = (T - W) / K;
  const blockOf = (s: number) => Math.min(K - 1, Math.floor((s - W) / width));
  // Start: the cosine's mean log-rate per block, as cumulative softplus decrements.
  const theta = new Float64Array(K);
  let previous = 0;
  for (let j = 0; j < K; j++) {
    const from = W + Math.ceil(j * width);
    const to = Math.min(T, W + Math.ceil((j + 1) * width));
    let sum = 0;
    for (let s = from; s < to; s++) sum += Math.log(peak / start[s]!);
    const c = Math.max(sum / Math.max(1, to - from), previous + 1e-6);
    const inc = c - previous;
    theta[j] = inc > 30 ? inc : Math.log(Math.expm1(inc)); // softplus^-1
    previous = c;
  }
  const lr = lrSchedule({ type: 'constant', peak, steps: T, warmup: W });
  const grad = new Float64Array(T);
  const rates = new Float64Array(K);
  const softplus = (v: number) => (v > 30 ? v : Math.log1p(Math.exp(v)));
  const build = (th: Float64Array) => {
    let c = 0;
    for (let j = 0; j < K; j++) {
      c += softplus(th[j]!);
      rates[j] = peak * Math.exp(-c);
    }
    for (let s = W; s < T; s++) lr[s] = rates[blockOf(s)]!;
  };
  const dRate = new Float64Array(K);
  const fg = (th: Float64Array, g: Float64Array) => {
    build(th);
    const f = finalLossGradient(fit, lr, grad);
    dRate.fill(0);
    for (let s = W; s < T; s++) dRate[blockOf(s)]! += grad[s]!;
    // d rate_i / d theta_j = -rate_i sigmoid(theta_j) for i >= j: a suffix sum.
    let suffix = 0;
    for (let j = K - 1; j >= 0; j--) {
      suffix += dRate[j]! * -rates[j]!;
      g[j] = suffix / (1 + Math.exp(-th[j]!));
    }
    return f;
  };
  const result = lbfgsb(fg, theta, { maxIterations });
  build(result.x);
  const values = Array.from(lr);
  const schedule: ScheduleSpec = { type: 'custom', values };
  const [optimized, cosineFinal] = finalLosses(fit, [values, cosine], budget.N) as unknown as [number, number];
  return {
    schedule,
    final: optimized,
    cosine: cosineFinal,
    /** Predicted final loss of the cosine minus that of the optimised schedule. */
    gain: cosineFinal - optimized,
    converged: result.converged,
    message: result.message,
  };
}
