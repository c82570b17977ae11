import { InputError, show } from '../core/errors.js';
import { rng } from '../core/rng.js';
import { quantile } from '../core/stats.js';

/** One compute-optimal point: at budget C the best model has N parameters and trains on D tokens. */
export interface OptimalPoint {
  C: number;
  N: number;
  D: number;
  /** Weight in the power-law fit (relative; 1 where absent). */
  weight?: number;
}

/** Percentile bootstrap intervals on the exponents of N_opt ∝ C^a and D_opt ∝ C^b. */
export interface TrendInterval {
  level: number;
  /** Resamples asked for; `used` of them had two distinct budgets and gave a fit. */
  resamples: number;
  used: number;
  seed: number;
  a: [number, number];
  b: [number, number];
  /** Bootstrap standard deviations of a and b. */
  aStd: number;
  bStd: number;
}

/** N_opt = kN C^a and D_opt = kD C^b, least squares in log-log. */
export interface Trend {
  a: number;
  kN: number;
  b: number;
  kD: number;
  /** Present when a bootstrap was asked for. */
  interval?: TrendInterval;
}

export interface TrendBootstrapOptions {
  /** Bootstrap resamples; 0 for none. @default 0 */
  bootstrap?: number;
  /** Seed of the resampling. @default 0 */
  seed?: number;
  /** Central interval level, in (0, 1). @default 0.95 */
  level?: number;
}

/** Validates the bootstrap options where they enter (shared by both IsoFLOP approaches). */
export function checkBootstrapOptions(options: TrendBootstrapOptions): Required<TrendBootstrapOptions> {
  const { bootstrap = 0, seed = 0, level = 0.95 } = options;
  if (!(Number.isInteger(bootstrap) && bootstrap >= 0)) throw new InputError(`bootstrap: must be a whole number of resamples >= 0, got ${show(bootstrap)}`, 'bootstrap');
  if (!Number.isFinite(seed)) throw new InputError(`seed: must be a finite number, got ${show(seed)}`, 'seed');
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  return { bootstrap, seed, level };
}

/** The power laws through compute-optimal points (least squares of log N and log D on log C). */
export function fitTrend(points: readonly OptimalPoint[]): Trend {
  const logC = points.map((p) => Math.log(p.C));
  const w = points.map((p) => p.weight ?? 1);
  const [logKN, a] = lineFit(
    logC,
    points.map((p) => Math.log(p.N)),
    w,
  );
  const [logKD, b] = lineFit(
    logC,
    points.map((p) => Math.log(p.D)),
    w,
  );
  return { a, kN: Math.exp(logKN), b, kD: Math.exp(logKD) };
}

/**
 * Percentile bootstrap of the exponents: `resample(random)` draws one replicate of the optimal
 * points (by resampling budgets, or runs); replicates with fewer than two distinct budgets give no
 * line and are not counted.
 */
export function bootstrapTrend(resample: (random: ReturnType<typeof rng>) => OptimalPoint[] | undefined, options: Required<TrendBootstrapOptions>): TrendInterval | undefined {
  const { bootstrap: resamples, seed, level } = options;
  if (resamples === 0) return undefined;
  const random = rng(seed);
  const as: number[] = [],
    bs: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const points = resample(random.fork());
    if (!points || new Set(points.map((p) => p.C)).size < 2) continue;
    const trend = fitTrend(points);
    if (Number.isFinite(trend.a) && Number.isFinite(trend.b)) {
      as.push(trend.a);
      bs.push(trend.b);
    }
  }
  if (as.length === 0) return undefined;
  const tail = (1 - level) / 2;
  const sortedAs = [...as].sort((x, y) => x - y),
    sortedBs = [...bs].sort((x, y) => x - y);
  return {
    level,
    resamples,
    used: as.length,
    seed,
    a: [quantile(sortedAs, tail), quantile(sortedAs, 1 - tail)],
    b: [quantile(sortedBs, tail), quantile(sortedBs, 1 - tail)],
    aStd: std(as),
    bStd: std(bs),
  };
}

/** Resamples `items` with replacement. */
export function resampleCases<T>(items: readonly T[], random: ReturnType<typeof rng>): T[] {
  return Array.from({ length: items.length }, () => items[random.int(items.length)]!);
}

/** (Weighted) least-squares line y = c0 + c1 x. */
export function lineFit(x: readonly number[], y: readonly number[], w?: readonly number[]): [number, number] {
  const n = x.length;
  const wt = (i: number) => (w ? w[i]! : 1);
  let sw = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < n; i++) {
    sw += wt(i);
    sx += wt(i) * x[i]!;
    sy += wt(i) * y[i]!;
  }
  const mx = sx / sw,
    my = sy / sw;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += wt(i) * (x[i]! - mx) * (y[i]! - my);
    sxx += wt(i) * (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return [my - slope * mx, slope];
}

/** One line per exponent, with its interval where there is one: the core of both reports. */
export function trendReport(trend: Trend): string[] {
  const { a, kN, b, kD, interval } = trend;
  const band = (range: [number, number] | undefined) => (range ? `  [${range[0].toFixed(3)}, ${range[1].toFixed(3)}]` : '');
  const lines = [`N_opt = ${kN.toExponential(3)} C^${a.toFixed(4)}${band(interval?.a)}`, `D_opt = ${kD.toExponential(3)} C^${b.toFixed(4)}${band(interval?.b)}`];
  if (interval) lines.push(`intervals: ${Math.round(interval.level * 100)}% percentile bootstrap, ${interval.used} of ${interval.resamples} resamples, seed ${interval.seed}`);
  return lines;
}

function std(values: number[]): number {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, values.length - 1));
}
