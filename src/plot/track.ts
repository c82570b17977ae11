import { InputError } from '../core/errors.js';
import { layered, type ChartOptions, type VegaLiteSpec } from './spec.js';

/** A curve with an optional band: `lower` and `upper` at the same steps as `loss`. */
export interface BandedCurve {
  readonly steps: ArrayLike<number>;
  readonly loss: ArrayLike<number>;
  readonly lower?: ArrayLike<number>;
  readonly upper?: ArrayLike<number>;
}

/** What `trackChart` draws. */
export interface TrackChartData {
  /** The saved prediction of the planned run. */
  readonly prediction: BandedCurve;
  /** The run so far. */
  readonly run: { readonly steps: ArrayLike<number>; readonly loss: ArrayLike<number> };
  /** The rest of the curve refitted on the run so far. */
  readonly forecast?: BandedCurve;
  /** Where a departure from the band was flagged, and since when. */
  readonly departure?: { readonly step: number; readonly since: number };
}

export interface TrackChartOptions extends ChartOptions {
  /** @default 'step' */
  xLabel?: string;
  /** @default 'loss' */
  yLabel?: string;
}

/**
 * A run followed against its prediction: the predicted curve and its band (grey), the run so far
 * (blue points), the updated forecast and its band (orange), and a red rule where a departure was
 * flagged (a shaded span from the estimated start). The loss axis spans the curves after the first
 * 5% of steps; points beyond it are left out.
 */
export function trackChart(data: TrackChartData, options: TrackChartOptions = {}): VegaLiteSpec {
  const { xLabel = 'step', yLabel = 'loss', title = 'run against its prediction' } = options;
  type Row = { series: string; step: number; loss: number; lower?: number; upper?: number };
  const rows = (c: BandedCurve, series: string): Row[] => {
    if (c.loss.length !== c.steps.length) throw new InputError(`trackChart: ${series}: ${c.steps.length} steps but ${c.loss.length} losses`, series);
    return Array.from(c.steps, (s, i) => ({ series, step: s, loss: c.loss[i]!, ...(c.lower && c.upper ? { lower: c.lower[i]!, upper: c.upper[i]! } : {}) }));
  };
  const predicted = rows(data.prediction, 'prediction');
  const run = rows(data.run, 'run').filter((r) => Number.isFinite(r.loss));
  const forecast = data.forecast ? rows(data.forecast, 'forecast') : [];
  // The loss axis spans the curves after the first 5% of steps: laws of the schedule's area blow up
  // at step 0, and a warmup's losses would flatten the part being tracked.
  const all = [...predicted, ...run, ...forecast];
  const lastStep = Math.max(...all.map((r) => r.step));
  const values = all.filter((r) => r.step >= 0.05 * lastStep).flatMap((r) => (r.lower !== undefined && r.upper !== undefined ? [r.loss, r.lower, r.upper] : [r.loss]));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const pad = (hi - lo) * 0.05 || 0.01;
  const [ylo, yhi] = [lo - pad, hi + pad];
  // Rows off the axis are left out (and band edges held to it): renderers do not all clip.
  const onAxis = (r: Row[]) =>
    r.filter((p) => p.loss >= ylo && p.loss <= yhi).map((p) => (p.lower !== undefined && p.upper !== undefined ? { ...p, lower: Math.max(ylo, p.lower), upper: Math.min(yhi, p.upper) } : p));
  const x = { field: 'step', type: 'quantitative', title: xLabel };
  const y = { field: 'loss', type: 'quantitative', title: yLabel, scale: { domain: [ylo, yhi], zero: false } };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: ['prediction', 'run', 'forecast'], range: ['#777777', '#4c78a8', '#f58518'] } };
  const layers: Record<string, unknown>[] = [];
  const band = (r: Row[], fill: string) =>
    layers.push({
      data: { values: onAxis(r).filter((p) => p.lower !== undefined) },
      mark: { type: 'area', opacity: 0.2, color: fill },
      encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' } },
    });
  if (data.prediction.lower) band(predicted, '#999999');
  if (data.forecast?.lower) band(forecast, '#f58518');
  if (data.departure) {
    layers.push({ data: { values: [data.departure] }, mark: { type: 'rect', color: '#e45756', opacity: 0.12 }, encoding: { x: { field: 'since', type: 'quantitative' }, x2: { field: 'step' } } });
    layers.push({
      data: { values: [data.departure] },
      mark: { type: 'rule', color: '#e45756', strokeWidth: 1.5 },
      encoding: { x: { field: 'step', type: 'quantitative' }, tooltip: [{ field: 'step', title: 'departure flagged at' }] },
    });
  }
  layers.push({
    data: { values: onAxis([...predicted, ...forecast]) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: { x, y, color, detail: { field: 'series' }, strokeDash: { condition: { test: "datum.series === 'forecast'", value: [5, 3] }, value: [1, 0] } },
  });
  layers.push({ data: { values: onAxis(run) }, mark: { type: 'point', filled: true, size: 8, opacity: 0.6 }, encoding: { x, y, color } });
  return layered({ ...options, title }, layers);
}
