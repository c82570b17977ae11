import { rng as makeRng, type Rng } from '../core/rng.js';
import { curveFamilies } from '../laws/families.js';
import type { Goal } from './curve.js';

/**
 * The prior the learning-curve PFN is trained on (`npm run train:pfn`): a generator of whole
 * learning curves, from which a partial curve and a later value are cut. The network learns the
 * posterior predictive of that value given the prefix under this prior (Müller et al. 2022,
 * Adriaensen et al. 2023), so every choice here is a modelling assumption; they are listed in
 * `PFN_PRIOR` and written in the TSDoc of `samplePriorCurve`.
 */

/** Bumped whenever the generator changes: the shipped weights record the version they were trained on. */
export const PFN_PRIOR_VERSION = 2;

/** The prior's settings, recorded with the weights. */
export const PFN_PRIOR = {
  version: PFN_PRIOR_VERSION,
  /** Curve lengths, log-uniform (steps 1..length, one point per step). */
  length: [10, 1000],
  /** P(accuracy goal: values in [0, 1], higher is better); otherwise a loss (> 0, lower is better). */
  accuracy: 0.5,
  /** P(a run that does not learn: constant level plus noise). */
  stuck: 0.06,
  /** P(a flat start before learning begins), its length up to this fraction of the curve. */
  plateau: [0.12, 0.25],
  /**
   * The learning-rate schedule of the run, by probability: constant; periodic steps (StepLR,
   * Caffe's "step": the rate falls by gamma every `period` steps); 1 to 3 steps at milestones
   * (MultiStepLR); cosine and linear decay over the curve's length (the planned budget).
   */
  schedule: { constant: 0.4, step: 0.15, multistep: 0.15, cosine: 0.2, linear: 0.1 },
  /** Period of the periodic steps, as a fraction of the length, uniform. */
  period: [0.1, 0.7],
  /** Milestones of the multistep schedule, uniform in these fractions of the length. */
  milestones: [0.15, 0.9],
  /** Rate factor at each step, log-uniform. */
  gamma: [0.05, 0.6],
  /** Final rate of cosine and linear decay as a fraction of the peak, uniform. */
  floor: [0, 0.1],
  /** Share of the progress made so far that annealing the rate to 0 adds, log-uniform. */
  anneal: [0.02, 0.5],
  /** P(the metric worsens after a peak: overfitting), by a log-uniform share of the gain. */
  overfit: [0.2, 0.01, 0.3],
  /** Noise sd, log-uniform: accuracy in absolute units, loss relative to the level. */
  noise: [0.0007, 0.04],
  /** AR(1) coefficient of the noise, uniform. */
  ar: [0, 0.7],
  /** P(heavy-tailed noise: Student t with 3 degrees of freedom). */
  heavy: 0.15,
  /** P(logging every k-th step, k in 2..10). */
  thinned: 0.25,
  /** Fraction of the target step seen, uniform. */
  seen: [0.04, 0.97],
  /** P(the target is the last step; else uniform among the unseen steps). */
  last: 0.7,
  /** P(the metric's bound is hidden from the network, as for a metric given with no range). */
  hideBound: 0.3,
  /** P(the run's planned length, where its schedule ends, is hidden from the network). */
  hideHorizon: 0.3,
} as const;

/** One draw of the prior: a partial curve, the step to predict, and the value observed there. */
export interface PriorSample {
  steps: Float64Array;
  values: Float64Array;
  goal: Goal;
  range: readonly [number, number];
  target: number;
  /** The noisy value observed at `target` (what the network learns to predict). */
  truth: number;
  /** Index of the family in `curveFamilies`. */
  family: number;
  /** The learning-rate schedule (a key of `PFN_PRIOR.schedule`). */
  schedule: string;
  /** The run's length L (where its schedule ends), or undefined where the network is not told it. */
  horizon: number | undefined;
}

const logUniform = (r: Rng, lo: number, hi: number) => Math.exp(Math.log(lo) + r.next() * (Math.log(hi) - Math.log(lo)));
const uniform = (r: Rng, lo: number, hi: number) => lo + r.next() * (hi - lo);

/**
 * Shape parameters of each Domhan family (order of `curveFamilies`), given the curve's length L.
 * Only the shape matters: the curve is mapped affinely so that it starts at 0 and ends at 1.
 * Time scales are log-uniform between a step and twice the length, so a prefix may show the
 * fast phase, the bend, or only the start.
 */
function familyParams(k: number, r: Rng, L: number): number[] {
  const tau = logUniform(r, 0.5, 2 * L);
  const delta = logUniform(r, 0.3, 3);
  switch (k) {
    case 0: // pow3: c - a x^-alpha
      return [1, 1, logUniform(r, 0.05, 2.5)];
    case 1: // pow4: c - (a x + b)^-alpha
      return [1, 1, logUniform(r, 0.01, L / 3), logUniform(r, 0.05, 2.5)];
    case 2: // log_power: a / (1 + (x / e^b)^c)
      return [1, Math.log(tau), -logUniform(r, 0.3, 4)];
    case 3: // weibull
    case 4: // mmf
      return [1, 0, 1 / tau, delta];
    case 5: // janoschek: exp(-kappa x^delta)
      return [1, 0, tau ** -delta, delta];
    case 6: // ilog2: no shape parameter
      return [1, 1];
    case 7: // exp4: c - exp(-a x^alpha + b)
      return [1, tau ** -delta, delta, 0];
    case 8: // vap: exp(a + b / x + c log x); c < 0 turns it back down late
      return [0, -logUniform(r, 0.2, 8), uniform(r, -0.15, 0.4)];
    case 9: // loglog_linear: log(a log x + b)
      return [logUniform(r, 0.05, 10), uniform(r, 1.02, 3)];
    default: // hill3
      return [1, logUniform(r, 0.5, 4), logUniform(r, 0.5, 1.5 * L)];
  }
}

/**
 * The family's curve at (possibly warped, non-integer) times `x`, mapped to start at 0 and end at
 * 1; undefined when degenerate.
 */
function progress(k: number, r: Rng, L: number, x: Float64Array): Float64Array | undefined {
  const law = curveFamilies[k]!;
  const p = Float64Array.from(familyParams(k, r, L));
  const f = new Float64Array(L);
  law.evaluate(p, { step: x }, f);
  const a = f[0]!,
    b = f[L - 1]!;
  if (!(Number.isFinite(a) && Number.isFinite(b)) || !(b - a > 1e-9)) return undefined;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < L; i++) {
    f[i] = (f[i]! - a) / (b - a);
    if (!Number.isFinite(f[i]!)) return undefined;
    lo = Math.min(lo, f[i]!);
    hi = Math.max(hi, f[i]!);
  }
  // vap can overshoot and come back; keep it within reason.
  return lo < -0.3 || hi > 1.5 ? undefined : f;
}

/** The rate multiplier of each step 1..L (1 at the start) under one schedule of the prior, and its kind (exported for tests). */
export function lrSchedule(r: Rng, L: number): { eta: Float64Array; kind: string } {
  const P = PFN_PRIOR;
  const eta = new Float64Array(L).fill(1);
  let u = r.next();
  const kind = (Object.keys(P.schedule) as (keyof typeof P.schedule)[]).find((k) => (u -= P.schedule[k]) < 0) ?? 'constant';
  if (kind === 'step') {
    const period = Math.max(2, Math.round(uniform(r, P.period[0], P.period[1]) * L));
    const gamma = logUniform(r, P.gamma[0], P.gamma[1]);
    for (let i = 0; i < L; i++) eta[i] = gamma ** Math.floor((i + 1) / period);
  } else if (kind === 'multistep') {
    const n = 1 + r.int(3);
    const at = Array.from({ length: n }, () => Math.floor(uniform(r, P.milestones[0], P.milestones[1]) * L)).sort((a, b) => a - b);
    for (const t of at) {
      const gamma = logUniform(r, P.gamma[0], P.gamma[1]);
      for (let i = Math.max(1, t); i < L; i++) eta[i]! *= gamma;
    }
  } else if (kind === 'cosine' || kind === 'linear') {
    const floor = uniform(r, P.floor[0], P.floor[1]);
    for (let i = 0; i < L; i++) {
      const f = i / Math.max(1, L - 1);
      eta[i] = floor + (1 - floor) * (kind === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * f)) : 1 - f);
    }
  }
  return { eta, kind };
}

/**
 * One curve of the prior, and a cut of it:
 *
 * - A length L log-uniform in [10, 1000], steps 1..L; one of the eleven families of Domhan et al.
 *   2015 (uniform) with its shape parameters (`familyParams`).
 * - A learning-rate schedule (`PFN_PRIOR.schedule`): constant (p 0.4), periodic steps (0.15),
 *   1-3 milestones (0.15), cosine (0.2) or linear (0.1) decay over the length. The family runs on
 *   the schedule's clock, the cumulative rate (a run at a tenth of the rate moves a tenth as fast),
 *   and annealing adds a gain: a log-uniform share in [0.02, 0.5] of the progress made so far,
 *   times how far the rate has fallen, reached with a lag of a few steps. This is the shape of the
 *   multi-power law (Luo et al. 2025) and of stepped CIFAR and PTB curves: a jump at each drop,
 *   then a slower climb; a steady late gain under cosine decay.
 * - The progress is mapped from 0 at the first step to 1 at the last (at its best point when the
 *   schedule decays, since annealing can overshoot the family's end).
 * - With probability 0.12 a flat start of up to a quarter of the curve; with 0.06 no learning at
 *   all (chance-level runs, as in the MetaQNN file).
 * - With probability 0.2, overfitting: after a peak (uniform in [0.2 L, 0.95 L]) the metric
 *   worsens by a log-uniform 1-30% of the gain, as a power 1-2 of the time since the peak.
 * - Accuracy (p 0.5): starting level uniform in [0, 0.7], best level a uniform share of the way
 *   to a ceiling in [0.6, 1]; loss: starting level log-uniform in [0.3, 1000] (plus 1 for
 *   perplexity-like metrics bounded by 1), best a log-uniform ratio in [0.03, 0.97] of it.
 * - Noise: sd log-uniform in [0.0007, 0.04] (absolute for accuracy, relative to the level for
 *   losses; NAS curves have 0.002-0.01), AR(1) with a coefficient uniform in [0, 0.7], Student-t
 *   (3 d.o.f.) with probability 0.15; accuracy clipped to [0, 1].
 * - The cut: a target step (the last with p 0.7, else uniform in 4..L), a seen fraction
 *   of it uniform in [0.04, 0.97] (at least 3 points), logged every step or every k-th (p 0.25).
 * - The network is told the run's length L (where its schedule ends) except with probability 0.3,
 *   and the metric's bound except with probability 0.3.
 */
export function samplePriorCurve(r: Rng): PriorSample {
  const P = PFN_PRIOR;
  for (;;) {
    const L = Math.round(logUniform(r, P.length[0], P.length[1]));
    const k = r.int(curveFamilies.length);
    const from = r.next() < P.plateau[0] ? Math.floor(r.next() * P.plateau[1] * L) : 0;
    const { eta, kind: schedule } = lrSchedule(r, L);
    // The schedule's clock: cumulative rate, so a constant rate gives steps 1..L.
    const x = new Float64Array(L);
    let area = 0;
    for (let i = 0; i < L; i++) {
      area += eta[i]!;
      x[i] = Math.max(1, area - from);
    }
    const base = progress(k, r, L, x);
    if (!base) continue;
    const c = base;
    const stuck = r.next() < P.stuck;
    if (stuck) c.fill(0);
    else if (eta[L - 1]! < 1) {
      const share = logUniform(r, P.anneal[0], P.anneal[1]);
      const lag = logUniform(r, 0.3, Math.max(3, 0.03 * L));
      const keep = Math.exp(-1 / lag);
      let lagged = 1;
      for (let i = 0; i < L; i++) {
        lagged = keep * lagged + (1 - keep) * eta[i]!;
        c[i] = c[i]! + share * Math.max(0, c[i]!) * (1 - lagged);
      }
      let best = 0;
      for (let i = 0; i < L; i++) best = Math.max(best, c[i]!);
      if (!(best > 1e-9)) continue;
      for (let i = 0; i < L; i++) c[i] = c[i]! / best;
    }
    if (!stuck && r.next() < P.overfit[0]) {
      const peak = Math.floor(uniform(r, 0.2, 0.95) * L);
      const by = logUniform(r, P.overfit[1], P.overfit[2]) * (c[peak]! - c[0]!);
      const curv = uniform(r, 1, 2);
      for (let i = peak; i < L; i++) c[i] = c[i]! - by * ((i - peak) / Math.max(1, L - 1 - peak)) ** curv;
    }
    const accuracy = r.next() < P.accuracy;
    const sd = logUniform(r, P.noise[0], P.noise[1]);
    const ar = uniform(r, P.ar[0], P.ar[1]);
    const heavy = r.next() < P.heavy;
    const y = new Float64Array(L);
    let e = 0;
    let range: readonly [number, number];
    let goal: Goal;
    let level0: number,
      level1: number,
      offset = 0;
    if (accuracy) {
      goal = 'max';
      range = [0, 1];
      level0 = uniform(r, 0, 0.7);
      const ceiling = uniform(r, Math.max(0.6, level0 + 0.01), 1);
      level1 = level0 + r.next() * (ceiling - level0);
    } else {
      goal = 'min';
      offset = r.next() < 0.3 ? 1 : 0;
      range = [offset, Infinity];
      level0 = logUniform(r, 0.3, 1000);
      level1 = level0 * logUniform(r, 0.03, 0.97);
    }
    for (let i = 0; i < L; i++) {
      const eps = heavy ? studentT3(r) / Math.sqrt(3) : r.normal();
      e = ar * e + Math.sqrt(1 - ar * ar) * eps;
      if (accuracy) y[i] = Math.min(1, Math.max(0, level0 + (level1 - level0) * c[i]! + sd * e));
      else {
        const level = level1 + (level0 - level1) * (1 - c[i]!);
        y[i] = offset + Math.max(1e-6, level * (1 + sd * e));
      }
    }
    // The cut.
    const target = r.next() < P.last ? L : 4 + r.int(L - 3);
    const every = r.next() < P.thinned ? 2 + r.int(9) : 1;
    const seen = Math.floor(uniform(r, P.seen[0], P.seen[1]) * target);
    const steps: number[] = [];
    for (let s = every; s <= seen && s < target; s += every) steps.push(s);
    if (steps.length < 3) continue;
    const values = Float64Array.from(steps, (s) => y[s - 1]!);
    let lo = Infinity,
      hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(hi > lo)) continue;
    const hide = r.next() < P.hideBound;
    const horizon = r.next() < P.hideHorizon ? undefined : L;
    return { steps: Float64Array.from(steps), values, goal, range: hide ? [-Infinity, Infinity] : range, target, truth: y[target - 1]!, family: k, schedule, horizon };
  }
}

function studentT3(r: Rng): number {
  let s = 0;
  for (let i = 0; i < 3; i++) s += r.normal() ** 2;
  return r.normal() / Math.sqrt(s / 3);
}

/** `count` prior samples from `seed` (the same seed gives the same curves). */
export function samplePrior(count: number, seed: number): PriorSample[] {
  const r = makeRng(seed);
  return Array.from({ length: count }, () => samplePriorCurve(r));
}
