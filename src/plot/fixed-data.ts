import { InputError, show } from '../core/errors.js';
import { axisFormat, axisScale, requireFinite } from './axes.js';
import type { BandPoint } from './downstream.js';
import { frame, layered, VEGA_LITE_SCHEMA, type ChartOptions, type VegaLiteSpec } from './spec.js';

/** An asymptote drawn as a dashed rule, with its interval as a shaded band where known. */
export interface AsymptoteRule {
  value: number;
  lower?: number;
  upper?: number;
  /** Text beside the rule, e.g. 'E_D = 3.43 (90%: 3.41 to 3.45)'. */
  label: string;
}

/** One candidate of the comparison, drawn as a diamond with its interval as a bar. */
export interface FixedDataMark {
  /** 'more epochs' and 'bigger model' go on the panel in N; 'ensemble' on the panel in K. */
  recipe: 'more epochs' | 'bigger model' | 'ensemble';
  label: string;
  /** Parameters of the model (of each member, for an ensemble). */
  N: number;
  /** Members (1 for a single model). */
  K: number;
  loss: number;
  lower?: number;
  upper?: number;
  /** The member size's series (see `members`), for an ensemble's colour. */
  series?: string;
  /** The lowest predicted loss of the comparison. On the panel in K only this ensemble is labelled (the others are told apart by colour and K). @default false */
  best?: boolean;
}

/** What the fixed-data chart draws; each panel appears only where its data are given. */
export interface FixedDataChartData {
  /** The regularised single-model recipe: its runs, its power law in N with a band, and E_D. */
  single?: {
    runs: readonly { N: number; loss: number }[];
    /** The fitted L(N) = E_D + A / N^alpha, x = N. */
    curve: readonly BandPoint[];
    asymptote: AsymptoteRule;
  };
  /** Ensembles, one series per member size: runs against K, the law in K with a band, E_N. */
  members?: readonly {
    /** Legend name, e.g. 'N = 1.50e8'. */
    series: string;
    N: number;
    runs: readonly { K: number; loss: number }[];
    /** The fitted L_N(K) = E_N + A_N / K^alpha_N, x = K. */
    curve: readonly BandPoint[];
    asymptote: { value: number; lower?: number; upper?: number };
  }[];
  /** The asymptote of the asymptotes: each member size's E_N against N, their power law in N, and its limit. */
  joint?: {
    points: readonly { N: number; value: number; lower?: number; upper?: number; series?: string }[];
    /** The fitted E(N) = E + A / N^alpha over the K -> infinity asymptotes; empty where there is no joint fit. */
    curve: readonly BandPoint[];
    asymptote?: AsymptoteRule;
    /** A second rule for comparison, e.g. the single model's E_D. */
    reference?: AsymptoteRule;
  };
  /** The plan's candidates, each with its interval. */
  candidates?: readonly FixedDataMark[];
}

/** Layout of `fixedDataChart`; each panel defaults to 300 x 250 pixels. */
export interface FixedDataChartOptions extends ChartOptions {
  /** Panels per row: 2 keeps the chart within a report page's width, 3 puts them side by side. @default 2 */
  columns?: number;
}

const SINGLE = '#4c78a8';
const JOINT = '#e45756';
const MARK = '#000';

type Enc = Record<string, unknown>;

function strip(spec: VegaLiteSpec): Record<string, unknown> {
  const { $schema: _s, background: _b, config: _c, ...rest } = spec as unknown as Record<string, unknown>;
  return rest;
}

/** A fitted curve and its band (area) in one colour, or coloured by `series`. */
function curveLayers(values: readonly (BandPoint & { series?: string })[], x: Enc, y: Enc, color: Enc): Record<string, unknown>[] {
  const withBand = values.filter((p) => p.lower !== undefined && p.upper !== undefined);
  return [
    ...(withBand.length > 0
      ? [
          {
            data: { values: withBand },
            mark: { type: 'area', opacity: 0.18, clip: true },
            encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, ...color, detail: { field: 'series' } },
          },
        ]
      : []),
    { data: { values }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, ...color, detail: { field: 'series' } } },
  ];
}

/**
 * A dashed rule across the panel, its interval as a band behind it, and its label: at the left
 * just above (dy < 0) or below (dy > 0) the rule, or, with `corner` (the panel's width), in the
 * top right corner, "dashed: ...", where a curve falling towards its asymptote leaves room.
 */
function ruleLayers(rule: AsymptoteRule | undefined, y: Enc, color: string, dy = 3, corner?: number): Record<string, unknown>[] {
  if (!rule) return [];
  const values = [{ ...rule }];
  const label =
    corner !== undefined
      ? {
          data: { values: [{ label: `dashed: ${rule.label}` }] },
          mark: { type: 'text', align: 'right', baseline: 'top', x: corner - 4, y: 4, fontSize: 10, color },
          encoding: { text: { field: 'label' } },
        }
      : {
          data: { values },
          mark: { type: 'text', align: 'left', baseline: dy >= 0 ? 'top' : 'bottom', dy, x: 4, fontSize: 10, color },
          encoding: { y: { ...y, field: 'value' }, text: { field: 'label' } },
        };
  return [
    ...(rule.lower !== undefined && rule.upper !== undefined
      ? [{ data: { values }, mark: { type: 'rect', color, opacity: 0.12, clip: true }, encoding: { y: { ...y, field: 'lower' }, y2: { field: 'upper' } } }]
      : []),
    { data: { values }, mark: { type: 'rule', strokeDash: [5, 3], color }, encoding: { y: { ...y, field: 'value' } } },
    label,
  ];
}

/** Diamonds with their interval bars; labels on those with `labelled` set (alternating below and above, or beside). */
function markLayers(values: readonly Record<string, unknown>[], x: Enc, y: Enc, color: Enc, alternate: boolean): Record<string, unknown>[] {
  if (values.length === 0) return [];
  return [
    { data: { values }, mark: { type: 'rule', strokeWidth: 2, clip: true }, encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, ...color } },
    {
      data: { values },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 110, stroke: MARK, strokeWidth: 1 },
      encoding: {
        x: { ...x, field: 'x' },
        y: { ...y, field: 'loss' },
        ...color,
        tooltip: [{ field: 'label' }, { field: 'loss', format: '.4f' }, { field: 'lower', format: '.4f' }, { field: 'upper', format: '.4f' }],
      },
    },
    // Alternating labels below and above keep neighbours at a similar loss apart; a label in the
    // right part of the panel goes to the left of its diamond, so that it stays inside the panel.
    ...[0, 1].flatMap((side) =>
      [false, true].map((left) => ({
        data: { values: values.filter((v) => v.labelled).filter((v, i) => i % 2 === side && fraction(x, v.x as number) > 0.55 === left) },
        mark: { type: 'text', align: left ? 'right' : 'left', baseline: 'middle', dx: left ? -9 : 9, dy: alternate ? (side === 0 ? 12 : -12) : 0, fontSize: 10 },
        encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'loss' }, text: { field: 'label' } },
      })),
    ),
  ];
}

/** Where v lies along a log axis's domain, 0 at its left end and 1 at its right. */
function fraction(axis: Enc, v: number): number {
  const domain = (axis.scale as { domain?: [number, number] } | undefined)?.domain;
  if (!domain || !(domain[1] > domain[0])) return 0;
  return Math.log(v / domain[0]) / Math.log(domain[1] / domain[0]);
}

const ends = (p: { lower?: number; upper?: number }) => [p.lower, p.upper].filter((v): v is number => v !== undefined);

/**
 * A linear loss axis over `core` (values, fitted curves, asymptotes), widened to take in `extra`
 * (bands and intervals) by at most the core's own span either way: an interval that reaches 0 (a
 * limit the points do not bound) must not flatten the curves into a line; it is drawn clipped, and
 * its ends are in the rule's label.
 */
function lossScale(core: readonly number[], extra: readonly number[]): { type: 'linear'; domain: [number, number]; nice: false; zero: false } {
  const c = core.filter(Number.isFinite);
  const lo = Math.min(...c),
    hi = Math.max(...c);
  const span = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1) * 0.01;
  const e = extra.filter(Number.isFinite).map((v) => Math.min(Math.max(v, lo - span), hi + span));
  const [a, b] = [Math.min(lo, ...e), Math.max(hi, ...e)];
  // Room under the lowest point for a label below it.
  return { type: 'linear', domain: [a - 0.08 * (b - a), b + 0.03 * (b - a)], nice: false, zero: false };
}

/**
 * Kim et al. 2025 at a fixed budget of unique tokens, up to three panels, two to a row by default: the
 * regularised single-model recipe's loss against N with its fitted power law, band and asymptote
 * E_D (figure 3); each member size's ensembles against K with its law in K and K -> infinity
 * asymptote (figure 4); and those asymptotes against N with their own power law, whose limit is
 * the best loss on these tokens (figure 6), beside E_D. The plan's candidates ("more epochs",
 * "bigger model", "ensemble of K") are diamonds with their interval bars.
 */
export function fixedDataChart(data: FixedDataChartData, options: FixedDataChartOptions = {}): VegaLiteSpec {
  const { single, members = [], joint, candidates = [] } = data;
  const name = 'fixedDataChart';
  if (single) {
    requireFinite(name, 'single.runs', single.runs, ['N', 'loss']);
    requireFinite(name, 'single.curve', single.curve, ['x', 'y']);
    requireFinite(name, 'single.asymptote', [single.asymptote], ['value']);
  }
  members.forEach((m, i) => {
    requireFinite(name, `members[${i}].runs`, m.runs, ['K', 'loss']);
    requireFinite(name, `members[${i}].curve`, m.curve, ['x', 'y']);
    requireFinite(name, `members[${i}].asymptote`, [m.asymptote], ['value']);
  });
  if (joint) {
    requireFinite(name, 'joint.points', joint.points, ['N', 'value']);
    requireFinite(name, 'joint.curve', joint.curve, ['x', 'y']);
  }
  requireFinite(name, 'candidates', candidates, ['N', 'K', 'loss']);
  const { width = 300, height = 250, columns = 2 } = options;
  if (!(Number.isInteger(columns) && columns >= 1)) throw new InputError(`${name}: columns must be a positive integer; got ${show(columns)}`, 'columns');
  const seriesOrder = members.map((m) => m.series);
  const seriesColor = { color: { field: 'series', type: 'nominal', title: 'ensemble members', scale: { domain: seriesOrder }, legend: { orient: 'bottom', labelLimit: 200 } } };
  const fixed = (c: string) => ({ color: { value: c } });
  const mark = (c: FixedDataMark, x: number, labelled: boolean) => ({ x, loss: c.loss, lower: c.lower ?? c.loss, upper: c.upper ?? c.loss, label: c.label, series: c.series ?? c.recipe, labelled });
  const panels: Record<string, unknown>[] = [];

  const singles = candidates.filter((c) => c.recipe !== 'ensemble');
  if (single || singles.length > 0) {
    const curve = single?.curve ?? [];
    const runs = single?.runs ?? [];
    const sx = axisScale([...runs.map((r) => r.N), ...curve.map((p) => p.x), ...singles.map((c) => c.N)], 'log');
    const sy = lossScale(
      [...runs.map((r) => r.loss), ...curve.map((p) => p.y), ...singles.map((c) => c.loss), ...(single ? [single.asymptote.value] : [])],
      [...curve.flatMap(ends), ...singles.flatMap(ends), ...(single ? ends(single.asymptote) : [])],
    );
    const x = { type: 'quantitative', title: 'parameters N', scale: sx, axis: axisFormat(sx) };
    const y = { type: 'quantitative', title: 'loss', scale: sy, axis: axisFormat(sy) };
    panels.push(
      strip(
        layered({ width, height, title: 'one model: loss against N' }, [
          ...ruleLayers(single?.asymptote, y, SINGLE, -3, width),
          ...curveLayers(curve, x, y, fixed(SINGLE)),
          ...(runs.length > 0 ? [{ data: { values: runs }, mark: { type: 'point', filled: true, size: 45, color: SINGLE }, encoding: { x: { ...x, field: 'N' }, y: { ...y, field: 'loss' } } }] : []),
          ...markLayers(
            singles.map((c) => mark(c, c.N, true)),
            x,
            y,
            fixed(MARK),
            true,
          ),
        ]),
      ),
    );
  }

  const ensembles = candidates.filter((c) => c.recipe === 'ensemble');
  if (members.length > 0 || ensembles.length > 0) {
    const curve = members.flatMap((m) => m.curve.map((p) => ({ ...p, series: m.series })));
    const runs = members.flatMap((m) => m.runs.map((r) => ({ ...r, series: m.series })));
    const rules = members.map((m) => ({ ...m.asymptote, series: m.series }));
    const sx = axisScale([...runs.map((r) => r.K), ...curve.map((p) => p.x), ...ensembles.map((c) => c.K)], 'log');
    const sy = lossScale([...runs.map((r) => r.loss), ...curve.map((p) => p.y), ...rules.map((r) => r.value), ...ensembles.map((c) => c.loss)], [...curve.flatMap(ends), ...ensembles.flatMap(ends)]);
    const x = { type: 'quantitative', title: 'members K (logits averaged)', scale: sx, axis: axisFormat(sx) };
    const y = { type: 'quantitative', title: 'loss', scale: sy, axis: axisFormat(sy) };
    panels.push(
      strip(
        layered({ width, height, title: 'ensembles: loss against K' }, [
          ...(rules.length > 0 ? [{ data: { values: rules }, mark: { type: 'rule', strokeDash: [5, 3], opacity: 0.8 }, encoding: { y: { ...y, field: 'value' }, ...seriesColor } }] : []),
          ...curveLayers(curve, x, y, seriesColor),
          ...(runs.length > 0 ? [{ data: { values: runs }, mark: { type: 'point', filled: true, size: 40 }, encoding: { x: { ...x, field: 'K' }, y: { ...y, field: 'loss' }, ...seriesColor } }] : []),
          ...markLayers(
            // Ensembles are told apart by colour (member size) and position (K); only the best is labelled.
            ensembles.map((c) => mark(c, c.K, c.best === true || ensembles.length === 1)),
            x,
            y,
            seriesColor,
            false,
          ),
        ]),
      ),
    );
  }

  if (joint && (joint.points.length > 0 || joint.curve.length > 0)) {
    const points = joint.points.map((p) => ({ ...p, lower: p.lower ?? p.value, upper: p.upper ?? p.value, series: p.series ?? 'K -> infinity asymptote' }));
    const sx = axisScale([...points.map((p) => p.N), ...joint.curve.map((p) => p.x)], 'log');
    const sy = lossScale(
      [...points.map((p) => p.value), ...joint.curve.map((p) => p.y), ...[joint.asymptote, joint.reference].flatMap((r) => (r ? [r.value] : []))],
      [...points.flatMap((p) => [p.lower, p.upper]), ...joint.curve.flatMap(ends), ...[joint.asymptote, joint.reference].flatMap((r) => (r ? ends(r) : []))],
    );
    const x = { type: 'quantitative', title: 'parameters N of each member', scale: sx, axis: axisFormat(sx) };
    const y = { type: 'quantitative', title: 'loss as K -> infinity', scale: sy, axis: axisFormat(sy) };
    const pointColor = members.length > 0 ? seriesColor : fixed(JOINT);
    panels.push(
      strip(
        layered({ width, height, title: 'K -> infinity asymptotes in N' }, [
          ...ruleLayers(joint.reference, y, SINGLE, -3),
          ...ruleLayers(joint.asymptote, y, JOINT),
          ...curveLayers(joint.curve, x, y, fixed(JOINT)),
          { data: { values: points }, mark: { type: 'rule', strokeWidth: 2, clip: true }, encoding: { x: { ...x, field: 'N' }, y: { ...y, field: 'lower' }, y2: { field: 'upper' }, ...pointColor } },
          { data: { values: points }, mark: { type: 'point', filled: true, size: 60 }, encoding: { x: { ...x, field: 'N' }, y: { ...y, field: 'value' }, ...pointColor } },
        ]),
      ),
    );
  }
  if (panels.length === 0) throw new InputError(`${name}: nothing to draw: give single, members, joint or candidates`, 'data');
  const { width: _w, height: _h, ...head } = frame(options);
  return { ...head, $schema: VEGA_LITE_SCHEMA, concat: panels, columns, resolve: { scale: { color: 'shared' } } } as unknown as VegaLiteSpec;
}
