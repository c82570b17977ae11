import { InputError, show } from '../core/errors.js';
import { formatTable } from '../core/format.js';
import type { Goal } from './curve.js';

/**
 * The predictive distribution of a curve's value at one future step, as an equally weighted
 * mixture of normals N(mu_s, sigma_s^2), one per posterior draw s: mu_s is the draw's curve at the
 * step, sigma_s its noise (so the predictive is of a new observation there, as the held-out final
 * value is). A point mass is the case sigma_s = 0 for all s.
 */
export interface PointPredictive {
  step: number;
  goal: Goal;
  mean: number;
  median: number;
  sd: number;
  /** P(value <= y). */
  cdf(y: number): number;
  /** The q-quantile, q in (0, 1). */
  quantile(q: number): number;
  /** Several quantiles at once (increasing levels in (0, 1)): much cheaper than one call each. */
  quantiles(levels: ArrayLike<number>): Float64Array;
  /** Central interval with probability `level`. @default level 0.9 */
  interval(level?: number): [number, number];
  /** P(value at this step is better than `threshold`): above it for 'max', below for 'min'. */
  probBetter(threshold: number): number;
  /** Log predictive density at y (natural log). -Infinity outside a point mass. */
  logDensity(y: number): number;
  toJSON(): { step: number; mean: number; median: number; sd: number; q05: number; q95: number };
}

/** The predictive distribution at several steps. */
export interface Predictive {
  goal: Goal;
  /** How it was computed: 'ensemble', 'fast' or 'constant'. */
  method: string;
  steps: Float64Array;
  /** One entry per step in `steps`. */
  points: readonly PointPredictive[];
  /** The predictive at a step given in `steps`. */
  at(step: number): PointPredictive;
  /** Family -> weight in the mixture. */
  weights: Readonly<Record<string, number>>;
  toJSON(): { method: string; goal: Goal; weights: Record<string, number>; points: ReturnType<PointPredictive['toJSON']>[] };
}

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Standard normal CDF via erfc (Numerical Recipes' erfc approximation, |error| < 1.2e-7). */
export function normalCdf(t: number): number {
  return 0.5 * erfc(-t / SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * A mixture-of-normals predictive at one step. `mu` and `sigma` are per draw, in original units.
 */
export function pointPredictive(step: number, goal: Goal, mu: Float64Array, sigma: Float64Array, range: readonly [number, number] = [-Infinity, Infinity]): PointPredictive {
  const n = mu.length;
  if (n === 0 || sigma.length !== n) throw new InputError(`pointPredictive: need as many sigmas as draws (${n}), got ${sigma.length}`, 'sigma');
  let mean = 0;
  let second = 0;
  let lo = Infinity,
    hi = -Infinity;
  for (let s = 0; s < n; s++) {
    mean += mu[s]! / n;
    second += (mu[s]! * mu[s]! + sigma[s]! * sigma[s]!) / n;
    lo = Math.min(lo, mu[s]! - 10 * sigma[s]!);
    hi = Math.max(hi, mu[s]! + 10 * sigma[s]!);
  }
  const sd = Math.sqrt(Math.max(0, second - mean * mean));
  const cdf = (y: number): number => {
    let p = 0;
    for (let s = 0; s < n; s++) {
      const sg = sigma[s]!;
      p += sg > 0 ? normalCdf((y - mu[s]!) / sg) : y >= mu[s]! ? 1 : 0;
    }
    return p / n;
  };
  const quantile = (q: number): number => {
    if (!(q > 0 && q < 1)) throw new InputError(`quantile: q must be in (0, 1), got ${show(q)}`, 'q');
    let a = lo,
      b = hi;
    // Bisection on the mixture CDF: 60 halvings reach double precision on any bracket.
    for (let it = 0; it < 60 && b - a > 1e-12 * Math.max(1, Math.abs(a)); it++) {
      const m = 0.5 * (a + b);
      if (cdf(m) < q) a = m;
      else b = m;
    }
    return Math.min(range[1], Math.max(range[0], 0.5 * (a + b)));
  };
  const quantiles = (levels: ArrayLike<number>): Float64Array => {
    // The CDF on a grid of 256 points, then 6 bisections inside the cell that holds each level
    // (resolution (hi - lo) / 16384): about 850 CDF evaluations for 99 levels instead of 6,000.
    const G = 256;
    const out = new Float64Array(levels.length);
    if (!(hi > lo)) return out.fill(Math.min(range[1], Math.max(range[0], mean)));
    const grid = new Float64Array(G + 1),
      F = new Float64Array(G + 1);
    for (let g = 0; g <= G; g++) {
      grid[g] = lo + ((hi - lo) * g) / G;
      F[g] = cdf(grid[g]!);
    }
    let g = 0;
    for (let k = 0; k < levels.length; k++) {
      const q = levels[k]!;
      if (!(q > 0 && q < 1)) throw new InputError(`quantiles: each level must be in (0, 1), got ${show(q)}`, 'levels');
      if (k > 0 && q < levels[k - 1]!) g = 0;
      while (g < G - 1 && F[g + 1]! < q) g++;
      let a = grid[g]!,
        b = grid[g + 1]!;
      for (let it = 0; it < 6; it++) {
        const m = 0.5 * (a + b);
        if (cdf(m) < q) a = m;
        else b = m;
      }
      out[k] = Math.min(range[1], Math.max(range[0], 0.5 * (a + b)));
    }
    return out;
  };
  return fromDistribution({
    step,
    goal,
    mean,
    median: quantile(0.5),
    sd,
    cdf,
    quantile,
    quantiles,
    logDensity: (y) => {
      // log mean_s N(y; mu_s, sigma_s), computed with a shift for stability.
      let maxLog = -Infinity;
      const logs = new Float64Array(n);
      for (let s = 0; s < n; s++) {
        const sg = sigma[s]!;
        logs[s] = sg > 0 ? -0.5 * ((y - mu[s]!) / sg) ** 2 - Math.log(sg) - LOG_SQRT_2PI : -Infinity;
        if (logs[s]! > maxLog) maxLog = logs[s]!;
      }
      if (maxLog === -Infinity) return -Infinity;
      let sum = 0;
      for (let s = 0; s < n; s++) sum += Math.exp(logs[s]! - maxLog);
      return maxLog + Math.log(sum / n);
    },
  });
}

export function predictive(method: string, goal: Goal, points: PointPredictive[], weights: Record<string, number>): Predictive {
  const steps = Float64Array.from(points.map((p) => p.step));
  return {
    method,
    goal,
    steps,
    points,
    weights,
    at: (step) => {
      const p = points.find((q) => q.step === step);
      if (!p) throw new InputError(`predictive: no prediction at step ${show(step)}; steps: ${Array.from(steps).join(', ')}`, 'step');
      return p;
    },
    toJSON: () => ({ method, goal, weights: { ...weights }, points: points.map((p) => p.toJSON()) }),
  };
}

export interface PredictiveReportOptions {
  /** Probability of the central interval. @default 0.9 */
  level?: number;
  /** Also give P(value better than this) at each step. @default none */
  threshold?: number;
}

/**
 * The predictive as text: a table of mean, median and central interval (and P(better than
 * `threshold`)) per step, then the families' weights of at least 0.01, largest first.
 */
export function predictiveReport(p: Predictive, options: PredictiveReportOptions = {}): string {
  const { level = 0.9, threshold } = options;
  const pct = Math.round(level * 100);
  const header = ['step', 'mean', 'median', `${pct}% low`, `${pct}% high`, ...(threshold === undefined ? [] : [`P(${p.goal === 'max' ? '>' : '<'} ${threshold})`])];
  const rows = p.points.map((q) => {
    const [lo, hi] = q.interval(level);
    return [q.step, q.mean, q.median, lo, hi, ...(threshold === undefined ? [] : [q.probBetter(threshold)])];
  });
  const lines = [formatTable(rows, header)];
  const weights = Object.entries(p.weights)
    .filter(([, w]) => w >= 0.01)
    .sort((a, b) => b[1] - a[1]);
  if (weights.length) lines.push(`weights: ${weights.map(([k, w]) => `${k} ${w.toFixed(2)}`).join(', ')}`);
  return lines.join('\n');
}

/**
 * What a distribution must give for `fromDistribution` to make it a `PointPredictive`: its fields
 * and functions, without what is derived from them. `quantiles` defaults to one `quantile` call
 * per level, `interval` to `centralInterval(quantile)`.
 */
export type PointPredictiveParts = Pick<PointPredictive, 'step' | 'goal' | 'mean' | 'median' | 'sd' | 'cdf' | 'quantile' | 'logDensity'> & Partial<Pick<PointPredictive, 'quantiles' | 'interval'>>;

/** A `PointPredictive` from its distribution: the interval, `probBetter` and `toJSON` derived in one place. */
export function fromDistribution(parts: PointPredictiveParts): PointPredictive {
  const { step, goal, mean, median, sd, cdf, quantile, logDensity } = parts;
  return {
    step,
    goal,
    mean,
    median,
    sd,
    cdf,
    quantile,
    quantiles: parts.quantiles ?? ((levels) => Float64Array.from(levels, quantile)),
    interval: parts.interval ?? centralInterval(quantile),
    probBetter: (threshold) => (goal === 'max' ? 1 - cdf(threshold) : cdf(threshold)),
    logDensity,
    toJSON: () => ({ step, mean, median, sd, q05: quantile(0.05), q95: quantile(0.95) }),
  };
}

/** The central interval at `level` (default 0.9) of a distribution given by its quantile function. */
export function centralInterval(quantile: (q: number) => number): (level?: number) => [number, number] {
  return (level = 0.9) => {
    if (!(level > 0 && level < 1)) throw new InputError(`interval: level must be in (0, 1), got ${show(level)}`, 'level');
    return [quantile((1 - level) / 2), quantile((1 + level) / 2)];
  };
}
