import { axisFormat, axisScale, requireFinite, type AxisScale } from './axes.js';
import { layered, type ChartOptions, type VegaLiteSpec } from './spec.js';

export interface ScalingChartData {
  /** Observed points; `series` colours them (e.g. model family or compute budget). */
  points: readonly { x: number; y: number; series?: string }[];
  /** The fitted law sampled along x, with an optional band (`lower`, `upper`). */
  law?: readonly { x: number; y: number; lower?: number; upper?: number }[];
  /** Marked predictions, e.g. the planned run, with optional interval. */
  highlights?: readonly { x: number; y: number; lower?: number; upper?: number; label: string }[];
}

export interface ScalingChartOptions extends ChartOptions {
  /** x-axis title, with its unit. @default 'training compute C (FLOPs)' */
  xLabel?: string;
  /** y-axis title, with its unit. @default 'loss (nats/token)' */
  yLabel?: string;
  /** @default 'auto' (log when the points span a decade) */
  xScale?: AxisScale;
  /** @default 'auto' */
  yScale?: AxisScale;
  /** Legend title for `series`. @default 'series' */
  seriesLabel?: string;
  /** Caption for the law's line in the legend-free layer tooltip. @default 'fit' */
  lawLabel?: string;
}

/**
 * A scaling fit: the data, the law through them and its band, on log-log axes where the data span
 * decades (a power law is a straight line there).
 */
export function scalingChart(data: ScalingChartData, options: ScalingChartOptions = {}): VegaLiteSpec {
  const { xLabel = 'training compute C (FLOPs)', yLabel = 'loss (nats/token)', xScale = 'auto', yScale = 'auto', seriesLabel = 'series', lawLabel = 'fit' } = options;
  const { points, law = [], highlights = [] } = data;
  requireFinite('scalingChart', 'points', points, ['x', 'y']);
  requireFinite('scalingChart', 'law', law, ['x', 'y']);
  requireFinite('scalingChart', 'highlights', highlights, ['x', 'y']);
  const xs = [...points.map((p) => p.x), ...law.map((p) => p.x), ...highlights.map((p) => p.x)];
  const ys = [...points.map((p) => p.y), ...law.flatMap((p) => [p.y, p.lower ?? p.y, p.upper ?? p.y]), ...highlights.flatMap((p) => [p.y, p.lower ?? p.y, p.upper ?? p.y])];
  const sx = axisScale(xs, xScale);
  const sy = axisScale(ys, yScale);
  const x = { field: 'x', type: 'quantitative', title: xLabel, scale: sx, axis: axisFormat(sx) };
  const y = { field: 'y', type: 'quantitative', title: yLabel, scale: sy, axis: axisFormat(sy) };
  const hasSeries = points.some((p) => p.series !== undefined);
  const layers: Record<string, unknown>[] = [];
  const band = law.filter((p) => p.lower !== undefined && p.upper !== undefined);
  if (band.length > 0) {
    layers.push({
      data: { values: band.map((p) => ({ x: p.x, lower: p.lower, upper: p.upper })) },
      mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
      encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' } },
    });
  }
  layers.push({
    data: { values: points.map((p) => ({ x: p.x, y: p.y, series: p.series ?? 'data' })) },
    mark: { type: 'point', filled: true, size: 28, opacity: 0.75 },
    encoding: {
      x,
      y,
      ...(hasSeries ? { color: { field: 'series', type: 'nominal', title: seriesLabel } } : { color: { value: '#555' } }),
      tooltip: [{ field: 'x', format: '.3e' }, { field: 'y', format: '.4f' }, ...(hasSeries ? [{ field: 'series' }] : [])],
    },
  });
  if (law.length > 0) {
    layers.push({
      data: { values: law.map((p) => ({ x: p.x, y: p.y, name: lawLabel })) },
      mark: { type: 'line', color: '#e45756', strokeWidth: 2 },
      encoding: { x, y, tooltip: [{ field: 'name' }, { field: 'x', format: '.3e' }, { field: 'y', format: '.4f' }] },
    });
  }
  if (highlights.length > 0) {
    const values = highlights.map((p) => ({ x: p.x, y: p.y, lower: p.lower ?? p.y, upper: p.upper ?? p.y, label: p.label }));
    layers.push(
      { data: { values }, mark: { type: 'rule', color: '#000', strokeWidth: 2 }, encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' } } },
      { data: { values }, mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: '#000' }, encoding: { x, y } },
      { data: { values }, mark: { type: 'text', align: 'right', dx: -8, dy: -8, fontSize: 11 }, encoding: { x, y, text: { field: 'label' } } },
    );
  }
  return layered(options, layers);
}
