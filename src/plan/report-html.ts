import { InputError } from '../core/errors.js';
import type { ScalingFit } from '../fit/result.js';
import { formatNumber } from '../core/format.js';
import { quantile } from '../core/stats.js';
import { htmlPage, type HtmlSection } from '../plot/html.js';
import { isoflopChart } from '../plot/isoflop.js';
import { scalingChart } from '../plot/scaling.js';
import type { VegaLiteSpec } from '../plot/spec.js';
import { drawAt, optimumAt, type Estimate, type PlanRecord } from './planner.js';
import { planReport, withInterval } from './plan-report.js';
import { honestFitReport } from './honesty.js';
import { withBatchSensitivity } from './batch-sensitivity.js';
import { dataConstrainedReport, type DataConstrainedSummary } from './data-constrained.js';
import { dataConstrainedChartData } from './data-constrained-chart.js';
import { planSensitivity, type Sensitivity, type SensitivityRow } from './sensitivity.js';
import { dataConstrainedChart } from '../plot/data-constrained.js';
import { fixedDataChartSpec, type FixedDataChartInput } from './fixed-data-chart.js';
import type { FixedDataComparison } from './infinite-compute.js';

export interface PlanChartsOptions {
  /** Observations the scaling fit was made from, drawn with the law. @default none */
  observations?: readonly { N: number; D: number; loss: number }[];
  /** Decades of compute below the budget that the charts cover. @default 4 */
  decades?: number;
  /** A loss no model beats (an entropy rate): the band of the frontier is clipped to it. @default none */
  floor?: number;
}

/**
 * The plan's charts: the compute-optimal frontier L_opt(C) with its bootstrap band and the planned
 * run marked, and IsoFLOP curves at budgets up to the planned one with their optima.
 */
export function planCharts(plan: PlanRecord, scaling: ScalingFit, options: PlanChartsOptions = {}): VegaLiteSpec[] {
  const { observations = [], decades = 4, floor = -Infinity } = options;
  const C = plan.budget.compute;
  const minObserved = observations.length ? Math.min(...observations.map((o) => 6 * o.N * o.D)) : C / 10 ** decades;
  const lowC = Math.min(minObserved, C / 10 ** decades) / 2;
  const grid = Array.from({ length: 41 }, (_, i) => lowC * ((2 * C) / lowC) ** (i / 40));
  const samples = (scaling.bootstrap?.samples ?? []).map((s) => Float64Array.from(s));
  const level = plan.level;
  const law = grid.map((c) => {
    const y = optimumAt(scaling.law, scaling.vector(), c).loss;
    if (samples.length < 2) return { x: c, y };
    const draws = samples
      .map((p) => drawAt(scaling.law, p, c).loss)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    if (draws.length < 2) return { x: c, y };
    const upper = quantile(draws, (1 + level) / 2);
    return { x: c, y, lower: Math.min(Math.max(quantile(draws, (1 - level) / 2), floor), upper), upper };
  });
  const loss: Estimate = plan.model.loss;
  const frontier = scalingChart(
    {
      points: observations.map((o) => ({ x: 6 * o.N * o.D, y: o.loss })),
      law,
      highlights: [{ x: C, y: loss.value, lower: loss.lower, upper: loss.upper, label: `planned: N = ${formatNumber(plan.model.N.value, 3)}, D = ${formatNumber(plan.model.D.value, 3)}` }],
    },
    { title: `Compute-optimal loss (${scaling.law}${samples.length > 1 ? `, ${Math.round(level * 100)}% band` : ''})`, xLabel: 'training compute C = 6ND (FLOPs)' },
  );
  const budgets = Array.from({ length: Math.min(decades, 4) + 1 }, (_, i) => C / 10 ** (Math.min(decades, 4) - i));
  const curves = budgets.flatMap((c) => {
    const opt = optimumAt(scaling.law, scaling.vector(), c);
    return Array.from({ length: 41 }, (_, i) => opt.N * 10 ** (-1 + i / 20)).map((N) => ({ compute: c, N, loss: scaling.predict({ N, D: c / (6 * N) })[0]! }));
  });
  const optima = budgets.map((c) => {
    const opt = optimumAt(scaling.law, scaling.vector(), c);
    return c === C ? { compute: c, N: opt.N, loss: opt.loss, lower: plan.model.N.lower, upper: plan.model.N.upper } : { compute: c, N: opt.N, loss: opt.loss };
  });
  const isoflop = isoflopChart({ curves, optima }, { title: 'IsoFLOP curves of the fitted law; diamonds: optimal N (bar: interval at the budget)', panels: 'auto' });
  return [frontier, isoflop];
}

/** Extra sections a caller (the demo) adds to the page: the data and analyses behind the fits. */
export interface PlanHtmlOptions extends PlanChartsOptions {
  /** Page title. @default 'scalelaw plan' */
  title?: string;
  sections?: HtmlSection[];
  /** The plan under a unique-token budget (`dataConstrainedSummary`): a section with its chart. @default none */
  dataConstrained?: DataConstrainedSummary;
  /**
   * The sensitivity table (`planSensitivity`). @default computed from a chinchilla scaling fit (with
   * R_D* and R_N* of `dataConstrained` where given); none for other laws
   */
  sensitivity?: Sensitivity;
  /**
   * The comparison at a fixed unique-token budget (`compareAtFixedData`) with the fits and runs
   * behind it: a "Fixed data budget" section with the candidates, the asymptotes and the chart. @default none
   */
  fixedData?: FixedDataChartInput & { comparison: FixedDataComparison };
}

/**
 * The page's sensitivity section: which assumption moves the plan's N and loss most, largest
 * first: E, alpha and beta by one standard error, R_D* and R_N* halved and doubled under a
 * unique-token budget, and a batch of 2 and 4 x B_crit where the plan has a critical batch.
 */
export function sensitivitySection(plan: PlanRecord, scaling: ScalingFit, options: Pick<PlanHtmlOptions, 'dataConstrained' | 'sensitivity'> = {}): HtmlSection | undefined {
  const dc = options.dataConstrained;
  let s = options.sensitivity;
  if (!s && scaling.law === 'chinchilla') {
    try {
      s = planSensitivity(scaling, plan.budget.compute, dc ? { uniqueTokens: dc.uniqueTokens, repetition: { RD: dc.values.RD, RN: dc.values.RN, source: dc.source } } : {});
    } catch (error) {
      // A fit whose values admit no optimum (a zero exponent) gets a line, not a failed page.
      if (!(error instanceof InputError)) throw error;
      return { heading: 'What moves the answer most', paragraphs: [`Not available: ${error.message}.`] };
    }
  }
  if (!s) return undefined;
  s = withBatchSensitivity(s, plan, scaling);
  const rows: SensitivityRow[] = s.rows;
  const notAssessed = s.notAssessed;
  const batch = rows.filter((r) => r.assumption === 'batch size above the critical batch');
  const signed = (x: number, digits: number) => `${x >= 0 ? '+' : ''}${formatNumber(x, digits)}`;
  return {
    heading: 'What moves the answer most',
    paragraphs: [
      `The plan's N = ${formatNumber(s.base.N, 3)} and loss ${formatNumber(s.base.loss, 4)} recomputed with one assumption moved at a time, largest change in loss first.`,
      `${s.note}.`,
      ...(batch.length > 0
        ? [
            'Batch rows: the same N and tokens spent at a larger batch, worth D (1 + B0 / B_crit) / (1 + B / B_crit) tokens at the planned batch B0 (McCandlish et al. 2018, E = E_min (1 + B / B_crit)).',
          ]
        : []),
      ...notAssessed.map((n) => `Not assessed: ${n}.`),
    ],
    table: {
      header: ['assumption', 'moved', 'N', 'change in N', 'loss', 'change in loss'],
      rows: rows.map((r) => [r.assumption, r.setting, formatNumber(r.N, 3), `${signed(r.relativeN * 100, 3)}%`, formatNumber(r.loss, 4), signed(r.deltaLoss, 3)]),
    },
  };
}

/** The page's section for a unique-token budget: the two plans side by side, the chart and the report's lines. */
export function dataConstrainedSection(s: DataConstrainedSummary): HtmlSection {
  const row = (name: string, a: DataConstrainedSummary['constrained']) => [name, formatNumber(a.N, 3), formatNumber(a.D, 3), formatNumber(a.epochs, 3), formatNumber(a.loss, 4)];
  return {
    heading: `Unique tokens: ${formatNumber(s.uniqueTokens, 3)}`,
    paragraphs: [
      s.binding
        ? 'The limit binds: the unconstrained optimum needs more tokens than are unique, so the plan repeats data (Muennighoff et al. 2023).'
        : 'The limit does not bind: the unconstrained optimum fits in the unique tokens, so the two plans agree.',
    ],
    table: { header: ['plan', 'N', 'D', 'epochs of U', 'loss'], rows: [row('data-constrained', s.constrained), row('unconstrained (Chinchilla)', s.unconstrained)] },
    charts: [
      {
        spec: dataConstrainedChart(dataConstrainedChartData(s), { title: 'The plan on limited unique data' }),
        caption: 'Left: the compute-optimal loss on these unique tokens beside unlimited fresh data. Right: loss against N at the budget, with U_N (beyond it parameters are excess).',
      },
    ],
    pre: dataConstrainedReport(s),
  };
}

/**
 * The page's section for a fixed unique-token budget (Kim et al. 2025): each way of spending the
 * compute with its predicted loss, interval and limit, the asymptotes with their intervals, every
 * warning, and the fixed-data chart where the fits are given.
 */
export function fixedDataSection(input: FixedDataChartInput & { comparison: FixedDataComparison }): HtmlSection {
  const c = input.comparison;
  const pct = `${Math.round(c.level * 100)}%`;
  const f3 = (x: number) => formatNumber(x, 3);
  const f4 = (x: number) => formatNumber(x, 4);
  const interval = (i?: readonly [number, number]) => (i ? `${f4(i[0])} to ${f4(i[1])}` : 'none');
  const best = c.candidates[c.best]!;
  const limit = (name: string, a: { value: number; interval?: [number, number] }) => `${name}: ${f4(a.value)}, ${pct} interval ${interval(a.interval)}.`;
  const warnings = [...new Set([...c.warnings, ...c.candidates.flatMap((x) => x.warnings.map((w) => `${x.recipe}: ${w}`))])];
  const hasChart = input.parameters !== undefined || input.ensembles !== undefined || input.asymptotes !== undefined;
  return {
    heading: 'Fixed data budget',
    paragraphs: [
      `At U = ${f3(c.uniqueTokens)} unique tokens and ${f3(c.compute)} FLOPs, each way of spending the compute: "more epochs" on Muennighoff et al. 2023's data-constrained law, "bigger model" on the regularised recipe's power law in N and "ensemble of K" on each member size's law in K (Kim et al. 2025). Intervals are central ${pct} intervals over resampled fits; the limit is the loss the recipe approaches with unlimited compute on these tokens.`,
      `Lowest predicted loss: ${best.recipe}, ${best.description}: ${f4(best.loss)}, ${pct} interval ${interval(best.interval)}.`,
      ...(c.regularized ? [limit('Best loss one model reaches on these tokens (regularised recipe, N -> infinity), E_D', c.regularized)] : []),
      ...(c.joint ? [limit('Ensembles as N, K -> infinity (the asymptote of the K -> infinity asymptotes)', c.joint)] : []),
      ...warnings.map((w) => `Warning: ${w}.`),
    ],
    table: {
      header: ['recipe', 'what is trained', 'N', 'K', 'epochs', 'FLOPs', 'loss', `${pct} interval`, 'limit', `limit ${pct} interval`],
      rows: c.candidates.map((x, i) => [
        `${x.recipe}${i === c.best ? ' (lowest)' : ''}`,
        x.description,
        f3(x.N),
        x.K,
        formatNumber(x.epochs, 3),
        f3(x.compute),
        f4(x.loss),
        interval(x.interval),
        x.limit ? f4(x.limit.value) : '-',
        x.limit ? interval(x.limit.interval) : '-',
      ]),
    },
    ...(hasChart
      ? {
          charts: [
            {
              spec: fixedDataChartSpec(input, 'At a fixed unique-token budget'),
              caption:
                "In order, where their fits are given: one model of the regularised recipe against N, its fitted power law with its band and asymptote E_D; each member size's ensembles against K, the law in K and its K -> infinity asymptote (dashed); those asymptotes against N, their power law and its limit beside E_D. Diamonds: the plan's candidates, bars: their intervals.",
            },
          ],
        }
      : {}),
  };
}

/** The plan as a self-contained HTML page: summary table, charts and the text report. */
export async function planHtml(plan: PlanRecord, scaling: ScalingFit, options: PlanHtmlOptions = {}): Promise<string> {
  const { title = 'scalelaw plan', sections = [] } = options;
  const fmt = (e: Estimate) => withInterval(e, 3).replace('  [', ' [');
  const rows: (string | number)[][] = [
    ['compute budget (FLOPs)', formatNumber(plan.budget.compute, 3)],
    ['parameters N', fmt(plan.model.N)],
    ['tokens D', fmt(plan.model.D)],
    ['tokens per parameter', formatNumber(plan.model.tokensPerParameter, 3)],
    ['final loss (nats/token)', fmt(plan.model.loss)],
  ];
  const q = plan.model.predictive;
  if (q)
    rows.push([
      'predictive interval (a new run)',
      `[${formatNumber(q.lower, 4)}, ${formatNumber(q.upper, 4)}]: within the backtest's ${Math.round(plan.level * 100)}% error quantile (${(q.errorQuantile * 100).toFixed(2)}%)`,
    ]);
  if (plan.backtest) {
    const b = plan.backtest;
    rows.push([
      'backtest: mean relative error',
      `${(b.meanRelativeError * 100).toFixed(2)}% over ${b.heldOut} held-out runs${b.coverage !== undefined ? `; ${Math.round(b.level * 100)}% intervals covered ${(b.coverage * 100).toFixed(1)}%` : ''}`,
    ]);
  }
  if (plan.batch?.critical) rows.push(['critical batch (tokens)', fmt(plan.batch.critical)]);
  if (plan.batch) rows.push(['recommended batch', `${plan.batch.recommendedSequences} x ${plan.batch.seqLen} tokens`]);
  if (plan.learningRate) rows.push(['peak learning rate', formatNumber(plan.learningRate.value, 3)]);
  if (plan.steps !== undefined) rows.push(['optimizer steps', plan.steps.toLocaleString('en-US')]);
  if (plan.schedule) rows.push(['best schedule', plan.schedule.best], ['gain over cosine (nats/token)', formatNumber(plan.schedule.gainOverCosine, 3)]);
  if (plan.budget.gpuHours !== undefined) rows.push(['GPU-hours', formatNumber(plan.budget.gpuHours, 4)], ['wall-clock (hours)', formatNumber(plan.budget.wallHours!, 4)]);
  if (plan.budget.cost !== undefined) rows.push(['cost', formatNumber(plan.budget.cost, 4)]);
  const charts = planCharts(plan, scaling, options);
  const sensitivity = sensitivitySection(plan, scaling, options);
  return htmlPage(
    title,
    [
      {
        heading: 'Plan',
        paragraphs: [
          `Intervals are central ${Math.round(plan.level * 100)}% bootstrap intervals where the fits carry a bootstrap.`,
          ...plan.warnings.map((w) => `Warning: ${w}.`),
          ...(plan.backtest ? [`Backtest: ${plan.backtest.summary}.`] : []),
        ],
        table: { header: ['quantity', 'value'], rows },
      },
      {
        heading: 'Scaling law',
        charts: charts.map((spec) => ({ spec })),
        pre: honestFitReport(scaling, options.floor !== undefined ? { value: options.floor, source: 'the known floor' } : undefined),
      },
      ...(options.dataConstrained ? [dataConstrainedSection(options.dataConstrained)] : []),
      ...(options.fixedData ? [fixedDataSection(options.fixedData)] : []),
      ...(sensitivity ? [sensitivity] : []),
      ...sections,
      { heading: 'Full report', pre: planReport(plan) },
    ],
    { subtitle: `generated by scalelaw on ${new Date().toISOString().slice(0, 10)}` },
  );
}
