import { axisFormat, axisScale, requireFinite } from './axes.js';
import { frame, layered, VEGA_LITE_SCHEMA, type ChartOptions, type VegaLiteSpec } from './spec.js';

/** A marked point with a label. */
export interface MarkedPoint {
  x: number;
  y: number;
  label: string;
}

/** What the data-constrained chart draws: the frontier over compute and the IsoFLOP curve at the budget, each beside the unconstrained law. */
export interface DataConstrainedChartData {
  /** The compute-optimal loss along compute: `constrained` on the unique tokens, `unconstrained` with unlimited fresh data. */
  frontier: readonly { compute: number; constrained: number; unconstrained: number }[];
  /** The loss against N at the budget's compute (D = C / 6N), both laws; `epochs` = D / U for the tooltip. */
  isoflop: readonly { N: number; constrained: number; unconstrained: number; epochs: number }[];
  /** Marks on the frontier panel: the budget's plan, where the limit starts to bind, where more compute stops paying. */
  frontierMarks: readonly MarkedPoint[];
  /** Marks on the IsoFLOP panel: each law's optimum at the budget. */
  isoflopMarks: readonly MarkedPoint[];
  /** Vertical rules on the IsoFLOP panel, in N: e.g. where parameters become excess. */
  rules: readonly { N: number; label: string }[];
  /** The loss no compute gets below on these unique tokens (a dashed rule on both panels). */
  floor?: number;
  /** Legend names of the two laws. @default 'data-constrained' and 'unlimited unique data' */
  names?: { constrained: string; unconstrained: string };
}

function strip(spec: VegaLiteSpec): Record<string, unknown> {
  const { $schema: _s, background: _b, config: _c, ...rest } = spec as unknown as Record<string, unknown>;
  return rest;
}

/**
 * The plan under a unique-token budget (Muennighoff et al. 2023): left, the compute-optimal loss
 * against compute on the unique tokens beside the unconstrained (Chinchilla) frontier, with the
 * loss floor, the compute where the limit starts to bind and where doubling stops paying; right,
 * loss against N at the budget for both laws, with each optimum and the sizes past which
 * parameters are excess (U_N) and worth under half a parameter.
 */
export function dataConstrainedChart(data: DataConstrainedChartData, options: ChartOptions = {}): VegaLiteSpec {
  const { frontier, isoflop, frontierMarks, isoflopMarks, rules, floor } = data;
  const { constrained: cName = 'data-constrained', unconstrained: uName = 'unlimited unique data' } = data.names ?? {};
  requireFinite('dataConstrainedChart', 'frontier', frontier, ['compute', 'constrained', 'unconstrained']);
  requireFinite('dataConstrainedChart', 'isoflop', isoflop, ['N', 'constrained', 'unconstrained', 'epochs']);
  requireFinite('dataConstrainedChart', 'frontierMarks', frontierMarks, ['x', 'y']);
  requireFinite('dataConstrainedChart', 'isoflopMarks', isoflopMarks, ['x', 'y']);
  requireFinite('dataConstrainedChart', 'rules', rules, ['N']);
  const { width = 340, height = 260 } = options;
  const color = { field: 'law', type: 'nominal', title: 'law', scale: { domain: [cName, uName], range: ['#e45756', '#4c78a8'] }, legend: { labelLimit: 320, orient: 'bottom' } };
  const long = <T>(rows: readonly T[], x: (r: T) => number, extra: (r: T) => Record<string, unknown> = () => ({})) =>
    rows.flatMap((r) => [
      { x: x(r), loss: (r as { constrained: number }).constrained, law: cName, ...extra(r) },
      { x: x(r), loss: (r as { unconstrained: number }).unconstrained, law: uName, ...extra(r) },
    ]);
  const floorLayer = (y: Record<string, unknown>) =>
    floor === undefined || !Number.isFinite(floor)
      ? []
      : [
          { data: { values: [{ floor, label: 'floor on these unique tokens' }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { y: { ...y, field: 'floor' } } },
          {
            data: { values: [{ floor, label: 'floor on these unique tokens' }] },
            mark: { type: 'text', align: 'left', baseline: 'top', dy: 3, x: 4, fontSize: 10, color: '#666' },
            encoding: { y: { ...y, field: 'floor' }, text: { field: 'label' } },
          },
        ];
  const marks = (values: readonly MarkedPoint[], x: Record<string, unknown>, y: Record<string, unknown>) =>
    values.length === 0
      ? []
      : [
          { data: { values }, mark: { type: 'point', shape: 'diamond', filled: true, size: 100, color: '#000' }, encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' } } },
          { data: { values }, mark: { type: 'text', align: 'left', dx: 7, dy: -9, fontSize: 10 }, encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, text: { field: 'label' } } },
        ];

  const fl = long(frontier, (r) => r.compute);
  const fy = axisScale([...fl.map((p) => p.loss), ...frontierMarks.map((m) => m.y), ...(floor !== undefined ? [floor] : [])]);
  const fx = axisScale([...fl.map((p) => p.x), ...frontierMarks.map((m) => m.x)], 'log');
  const x1 = { type: 'quantitative', title: 'training compute C (FLOPs)', scale: fx, axis: axisFormat(fx) };
  const y1 = { type: 'quantitative', title: 'compute-optimal loss', scale: fy, axis: axisFormat(fy) };
  const left = layered({ width, height, title: 'loss along the compute-optimal frontier' }, [
    { data: { values: fl }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x: { ...x1, field: 'x' }, y: { ...y1, field: 'loss' }, color } },
    ...floorLayer(y1),
    ...marks(frontierMarks, x1, y1),
  ]);

  const il = long(
    isoflop,
    (r) => r.N,
    (r) => ({ epochs: r.epochs }),
  );
  const iy = axisScale([...il.map((p) => p.loss), ...isoflopMarks.map((m) => m.y), ...(floor !== undefined ? [floor] : [])]);
  const ix = axisScale([...il.map((p) => p.x), ...isoflopMarks.map((m) => m.x), ...rules.map((r) => r.N)], 'log');
  const x2 = { type: 'quantitative', title: 'parameters N (at the budget, D = C / 6N)', scale: ix, axis: axisFormat(ix) };
  const y2 = { type: 'quantitative', title: 'loss', scale: iy, axis: axisFormat(iy) };
  const right = layered({ width, height, title: 'loss against N at the budget' }, [
    {
      data: { values: il },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { ...x2, field: 'x' },
        y: { ...y2, field: 'loss' },
        color,
        tooltip: [{ field: 'law' }, { field: 'x', title: 'N', format: '.3e' }, { field: 'epochs', format: '.3~g' }, { field: 'loss', format: '.4f' }],
      },
    },
    ...(rules.length > 0
      ? [
          { data: { values: rules }, mark: { type: 'rule', strokeDash: [2, 2], color: '#555' }, encoding: { x: { ...x2, field: 'N' } } },
          {
            data: { values: rules },
            mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -3, y: 0, fontSize: 10, color: '#444' },
            encoding: { x: { ...x2, field: 'N' }, text: { field: 'label' } },
          },
        ]
      : []),
    ...floorLayer(y2),
    ...marks(isoflopMarks, x2, y2),
  ]);
  const { width: _w, height: _h, ...head } = frame(options);
  return { ...head, $schema: VEGA_LITE_SCHEMA, hconcat: [strip(left), strip(right)], resolve: { scale: { color: 'shared' } } } as unknown as VegaLiteSpec;
}
