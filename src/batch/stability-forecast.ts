import { InputError, show } from '../core/errors.js';
import type { Run } from '../core/run.js';
import { runsBySize } from './lr-sensitivity.js';
import { rng } from '../core/rng.js';
import { quantile } from '../core/stats.js';
import { finalLoss, initialLoss, peakLr } from './run-quantities.js';

/** Options of `stabilityForecast`. */
export interface StabilityOptions {
  /** Which logged loss decides whether a run trained. @default 'evalLoss' */
  metric?: 'evalLoss' | 'trainLoss';
  /** Model size at which to forecast the divergence threshold. */
  at?: number;
  /** Central coverage of the forecast interval. @default 0.9 */
  level?: number;
  /** Draws for the interval. @default 2000 */
  draws?: number;
  /** Seed of the draws. @default 0 */
  seed?: number;
}

/** One size's learning-rate sweep, read for stability. */
export interface SizeStability {
  readonly N: number;
  readonly runs: number;
  /** Largest rate whose run trained (did not diverge and ended below its first logged loss). */
  readonly stableLr?: number;
  /** Smallest rate above `stableLr` whose run did not train. */
  readonly divergedLr?: number;
  /** The threshold, geometric midpoint of the two, where both exist. */
  readonly threshold?: number;
  /**
   * Growth of the largest attention logit with the rate over the runs that trained and logged it:
   * the slope of log max logit against log lr (Wortsman et al. 2023's attention-logit growth).
   */
  readonly attentionGrowth?: number;
}

/** Where the proxies diverge, and the forecast for a larger model. */
export interface StabilityForecast {
  readonly sizes: readonly SizeStability[];
  /** threshold = k N^e, least squares in log-log over the sizes with a threshold. */
  readonly trend?: { readonly k: number; readonly e: number; readonly sizes: number };
  readonly forecast?: { readonly N: number; readonly threshold: number; readonly interval: readonly [number, number]; readonly level: number };
  /** "At N = ..., LR above ... is predicted to diverge (interval)", when there is a forecast. */
  readonly sentence?: string;
  readonly notes: readonly string[];
}

/**
 * The divergence threshold of the learning rate from proxy sweeps at several sizes (Wortsman et
 * al. 2023): per size the largest rate that trained and the smallest above it that did not (a run
 * diverged, or ended above its first logged loss); the trend threshold = k N^e in log-log; and the
 * forecast at `at` with an interval over draws of every threshold uniformly in log between its
 * bracket (the sweep's spacing; with three or more sizes the scatter about the trend shows in the
 * fit, with two it does not, and a note says so).
 */
export function stabilityForecast(runs: readonly Run[], options: StabilityOptions = {}): StabilityForecast {
  const { metric = 'evalLoss', level = 0.9, draws = 2000, seed = 0 } = options;
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  if (options.at !== undefined && !(options.at > 0)) throw new InputError(`at: not a positive model size: ${show(options.at)}`, 'at');
  const bySize = runsBySize(runs);
  const notes: string[] = [];
  const sizes: SizeStability[] = [];
  for (const [N, list] of [...bySize].sort((a, b) => a[0] - b[0])) {
    const points = list
      .map((r) => {
        const end = finalLoss(r, metric);
        const start = initialLoss(r, metric);
        const logits = r.trajectory.map((p) => p.maxAttentionLogit).filter((v): v is number => v !== undefined && Number.isFinite(v));
        return { lr: peakLr(r), trained: Number.isFinite(end) && (start === undefined || end < start), maxLogit: logits.length ? Math.max(...logits) : undefined };
      })
      .sort((a, b) => a.lr - b.lr);
    const stable = points.filter((p) => p.trained).map((p) => p.lr);
    const stableLr = stable.length ? Math.max(...stable) : undefined;
    const above = points.filter((p) => !p.trained && (stableLr === undefined || p.lr > stableLr)).map((p) => p.lr);
    const divergedLr = above.length ? Math.min(...above) : undefined;
    if (stableLr !== undefined && points.some((p) => !p.trained && p.lr < stableLr))
      notes.push(`N = ${N}: a run below the largest stable rate ${stableLr} did not train either (seed noise or too low a rate)`);
    if (stableLr === undefined) notes.push(`N = ${N}: no run trained; the threshold is below ${points[0]!.lr}`);
    else if (divergedLr === undefined) notes.push(`N = ${N}: no run above ${stableLr} diverged; the threshold is above the sweep`);
    const growth = points.filter((p) => p.trained && p.maxLogit !== undefined && p.maxLogit > 0);
    let attentionGrowth: number | undefined;
    if (new Set(growth.map((p) => p.lr)).size >= 2)
      attentionGrowth = slope(
        growth.map((p) => Math.log(p.lr)),
        growth.map((p) => Math.log(p.maxLogit!)),
      );
    sizes.push({
      N,
      runs: list.length,
      ...(stableLr !== undefined ? { stableLr } : {}),
      ...(divergedLr !== undefined ? { divergedLr } : {}),
      ...(stableLr !== undefined && divergedLr !== undefined ? { threshold: Math.sqrt(stableLr * divergedLr) } : {}),
      ...(attentionGrowth !== undefined ? { attentionGrowth } : {}),
    });
  }
  const bracketed = sizes.filter((s) => s.threshold !== undefined);
  if (bracketed.length < 2) {
    notes.push(`${bracketed.length} size(s) with a bracketed threshold: a trend needs 2`);
    return { sizes, notes };
  }
  const x = bracketed.map((s) => Math.log(s.N));
  const fitLine = (y: readonly number[]) => {
    const e = slope(x, y);
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    return { e, logk: my - e * mx };
  };
  const central = fitLine(bracketed.map((s) => Math.log(s.threshold!)));
  const trend = { k: Math.exp(central.logk), e: central.e, sizes: bracketed.length };
  if (bracketed.length === 2) notes.push('two sizes: the interval counts the sweeps’ rate spacing only, not scatter about the trend');
  if (options.at === undefined) return { sizes, trend, notes };
  const at = options.at;
  const g = rng(seed);
  const predictions: number[] = [];
  for (let d = 0; d < draws; d++) {
    const y = bracketed.map((s) => Math.log(s.stableLr!) + g.next() * Math.log(s.divergedLr! / s.stableLr!));
    const line = fitLine(y);
    predictions.push(Math.exp(line.logk + line.e * Math.log(at)));
  }
  predictions.sort((a, b) => a - b);
  const threshold = trend.k * at ** trend.e;
  const interval = [quantile(predictions, (1 - level) / 2), quantile(predictions, (1 + level) / 2)] as const;
  const maxN = Math.max(...bracketed.map((s) => s.N));
  if (at > 10 * maxN) notes.push(`N = ${at} is ${+(at / maxN).toPrecision(3)}x the largest proxy: the trend is extrapolated that far`);
  const f = (v: number) => String(+v.toPrecision(3));
  const sentence = `At N = ${f(at)}, LR above ${f(threshold)} is predicted to diverge (${Math.round(100 * level)}% interval ${f(interval[0])}-${f(interval[1])}; threshold = ${f(trend.k)} N^${f(trend.e)} from ${bracketed.length} proxy sizes).`;
  return { sizes, trend, forecast: { N: at, threshold, interval, level }, sentence, notes };
}

/** Least-squares slope of y on x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}
