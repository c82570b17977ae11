import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import { quantile } from '../core/stats.js';
import { predictWith, type ScalingFit } from '../fit/result.js';
import type { Inputs, Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';

/** A compute-optimal allocation at one budget. */
export interface Allocation {
  /** Training FLOPs. */
  C: number;
  /** Parameters. */
  N: number;
  /** Tokens, C / (k N). */
  D: number;
  tokensPerParameter: number;
  /** Predicted loss at (N, D). */
  loss: number;
}

export interface OptimalOptions {
  /** FLOPs per parameter per token, C = k N D (Kaplan et al. 2020). @default 6 */
  flopsPerParameterToken?: number;
  /**
   * 'closed-form' (Chinchilla only), 'numeric' (minimise L(N, C / (k N)) over log N, any law in N and
   * D) or 'auto' (closed form where it exists). @default 'auto'
   */
  method?: 'auto' | 'closed-form' | 'numeric';
}

/** Values of a Chinchilla law by name. */
export interface ChinchillaValues {
  A: number;
  B: number;
  E: number;
  alpha: number;
  beta: number;
}

/**
 * Hoffmann et al. 2022, eq. 4 (App. D.2): minimising E + A / N^alpha + B / D^beta subject to
 * C = k N D gives N_opt = G (C / k)^a and D_opt = G^-1 (C / k)^b with a = beta / (alpha + beta),
 * b = alpha / (alpha + beta) and G = (alpha A / (beta B))^(1 / (alpha + beta)).
 *
 * @example chinchillaOptimal({ A: 482.01, B: 2085.43, E: 1.817, alpha: 0.348, beta: 0.366 }, 5.76e23) // N ≈ 7.23e10, D ≈ 1.33e12
 */
export function chinchillaOptimal(values: ChinchillaValues, C: number, flopsPerParameterToken = 6): Allocation {
  checkBudget(C);
  const { A, B, E, alpha, beta } = values;
  if (!(alpha > 0 && beta > 0 && A > 0 && B > 0)) {
    throw new InputError(`chinchilla values: A, B, alpha and beta must be positive for a finite optimum, got ${show({ A, B, alpha, beta })}`, 'values');
  }
  const a = beta / (alpha + beta);
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  const budget = C / flopsPerParameterToken;
  const N = G * budget ** a;
  const D = budget / N;
  return { C, N, D, tokensPerParameter: D / N, loss: E + A / N ** alpha + B / D ** beta };
}

function checkBudget(C: number): void {
  if (!(C > 0) || !Number.isFinite(C)) throw new InputError(`compute: must be a positive number of FLOPs, got ${show(C)}`, 'compute');
}

/**
 * Numeric route for any law of N and D: minimises L(N, C / (k N)) over log N by a coarse scan (the
 * loss along an iso-FLOP line may have several dips) refined by golden-section search.
 */
export function numericOptimal(law: Law<Inputs>, p: Float64Array, C: number, flopsPerParameterToken = 6): Allocation {
  checkBudget(C);
  if (!law.inputs.includes('N') || !law.inputs.includes('D')) {
    throw new InputError(`law ${show(law.name)} does not read both N and D (inputs: ${law.inputs.join(', ')}); no allocation to optimise`, 'law');
  }
  const budget = C / flopsPerParameterToken;
  const out = new Float64Array(1);
  const lossAt = (logN: number): number => {
    // Fresh arrays each time: laws may cache per-array work (logColumn) and assume columns never change.
    const N = Math.exp(logN);
    law.evaluate(p, { N: Float64Array.of(N), D: Float64Array.of(budget / N) }, out);
    return Number.isFinite(out[0]!) ? out[0]! : Infinity;
  };
  // Scan N from 1 to the whole budget (D = 1) on a log grid.
  const lo = 0,
    hi = Math.log(budget);
  const steps = 400;
  let bestK = 0,
    bestL = Infinity;
  for (let k = 0; k <= steps; k++) {
    const l = lossAt(lo + ((hi - lo) * k) / steps);
    if (l < bestL) {
      bestL = l;
      bestK = k;
    }
  }
  let a = lo + ((hi - lo) * Math.max(0, bestK - 1)) / steps;
  let b = lo + ((hi - lo) * Math.min(steps, bestK + 1)) / steps;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let c = b - ratio * (b - a),
    d = a + ratio * (b - a);
  let fc = lossAt(c),
    fd = lossAt(d);
  while (b - a > 1e-12 * Math.max(1, Math.abs(a))) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = lossAt(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = lossAt(d);
    }
  }
  const logN = (a + b) / 2;
  const N = Math.exp(logN);
  const D = budget / N;
  return { C, N, D, tokensPerParameter: D / N, loss: lossAt(logN) };
}

/**
 * Refuses an allocation no model can have: fewer than one parameter or one token (a budget far
 * below any model's cost), or a loss at or below 0 (a fit whose E is impossible).
 */
export function checkAllocation(a: Allocation): Allocation {
  if (!(a.N >= 1) || !(a.D >= 1)) {
    throw new InputError(
      `compute: ${show(a.C)} FLOPs is too small: the compute-optimal model would have N = ${formatNumber(a.N, 3)} parameters and D = ${formatNumber(a.D, 3)} tokens, fewer than one; no model trains on this budget`,
      'compute',
    );
  }
  if (!(a.loss > 0)) throw new InputError(`compute: at ${show(a.C)} FLOPs the fit predicts a loss of ${formatNumber(a.loss, 4)}, which no loss can be; check the fit's parameters (E)`, 'fit');
  return a;
}

function allocate(law: Law<Inputs>, p: Float64Array, C: number, options: OptimalOptions): Allocation {
  return checkAllocation(allocateAny(law, p, C, options));
}

function allocateAny(law: Law<Inputs>, p: Float64Array, C: number, options: OptimalOptions): Allocation {
  const { flopsPerParameterToken = 6, method = 'auto' } = options;
  if (!(flopsPerParameterToken > 0)) throw new InputError(`flopsPerParameterToken: must be positive, got ${show(flopsPerParameterToken)}`, 'flopsPerParameterToken');
  if (method === 'closed-form' && law.name !== 'chinchilla') {
    throw new InputError(`method "closed-form" needs law "chinchilla", got ${show(law.name)}; use method "numeric"`, 'method');
  }
  if (method !== 'numeric' && law.name === 'chinchilla') {
    const v = Object.fromEntries(law.params.map((spec, j) => [spec.name, p[j]!])) as unknown as ChinchillaValues;
    return chinchillaOptimal(v, C, flopsPerParameterToken);
  }
  if (method !== 'auto' && method !== 'numeric' && method !== 'closed-form') throw new InputError(`method: must be "auto", "closed-form" or "numeric", got ${show(method)}`, 'method');
  return numericOptimal(law, p, C, flopsPerParameterToken);
}

/**
 * Compute-optimal N, D, tokens per parameter and loss at each budget, for a fitted (or published)
 * law of N and D. A budget whose optimum has fewer than one parameter or token, or a loss at or
 * below 0, is refused with an InputError (`checkAllocation`).
 *
 * @example computeOptimal(fit, 5.76e23)[0] // { C, N, D, tokensPerParameter, loss }
 */
export function computeOptimal(fit: ScalingFit, compute: number | readonly number[], options: OptimalOptions = {}): Allocation[] {
  const law = getLaw<Inputs>(fit.law);
  const p = Float64Array.from(fit.params, (q) => q.value);
  return (typeof compute === 'number' ? [compute] : compute).map((C) => allocate(law, p, C, options));
}

/** Loss of the compute-optimal model at each budget. */
export function lossAtBudget(fit: ScalingFit, compute: number | readonly number[], options: OptimalOptions = {}): number[] {
  return computeOptimal(fit, compute, options).map((a) => a.loss);
}

/** An allocation with bootstrap percentile intervals on each of its numbers. */
export interface AllocationInterval extends Allocation {
  level: number;
  interval: { N: [number, number]; D: [number, number]; tokensPerParameter: [number, number]; loss: [number, number] };
}

/**
 * `computeOptimal` with percentile intervals from the fit's bootstrap samples: the allocation is
 * recomputed for every resampled parameter set.
 */
export function computeOptimalInterval(fit: ScalingFit, compute: number | readonly number[], options: OptimalOptions & { level?: number } = {}): AllocationInterval[] {
  if (!fit.bootstrap) throw new InputError(`fit of law ${show(fit.law)} has no bootstrap samples; run bootstrap() (CLI: --bootstrap 1000) first`, 'bootstrap');
  const { level = fit.bootstrap.level } = options;
  if (!(level > 0 && level < 1)) throw new InputError(`invalid level; not in (0, 1): ${show(level)}`, 'level');
  const law = getLaw<Inputs>(fit.law);
  const point = computeOptimal(fit, compute, options);
  const samples = fit.bootstrap.samples.map((s) => Float64Array.from(s));
  return point.map((best) => {
    const draws = samples
      .map((p) => {
        try {
          return allocate(law, p, best.C, options);
        } catch {
          return undefined;
        }
      })
      .filter((a): a is Allocation => a !== undefined && Number.isFinite(a.N));
    const range = (key: 'N' | 'D' | 'tokensPerParameter' | 'loss'): [number, number] => {
      const sorted = draws.map((a) => a[key]).sort((x, y) => x - y);
      return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
    };
    return { ...best, level, interval: { N: range('N'), D: range('D'), tokensPerParameter: range('tokensPerParameter'), loss: range('loss') } };
  });
}

/** Loss predicted by the fit at (N, D) pairs; convenience for reports. */
export function lossAt(fit: ScalingFit, N: number, D: number): number {
  return predictWith(
    getLaw<Inputs>(fit.law),
    Float64Array.from(fit.params, (q) => q.value),
    { N, D },
  )[0]!;
}
