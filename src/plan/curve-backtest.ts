import { InputError, show } from '../core/errors.js';
import { fitCurves, type CurveFitOptions } from '../fit/fit-curves.js';
import { predictCurve } from '../fit/predict-curve.js';
import type { CurveInput } from '../laws/curve-points.js';

export interface CurveBacktestOptions {
  /** Passed to `fitCurves` for every fit (law, optimizer, ...). Bootstrap resamples are not run. @default {} */
  fit?: Omit<CurveFitOptions, 'resamples'>;
  /**
   * Names of the curves every fit is trained on; every other curve is predicted from that one fit
   * (a cooldown sweep: train on the constant and cosine runs, predict the cooldowns). Omitted:
   * leave one curve out, fitting on all the others each time.
   */
  train?: readonly string[];
}

/** One held-out curve: its final loss predicted by a fit that never saw it. */
export interface CurveBacktestRow {
  readonly curve: string;
  /** Curves the fit that predicted this one was trained on. */
  readonly trainedOn: readonly string[];
  readonly predictedFinal: number;
  readonly measuredFinal: number;
  /** (predicted - measured) / measured at the curve's last logged step. */
  readonly finalError: number;
  /** Mean |predicted - measured| / measured over the curve's logged points. */
  readonly meanRelativeError: number;
}

/** The result of `backtestCurveFit`: one row per held-out curve, the errors over them, and `report()`. */
export interface CurveBacktest {
  readonly law: string;
  readonly mode: 'leave-one-out' | 'train-set';
  readonly rows: readonly CurveBacktestRow[];
  /** Mean and worst |finalError| over the held-out curves. */
  readonly meanFinalError: number;
  readonly worstFinalError: number;
  /**
   * Spearman rank correlation between predicted and measured final losses of the held-out curves
   * (1: the fit ranks them as training did); null with fewer than three held-out curves.
   */
  readonly rankCorrelation: number | null;
  /** Whether the held-out curve predicted best is the one measured best. */
  readonly bestAgrees: boolean;
  report(): string;
}

/**
 * Backtests a whole-curve law on curves whose outcome is known: fits on some schedules, predicts
 * the others, and compares. Leave one schedule out by default; with `train`, one fit on the named
 * curves predicts every other curve (and their ranking, the question a schedule choice asks).
 *
 * @example backtestCurveFit(curves, { train: ['constant', 'cosine'], fit: { law: 'mpl' } }).report()
 */
export function backtestCurveFit(curves: readonly CurveInput[], options: CurveBacktestOptions = {}): CurveBacktest {
  const { fit: fitOptions = {}, train } = options;
  const names = curves.map((c, i) => c.name ?? `curve ${i + 1}`);
  if (new Set(names).size !== names.length) throw new InputError(`curves: names must be distinct, got ${show(names)}`, 'name');
  curves.forEach((c, i) => {
    if (c.loss === undefined || c.loss.length === 0) throw new InputError(`${names[i]}: no losses to compare with`, 'loss');
  });
  const named = curves.map((c, i) => ({ ...c, name: names[i]! }));
  const folds: { trainOn: typeof named; predict: typeof named }[] = [];
  if (train) {
    for (const t of train) if (!names.includes(t)) throw new InputError(`train: no curve named ${show(t)}; curves: ${names.join(', ')}`, 'train');
    const held = named.filter((c) => !train.includes(c.name));
    if (held.length === 0) throw new InputError('train: names every curve; nothing is left to predict', 'train');
    folds.push({ trainOn: named.filter((c) => train.includes(c.name)), predict: held });
  } else {
    if (curves.length < 2) throw new InputError(`curves: leaving one out needs at least 2 curves, got ${curves.length}`, 'curves');
    for (let i = 0; i < named.length; i++) folds.push({ trainOn: named.filter((_, j) => j !== i), predict: [named[i]!] });
  }

  const rows: CurveBacktestRow[] = [];
  let law = '';
  for (const { trainOn, predict } of folds) {
    const fit = fitCurves(trainOn, fitOptions);
    law = fit.law;
    for (const c of predict) {
      const loss = Float64Array.from(c.loss!);
      const predicted = predictCurve(fit, c.schedule, { name: c.name, steps: Array.from(c.steps), ...(c.N !== undefined ? { N: c.N } : {}) }).loss;
      let sum = 0;
      for (let k = 0; k < loss.length; k++) sum += Math.abs(predicted[k]! - loss[k]!) / loss[k]!;
      const last = loss.length - 1;
      rows.push({
        curve: c.name,
        trainedOn: trainOn.map((t) => t.name),
        predictedFinal: predicted[last]!,
        measuredFinal: loss[last]!,
        finalError: (predicted[last]! - loss[last]!) / loss[last]!,
        meanRelativeError: sum / loss.length,
      });
    }
  }
  const abs = rows.map((r) => Math.abs(r.finalError));
  const meanFinalError = abs.reduce((a, b) => a + b, 0) / abs.length;
  const worstFinalError = Math.max(...abs);
  const rankCorrelation =
    rows.length >= 3
      ? spearman(
          rows.map((r) => r.predictedFinal),
          rows.map((r) => r.measuredFinal),
        )
      : null;
  const argmin = (v: number[]) => v.indexOf(Math.min(...v));
  const bestAgrees = argmin(rows.map((r) => r.predictedFinal)) === argmin(rows.map((r) => r.measuredFinal));
  const mode = train ? 'train-set' : 'leave-one-out';
  return Object.freeze({
    law,
    mode,
    rows: Object.freeze(rows),
    meanFinalError,
    worstFinalError,
    rankCorrelation,
    bestAgrees,
    report(): string {
      const how = train ? `fit on ${train.join(', ')}, predict the other ${rows.length}` : `leave one schedule out (${rows.length} fits)`;
      const lines = [`[[Backtest]] whole-curve law ${law}: ${how}`];
      const width = Math.max(5, ...rows.map((r) => r.curve.length));
      lines.push(`    ${'curve'.padEnd(width)}  predicted  measured  final error  mean error`);
      for (const r of rows) {
        lines.push(
          `    ${r.curve.padEnd(width)}  ${r.predictedFinal.toFixed(4).padStart(9)}  ${r.measuredFinal.toFixed(4).padStart(8)}  ${pct(r.finalError).padStart(11)}  ${pct(r.meanRelativeError).padStart(10)}`,
        );
      }
      lines.push(`    final loss: mean |error| ${pct(meanFinalError)}, worst ${pct(worstFinalError)}`);
      if (rankCorrelation !== null) lines.push(`    ranking of held-out curves: Spearman ${rankCorrelation.toFixed(3)}; best predicted ${bestAgrees ? 'is' : 'is not'} the best measured`);
      return lines.join('\n');
    },
  });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** Ranks with ties averaged (1-based). */
function ranks(v: readonly number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(v.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rho: the Pearson correlation of the ranks. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a),
    rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n,
    mb = rb.reduce((s, x) => s + x, 0) / n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i]! - ma) * (rb[i]! - mb);
    saa += (ra[i]! - ma) ** 2;
    sbb += (rb[i]! - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}
