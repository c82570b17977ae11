import { InputError, show } from '../core/errors.js';
import { fitCurves } from '../fit/fit-curves.js';
import { predictCurve } from '../fit/predict-curve.js';
import { getLaw } from '../laws/registry.js';
import { quantile } from '../core/stats.js';
import type { LossPrediction } from './track-prediction.js';

/** A run's logged losses so far. */
export interface ObservedCurve {
  readonly steps: ArrayLike<number>;
  readonly loss: ArrayLike<number>;
}

/** A band to follow: the predicted loss, its lower and upper edges, at increasing steps. */
export interface Band {
  readonly steps: ArrayLike<number>;
  readonly loss: ArrayLike<number>;
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
}

/** Options of `detectDeparture`. */
export interface DepartureOptions {
  /**
   * How far the mean of a window of points must lie beyond a band edge, in standard deviations of
   * such a window mean, to flag a departure. @default 5
   */
  threshold?: number;
  /**
   * Window lengths (in logged points) tested at once; a short one catches a jump, a long one a
   * drift. Means of fewer than 8 points keep the tails of the logged noise (heavy in real losses),
   * which a threshold in standard deviations does not control. @default 8, 16, 32, 64, 128, 256
   */
  windows?: readonly number[];
  /** A window is tested only when the points seen hold this many of them (to estimate its noise). @default 20 */
  minBlocks?: number;
  /**
   * Each window's level is a winsorized mean: points clamped to the window median plus or minus
   * this many point standard deviations, so a loss spike does not flag a departure. @default 3
   */
  winsorize?: number;
}

/** Where a run left its band. */
export interface Departure {
  /** The first logged step at which the departure is flagged. */
  readonly step: number;
  /** Estimated step where the run crossed the band edge (start of the flagged excursion). */
  readonly since: number;
  readonly direction: 'above' | 'below';
  /** The window (points) that flagged it, its mean excess beyond the edge and that mean's noise. */
  readonly window: number;
  readonly excess: number;
  readonly noise: number;
}

/** What `detectDeparture` found. */
export interface DepartureCheck {
  /** Points compared (those inside the band's step range). */
  readonly points: number;
  /** Fraction of single points inside the band (noise puts some outside). */
  readonly insideFraction: number;
  /** Standard deviation of one point about the band centre, as estimated from the run. */
  readonly noise: number;
  /** Windows that had enough points to be tested. */
  readonly windows: readonly number[];
  readonly departure?: Departure;
  /** Where the last points stand, by the shortest tested window. */
  readonly now: 'in band' | 'above band' | 'below band' | 'too few points';
  readonly notes: readonly string[];
}

/**
 * Flags the first step at which a run leaves a predicted band, as early as its noise allows.
 *
 * At every logged point the band is interpolated linearly in step. For each window length w the
 * run's own noise of a w-point mean, s_w, is estimated from the residuals about the band centre:
 * 1.4826 median |m_(k+2) - m_k| / sqrt 2 over non-overlapping w-point means m_k two blocks apart
 * (robust to a departure covering less than half the run, and to autocorrelated logging such as
 * smoothed losses, since it measures the spread of w-point means directly), and at least the
 * shortest window's s scaled by sqrt(w_min / w), as white noise would give. A departure is flagged at the
 * first point where the mean of the last w points lies more than `threshold` s_w above the upper
 * edge (or below the lower edge), over every tested w. A run that keeps inside the band is never
 * flagged for a systematic offset, only for leaving it.
 */
export function detectDeparture(band: Band, run: ObservedCurve, options: DepartureOptions = {}): DepartureCheck {
  const { threshold = 5, windows = [8, 16, 32, 64, 128, 256], minBlocks = 20, winsorize = 3 } = options;
  if (!(threshold > 0)) throw new InputError(`threshold: not a positive number: ${show(threshold)}`, 'threshold');
  checkIncreasing(band.steps, 'band.steps');
  checkIncreasing(run.steps, 'run.steps');
  if (run.loss.length !== run.steps.length) throw new InputError(`run.loss: expected ${run.steps.length} values (one per step), got ${run.loss.length}`, 'loss');
  const notes: string[] = [];
  const first = band.steps[0]!;
  const last = band.steps[band.steps.length - 1]!;
  const steps: number[] = [];
  const y: number[] = [];
  let dropped = 0;
  for (let i = 0; i < run.steps.length; i++) {
    const s = run.steps[i]!;
    const v = run.loss[i]!;
    if (s < first || s > last || !Number.isFinite(v)) {
      dropped++;
      continue;
    }
    steps.push(s);
    y.push(v);
  }
  if (dropped > 0) notes.push(`${dropped} logged points outside the predicted steps ${first}-${last} or not finite were left out`);
  const n = steps.length;
  const centre = interpolate(band.steps, band.loss, steps);
  const lower = interpolate(band.steps, band.lower, steps);
  const upper = interpolate(band.steps, band.upper, steps);
  const residual = y.map((v, i) => v - centre[i]!);
  const upperOffset = upper.map((u, i) => u - centre[i]!);
  const lowerOffset = lower.map((l, i) => l - centre[i]!);
  let inside = 0;
  for (let i = 0; i < n; i++) if (y[i]! <= upper[i]! && y[i]! >= lower[i]!) inside++;
  const tested = windows.filter((w) => Number.isInteger(w) && w >= 1 && n >= minBlocks * w);
  const noise = n >= 8 ? pointNoise(residual) : NaN;
  if (tested.length === 0) {
    notes.push(`too few points to test: ${n} logged, the shortest window (${Math.min(...windows)}) needs ${minBlocks * Math.min(...windows)}`);
    return { points: n, insideFraction: n ? inside / n : 0, noise, windows: [], now: 'too few points', notes };
  }
  const clip = winsorize * noise;
  // A long window has few blocks to estimate its noise from, and a low estimate by chance would
  // flag a run that never left; the shortest window's noise, scaled as for white noise, bounds it.
  const base = windowNoise(residual, tested[0]!, clip);
  const noiseOf = new Map(tested.map((w) => [w, Math.max(windowNoise(residual, w, clip), base * Math.sqrt(tested[0]! / w))]));
  // Excess of the w-point level beyond each edge, for windows ending at each point.
  const rolling = new Map(
    tested.map((w) => {
      const level = robustMeans(residual, w, clip);
      const up = windowMean(upperOffset, w);
      const lo = windowMean(lowerOffset, w);
      return [w, { above: level.map((m, i) => m - up[i]!), below: level.map((m, i) => lo[i]! - m) }];
    }),
  );
  const excessAt = (direction: 'above' | 'below', i: number, w: number) => rolling.get(w)![direction][i]!;
  let departure: Departure | undefined;
  for (let i = 0; i < n && !departure; i++) {
    for (const w of tested) {
      if (i + 1 < w) continue;
      const s = noiseOf.get(w)!;
      for (const direction of ['above', 'below'] as const) {
        const excess = excessAt(direction, i, w);
        if (excess > threshold * s) {
          // Walk back while the w-point level stays beyond the edge: where the excursion began.
          let j = i;
          while (j - 1 >= w - 1 && excessAt(direction, j - 1, w) > 0) j--;
          departure = { step: steps[i]!, since: steps[j - w + 1]!, direction, window: w, excess, noise: s };
          break;
        }
      }
      if (departure) break;
    }
  }
  const w0 = tested[0]!;
  const s0 = noiseOf.get(w0)!;
  const now = excessAt('above', n - 1, w0) > threshold * s0 ? 'above band' : excessAt('below', n - 1, w0) > threshold * s0 ? 'below band' : 'in band';
  return { points: n, insideFraction: inside / n, noise, windows: tested, ...(departure ? { departure } : {}), now, notes };
}

/** Robust standard deviation of one point, from lag-2 differences (1.4826 median / sqrt 2). */
function pointNoise(r: readonly number[]): number {
  const d = r
    .slice(2)
    .map((v, k) => Math.abs(v - r[k]!))
    .sort((a, b) => a - b);
  return Math.max((1.4826 * quantile(d, 0.5)) / Math.SQRT2, 1e-12);
}

/**
 * Robust standard deviation of the w-point robust means of r, from the differences of block
 * means two blocks apart (1.4826 median / sqrt 2): adjacent blocks of autocorrelated noise are
 * correlated, which would shrink their differences and the estimate.
 */
function windowNoise(r: readonly number[], w: number, clip: number): number {
  const blocks = Math.floor(r.length / w);
  const means: number[] = [];
  for (let k = 0; k < blocks; k++) means.push(robustMeans(r.slice(k * w, (k + 1) * w), w, clip)[w - 1]!);
  const d = means
    .slice(2)
    .map((m, k) => Math.abs(m - means[k]!))
    .sort((a, b) => a - b);
  return Math.max((1.4826 * quantile(d, 0.5)) / Math.SQRT2, 1e-12);
}

/**
 * out[i] = the winsorized mean of v[i - w + 1 .. i]: each value clamped to the window's median
 * plus or minus `clip`, then averaged (NaN before a full window). Nearly as efficient as the mean
 * on Gaussian noise; a loss spike moves it by at most clip / w.
 */
function robustMeans(v: readonly number[], w: number, clip: number): Float64Array {
  const out = new Float64Array(v.length).fill(NaN);
  const buf = new Float64Array(w);
  for (let i = w - 1; i < v.length; i++) {
    for (let k = 0; k < w; k++) buf[k] = v[i - w + 1 + k]!;
    buf.sort();
    const median = w % 2 ? buf[(w - 1) / 2]! : (buf[w / 2 - 1]! + buf[w / 2]!) / 2;
    let sum = 0;
    for (let k = 0; k < w; k++) sum += Math.max(median - clip, Math.min(median + clip, buf[k]!));
    out[i] = sum / w;
  }
  return out;
}

/** out[i] = mean of v[i - w + 1 .. i] (NaN before a full window). */
function windowMean(v: ArrayLike<number>, w: number): Float64Array {
  const out = new Float64Array(v.length).fill(NaN);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    sum += v[i]!;
    if (i >= w) sum -= v[i - w]!;
    if (i >= w - 1) out[i] = sum / w;
  }
  return out;
}

/** Linear interpolation of (xs, ys) at increasing points `at` inside [xs[0], xs[last]]. */
function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, at: readonly number[]): Float64Array {
  const out = new Float64Array(at.length);
  let k = 0;
  for (let i = 0; i < at.length; i++) {
    const s = at[i]!;
    while (k + 1 < xs.length - 1 && xs[k + 1]! < s) k++;
    if (xs.length === 1 || s <= xs[k]!) {
      out[i] = ys[k]!;
      continue;
    }
    const x0 = xs[k]!;
    const x1 = xs[k + 1]!;
    out[i] = ys[k]! + ((ys[k + 1]! - ys[k]!) * (s - x0)) / (x1 - x0);
  }
  return out;
}

function checkIncreasing(v: ArrayLike<number>, field: string): void {
  if (v.length === 0) throw new InputError(`${field}: no steps`, field);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new InputError(`${field}[${i}]: not a finite step: ${show(v[i])}`, field);
    if (i > 0 && !(v[i]! > v[i - 1]!)) throw new InputError(`${field}[${i}]: steps must increase, got ${show(v[i])} after ${show(v[i - 1])}`, field);
  }
}

/** Options of `trackRun`. */
export interface TrackOptions extends DepartureOptions {
  /**
   * Parameters refitted on the run so far for the updated forecast; the others keep the
   * prediction's values. @default those of L0, A, alpha the law has (the level and the power-law
   * term, which a partial curve identifies), else all
   */
  free?: readonly string[];
  /** Bootstrap resamples (points) of the refit, for the forecast band; 0 for none. @default 20 */
  resamples?: number;
  /** Seed of the refit's bootstrap. @default 0 */
  seed?: number;
  /** Skip the refit (the band check alone). @default false */
  noForecast?: boolean;
}

/** A run followed against its saved prediction. */
export interface TrackResult {
  readonly kind: 'track';
  readonly prediction: { readonly source: string; readonly law: string; readonly level?: number; readonly final: number; readonly steps: number };
  readonly lastStep: number;
  readonly check: DepartureCheck;
  /** The rest of the curve refitted on what has been seen: central loss, band, and the final loss. */
  readonly forecast?: {
    readonly steps: readonly number[];
    readonly loss: readonly number[];
    readonly lower?: readonly number[];
    readonly upper?: readonly number[];
    readonly final: number;
    readonly finalInterval?: readonly [number, number];
    readonly free: readonly string[];
    readonly warnings: readonly string[];
  };
  readonly notes: readonly string[];
}

/**
 * Follows a run against its saved prediction: whether it is inside the band (and since when not,
 * see `detectDeparture`), and the rest of the curve re-extrapolated from what has been seen: the
 * prediction's law refitted on the run so far (`free` parameters, the others held at the
 * prediction's values), with a bootstrap band.
 *
 * @example trackRun(readLossPrediction(JSON.parse(text)), { steps, loss })
 */
export function trackRun(prediction: LossPrediction, run: ObservedCurve, options: TrackOptions = {}): TrackResult {
  const { resamples = 20, seed = 0, noForecast = false } = options;
  const notes: string[] = [];
  const band: Band = prediction.lower
    ? { steps: prediction.steps, loss: prediction.loss, lower: prediction.lower, upper: prediction.upper! }
    : { steps: prediction.steps, loss: prediction.loss, lower: prediction.loss, upper: prediction.loss };
  if (!prediction.lower) notes.push('the prediction has no band (its fit had no bootstrap samples): the run is compared with the central curve and its own noise only');
  const check = detectDeparture(band, run, options);
  const lastStep = run.steps[run.steps.length - 1]!;
  const T = prediction.steps[prediction.steps.length - 1]!;
  let forecast: TrackResult['forecast'];
  if (!noForecast) {
    const law = getLaw(prediction.law);
    const names = law.params.map((p) => p.name);
    const free = options.free ?? (names.some((n) => ['L0', 'A', 'alpha'].includes(n)) ? names.filter((n) => ['L0', 'A', 'alpha'].includes(n)) : names);
    for (const f of free) if (!names.includes(f)) throw new InputError(`free: law ${prediction.law} has no parameter ${show(f)}; it has ${names.join(', ')}`, 'free');
    const keep: number[] = [];
    for (let i = 0; i < run.steps.length; i++) if (run.steps[i]! < T + 1 && Number.isFinite(run.loss[i]!) && run.loss[i]! > 0 && run.steps[i]! >= 1) keep.push(i);
    if (keep.length < 3 * free.length) {
      notes.push(`no forecast: ${keep.length} usable points, fewer than 3 per refitted parameter (${free.length})`);
    } else {
      const fixed = Object.fromEntries(names.filter((n) => !free.includes(n)).map((n) => [n, prediction.params[n]!]));
      const refit = fitCurves(
        [
          {
            name: 'run',
            schedule: prediction.schedule,
            steps: Float64Array.from(keep, (i) => run.steps[i]!),
            loss: Float64Array.from(keep, (i) => run.loss[i]!),
            ...(prediction.N !== undefined ? { N: prediction.N } : {}),
          },
        ],
        { law: prediction.law, fixed, starts: [Object.fromEntries(free.map((n) => [n, prediction.params[n]!]))], resamples, seed, date: prediction.date },
      );
      const rest = prediction.steps.filter((s) => s >= lastStep);
      const at = rest.length > 0 ? rest : [T];
      const p = predictCurve(refit, prediction.schedule, { steps: at, level: prediction.level ?? 0.9, ...(prediction.N !== undefined ? { N: prediction.N } : {}) });
      const finalInterval = p.lower ? ([p.lower[p.lower.length - 1]!, p.upper![p.upper!.length - 1]!] as const) : undefined;
      if (check.departure)
        notes.push(
          `the run has left the band since about step ${check.departure.since}: the forecast refits ${free.join(', ')} and keeps the law's shape, so it follows a run whose curve the law no longer describes only in level; its band is the bootstrap of that refit alone`,
        );
      forecast = {
        steps: Array.from(p.steps),
        loss: Array.from(p.loss),
        ...(p.lower ? { lower: Array.from(p.lower), upper: Array.from(p.upper!) } : {}),
        final: p.final,
        ...(finalInterval && at[at.length - 1] === T ? { finalInterval } : {}),
        free,
        warnings: (refit.warnings ?? []).map((w) => w.message),
      };
    }
  }
  return {
    kind: 'track',
    prediction: { source: prediction.source, law: prediction.law, ...(prediction.level !== undefined ? { level: prediction.level } : {}), final: prediction.final, steps: T + 1 },
    lastStep,
    check,
    ...(forecast ? { forecast } : {}),
    notes: [...check.notes, ...notes],
  };
}

/** A readable summary of a tracked run. */
export function trackReport(t: TrackResult): string {
  const f = (v: number) => String(+v.toPrecision(5));
  const c = t.check;
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  const lines = [
    `run at step ${t.lastStep} of ${t.prediction.steps} planned; prediction ${t.prediction.source} (law ${t.prediction.law}${t.prediction.level ? `, ${pct(t.prediction.level)} band` : ''}), predicted final loss ${f(t.prediction.final)}`,
    `  now: ${c.now}; ${c.points} points compared, ${pct(c.insideFraction)} of single points inside the band, noise of one point ${Number.isFinite(c.noise) ? f(c.noise) : 'not estimated'}`,
  ];
  if (c.departure) {
    const d = c.departure;
    lines.push(
      `  DEPARTURE: flagged at step ${d.step}, ${d.direction} the band since about step ${d.since} (mean of the last ${d.window} points ${f(d.excess)} beyond the edge, ${f(d.excess / d.noise)} times its noise ${f(d.noise)})`,
    );
  } else if (c.windows.length > 0) lines.push(`  no departure: no window of ${c.windows.join(', ')} points left the band by more than the threshold`);
  if (t.forecast) {
    const fc = t.forecast;
    const interval = fc.finalInterval ? ` (${pct(t.prediction.level ?? 0.9)} interval ${f(fc.finalInterval[0])}-${f(fc.finalInterval[1])})` : '';
    lines.push(`  updated forecast: final loss ${f(fc.final)}${interval}, refitting ${fc.free.join(', ')} on the run so far; planned ${f(t.prediction.final)}`);
    for (const w of fc.warnings) lines.push(`    warning: ${w}`);
  }
  for (const n of t.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
