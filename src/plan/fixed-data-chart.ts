import { formatNumber } from '../core/format.js';
import { chartFileFormat, writeChartFile } from '../plot/chart-file.js';
import { dataConstrainedChart } from '../plot/data-constrained.js';
import { stackCharts } from '../plot/downstream.js';
import { fixedDataChart, type AsymptoteRule, type FixedDataChartData, type FixedDataMark } from '../plot/fixed-data.js';
import type { VegaLiteSpec } from '../plot/spec.js';
import { dataConstrainedReport, type DataConstrainedSummary } from './data-constrained.js';
import { dataConstrainedChartData } from './data-constrained-chart.js';
import { fixedDataReport, predictAsymptoteFit, type Asymptote, type AsymptoteFit, type EnsembleScaling, type FixedDataComparison } from './infinite-compute.js';

/** What the fixed-data chart is drawn from: Kim et al.'s fits with the runs behind them, and the planner's comparison. */
export interface FixedDataChartInput {
  /** The comparison (`compareAtFixedData`): its candidates are marked with their intervals. */
  comparison?: FixedDataComparison;
  /** The regularised recipe's power law in N (`fitParameterScaling`) and the single-model runs it was fitted on. */
  parameters?: { fit: AsymptoteFit; runs?: readonly { N: number; loss: number }[] };
  /** The ensemble scaling (`fitEnsembleScaling`) and the ensemble runs it was fitted on. */
  ensembles?: { fit: EnsembleScaling; runs?: readonly { N: number; K: number; loss: number }[] };
  /**
   * K -> infinity asymptotes given as data (e.g. Kim et al.'s released ones, data/kim2025) with
   * their power law in N fitted by `fitParameterScaling`; used where `ensembles` has no joint fit.
   */
  asymptotes?: { fit: AsymptoteFit; points: readonly { N: number; loss: number }[] };
}

/** Options of `fixedDataChartData`. */
export interface FixedDataChartDataOptions {
  /** Points along each fitted curve. @default 41 */
  points?: number;
}

const f3 = (x: number) => formatNumber(x, 3);
const f4 = (x: number) => formatNumber(x, 4);

function rule(a: Asymptote, name: string): AsymptoteRule {
  const pct = Math.round(a.level * 100);
  return {
    value: a.value,
    ...(a.interval ? { lower: a.interval[0], upper: a.interval[1] } : {}),
    label: `${name} = ${f4(a.value)}${a.interval ? ` (${pct}%: ${f4(a.interval[0])} to ${f4(a.interval[1])})` : ' (no interval)'}`,
  };
}

/** The fitted law along a log grid from lo to hi, with its percentile band where the fit has resamples. */
function curve(fit: AsymptoteFit, lo: number, hi: number, points: number) {
  return Array.from({ length: points }, (_, i) => {
    const x = lo * (hi / lo) ** (i / (points - 1));
    const p = predictAsymptoteFit(fit, x);
    return { x, y: p.value, ...(p.interval ? { lower: p.interval[0], upper: p.interval[1] } : {}) };
  });
}

const series = (N: number) => `N = ${f3(N)}`;

/**
 * The fixed-data chart's data: the single-model runs with the regularised power law in N (from
 * half the smallest size to twice the largest, or to the "bigger model" candidate's N) and E_D;
 * each member size's ensembles with its law in K (K = 1 to the larger of the most members fitted
 * and the candidate's K) and E_N; the K -> infinity asymptotes with their intervals, the joint
 * power law in N and its limit beside E_D; and every candidate of the comparison with its interval.
 */
export function fixedDataChartData(input: FixedDataChartInput, options: FixedDataChartDataOptions = {}): FixedDataChartData {
  const { points = 41 } = options;
  const { comparison, parameters, ensembles, asymptotes } = input;
  const candidates = comparison?.candidates ?? [];
  const best = comparison ? comparison.candidates[comparison.best] : undefined;
  const marks: FixedDataMark[] = candidates.map((c) => ({
    recipe: c.recipe,
    label: (c.recipe === 'ensemble' ? `${c.K} members of ${f3(c.N)}` : `${c.recipe}: N = ${f3(c.N)}, ${formatNumber(c.epochs, 3)} ep`) + (c === best ? ' (lowest)' : ''),
    N: c.N,
    K: c.K,
    loss: c.loss,
    ...(c.interval ? { lower: c.interval[0], upper: c.interval[1] } : {}),
    ...(c.recipe === 'ensemble' ? { series: series(c.N) } : {}),
    ...(c === best ? { best: true } : {}),
  }));
  const data: FixedDataChartData = { candidates: marks };
  if (parameters) {
    const { fit, runs = [] } = parameters;
    const big = marks.filter((m) => m.recipe !== 'ensemble').map((m) => m.N);
    const lo = Math.min(fit.range[0], ...big) / 2;
    const hi = Math.max(fit.range[1], ...big) * 2;
    data.single = { runs: runs.map((r) => ({ N: r.N, loss: r.loss })), curve: curve(fit, lo, hi, points), asymptote: rule(fit.asymptote, 'E_D') };
  }
  if (ensembles) {
    const { fit, runs = [] } = ensembles;
    data.members = fit.members.map((m) => {
      const K = Math.max(m.range[1], ...marks.filter((c) => c.recipe === 'ensemble' && c.N === m.N).map((c) => c.K));
      return {
        series: series(m.N),
        N: m.N,
        runs: runs.filter((r) => r.N === m.N).map((r) => ({ K: r.K, loss: r.loss })),
        curve: curve(m, 1, K, points),
        asymptote: { value: m.asymptote.value, ...(m.asymptote.interval ? { lower: m.asymptote.interval[0], upper: m.asymptote.interval[1] } : {}) },
      };
    });
  }
  const reference = parameters ? rule(parameters.fit.asymptote, 'one model, E_D') : undefined;
  const joint = ensembles?.fit.joint;
  if (ensembles && ensembles.fit.members.length > 0) {
    const ms = ensembles.fit.members;
    data.joint = {
      points: ms.map((m) => ({ N: m.N, value: m.asymptote.value, ...(m.asymptote.interval ? { lower: m.asymptote.interval[0], upper: m.asymptote.interval[1] } : {}), series: series(m.N) })),
      curve: joint ? curve(joint, joint.range[0] / 2, joint.range[1] * 2, points) : [],
      ...(joint ? { asymptote: rule(joint.asymptote, 'N, K -> infinity') } : {}),
      ...(reference ? { reference } : {}),
    };
  } else if (asymptotes) {
    const { fit } = asymptotes;
    data.joint = {
      points: asymptotes.points.map((p) => ({ N: p.N, value: p.loss })),
      curve: curve(fit, fit.range[0] / 2, fit.range[1] * 2, points),
      asymptote: rule(fit.asymptote, 'N, K -> infinity'),
      ...(reference ? { reference } : {}),
    };
  }
  return data;
}

/** The fixed-data chart with its title: the comparison's budget where there is one. */
export function fixedDataChartSpec(input: FixedDataChartInput, title?: string): VegaLiteSpec {
  const c = input.comparison;
  const heading = title ?? (c ? `Kim et al. 2025 at U = ${f3(c.uniqueTokens)} unique tokens, ${f3(c.compute)} FLOPs` : 'Kim et al. 2025 at a fixed data budget');
  return fixedDataChart(fixedDataChartData(input), { title: heading });
}

/**
 * Writes `plan --compare-ensembles --chart`: the data-constrained chart of the plan on top (where
 * given) and the fixed-data chart under it, one file (.svg, .png, .html with both text reports, or
 * .json, the stacked Vega-Lite spec).
 */
export async function writeFixedDataChart(path: string, input: FixedDataChartInput, dataConstrained?: DataConstrainedSummary): Promise<void> {
  chartFileFormat(path);
  const fixed = fixedDataChartSpec(input);
  const charts = dataConstrained
    ? [dataConstrainedChart(dataConstrainedChartData(dataConstrained), { title: `Unique tokens U = ${f3(dataConstrained.uniqueTokens)} at C = ${f3(dataConstrained.constrained.C)} FLOPs` }), fixed]
    : [fixed];
  const reports = [...(dataConstrained ? [dataConstrainedReport(dataConstrained)] : []), ...(input.comparison ? [fixedDataReport(input.comparison)] : [])];
  await writeChartFile(path, stackCharts(charts), { title: 'scalelaw plan --unique-tokens --compare-ensembles', report: reports.join('\n\n') });
}
