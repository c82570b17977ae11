import { formatNumber } from '../core/format.js';
import { dataConstrainedLoss } from '../laws/data-constrained.js';
import { InputError } from '../core/errors.js';
import { chartFileFormat, writeChartFile } from '../plot/chart-file.js';
import { dataConstrainedChart, type DataConstrainedChartData } from '../plot/data-constrained.js';
import { dataConstrainedOptimum, dataConstrainedReport, type DataConstrainedSummary } from './data-constrained.js';
import { chinchillaOptimal } from './optimal.js';

/** Options of `dataConstrainedChartData`. */
export interface DataConstrainedChartDataOptions {
  /** Points along each curve. @default 61 */
  points?: number;
}

/**
 * The data-constrained chart's data from the planner's summary (`dataConstrainedSummary`): both
 * frontiers from well before the limit binds to past where more compute stops paying (or 100x the
 * budget), and both laws against N at the budget, with the optima, U_N and the half-worth size.
 */
export function dataConstrainedChartData(s: DataConstrainedSummary, options: DataConstrainedChartDataOptions = {}): DataConstrainedChartData {
  const { points = 61 } = options;
  const { values, uniqueTokens: U } = s;
  const C = s.constrained.C;
  const f = (x: number) => formatNumber(x, 3);
  const c0 = Math.min(s.bindsFrom, C) / 30;
  const c1 = Math.max(C, s.stopsPaying?.C ?? C) * 30;
  const grid = (lo: number, hi: number) => Array.from({ length: points }, (_, i) => lo * (hi / lo) ** (i / (points - 1)));
  const frontier = grid(c0, c1).map((c) => ({ compute: c, constrained: dataConstrainedOptimum(values, c, U).loss, unconstrained: chinchillaOptimal(values, c).loss }));
  const Ns = [s.constrained.N, s.unconstrained.N, s.excessFrom];
  const n0 = Math.min(...Ns) / 10,
    n1 = Math.max(...Ns) * 10;
  const isoflop = grid(n0, n1).map((N) => {
    const D = C / (6 * N);
    return { N, constrained: dataConstrainedLoss(values, N, D, U), unconstrained: values.E + values.A / N ** values.alpha + values.B / D ** values.beta, epochs: D / U };
  });
  const frontierMarks = [
    { x: C, y: s.constrained.loss, label: `budget: N = ${f(s.constrained.N)}, ${formatNumber(s.constrained.epochs, 3)} epochs` },
    ...(s.bindsFrom < c1 && s.bindsFrom > c0 ? [{ x: s.bindsFrom, y: dataConstrainedOptimum(values, s.bindsFrom, U).loss, label: 'limit binds' }] : []),
    ...(s.stopsPaying ? [{ x: s.stopsPaying.C, y: s.stopsPaying.loss, label: `stops paying (< ${s.paysBelow * 100}% of fresh data's gain)` }] : []),
  ];
  const isoflopMarks = [
    { x: s.constrained.N, y: s.constrained.loss, label: `optimum on U: ${f(s.constrained.N)}` },
    ...(s.binding ? [{ x: s.unconstrained.N, y: s.unconstrained.loss, label: `unconstrained: ${f(s.unconstrained.N)}` }] : []),
  ];
  const rules = [
    { N: s.excessFrom, label: 'U_N (excess beyond)' },
    { N: s.halfWorth, label: 'worth under half beyond' },
  ].filter((r) => r.N > n0 && r.N < n1);
  return {
    frontier,
    isoflop,
    frontierMarks,
    isoflopMarks,
    rules,
    floor: s.floor,
    names: { constrained: `U = ${f(U)} unique tokens`, unconstrained: 'unlimited unique data (Chinchilla)' },
  };
}

/** Writes the data-constrained chart of a plan to `path` (.svg, .png, .html with the text report, or .json). */
export async function writeDataConstrainedChart(path: string, s: DataConstrainedSummary): Promise<void> {
  const spec = dataConstrainedChart(dataConstrainedChartData(s), { title: `Unique tokens U = ${formatNumber(s.uniqueTokens, 3)} at C = ${formatNumber(s.constrained.C, 3)} FLOPs` });
  await writeChartFile(path, spec, { title: 'scalelaw plan --unique-tokens', report: dataConstrainedReport(s) });
}

/** `plan --chart`, checked before any work: a chart extension, and --unique-tokens given. */
export function checkDataConstrainedChart(path: string | undefined, uniqueTokens: string | undefined): void {
  if (path === undefined) return;
  if (uniqueTokens === undefined) throw new InputError("--chart: draws the data-constrained plan; give --unique-tokens (the plan's own charts are in --html)", 'chart');
  chartFileFormat(path);
}
