import { InputError } from '../core/errors.js';
import { selectPoints, type CurvePoints, type PreparedCurve } from './curve-points.js';
import { type Law, fromPass } from './law.js';

/** Options of `convexBoundLaw`. */
export interface ConvexBoundOptions {
  /**
   * Merge far-away steps of the bound's last sum into blocks: a block's width in S1 is at most this
   * fraction of its distance from t, and its last step at most exp(tolerance) times its first (so
   * the gradient-norm shape barely moves inside it). A block keeps its exact sums of lr and of
   * lr Q; only the weight 1 / ((S1(t) - S1(k)) (S1(t) - S1(k-1))) is taken as the block's mean
   * (exact in total, the sum of the weights telescopes), an error O(tolerance^2). 0 sums every step.
   * @default 0.02
   */
  tolerance?: number;
  /**
   * Let the gradient norm decay as a power of the step, G ((s + 1) / 1000)^-rho, with rho a fourth
   * parameter (their fitter's G_2 t^A_2 term). Off by default, the paper's constant G: on the 124M
   * runs of lr-scheduling-124m the decay fits the two training curves better (summed Huber 1.2e-3
   * against 4.4e-3) but explains the loss falling at a constant rate by the gradient norm instead of
   * the distance term D^2 / (2 S), so a cooldown costs nothing and every cooldown fraction comes
   * out at 0.95 (measured best 0.4-0.6); with constant G the best measured run is within one grid
   * step at 3 of 4 lengths.
   * @default false
   */
  gradientDecay?: boolean;
  /** The name saved fits refer to. @default 'convex-bound', or 'convex-bound-decay' with `gradientDecay` */
  name?: string;
}

/**
 * The last-iterate bound of SGD with an arbitrary schedule, as a whole-curve law (Schaipp, Hägele
 * et al. 2025, Thm. 1; Defazio et al. 2023, Thm. 10; their `compute_rate` in fabian-sp/lr-scheduling).
 * With rates lr[0..t] (the updates done by step t), S(t) = lr[0] + ... + lr[t] and
 * Q(t) = sum_{s<=t} lr[s]^2 g(s)^2:
 *
 *   bound(t) = (D^2 + Q(t)) / (2 S(t))
 *            + 1/2 sum_{k<t} lr[k] / (S(t) - S(k)) * (Q(t) - Q(k-1)) / (S(t) - S(k-1)),
 *   L(t) = L0 + M bound(t).
 *
 * Like their `RateFitter` the loss is an offset plus a scale times the bound; the scale M is
 * folded into D2 = M D^2 and G2 = M G^2, which the bound is linear in. The gradient norm is the
 * paper's constant G (g = 1), or with `gradientDecay` G g(s), g(s) = ((s + 1) / 1000)^-rho, a
 * power-law decay in steps (their fitter's G_2 t^A_2 term; steps counted in thousands so G2 and rho
 * are less correlated). Steps with a zero rate leave the iterate unchanged, so the bound at such a
 * step is the bound at the last step with a positive rate.
 *
 * Cost: cumulative sums of lr, of lr^2 g^2 and of lr Q make every term O(1), and the blocks of
 * `tolerance` make a logged step cost O(log(T) / tolerance) terms instead of O(t); the blocks
 * depend only on the schedule and are built once. Analytic Jacobian (rho's included).
 */
export function convexBoundLaw(options: ConvexBoundOptions = {}): Law<CurvePoints> {
  const { tolerance = 0.02, gradientDecay = false } = options;
  const { name = gradientDecay ? 'convex-bound-decay' : 'convex-bound' } = options;
  const width = gradientDecay ? 4 : 3;
  if (!(tolerance >= 0 && tolerance < 1)) throw new InputError(`tolerance: not in [0, 1): ${tolerance}`, 'tolerance');
  const blocks = blockCache(tolerance);

  const pass = (p: Float64Array, x: CurvePoints, out: Float64Array | undefined, jac: Float64Array | undefined) => {
    const [L0, D2, G2] = p as unknown as [number, number, number];
    const rho = gradientDecay ? p[3]! : 0;
    const sums = x.curves.map((curve) => gradientSums(curve, rho, gradientDecay));
    for (let i = 0; i < x.length; i++) {
      const curve = x.curves[x.curve[i]!]!;
      const b = blocks(curve, x.step[i]!);
      const { Q, R, dQ, dR } = sums[x.curve[i]!]!;
      const St = curve.prefix[b.t]!;
      const V = shapeSum(b, Q, R, St);
      if (out) out[i] = L0 + D2 / (2 * St) + G2 * V;
      if (jac) {
        const r = i * width;
        jac[r] = 1;
        jac[r + 1] = 1 / (2 * St);
        jac[r + 2] = V;
        if (gradientDecay) jac[r + 3] = G2 * shapeSum(b, dQ, dR, St);
      }
    }
  };

  return {
    name,
    description: 'convex-optimisation bound of SGD with the schedule, offset and scaled (Schaipp et al. 2025)',
    inputs: ['schedule', 'step'],
    formula: `L(t) = L0 + D2 / (2 S(t)) + G2 [Q(t) / (2 S(t)) + 1/2 sum_k<t lr[k] (Q(t) - Q(k-1)) / ((S(t) - S(k)) (S(t) - S(k-1)))], Q = cumsum lr^2${gradientDecay ? ' ((s+1)/1000)^(-2 rho)' : ''}`,
    params: [
      { name: 'L0', min: 0, init: 3, description: 'loss floor (the offset)' },
      { name: 'D2', min: 1e-10, init: 10, scale: 'log', description: 'scale times the squared distance to the optimum, M D^2' },
      { name: 'G2', min: 1e-10, init: 50, scale: 'log', description: gradientDecay ? 'scale times the squared gradient norm at step 1000, M G^2' : 'scale times the squared gradient norm, M G^2' },
      ...(gradientDecay ? [{ name: 'rho', min: 0, max: 2, init: 0.25, description: 'decay exponent of the gradient norm in steps' }] : []),
    ],
    size: (x) => x.length,
    ...fromPass(pass),
    validate(x) {
      for (let i = 0; i < x.length; i++) {
        const curve = x.curves[x.curve[i]!]!;
        const s = x.step[i]!;
        if (!(curve.prefix[s]! > 0)) {
          throw new InputError(`${curve.name}: S1 (the sum of rates up to step ${s}) is ${curve.prefix[s]}; the convex bound divides by it, so it must be positive`, 'step');
        }
      }
    },
    select: selectPoints,
  };
}

/** The blocks of one logged step: the bound's last sum as sum_j w[j] (Q(t) dS[j] - (R[b] - R[a-1])). */
interface StepBlocks {
  /** The step the bound is taken at: the last step <= the logged one with a positive rate. */
  readonly t: number;
  /** First step a and last step b of each block. */
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** S(b) - S(a-1), and the block's mean weight 1 / ((S(t) - S(b)) (S(t) - S(a-1))). */
  readonly dS: Float64Array;
  readonly w: Float64Array;
}

/**
 * Q(t) / (2 S(t)) + 1/2 sum_k lr[k] (Q(t) - Q(k-1)) / ((S(t) - S(k)) (S(t) - S(k-1))) from the
 * blocks, with Q and R = cumsum lr[k] Q(k-1) (or their derivatives in rho, the sum being linear in Q).
 * A one-step block is summed directly (lr[b] (Q(t) - Q(b-1))), avoiding R's cancellation.
 */
function shapeSum(blocks: StepBlocks, Q: Float64Array, R: Float64Array, St: number): number {
  const { t, a, b, dS, w } = blocks;
  const Qt = Q[t]!;
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const lo = a[j]!;
    const hi = b[j]!;
    const Qbefore = lo > 0 ? Q[lo - 1]! : 0;
    if (lo === hi) {
      sum += w[j]! * dS[j]! * (Qt - Qbefore);
    } else {
      const inner = R[hi]! - (lo > 0 ? R[lo - 1]! : 0) - Qbefore * dS[j]!; // sum lr[k] (Q(k-1) - Q(a-1))
      sum += w[j]! * (dS[j]! * (Qt - Qbefore) - inner);
    }
  }
  return Qt / (2 * St) + 0.5 * sum;
}

/** Q, R = cumsum lr[k] Q(k-1) and their derivatives in rho, for G2 = 1; kept for the last rho. */
const sumsCache = new WeakMap<PreparedCurve, { rho: number; derivative: boolean; Q: Float64Array; R: Float64Array; dQ: Float64Array; dR: Float64Array }>();

function gradientSums(curve: PreparedCurve, rho: number, derivative: boolean) {
  const hit = sumsCache.get(curve);
  if (hit && hit.rho === rho && (hit.derivative || !derivative)) return hit;
  const lr = curve.lr;
  const T = lr.length;
  const Q = hit?.Q ?? new Float64Array(T);
  const R = hit?.R ?? new Float64Array(T);
  const dQ = hit?.dQ ?? new Float64Array(T);
  const dR = hit?.dR ?? new Float64Array(T);
  let q = 0;
  let r = 0;
  let dq = 0;
  let dr = 0;
  for (let s = 0; s < T; s++) {
    const rate = lr[s]!;
    r += rate * q; // lr[s] Q(s-1)
    dr += rate * dq;
    const lnu = derivative || rho !== 0 ? Math.log((s + 1) / 1000) : 0;
    const g2 = rho === 0 ? 1 : Math.exp(-2 * rho * lnu);
    q += rate * rate * g2;
    if (derivative) dq += rate * rate * g2 * -2 * lnu;
    Q[s] = q;
    R[s] = r;
    dQ[s] = dq;
    dR[s] = dr;
  }
  const entry = { rho, derivative, Q, R, dQ, dR };
  sumsCache.set(curve, entry);
  return entry;
}

/** The blocks of every (curve, step) asked for, built once per tolerance. */
function blockCache(tolerance: number): (curve: PreparedCurve, step: number) => StepBlocks {
  const cache = new WeakMap<PreparedCurve, { lastPositive: Int32Array; steps: Map<number, StepBlocks> }>();
  return (curve, step) => {
    let entry = cache.get(curve);
    if (!entry) {
      const lastPositive = new Int32Array(curve.lr.length);
      let last = -1;
      for (let s = 0; s < curve.lr.length; s++) {
        if (curve.lr[s]! > 0) last = s;
        lastPositive[s] = last;
      }
      entry = { lastPositive, steps: new Map() };
      cache.set(curve, entry);
    }
    let hit = entry.steps.get(step);
    if (!hit) {
      hit = buildBlocks(curve, Math.max(0, entry.lastPositive[step]!), tolerance);
      entry.steps.set(step, hit);
    }
    return hit;
  };
}

function buildBlocks(curve: PreparedCurve, t: number, tolerance: number): StepBlocks {
  const S = curve.prefix;
  const St = S[t]!;
  const before = (k: number) => (k > 0 ? S[k - 1]! : 0); // S(k - 1)
  const a: number[] = [];
  const b: number[] = [];
  const dS: number[] = [];
  const w: number[] = [];
  let hi = t - 1;
  while (hi >= 0) {
    const distance = St - S[hi]!;
    let lo = hi;
    if (tolerance > 0 && hi > 0) {
      // Smallest lo with S(hi) - S(lo - 1) <= tolerance * distance (binary search on the prefix)...
      const floor = S[hi]! - tolerance * distance;
      let left = 0;
      let right = hi;
      while (left < right) {
        const mid = (left + right) >> 1;
        if (before(mid) >= floor) right = mid;
        else left = mid + 1;
      }
      // ...and (hi + 1) / (lo + 1) <= exp(tolerance).
      lo = Math.max(left, Math.ceil((hi + 1) * Math.exp(-tolerance)) - 1, 0);
      lo = Math.min(lo, hi);
    }
    const width = S[hi]! - before(lo);
    a.push(lo);
    b.push(hi);
    dS.push(width);
    w.push(distance > 0 ? 1 / (distance * (St - before(lo))) : 0);
    hi = lo - 1;
  }
  return { t, a: Int32Array.from(a), b: Int32Array.from(b), dS: Float64Array.from(dS), w: Float64Array.from(w) };
}

/** The convex-bound law with the paper's constant G, as registered under 'convex-bound'. */
export const convexBound: Law<CurvePoints> = convexBoundLaw();
