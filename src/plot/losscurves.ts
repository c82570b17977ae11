import { axisFormat, axisScale, requireFinite, type AxisScale } from './axes.js';
import { layered, type ChartOptions, type VegaLiteSpec } from './spec.js';

export interface LossCurveSeries {
  /** The schedule's name, e.g. 'cosine' or 'wsd 20%'. */
  name: string;
  /** Measured points. */
  observed?: readonly { step: number; loss: number }[];
  /** The law's continuation (or whole-curve prediction), with an optional band. */
  predicted?: readonly { step: number; loss: number; lower?: number; upper?: number }[];
}

export interface LossCurvesChartOptions extends ChartOptions {
  /** @default 'training step' */
  xLabel?: string;
  /** @default 'loss (nats/token)' */
  yLabel?: string;
  /** @default 'linear' (training steps read best on a linear axis) */
  xScale?: AxisScale;
  /** @default 'auto' */
  yScale?: AxisScale;
  /** A step drawn as a vertical rule, e.g. where observation ends and prediction begins. @default none */
  cutoff?: number;
  /** The legend's title: what the series are (e.g. 'run (N, D)'). @default 'schedule' */
  legend?: string;
  /**
   * The series are given in the order of a variable (model size, compute): colour them with a
   * sequential palette in that order instead of categorical colours. Also chosen for more than
   * 10 series, where a categorical palette repeats its colours. @default false
   */
  ordered?: boolean;
}

/**
 * Loss curves for several schedules: measured points as thin solid lines, the predicted
 * continuation dashed with its band, one colour per schedule.
 */
export function lossCurvesChart(series: readonly LossCurveSeries[], options: LossCurvesChartOptions = {}): VegaLiteSpec {
  const { xLabel = 'training step', yLabel = 'loss (nats/token)', xScale = 'linear', yScale = 'auto', cutoff } = options;
  series.forEach((s, i) => {
    requireFinite('lossCurvesChart', `series[${i}].observed`, s.observed ?? [], ['step', 'loss']);
    requireFinite('lossCurvesChart', `series[${i}].predicted`, s.predicted ?? [], ['step', 'loss']);
  });
  const observed = series.flatMap((s) => (s.observed ?? []).map((p) => ({ schedule: s.name, step: p.step, loss: p.loss })));
  const predicted = series.flatMap((s) => (s.predicted ?? []).map((p) => ({ schedule: s.name, step: p.step, loss: p.loss, lower: p.lower, upper: p.upper })));
  const band = predicted.filter((p) => p.lower !== undefined && p.upper !== undefined);
  const sx = axisScale(
    [...observed, ...predicted].map((p) => p.step),
    xScale,
  );
  const sy = axisScale([...observed.map((p) => p.loss), ...predicted.flatMap((p) => [p.loss, p.lower ?? p.loss, p.upper ?? p.loss])], yScale);
  const x = { field: 'step', type: 'quantitative', title: xLabel, scale: sx, axis: axisFormat(sx) };
  const y = { field: 'loss', type: 'quantitative', title: yLabel, scale: sy, axis: axisFormat(sy) };
  const names = series.map((s) => s.name);
  const sequential = (options.ordered ?? false) || series.length > 10;
  // viridis without its last, pale-yellow tenth, which vanishes on white.
  const color = sequential
    ? {
        field: 'schedule',
        type: 'ordinal',
        title: options.legend ?? 'schedule',
        sort: names,
        scale: { scheme: { name: 'viridis', extent: [0, 0.88] } },
        legend: { columns: names.length > 12 ? 2 : 1, symbolLimit: 0 },
      }
    : { field: 'schedule', type: 'nominal', title: options.legend ?? 'schedule', sort: names };
  const layers: Record<string, unknown>[] = [];
  if (band.length > 0) {
    layers.push({ data: { values: band }, mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, color, detail: { field: 'schedule' } } });
  }
  if (observed.length > 0) {
    layers.push({ data: { values: observed }, mark: { type: 'line', strokeWidth: 1.2, opacity: 0.8 }, encoding: { x, y, color } });
  }
  if (predicted.length > 0) {
    layers.push({
      data: { values: predicted },
      mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 3] },
      encoding: { x, y, color, tooltip: [{ field: 'schedule' }, { field: 'step' }, { field: 'loss', format: '.4f' }] },
    });
  }
  if (cutoff !== undefined) {
    layers.push({ data: { values: [{ step: cutoff }] }, mark: { type: 'rule', color: '#888', strokeDash: [2, 2] }, encoding: { x } });
  }
  return layered(options, layers);
}
