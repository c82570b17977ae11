import { axisFormat, axisScale, requireFinite } from './axes.js';
import { frame, layered, VEGA_LITE_SCHEMA, type ChartOptions, type VegaLiteSpec } from './spec.js';

/** A value along a curve with an optional band. */
export interface BandPoint {
  x: number;
  y: number;
  lower?: number;
  upper?: number;
}

/** What the downstream chart draws for one task: both steps of the chained prediction and the target. */
export interface DownstreamChartData {
  /** Step 2's checkpoints: task loss and accuracy; `series` colours them (e.g. the run's size). */
  checkpoints: readonly { taskLoss: number; accuracy: number; series?: string }[];
  /** The fitted sigmoid along task loss (x), with its band. */
  sigmoid: readonly BandPoint[];
  /** Each proxy run at its training compute (x, FLOPs) with its final accuracy (y). */
  runs: readonly { compute: number; accuracy: number; series?: string }[];
  /** The chained prediction along compute (x, FLOPs), with its band. */
  chain: readonly BandPoint[];
  /** The target: its compute, predicted task loss and accuracy, each with an optional interval. */
  target: {
    compute: number;
    taskLoss: number;
    taskLossLower?: number;
    taskLossUpper?: number;
    accuracy: number;
    lower?: number;
    upper?: number;
    label: string;
  };
  /** Chance accuracy, drawn as a dotted rule. @default none */
  chance?: number;
}

/** Axis titles and captions of `downstreamChart`; panels default to 340 x 260 pixels. */
export interface DownstreamChartOptions extends ChartOptions {
  /** @default 'task loss (bits per byte)' */
  taskLossLabel?: string;
  /** @default 'accuracy' */
  accuracyLabel?: string;
  /** Caption of the compute panel's line, e.g. 'at the target's D/N'. @default 'chained prediction' */
  chainLabel?: string;
  /** Legend title of `series`. @default 'run' */
  seriesLabel?: string;
}

function band(values: readonly BandPoint[], x: Record<string, unknown>, y: Record<string, unknown>): Record<string, unknown>[] {
  const withBand = values.filter((p) => p.lower !== undefined && p.upper !== undefined);
  const layers: Record<string, unknown>[] = [];
  if (withBand.length > 0)
    layers.push({
      data: { values: withBand.map((p) => ({ x: p.x, lower: p.lower, upper: p.upper })) },
      mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
      encoding: { x, y: { ...y, field: 'lower' }, y2: { field: 'upper' } },
    });
  layers.push({ data: { values: values.map((p) => ({ x: p.x, y: p.y })) }, mark: { type: 'line', color: '#e45756', strokeWidth: 2 }, encoding: { x, y } });
  return layers;
}

function panel(options: ChartOptions, layers: Record<string, unknown>[]): Record<string, unknown> {
  const { $schema: _s, background: _b, config: _c, ...rest } = layered(options, layers) as unknown as Record<string, unknown>;
  return rest;
}

/**
 * The two-step downstream prediction of one task (Bhagia et al. 2024, Fig. 1 and 3): left, step 2,
 * accuracy against task loss with the checkpoints, the fitted sigmoid and its band, and the target
 * at its predicted task loss (bars: both intervals); right, accuracy against training compute with
 * each proxy run, the chained prediction and its band, and the target with its interval.
 */
export function downstreamChart(data: DownstreamChartData, options: DownstreamChartOptions = {}): VegaLiteSpec {
  const { taskLossLabel = 'task loss (bits per byte)', accuracyLabel = 'accuracy', chainLabel = 'chained prediction', seriesLabel = 'run', width = 340, height = 260 } = options;
  const { checkpoints, sigmoid, runs, chain, target, chance } = data;
  requireFinite('downstreamChart', 'checkpoints', checkpoints, ['taskLoss', 'accuracy']);
  requireFinite('downstreamChart', 'sigmoid', sigmoid, ['x', 'y']);
  requireFinite('downstreamChart', 'runs', runs, ['compute', 'accuracy']);
  requireFinite('downstreamChart', 'chain', chain, ['x', 'y']);
  requireFinite('downstreamChart', 'target', [target], ['compute', 'taskLoss', 'accuracy']);
  const t = {
    ...target,
    taskLossLower: target.taskLossLower ?? target.taskLoss,
    taskLossUpper: target.taskLossUpper ?? target.taskLoss,
    lower: target.lower ?? target.accuracy,
    upper: target.upper ?? target.accuracy,
  };
  const accuracies = [
    ...checkpoints.map((p) => p.accuracy),
    ...runs.map((p) => p.accuracy),
    ...[...sigmoid, ...chain].flatMap((p) => [p.y, p.lower ?? p.y, p.upper ?? p.y]),
    t.lower,
    t.upper,
    ...(chance !== undefined ? [chance] : []),
  ];
  const sa = axisScale(accuracies, 'linear');
  const acc = { type: 'quantitative', title: accuracyLabel, scale: { ...sa, domain: [Math.max(0, Math.min(...accuracies) - 0.02), Math.min(1, Math.max(...accuracies) + 0.02)] } };
  const hasSeries = checkpoints.some((p) => p.series !== undefined) || runs.some((p) => p.series !== undefined);
  // Series in the order they first appear (runs, then checkpoints), not alphabetically.
  const order = [...new Set([...runs, ...checkpoints].map((p) => p.series).filter((s): s is string => s !== undefined))];
  const color = hasSeries ? { color: { field: 'series', type: 'nominal', title: seriesLabel, scale: { domain: order } } } : { color: { value: '#555' } };
  // A rule with only a y encoding spans the panel: chance level.
  const chanceRule = chance === undefined ? [] : [{ data: { values: [{ chance }] }, mark: { type: 'rule', strokeDash: [2, 3], color: '#888' }, encoding: { y: { ...acc, field: 'chance' } } }];
  const targetLayers = (x: Record<string, unknown>, xField: string, xLower?: string, xUpper?: string) => {
    const values = [t];
    return [
      { data: { values }, mark: { type: 'rule', color: '#000', strokeWidth: 2 }, encoding: { x: { ...x, field: xField }, y: { ...acc, field: 'lower' }, y2: { field: 'upper' } } },
      ...(xLower && xUpper
        ? [{ data: { values }, mark: { type: 'rule', color: '#000', strokeWidth: 2 }, encoding: { x: { ...x, field: xLower }, x2: { field: xUpper }, y: { ...acc, field: 'accuracy' } } }]
        : []),
      { data: { values }, mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: '#000' }, encoding: { x: { ...x, field: xField }, y: { ...acc, field: 'accuracy' } } },
      { data: { values }, mark: { type: 'text', align: 'right', dx: -8, dy: -10, fontSize: 11 }, encoding: { x: { ...x, field: xField }, y: { ...acc, field: 'accuracy' }, text: { field: 'label' } } },
    ];
  };

  // Left: step 2.
  const sl = axisScale([...checkpoints.map((p) => p.taskLoss), ...sigmoid.map((p) => p.x), t.taskLossLower, t.taskLossUpper], 'linear');
  const lx = { type: 'quantitative', title: taskLossLabel, scale: sl, axis: axisFormat(sl) };
  const left = panel({ width, height, title: 'step 2: accuracy from task loss' }, [
    ...band(sigmoid, { ...lx, field: 'x' }, { ...acc, field: 'y' }),
    {
      data: { values: checkpoints.map((p) => ({ ...p, series: p.series ?? 'checkpoint' })) },
      mark: { type: 'point', filled: true, size: 16, opacity: 0.55 },
      encoding: { x: { ...lx, field: 'taskLoss' }, y: { ...acc, field: 'accuracy' }, ...color },
    },
    ...chanceRule,
    ...targetLayers(lx, 'taskLoss', 'taskLossLower', 'taskLossUpper'),
  ]);

  // Right: compute to accuracy through both steps.
  const sc = axisScale([...runs.map((p) => p.compute), ...chain.map((p) => p.x), t.compute], 'log');
  const cx = { type: 'quantitative', title: 'training compute C = 6ND (FLOPs)', scale: sc, axis: axisFormat(sc) };
  const right = panel({ width, height, title: `steps 1 and 2: accuracy from compute (line: ${chainLabel})` }, [
    ...band(chain, { ...cx, field: 'x' }, { ...acc, field: 'y' }),
    {
      data: { values: runs.map((p) => ({ ...p, series: p.series ?? 'run' })) },
      mark: { type: 'point', filled: true, size: 40, opacity: 0.85 },
      encoding: { x: { ...cx, field: 'compute' }, y: { ...acc, field: 'accuracy' }, ...color },
    },
    ...chanceRule,
    ...targetLayers(cx, 'compute'),
  ]);
  const { width: _w, height: _h, ...head } = frame(options);
  return { ...head, $schema: VEGA_LITE_SCHEMA, hconcat: [left, right], resolve: { scale: { color: 'shared' } } } as unknown as VegaLiteSpec;
}

/** Charts one under another in one spec (several tasks in one file), each keeping its own scales. */
export function stackCharts(charts: readonly VegaLiteSpec[], options: ChartOptions = {}): VegaLiteSpec {
  if (charts.length === 1) return charts[0]!;
  const parts = charts.map((c) => {
    const { $schema: _s, background: _b, config: _c, ...rest } = c as unknown as Record<string, unknown>;
    return rest;
  });
  const { width: _w, height: _h, ...head } = frame(options);
  return { ...head, vconcat: parts, resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } } } as unknown as VegaLiteSpec;
}
