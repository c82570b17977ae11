import { InputError, show } from '../core/errors.js';
import { axisFormat, axisScale, requireFinite, type AxisScale } from './axes.js';
import { layered, type ChartOptions, type VegaLiteSpec } from './spec.js';

/** What an early-stopping rule decided for one curve. */
export type StoppingDecision = 'stopped' | 'completed' | 'best';

export interface StoppingCurve {
  id: string;
  /** The curve as far as it was trained (a stopped curve ends at its stop). */
  points: readonly { step: number; value: number }[];
  decision: StoppingDecision;
  /** The step at which the rule stopped it; defaults to its last point. */
  stoppedAt?: number;
}

export interface StoppingChartOptions extends ChartOptions {
  /** @default 'epoch' */
  xLabel?: string;
  /** The metric with its unit. @default 'validation loss' */
  yLabel?: string;
  /** @default 'auto' */
  yScale?: AxisScale;
}

const DECISIONS: StoppingDecision[] = ['stopped', 'completed', 'best'];

/**
 * Early-stopping decisions over a set of learning curves: grey curves were stopped (a cross marks
 * where), blue ran to the end, the best is drawn in red.
 */
export function stoppingChart(curves: readonly StoppingCurve[], options: StoppingChartOptions = {}): VegaLiteSpec {
  const { xLabel = 'epoch', yLabel = 'validation loss', yScale = 'auto' } = options;
  curves.forEach((c, i) => {
    if (!DECISIONS.includes(c.decision)) throw new InputError(`stoppingChart: curves[${i}].decision must be one of ${DECISIONS.join(', ')}; got ${show(c.decision)}`, 'decision');
    requireFinite('stoppingChart', `curves[${i}].points`, c.points, ['step', 'value']);
  });
  const lines = curves.flatMap((c) => c.points.map((p) => ({ id: c.id, decision: c.decision, step: p.step, value: p.value })));
  const stops = curves
    .filter((c) => c.decision === 'stopped' && c.points.length > 0)
    .map((c) => {
      const at = c.stoppedAt ?? c.points[c.points.length - 1]!.step;
      const point = c.points.reduce((best, p) => (Math.abs(p.step - at) < Math.abs(best.step - at) ? p : best));
      return { id: c.id, decision: c.decision, step: point.step, value: point.value };
    });
  const sy = axisScale(
    lines.map((p) => p.value),
    yScale,
  );
  const x = { field: 'step', type: 'quantitative', title: xLabel };
  const y = { field: 'value', type: 'quantitative', title: yLabel, scale: sy, axis: axisFormat(sy) };
  const color = { field: 'decision', type: 'nominal', title: 'decision', scale: { domain: DECISIONS, range: ['#bbbbbb', '#4c78a8', '#e45756'] } };
  const counts = DECISIONS.map((d) => `${curves.filter((c) => c.decision === d).length} ${d}`).join(', ');
  const layers: Record<string, unknown>[] = [
    {
      data: { values: lines },
      mark: { type: 'line', strokeWidth: 1 },
      encoding: { x, y, color, detail: { field: 'id' }, order: { field: 'step' }, opacity: { condition: { test: "datum.decision === 'stopped'", value: 0.35 }, value: 0.9 } },
    },
  ];
  if (stops.length > 0)
    layers.push({ data: { values: stops }, mark: { type: 'point', shape: 'cross', size: 30, color: '#777' }, encoding: { x, y, tooltip: [{ field: 'id' }, { field: 'step', title: 'stopped at' }] } });
  const { title = `early stopping: ${counts}` } = options;
  return layered({ ...options, title }, layers);
}
