import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import { axisFormat, axisScale, requireFinite } from './axes.js';
import { frame, layered, type ChartOptions, type VegaLiteSpec } from './spec.js';

export interface IsoflopChartData {
  /** Observed final losses, one per (budget, model size). */
  points?: readonly { compute: number; N: number; loss: number }[];
  /** The law along each IsoFLOP curve: L(N, C / (6 N)) for fixed C. */
  curves?: readonly { compute: number; N: number; loss: number }[];
  /** The loss-minimising N per budget, with an optional interval on N. */
  optima?: readonly { compute: number; N: number; loss: number; lower?: number; upper?: number }[];
  /** Each budget's fitted parabola over its window (dashed), e.g. from `isoflopParabolas`. */
  parabolas?: readonly { compute: number; N: number; loss: number }[];
  /** The fitted trend N_opt = kN C^a read across the budgets (a black line through the valley). */
  trend?: readonly { compute: number; N: number; loss: number }[];
}

export interface IsoflopChartOptions extends ChartOptions {
  /** @default 'parameters N' */
  xLabel?: string;
  /** @default 'loss (nats/token)' */
  yLabel?: string;
  /**
   * Zoom each budget's law curve to its valley: keep the part within `zoom` of the budget's minimum
   * loss, relative (0.15: up to 15% above it), so that the minima and their spread fill the panel
   * instead of lying flat under the curves' steep ends. Measured points are all kept. `false`: the
   * whole curves. @default 0.15
   */
  zoom?: number | false;
  /**
   * One panel per budget, each with its own loss axis zoomed to its valley: `true`, `false` (every
   * budget on one axis), or 'auto': panels when some budget's valley is under 5% of the shared
   * axis's span, so that its curve would lie flat (the large budgets of a fit whose losses approach
   * E; the plan report uses it). @default false
   */
  panels?: boolean | 'auto';
  /** Show the colour legend of the budgets (panels name their budget in their title instead). @default true */
  legend?: boolean;
}

/** The spread of losses (max - min) of each budget's rows. */
function depths(rows: readonly { compute: number; loss: number }[]): Map<number, number> {
  const lo = new Map<number, number>(),
    hi = new Map<number, number>();
  for (const r of rows) {
    lo.set(r.compute, Math.min(lo.get(r.compute) ?? Infinity, r.loss));
    hi.set(r.compute, Math.max(hi.get(r.compute) ?? -Infinity, r.loss));
  }
  return new Map([...lo].map(([c, l]) => [c, hi.get(c)! - l]));
}

/** Each budget's rows within `zoom` (relative) of its lowest loss; every row when zoom is false. */
function valley<T extends { compute: number; loss: number }>(rows: readonly T[], zoom: number | false, minima: ReadonlyMap<number, number>): T[] {
  if (zoom === false) return [...rows];
  return rows.filter((r) => {
    const min = minima.get(r.compute);
    return min === undefined || r.loss <= min + zoom * Math.abs(min);
  });
}

/**
 * IsoFLOP curves (Hoffmann et al. 2022, Fig. 3): loss against model size at fixed compute, one colour
 * per budget, the minimum of each marked; optionally each budget's fitted parabola (dashed, over the
 * runs it was fitted to) and the fitted trend N_opt = kN C^a across budgets (black).
 */
export function isoflopChart(data: IsoflopChartData, options: IsoflopChartOptions = {}): VegaLiteSpec {
  const { xLabel = 'parameters N', yLabel = 'loss (nats/token)' } = options;
  for (const [name, rows] of [
    ['points', data.points ?? []],
    ['curves', data.curves ?? []],
    ['optima', data.optima ?? []],
    ['parabolas', data.parabolas ?? []],
    ['trend', data.trend ?? []],
  ] as const) {
    requireFinite('isoflopChart', name, rows, ['compute', 'N', 'loss']);
  }
  const { points = [], optima = [], trend = [] } = data;
  const zoom = options.zoom ?? 0.15;
  if (zoom !== false && !(zoom > 0)) throw new InputError(`isoflopChart: zoom must be a positive fraction or false, got ${show(zoom)}`, 'zoom');
  const minima = new Map<number, number>();
  for (const r of [...(data.curves ?? []), ...(data.parabolas ?? []), ...points, ...optima]) minima.set(r.compute, Math.min(minima.get(r.compute) ?? Infinity, r.loss));
  const curves = valley(data.curves ?? [], zoom, minima);
  const parabolas = valley(data.parabolas ?? [], zoom, minima);
  const label = (c: number) => `${formatNumber(c, 3).replace(/\.?0+e/, 'e')} FLOPs`;
  const budgets = [...new Set([...points, ...curves, ...optima, ...parabolas].map((p) => p.compute))].sort((a, b) => a - b);
  const panels = options.panels ?? false;
  if (panels !== false && budgets.length > 1) {
    const all = [...points, ...curves, ...optima, ...parabolas];
    const span = Math.max(...all.map((r) => r.loss)) - Math.min(...all.map((r) => r.loss));
    const depth = depths(all);
    if (panels === true || budgets.some((c) => (depth.get(c) ?? 0) < 0.05 * span)) {
      const at = <T extends { compute: number }>(rows: readonly T[], c: number) => rows.filter((r) => r.compute === c);
      const parts = budgets.map((c) => {
        const one = isoflopChart(
          { points: at(points, c), curves: at(curves, c), optima: at(optima, c), parabolas: at(parabolas, c), trend: at(trend, c) },
          { xLabel, yLabel, zoom: false, panels: false, legend: false, title: `C = ${label(c)}`, width: 220, height: 170 },
        ) as unknown as Record<string, unknown>;
        const { $schema: _s, background: _b, config: _c, ...rest } = one;
        return rest;
      });
      const top = frame(options);
      const { width: _w, height: _h, ...head } = top;
      return {
        ...head,
        ...(options.title ? { title: { text: options.title, subtitle: 'one panel per budget, each loss axis zoomed to its valley' } } : {}),
        concat: parts,
        columns: Math.min(3, parts.length),
        resolve: { scale: { x: 'independent', y: 'independent', color: 'independent' }, legend: { color: 'independent' } },
      } as unknown as VegaLiteSpec;
    }
  }
  const sx = axisScale([...points.map((p) => p.N), ...curves.map((p) => p.N), ...parabolas.map((p) => p.N), ...trend.map((p) => p.N), ...optima.flatMap((p) => [p.N, p.lower ?? p.N, p.upper ?? p.N])]);
  const sy = axisScale([...points, ...curves, ...optima, ...parabolas, ...trend].map((p) => p.loss));
  const x = { field: 'N', type: 'quantitative', title: xLabel, scale: sx, axis: axisFormat(sx) };
  const y = { field: 'loss', type: 'quantitative', title: yLabel, scale: sy, axis: axisFormat(sy) };
  const color = {
    field: 'budget',
    type: 'ordinal',
    title: 'compute C',
    sort: budgets.map(label),
    scale: { scheme: { name: 'viridis', extent: [0, 0.88] } },
    ...(options.legend === false ? { legend: null } : {}),
  };
  const tag = <T extends { compute: number }>(rows: readonly T[]) => rows.map((r) => ({ ...r, budget: label(r.compute) }));
  const layers: Record<string, unknown>[] = [];
  if (curves.length > 0) {
    layers.push({ data: { values: tag(curves) }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, detail: { field: 'budget' } } });
  }
  if (parabolas.length > 0) {
    layers.push({ data: { values: tag(parabolas) }, mark: { type: 'line', strokeWidth: 1.5, strokeDash: [5, 3] }, encoding: { x, y, color, detail: { field: 'budget' } } });
  }
  if (trend.length > 0) {
    layers.push({
      data: { values: tag(trend) },
      mark: { type: 'line', strokeWidth: 1.5, color: '#000', point: { filled: true, size: 20, color: '#000' } },
      encoding: { x, y, order: { field: 'compute' }, tooltip: [{ field: 'budget' }, { field: 'N', format: '.3e', title: 'trend N_opt' }] },
    });
  }
  if (points.length > 0) {
    layers.push({
      data: { values: tag(points) },
      mark: { type: 'point', filled: true, size: 30 },
      encoding: { x, y, color, tooltip: [{ field: 'budget' }, { field: 'N', format: '.3e' }, { field: 'loss', format: '.4f' }] },
    });
  }
  if (optima.length > 0) {
    const values = tag(optima).map((o) => ({ ...o, lower: o.lower ?? o.N, upper: o.upper ?? o.N }));
    layers.push(
      { data: { values }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { ...x, field: 'lower' }, x2: { field: 'upper' }, y, color } },
      {
        data: { values },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 120, stroke: '#000', strokeWidth: 1 },
        encoding: { x, y, color, tooltip: [{ field: 'budget' }, { field: 'N', format: '.3e', title: 'optimal N' }] },
      },
    );
  }
  return layered(options, layers);
}

export interface IsoflopEnvelopeChartData {
  /** Training curves: loss against compute, one line per run (`run` names it, `N` colours it). */
  curves: readonly { run: string; N: number; compute: number; loss: number }[];
  /** The envelope: the lowest loss at each compute, with the N that reaches it. */
  envelope?: readonly { compute: number; N: number; loss: number }[];
}

export interface IsoflopEnvelopeChartOptions extends ChartOptions {
  /** @default 'compute C (FLOPs)' */
  xLabel?: string;
  /** @default 'loss (nats/token)' */
  yLabel?: string;
}

/**
 * Hoffmann et al. 2022, Fig. 2 (Approach 1): every run's loss against compute, coloured by model
 * size, with the envelope (the lowest loss at each compute) drawn in black.
 */
export function isoflopEnvelopeChart(data: IsoflopEnvelopeChartData, options: IsoflopEnvelopeChartOptions = {}): VegaLiteSpec {
  const { xLabel = 'compute C (FLOPs)', yLabel = 'loss (nats/token)' } = options;
  const { curves, envelope = [] } = data;
  requireFinite('isoflopEnvelopeChart', 'curves', curves, ['compute', 'N', 'loss']);
  requireFinite('isoflopEnvelopeChart', 'envelope', envelope, ['compute', 'N', 'loss']);
  const sx = axisScale([...curves, ...envelope].map((p) => p.compute));
  const sy = axisScale([...curves, ...envelope].map((p) => p.loss));
  const x = { field: 'compute', type: 'quantitative', title: xLabel, scale: sx, axis: axisFormat(sx) };
  const y = { field: 'loss', type: 'quantitative', title: yLabel, scale: sy, axis: axisFormat(sy) };
  const layers: Record<string, unknown>[] = [
    {
      data: { values: curves },
      mark: { type: 'line', strokeWidth: 1.2, opacity: 0.8 },
      encoding: { x, y, detail: { field: 'run' }, color: { field: 'N', type: 'quantitative', title: 'parameters N', scale: { type: 'log', scheme: 'viridis' } } },
    },
  ];
  if (envelope.length > 0) {
    layers.push({
      data: { values: envelope },
      mark: { type: 'line', strokeWidth: 2.5, color: '#000' },
      encoding: {
        x,
        y,
        tooltip: [
          { field: 'compute', format: '.3e' },
          { field: 'N', format: '.3e', title: 'best N' },
          { field: 'loss', format: '.4f' },
        ],
      },
    });
  }
  return layered(options, layers);
}
