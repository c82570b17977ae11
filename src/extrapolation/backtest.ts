import { InputError, show } from '../core/errors.js';
import { learningCurve, MIN_POINTS, type LearningCurve } from './curve.js';
import { extrapolate, type ExtrapolateOptions } from './extrapolate.js';

export interface ExtrapolationBacktestOptions extends Omit<ExtrapolateOptions, 'to'> {
  /** Fractions of each curve's points seen before it is extrapolated to its last step. @default [0.1, 0.2, 0.4, 0.8] */
  fractions?: readonly number[];
  /** Central level of the intervals whose coverage is counted. @default 0.9 */
  level?: number;
}

/** One cut of one curve: what was seen, what was predicted for the last step, and the truth. */
export interface ExtrapolationBacktestRow {
  readonly curve: string;
  readonly fraction: number;
  /** Points seen (the first `seen` of the curve). */
  readonly seen: number;
  readonly step: number;
  readonly median: number;
  readonly interval: readonly [number, number];
  readonly truth: number;
  /** |median - truth| / |truth| (absolute error where the truth is 0). */
  readonly relativeError: number;
  readonly covered: boolean;
}

/** The result of `backtestExtrapolation`: one row per curve and cut, a summary per cut, and `report()`. */
export interface ExtrapolationBacktest {
  readonly method: string;
  readonly level: number;
  readonly rows: readonly ExtrapolationBacktestRow[];
  /** Per fraction: mean relative error and the share of intervals that covered the truth. */
  readonly summary: readonly { readonly fraction: number; readonly curves: number; readonly meanRelativeError: number; readonly coverage: number }[];
  report(): string;
}

/**
 * Backtests an extrapolator on finished curves: each curve is cut after 10, 20, 40 and 80% of its
 * points, extrapolated to its last step, and the prediction is scored against the value reached
 * (relative error of the median, coverage of the central interval). Cuts that leave fewer than 3
 * points seen, or nothing to predict, are skipped.
 *
 * @example backtestExtrapolation([learningCurve(steps, loss)], { method: 'fast' }).report()
 */
export function backtestExtrapolation(curves: readonly LearningCurve[], options: ExtrapolationBacktestOptions = {}): ExtrapolationBacktest {
  const { fractions = [0.1, 0.2, 0.4, 0.8], level = 0.9, ...extrapolateOptions } = options;
  if (curves.length === 0) throw new InputError('curves: give at least one finished curve', 'curves');
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  for (const f of fractions) if (!(f > 0 && f < 1)) throw new InputError(`fractions: each must be in (0, 1), got ${show(f)}`, 'fractions');
  const rows: ExtrapolationBacktestRow[] = [];
  let method: string = extrapolateOptions.method ?? 'ensemble';
  curves.forEach((curve, c) => {
    const name = curve.source || `curve ${c + 1}`;
    const n = curve.step.length;
    const last = curve.step[n - 1]!;
    const truth = curve.value[n - 1]!;
    for (const fraction of fractions) {
      const seen = Math.round(fraction * n);
      if (seen < MIN_POINTS || seen >= n) continue;
      const prefix = learningCurve(curve.step.subarray(0, seen), curve.value.subarray(0, seen), { goal: curve.goal, range: curve.range, source: name });
      const predictive = extrapolate(prefix, { ...extrapolateOptions, to: last });
      method = predictive.method === 'constant' ? method : predictive.method;
      const point = predictive.at(last);
      const interval = point.interval(level);
      const error = Math.abs(point.median - truth);
      rows.push({
        curve: name,
        fraction,
        seen,
        step: last,
        median: point.median,
        interval,
        truth,
        relativeError: truth === 0 ? error : error / Math.abs(truth),
        covered: truth >= interval[0] && truth <= interval[1],
      });
    }
  });
  if (rows.length === 0) throw new InputError(`curves: no cut leaves ${MIN_POINTS} points seen and one to predict; give longer curves`, 'curves');
  const summary = fractions.flatMap((fraction) => {
    const at = rows.filter((r) => r.fraction === fraction);
    if (at.length === 0) return [];
    return [
      {
        fraction,
        curves: at.length,
        meanRelativeError: at.reduce((a, r) => a + r.relativeError, 0) / at.length,
        coverage: at.filter((r) => r.covered).length / at.length,
      },
    ];
  });
  return Object.freeze({
    method,
    level,
    rows: Object.freeze(rows),
    summary: Object.freeze(summary),
    report(): string {
      const lines = [`[[Backtest]] extrapolation (${method}): each curve cut and extrapolated to its last step; ${Math.round(level * 100)}% intervals`];
      lines.push('    seen   curves  mean rel. error  coverage');
      for (const s of summary) {
        lines.push(
          `    ${`${Math.round(s.fraction * 100)}%`.padStart(4)}   ${String(s.curves).padStart(6)}  ${`${(s.meanRelativeError * 100).toFixed(2)}%`.padStart(15)}  ${s.coverage.toFixed(2).padStart(8)}`,
        );
      }
      return lines.join('\n');
    },
  });
}
