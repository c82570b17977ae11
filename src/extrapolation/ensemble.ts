import { InputError, show } from '../core/errors.js';
import { rng } from '../core/rng.js';
import { ball, ensembleSampler } from '../fit/ensemble-sampler.js';
import type { Inputs, Law } from '../laws/law.js';
import type { LearningCurve } from './curve.js';
import { curveFamilies, curveFamily } from '../laws/families.js';
import { NOISE_PRIOR } from './noise.js';
import { hasProjection, projectionFit } from './projection.js';
import { fitFamily, toNatural, workingBounds, type FamilyFit } from './least-squares.js';

/**
 * Options of the Bayesian ensemble of curve families.
 */
export interface EnsembleOptions {
  /** Families to combine (names without the `curve.` prefix). @default all eleven */
  families?: readonly string[];
  /** Walkers per family (even, >= 2 x (parameters + 1)). @default 12 */
  walkers?: number;
  /** Sampler iterations per family, half of them burn-in. @default 200 */
  steps?: number;
  /** Draws in the combined predictive. @default 2000 */
  draws?: number;
  /**
   * How the families are weighted. 'evidence': in proportion to each family's Schwarz (BIC)
   * evidence; with few points this all but selects the family with the smallest residuals and keeps
   * its narrow posterior. 'equal': every family that could describe the curve as improving gets the
   * same weight (uniform model averaging), so the predictive carries the families' disagreement.
   * Measured (BENCHMARKS.md, "Learning curves"): on LLM loss curves at constant learning rate
   * 'evidence' predicts the end closer; on the stepped-schedule NAS curves of Baker et al. 2017
   * 'equal' gives the better-calibrated intervals and the better early-stopping decisions.
   * Refused (InputError) with `method: 'fast'`, which weights its fits by BIC.
   * @default 'evidence'
   */
  weighting?: 'evidence' | 'equal';
  /** @default 0 */
  seed?: number;
}

/** Posterior draws of one family: curve values at the targets and the noise, in normalised units. */
export interface FamilyPosterior {
  family: string;
  /** Log marginal likelihood estimate (Laplace / BIC form), used for the weights. */
  logEvidence: number;
  /** mu[s * targets + t]: the family's curve at target t for draw s. */
  mu: Float64Array;
  sigma: Float64Array;
  count: number;
  acceptance: number;
}

/**
 * Samples each family's posterior over its parameters and the noise with the affine-invariant
 * ensemble sampler, starting from a ball around its least-squares fit. The likelihood is Gaussian,
 * z_i ~ N(f(x_i; theta), sigma^2); the priors are flat within the law's bounds (flat in log for
 * log-scaled parameters), a weak scaled-inverse-chi^2 on sigma^2 (`NOISE_PRIOR`), and, as in Domhan et al. 2015 (§3.2), a draw must predict
 * an improving curve: f(last target) >= f(first fitted step), and stay inside the metric's range.
 */
export function familyPosterior(
  curve: LearningCurve,
  law: Law<Inputs>,
  targets: Float64Array,
  options: { walkers: number; steps: number; seed: number; fit?: Pick<FamilyFit, 'u' | 'sse'> },
): FamilyPosterior {
  const { walkers, steps, seed } = options;
  const { x, z } = curve;
  const n = x.length,
    d = law.params.length,
    dim = d + 1;
  if (walkers < 2 * dim || walkers % 2) {
    throw new InputError(`walkers: need an even number >= ${2 * dim} for family ${law.name.slice(6)}, got ${show(walkers)}`, 'walkers');
  }
  const fit = options.fit ?? initialFit(law, x, z);
  const { lower, upper } = workingBounds(law);
  const p = new Float64Array(d);
  const pred = new Float64Array(n);
  const tx = Float64Array.from([x[0]!, ...targets]);
  const tpred = new Float64Array(tx.length);
  const zLo = curve.range[0] === -Infinity ? -Infinity : Math.min(curve.toZ(curve.range[0]), curve.toZ(curve.range[1]));
  const zHi = curve.range[1] === Infinity ? Infinity : Math.max(curve.toZ(curve.range[0]), curve.toZ(curve.range[1]));
  const lastTarget = tx.length - 1;
  // Noise floor and ceiling in normalised units (the observed span is 0.8).
  const logSigmaMin = Math.log(1e-5),
    logSigmaMax = Math.log(1);
  const { nu, scale: s0 } = NOISE_PRIOR;
  const logProb = (u: Float64Array): number => {
    for (let j = 0; j < d; j++) if (!(u[j]! >= lower[j]! && u[j]! <= upper[j]!)) return -Infinity;
    const logSigma = u[d]!;
    if (!(logSigma >= logSigmaMin && logSigma <= logSigmaMax)) return -Infinity;
    toNatural(law, u, p);
    law.evaluate(p, { step: tx }, tpred);
    const last = tpred[lastTarget]!;
    if (!(last >= tpred[0]!) || last < zLo || last > zHi) return -Infinity;
    law.evaluate(p, { step: x }, pred);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (pred[i]! - z[i]!) ** 2;
    if (!Number.isFinite(ss)) return -Infinity;
    const s2 = Math.exp(2 * logSigma);
    // Scaled-inverse-chi^2(nu, s0^2) prior on sigma^2, written for log sigma: -nu log sigma - nu s0^2 / (2 sigma^2).
    return -(n + nu) * logSigma - (ss + nu * s0 * s0) / (2 * s2);
  };
  const sigma0 = Math.max(Math.sqrt(fit.sse / n), 2e-5);
  const center = Float64Array.from([...fit.u, Math.log(sigma0)]);
  const random = rng(seed);
  const scale = Float64Array.from(center, (v, j) => (j < d ? 1e-3 * Math.max(1, Math.abs(v)) : 0.1));
  let starts = ball(center, scale, walkers, random, logProb);
  if (!Number.isFinite(logProb(starts[0]!))) {
    // The least-squares fit breaks a constraint (e.g. it predicts a decline): start from the
    // law's initial values instead, which increase by construction.
    const init = Float64Array.from([...law.params.map((q) => (q.scale === 'log' ? Math.log(q.init ?? 1) : (q.init ?? 0))), Math.log(0.3)]);
    starts = ball(init, scale, walkers, random, logProb);
  }
  const ok = starts.every((s) => Number.isFinite(logProb(s)));
  if (!ok) return { family: law.name.slice(6), logEvidence: -Infinity, mu: new Float64Array(0), sigma: new Float64Array(0), count: 0, acceptance: 0 };
  const samples = ensembleSampler(logProb, starts, { steps, burn: Math.floor(steps / 2), seed: random.int(2 ** 31) });
  const T = targets.length;
  const mu = new Float64Array(samples.count * T);
  const sigma = new Float64Array(samples.count);
  const u = new Float64Array(dim);
  let maxLogLik = -Infinity;
  for (let s = 0; s < samples.count; s++) {
    for (let j = 0; j < dim; j++) u[j] = samples.draws[s * dim + j]!;
    toNatural(law, u, p);
    law.evaluate(p, { step: targets }, tpred.subarray(0, T));
    for (let t = 0; t < T; t++) mu[s * T + t] = tpred[t]!;
    sigma[s] = Math.exp(u[d]!);
    maxLogLik = Math.max(maxLogLik, samples.logProb[s]!);
  }
  // Schwarz's approximation of the log evidence: max log likelihood - (d + 1) / 2 log n.
  const logEvidence = maxLogLik - (dim / 2) * Math.log(n);
  return { family: law.name.slice(6), logEvidence, mu, sigma, count: samples.count, acceptance: samples.acceptance };
}

/**
 * The least-squares fit the walkers start around: variable projection where the family has one
 * (no iterations), else L-BFGS-B from the law's grid.
 */
function initialFit(law: Law<Inputs>, x: Float64Array, z: Float64Array): { u: Float64Array; sse: number } {
  const name = law.name.slice(6);
  if (!hasProjection(name)) return fitFamily(law, x, z);
  const projected = projectionFit(name, x, z);
  const u = projected.params.map((v, j) => (law.params[j]!.scale === 'log' ? Math.log(v) : v));
  return { u, sse: projected.sse };
}

/** Normalised weights exp(logEvidence_k) / sum, from a list of log evidences. */
export function evidenceWeights(logEvidence: readonly number[]): number[] {
  const max = Math.max(...logEvidence);
  if (max === -Infinity) return logEvidence.map(() => 0);
  const w = logEvidence.map((l) => Math.exp(l - max));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

export function resolveFamilies(names: readonly string[] | undefined): Law<Inputs>[] {
  if (names === undefined) return [...curveFamilies];
  if (names.length === 0) throw new InputError('families: empty list; give at least one family', 'families');
  return names.map((name) => curveFamily(name));
}

/**
 * Draws of the combined posterior predictive in normalised units: each family contributes draws in
 * proportion to its weight. Returns per-draw curve values at the targets and noise
 * (mu[s * T + t], sigma[s * T + t] for draw s and target t). `weighting` is checked by `extrapolate`.
 */
export function ensembleDraws(
  curve: LearningCurve,
  targets: Float64Array,
  options: EnsembleOptions = {},
  laws: Law<Inputs>[] = resolveFamilies(options.families),
): { mu: Float64Array; sigma: Float64Array; count: number; weights: Record<string, number> } {
  const { walkers = 12, steps = 200, draws = 2000, seed = 0, weighting = 'evidence' } = options;
  if (!Number.isInteger(draws) || draws < 1) throw new InputError(`draws: must be a positive integer, got ${show(draws)}`, 'draws');
  if (!Number.isInteger(steps) || steps < 2) throw new InputError(`steps: must be an integer >= 2, got ${show(steps)}`, 'steps');
  const random = rng(seed);
  const posteriors = laws.map((law) => familyPosterior(curve, law, targets, { walkers, steps, seed: random.int(2 ** 31) }));
  const w = evidenceWeights(posteriors.map((p) => (p.count === 0 ? -Infinity : weighting === 'equal' ? 0 : p.logEvidence)));
  const T = targets.length;
  const mu = new Float64Array(draws * T);
  const sigma = new Float64Array(draws * T);
  // Systematic allocation of the draws to the families by weight, then uniform picks within each.
  let filled = 0;
  let cumulative = 0;
  posteriors.forEach((post, k) => {
    cumulative += w[k]!;
    const until = k === posteriors.length - 1 ? draws : Math.round(cumulative * draws);
    for (; filled < until && post.count > 0; filled++) {
      const s = random.int(post.count);
      for (let t = 0; t < T; t++) {
        mu[filled * T + t] = post.mu[s * T + t]!;
        sigma[filled * T + t] = post.sigma[s]!;
      }
    }
  });
  if (filled === 0) throw new InputError(`${curve.source}: no curve family could describe this curve as improving`, 'value');
  const weights: Record<string, number> = {};
  posteriors.forEach((p, k) => {
    weights[p.family] = w[k]!;
  });
  return { mu: mu.subarray(0, filled * T), sigma: sigma.subarray(0, filled * T), count: filled, weights };
}
