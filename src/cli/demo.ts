import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { defaultThreads } from '../core/worker.js';
import { bootstrap, predictInterval } from '../fit/bootstrap.js';
import { openStore } from '../io/store.js';
import { fitsFromRuns } from '../plan/from-runs.js';
import { planReport } from '../plan/plan-report.js';
import { plan } from '../plan/planner.js';
import { planHtml } from '../plan/report-html.js';
import { backtestScaling, backtestSummary, type ScalingBacktest } from '../plan/backtest.js';
import { honestFitReport, rangeOf } from '../plan/honesty.js';
import { stepsExamplesChart } from '../plot/batch.js';
import { lossCurvesChart } from '../plot/losscurves.js';
import { scalingChart } from '../plot/scaling.js';
import { createDataset } from '../proxy/dataset.js';
import { progressPrinter } from '../proxy/progress.js';
import { runSweep } from '../proxy/sweep.js';
import { expandSweep, type SweepSpec } from '../proxy/sweep-spec.js';
import type { PlanRecord } from '../plan/planner.js';
import type { ScalingFit } from '../fit/result.js';
import type { Run } from '../core/run.js';
import { action, formatNumber, numberOption, countOption } from './util.js';

/** Tokens per sequence of the demo's proxies. */
const CONTEXT = 64;

/** The bundled public-domain English corpus (data/README.md): byte-level, its last 10% held out. */
export const demoCorpus = fileURLToPath(new URL('../../data/corpus/alice.txt', import.meta.url));

/** Shapes (depth, width, heads) of the demo's ladder: width / depth 16-24, heads of width 8-16. */
const LADDER: [number, number, number][] = [
  [1, 16, 1],
  [1, 24, 2],
  [1, 32, 2],
  [2, 48, 3],
];
/** The larger proxy the demo predicts before training it: 1.8x the ladder's largest N. */
const TARGET: [number, number, number] = [2, 64, 4];
const BUDGETS = [100, 200, 400];
const TARGET_STEPS = 400;

const base: SweepSpec['base'] = {
  model: { family: 'transformer', width: 32, depth: 1, heads: 2, context: CONTEXT },
  data: { type: 'text', path: demoCorpus },
  batchSize: 16,
  schedule: { type: 'cosine', peak: 5e-3, final: 5e-4, warmup: 20 },
  evalTokens: 8192,
  logEvery: 10,
  microBatches: 1,
  seed: 0,
};

/**
 * The demo's ladder: four small transformers (3k-56k non-embedding parameters) at three budgets
 * each (100, 200, 400 steps of 16 x 64 byte tokens), each with a cosine schedule to its own end,
 * on the bundled English corpus. Their final held-out losses are what the scaling law is fitted to.
 */
export const demoSweep: SweepSpec = {
  name: 'demo',
  base,
  list: LADDER.flatMap(([depth, width, heads]) => BUDGETS.map((steps) => ({ depth, width, heads, steps }))),
};

/** The larger proxy, at the ladder's longest budget, once for each of seeds 0 and 1. */
export const demoTarget: SweepSpec = {
  name: 'demo-target',
  base: { ...base, model: { family: 'transformer', depth: TARGET[0], width: TARGET[1], heads: TARGET[2], context: CONTEXT }, evalEvery: TARGET_STEPS / 4 },
  list: [0, 1].map((seed) => ({ steps: TARGET_STEPS, seed })),
};

const defaultLog = (m: string) => process.stderr.write(m);

export interface DemoOptions {
  /** Where the run store and the report go (created). */
  out: string;
  /**
   * The proxy sweeps, trained in order into one store: the first is the scaling ladder; any
   * others are runs of one width at several batch sizes, for the critical batch size. @default demoSweep
   */
  sweep?: SweepSpec | readonly SweepSpec[];
  /**
   * Larger proxies whose final loss is predicted from the ladder's fit before they are trained,
   * then trained and compared (one run per seed); null skips the backtest. @default demoTarget
   */
  target?: SweepSpec | null;
  /** Runs trained at once. @default every core */
  workers?: number;
  /** The planned run is this many times the largest proxy run's compute. @default 1000 */
  scale?: number;
  /** Progress messages. @default stderr */
  log?: (message: string) => void;
  /** The plan's report. @default stdout */
  print?: (message: string) => void;
}

/** A prediction of one run's final loss made before the run was trained, and what it measured. */
export interface TargetCheck {
  id: string;
  seed: number;
  N: number;
  D: number;
  predicted: number;
  lower: number;
  upper: number;
  level: number;
  measured?: number;
  relativeError?: number;
  inside?: boolean;
}

const LEVEL = 0.9;
/** Standard normal quantile at (1 + LEVEL) / 2. */
const Z = 1.6448536269514722;

/**
 * The interval for a new run's final loss: the bootstrap percentile interval of the fitted curve
 * (parameter uncertainty, `predictInterval`) widened, in log space and in quadrature, by z times
 * the fit's residual scale sqrt(sum r^2 / (n - p)), r = log(measured / fitted) over the runs
 * fitted: a new run scatters about the curve as the fitted runs do (seed, data order).
 */
export function newRunInterval(fit: ScalingFit, observed: { N: number; D: number; loss: number }[], at: { N: number; D: number }): { value: number; lower: number; upper: number } {
  const band = predictInterval(fit, { N: at.N, D: at.D }, { level: LEVEL });
  const value = band.value[0]!;
  const fitted = fit.predict({ N: Float64Array.from(observed, (o) => o.N), D: Float64Array.from(observed, (o) => o.D) });
  let ss = 0;
  observed.forEach((o, i) => (ss += Math.log(o.loss / fitted[i]!) ** 2));
  const scale = Math.sqrt(ss / Math.max(1, observed.length - fit.params.length));
  const down = Math.hypot(Math.log(value / band.lower[0]!), Z * scale);
  const up = Math.hypot(Math.log(band.upper[0]! / value), Z * scale);
  return { value, lower: value * Math.exp(-down), upper: value * Math.exp(up) };
}

function describeData(data: SweepSpec['base']['data']): string {
  if (data?.type === 'text') return `${data.path.endsWith('alice.txt') ? 'the bundled English corpus (Alice in Wonderland, public domain)' : data.path}, ${data.tokenizer ?? 'bytes'}-level`;
  if (data?.type === 'tokens') return `the token file ${data.path}`;
  if (data?.type === 'markov') return `a synthetic order-${data.order ?? 2} Markov language (vocabulary ${data.vocab ?? 8})`;
  return String(data?.type);
}

/**
 * The demo end to end: trains the ladder (resumably, into `<out>/runs`), fits the scaling law,
 * predicts a larger proxy's final loss with its 90% interval and only then trains it (seeds 0 and
 * 1) and compares, plans a run `scale` times the largest proxy run with that backtest error beside
 * it, and writes `<out>/report.html` (ladder curves, the fit, predicted against measured).
 */
export async function runDemo(options: DemoOptions): Promise<{ report: string; plan: PlanRecord; seconds: number; targets: TargetCheck[]; fit: ScalingFit }> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const { sweep = demoSweep, target = demoTarget, workers = defaultThreads(), scale = 1000, log = defaultLog, print = (m: string) => process.stdout.write(m) } = options;
  const say = (message: string) => log(`${message}\n`);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const storeDir = join(out, 'runs');
  const specs = Array.isArray(sweep) ? (sweep as readonly SweepSpec[]) : [sweep as SweepSpec];
  const spec = specs[0]!;
  // Tokens per sequence, for the plan's batch in sequences.
  const context = (spec.base.model as { context?: number } | undefined)?.context ?? CONTEXT;
  const runCount = specs.reduce((n, s) => n + expandSweep(s).length, 0);
  const progress = (label: string) => progressPrinter(process.stderr, 5, { label, write: log === defaultLog ? undefined : log });

  say(`[1/5] training a ladder of ${runCount} proxy transformers on ${describeData(spec.base.data)} (${workers} worker${workers > 1 ? 's' : ''}; store: ${storeDir})`);
  const ids: string[] = [];
  // The first sweep's runs are the scaling runs; the others only feed the critical batch size.
  const scalingIds = new Set<string>();
  for (const [i, s] of specs.entries()) {
    const result = await runSweep(s, { store: storeDir, workers, onProgress: progress(specs.length > 1 ? `      ${i + 1}/${specs.length}` : '      ') });
    if (result.failed.length > 0) say(`      ${result.failed.length} runs failed: ${result.failed.map((f) => `${f.id} (${f.reason})`).join('; ')}`);
    if (result.diverged.length > 0) say(`      ${result.diverged.length} runs diverged: ${result.diverged.join(', ')}`);
    ids.push(...result.ids);
    if (i === 0) for (const id of result.ids) scalingIds.add(id);
  }
  const runs = openStore(storeDir)
    .runs()
    .filter((r) => ids.includes(r.config.id));
  const backends = [...new Set(runs.map((r) => `${String(r.summary?.backend ?? '?')}${r.summary?.device ? ` (${String(r.summary.device)})` : ''}`))].join(', ');
  say(`      done at ${seconds()} s (backend: ${backends})`);

  // Where the data have a known irreducible loss (a Markov language's entropy rate), E is fitted
  // free and checked against it; only if the free fit ends on a bound is E fixed there.
  const entropyRate = createDataset(spec.base.data!).floor ?? Number.NaN;
  say(
    `[2/5] fitting the Chinchilla law L = E + A/N^alpha + B/D^beta to the ladder's final held-out losses (N non-embedding parameters, D training tokens; 200 bootstrap refits for ${Math.round(LEVEL * 100)}% intervals)${Number.isFinite(entropyRate) ? `, E free, to compare with the language's entropy rate ${formatNumber(entropyRate, 4)} nats/token` : ''}${specs.length > 1 ? ', and the critical batch size to the batch-size runs' : ''}`,
  );
  const fitOptions = {
    source: storeDir,
    threads: workers,
    scalingRuns: (r: { config: { id: string } }) => scalingIds.has(r.config.id),
    // Resampling the runs gives the plan its intervals.
    bootstrap: (fit: ScalingFit, data: Parameters<typeof bootstrap>[1]) => bootstrap(fit, data, { resamples: 200, seed: 0, level: LEVEL, threads: workers }),
  };
  let fits = await fitsFromRuns(runs, fitOptions);
  const chinchilla = (f: ScalingFit) =>
    `L = E + A/N^alpha + B/D^beta: ${f.params.map((p) => `${p.name} = ${formatNumber(p.value, 4)}${p.interval ? ` [${formatNumber(p.interval[0], 3)}, ${formatNumber(p.interval[1], 3)}]` : ''}`).join(', ')}`;
  say(`      ${chinchilla(fits.scaling)}`);
  say(
    `      fitted exponents: alpha (parameters) = ${formatNumber(fits.scaling.values.alpha!, 3)}, beta (data) = ${formatNumber(fits.scaling.values.beta!, 3)}; published LLM fits give ~0.3 (Hoffmann et al. 2022: 0.34, 0.28; Besiroglu et al. 2024: 0.35, 0.37)`,
  );
  for (const w of fits.scaling.warnings ?? []) say(`      warning: ${typeof w === 'string' ? w : w.message}`);
  let eNote = '';
  const freeE = fits.scaling.values.E!;
  if (Number.isFinite(entropyRate)) {
    const off = ((freeE - entropyRate) / entropyRate) * 100;
    eNote = `fitted E = ${formatNumber(freeE, 4)} nats/token against the entropy rate ${formatNumber(entropyRate, 4)} (${off >= 0 ? '+' : ''}${off.toFixed(2)}%)`;
    say(`      ${eNote}`);
    const bound = fits.scaling.atBound;
    if (bound.length > 0) {
      say(`      the free fit ended on a bound (${bound.join(', ')}): falling back to E fixed at the entropy rate`);
      fits = await fitsFromRuns(runs, { ...fitOptions, fixed: { E: entropyRate } });
      say(`      ${chinchilla(fits.scaling)} (E fixed)`);
      eNote += `; the free fit ended on a bound (${bound.join(', ')}), so the plan uses E fixed at the entropy rate`;
    }
  }
  const cb = fits.criticalBatch;
  let bcritUsable = false;
  if (cb) {
    for (const t of cb.analysis.targets) {
      const first = Math.min(...t.points.map((p) => p.steps));
      say(
        `      target loss ${formatNumber(t.target, 4)}: S_min = ${formatNumber(t.Smin, 3)} steps, E_min = ${formatNumber(t.Emin, 3)} sequences, B_crit = ${formatNumber(t.Bcrit, 3)} sequences (reached after ${formatNumber(first, 3)} to ${formatNumber(Math.max(...t.points.map((p) => p.steps)), 3)} steps at batch ${t.points.map((p) => p.batchSize).join('/')})`,
      );
    }
    const kaplan = `B_crit(L) = B* / L^(1/alpha_B): B* = ${formatNumber(cb.fit.values.Bstar!, 4)}, alpha_B = ${formatNumber(cb.fit.values.alphaB!, 3)}`;
    if (cb.fit.atBound.length > 0) {
      say(`      ${kaplan} -- ENDED ON A BOUND (${cb.fit.atBound.join(', ')}): the bound, not the runs, set it, so the plan does not use it and gives no critical batch size`);
    } else {
      bcritUsable = true;
      say(`      ${kaplan}`);
    }
  }
  for (const note of fits.notes) say(`      note: ${note}`);

  // How well the law predicts proxies it has not seen: refit on the smaller widths, predict the larger.
  const observed = {
    inputs: { N: Float64Array.from(fits.observations, (o) => o.N), D: Float64Array.from(fits.observations, (o) => o.D) },
    loss: Float64Array.from(fits.observations, (o) => o.loss),
    source: fits.scaling.data.source,
  };
  let backtest: ScalingBacktest | undefined;
  try {
    backtest = await backtestScaling(fits.scaling, observed, { bootstrap: 50, seed: 0, level: LEVEL, threads: workers });
    say(`      rolling backtest within the ladder: ${backtestSummary(backtest)}`);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    say(`      no rolling backtest: ${error.message}`);
  }
  say(`      done at ${seconds()} s`);

  // The backtest in front of the user: predict, then train, then compare.
  const targets: TargetCheck[] = [];
  let targetRuns: Run[] = [];
  if (target) {
    const planned = expandSweep(target);
    const first = planned[0]!;
    const at = { N: first.run.N!, D: first.run.D! };
    const ladderMax = Math.max(...fits.observations.map((o) => o.N));
    const interval = newRunInterval(fits.scaling, fits.observations, at);
    say(
      `[3/5] predicting a larger proxy before training it: width ${first.model.width}, depth ${first.model.depth}, N = ${formatNumber(at.N, 4)} (${formatNumber(at.N / ladderMax, 2)}x the ladder's largest), D = ${formatNumber(at.D, 4)} tokens`,
    );
    say(
      `      predicted final held-out loss: ${formatNumber(interval.value, 4)} nats/token, ${Math.round(LEVEL * 100)}% interval [${formatNumber(interval.lower, 4)}, ${formatNumber(interval.upper, 4)}] (fit uncertainty from the bootstrap, widened by the ladder's scatter about the fit)`,
    );
    for (const r of planned) targets.push({ id: r.run.id, seed: r.run.seed ?? 0, N: r.run.N!, D: r.run.D!, predicted: interval.value, lower: interval.lower, upper: interval.upper, level: LEVEL });
    say(`      now training it, seeds ${planned.map((r) => r.run.seed ?? 0).join(' and ')}`);
    const result = await runSweep(target, { store: storeDir, workers, onProgress: progress('      ') });
    if (result.failed.length > 0) say(`      ${result.failed.length} runs failed: ${result.failed.map((f) => `${f.id} (${f.reason})`).join('; ')}`);
    targetRuns = openStore(storeDir)
      .runs()
      .filter((r) => result.ids.includes(r.config.id));
    for (const t of targets) {
      const run = targetRuns.find((r) => r.config.id === t.id);
      const measured = run?.summary?.status === 'finished' ? run.summary.finalEvalLoss : undefined;
      if (measured === undefined) {
        say(`      seed ${t.seed}: no final loss (${run?.summary?.status ?? 'not run'})`);
        continue;
      }
      t.measured = measured;
      t.relativeError = (t.predicted - measured) / measured;
      t.inside = measured >= t.lower && measured <= t.upper;
      say(
        `      seed ${t.seed}: measured ${formatNumber(measured, 4)}, predicted ${formatNumber(t.predicted, 4)} (${t.relativeError >= 0 ? '+' : ''}${(t.relativeError * 100).toFixed(2)}%): ${t.inside ? 'inside' : 'OUTSIDE'} the ${Math.round(LEVEL * 100)}% interval`,
      );
    }
    say(`      done at ${seconds()} s`);
  }
  const checked = targets.filter((t) => t.measured !== undefined);
  const backtestLine =
    checked.length > 0
      ? `Backtest before this plan: the ladder's fit predicted the N = ${formatNumber(checked[0]!.N, 4)} proxy's final loss as ${formatNumber(checked[0]!.predicted, 4)} [${formatNumber(checked[0]!.lower, 4)}, ${formatNumber(checked[0]!.upper, 4)}] (${Math.round(LEVEL * 100)}%) before training it; measured ${checked.map((t) => `seed ${t.seed} ${formatNumber(t.measured!, 4)} (error ${(t.relativeError! * 100).toFixed(2)}%, ${t.inside ? 'inside' : 'outside'})`).join(', ')}. The plan below extrapolates ${formatNumber(scale, 3)}x further in compute than the ladder's largest run: expect its error to be larger than this.`
      : '';

  const largest = Math.max(...fits.observations.map((o) => 6 * o.N * o.D));
  const compute = scale * largest;
  say(`[4/5] planning a run of ${formatNumber(compute, 3)} FLOPs (${scale}x the largest ladder run, ${formatNumber(largest, 3)} FLOPs)`);
  const result = plan({
    budget: { compute },
    fits: [{ fit: fits.scaling, source: `${storeDir} (scaling runs)` }, ...(cb && bcritUsable ? [{ fit: cb.fit, source: `${storeDir} (batch-size runs, N = ${cb.N})` }] : [])],
    range: rangeOf(observed.inputs, observed.source),
    ...(Number.isFinite(entropyRate) ? { floor: { value: entropyRate, source: "the language's entropy rate" } } : {}),
    ...(backtest ? { backtest } : {}),
    seqLen: context,
    fitSeqLen: context,
    batchUnit: 'sequences',
  });
  print('\n' + (backtestLine ? backtestLine + '\n\n' : '') + planReport(result) + '\n\n');

  say(`[5/5] writing the HTML report`);
  const scalingBatch = spec.base.batchSize;
  const scalingRuns = runs.filter((r) => scalingIds.has(r.config.id));
  const curveOf = (r: Run, label: string) => ({
    name: `${label}N=${r.config.N} D=${formatNumber(r.summary?.tokens ?? r.config.D ?? 0, 3)}${label ? ` seed ${r.config.seed ?? 0}` : ''}`,
    observed: r.trajectory.filter((p) => p.evalLoss !== undefined).map((p) => ({ step: p.step, loss: p.evalLoss! })),
  });
  const curves = [
    ...scalingRuns.sort((a, b) => (a.config.N ?? 0) - (b.config.N ?? 0) || (a.config.D ?? 0) - (b.config.D ?? 0)).map((r) => curveOf(r, '')),
    ...targetRuns.map((r) => curveOf(r, 'larger proxy: ')),
  ];
  const runRow = (r: Run) => [
    r.config.id,
    r.config.N ?? '',
    String((r.config.extra?.params as { total?: number } | undefined)?.total ?? ''),
    r.summary?.tokens ?? r.config.D ?? '',
    r.config.batchSize ?? '',
    r.summary?.finalEvalLoss ?? '',
    r.summary?.wallSeconds ?? '',
    `${String(r.summary?.backend ?? '')}${r.summary?.device ? ` (${String(r.summary.device)})` : ''}`,
  ];
  const backtestSection = () => {
    const t0 = targets[0]!;
    const D = t0.D;
    const atD = fits.observations.filter((o) => Math.abs(o.D / D - 1) < 1e-9);
    const Ns = [...fits.observations.map((o) => o.N), t0.N];
    const lo = Math.min(...Ns) / 1.5;
    const hi = Math.max(...Ns) * 1.5;
    const grid = Array.from({ length: 31 }, (_, i) => lo * (hi / lo) ** (i / 30));
    const band = predictInterval(fits.scaling, { N: Float64Array.from(grid), D }, { level: LEVEL });
    return {
      heading: 'Backtest: a larger proxy, predicted before it was trained',
      paragraphs: [
        `The ladder's fit predicted the final held-out loss of a proxy ${formatNumber(t0.N / Math.max(...fits.observations.map((o) => o.N)), 2)}x larger than the ladder's largest, at D = ${formatNumber(D, 3)} tokens, before that proxy was trained. The interval is the fit's ${Math.round(LEVEL * 100)}% bootstrap interval widened by the ladder's scatter about the fit (a new run scatters as the fitted runs do). The chart shows the law at that D with its ${Math.round(LEVEL * 100)}% band (fit uncertainty only), the ladder's runs at that D, the prediction and the measured seeds.`,
      ],
      table: {
        header: ['seed', 'N', 'D', 'predicted', `${Math.round(LEVEL * 100)}% lower`, `${Math.round(LEVEL * 100)}% upper`, 'measured', 'relative error', 'inside'],
        rows: targets.map((t) => [t.seed, t.N, t.D, t.predicted, t.lower, t.upper, t.measured ?? '', t.relativeError ?? '', t.inside === undefined ? '' : t.inside ? 'yes' : 'no']),
      },
      charts: [
        {
          spec: scalingChart(
            {
              points: atD.map((o) => ({ x: o.N, y: o.loss, series: `ladder, D = ${formatNumber(D, 3)}` })),
              law: grid.map((N, i) => ({ x: N, y: band.value[i]!, lower: band.lower[i]!, upper: band.upper[i]! })),
              highlights: [
                { x: t0.N, y: t0.predicted, lower: t0.lower, upper: t0.upper, label: 'predicted before training' },
                ...checked.map((t) => ({ x: t.N * (1 + 0.03 * (t.seed + 1)), y: t.measured!, label: `measured, seed ${t.seed}` })),
              ],
            },
            { title: `Predicted against measured final loss at D = ${formatNumber(D, 3)} tokens`, xLabel: 'non-embedding parameters N', xScale: 'log' },
          ),
          caption: 'Points: ladder runs at this D. Line and band: the fitted law. Marked: the prediction with its interval, and the measured seeds (offset slightly in N to be visible).',
        },
      ],
    };
  };
  const sections = [
    {
      heading: 'Proxy ladder',
      paragraphs: [
        `${scalingRuns.length} transformer runs on ${describeData(spec.base.data)}, context ${context}, trained with AdamW and a cosine schedule to each run's end; ${targetRuns.length} runs of the larger proxy. N counts non-embedding parameters (Kaplan et al. 2020); every run records both counts and its FLOPs with and without the readout.`,
        `Fitted exponents: alpha = ${formatNumber(fits.scaling.values.alpha!, 3)}, beta = ${formatNumber(fits.scaling.values.beta!, 3)}; E = ${formatNumber(fits.scaling.values.E!, 4)} nats/token.`,
        ...(eNote ? [`Chinchilla fit: ${eNote}.`] : []),
      ],
      table: {
        header: ['run', 'N (non-embedding)', 'parameters (all)', 'tokens', 'batch', 'final eval loss', 'seconds', 'backend'],
        rows: [...runs, ...targetRuns].map(runRow),
      },
      charts: [
        {
          spec: lossCurvesChart(curves, { title: `Held-out loss of the ladder (batch ${scalingBatch}) and of the larger proxy`, yScale: 'linear', legend: 'run (by N, then D)', ordered: true }),
          caption: 'Each line is one run; the ladder runs\u2019 final points feed the Chinchilla fit.',
        },
      ],
    },
    { heading: 'Scaling fit', paragraphs: ['The Chinchilla law fitted to the ladder, with bootstrap intervals and any warnings.'], pre: honestFitReport(fits.scaling) },
    ...(checked.length > 0 ? [backtestSection()] : []),
    ...(cb
      ? [
          {
            heading: 'Critical batch size',
            paragraphs: [
              `Runs of N = ${cb.N} parameters at ${new Set(cb.runs.map((r) => r.config.batchSize)).size} batch sizes; for each target loss, S(B) = S_min + E_min / B is fitted to the steps needed, and B_crit = E_min / S_min (McCandlish et al. 2018).`,
            ],
            table: {
              header: ['target loss', 'S_min (steps)', 'E_min (sequences)', 'B_crit (sequences)'],
              rows: cb.analysis.targets.map((t) => [t.target, t.Smin, t.Emin, t.Bcrit]),
            },
            charts: [
              {
                spec: stepsExamplesChart(
                  {
                    points: cb.analysis.targets.flatMap((t) =>
                      t.points.map((p) => ({ group: `loss ${formatNumber(t.target, 3)}`, steps: p.steps, examples: p.steps * p.batchSize, batchSize: p.batchSize })),
                    ),
                    fits: cb.analysis.targets.map((t) => ({ group: `loss ${formatNumber(t.target, 3)}`, sMin: t.Smin, eMin: t.Emin })),
                  },
                  { legend: 'target loss' },
                ),
                caption: 'Steps against examples to reach each target; crosses mark B_crit.',
              },
            ],
            pre: honestFitReport(cb.fit),
          },
        ]
      : []),
    ...(backtest
      ? [{ heading: 'Rolling backtest within the ladder', paragraphs: ['Refit on the smaller widths, predict the larger: how well the law predicts proxies it has not seen.'], pre: backtest.report() }]
      : []),
  ];
  const html = await planHtml(result, fits.scaling, {
    title: `scalelaw demo: a plan for ${formatNumber(compute, 3)} FLOPs`,
    observations: fits.observations,
    decades: Math.ceil(Math.log10(scale)) + 1,
    ...(Number.isFinite(entropyRate) ? { floor: entropyRate } : {}),
    sections,
  });
  const report = join(out, 'report.html');
  writeFileSync(report, html);
  say(`      wrote ${report}`);
  say(`done in ${seconds()} s`);
  return { report, plan: result, seconds: (performance.now() - started) / 1000, targets, fit: fits.scaling };
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'train a ladder of small transformers on the bundled English corpus, fit the scaling law, predict a larger proxy before training it and compare, plan a run 1,000x larger and write an HTML report',
    )
    .option('--out <dir>', 'where the run store and the report go', 'scalelaw-demo')
    .option('--workers <n>', 'runs trained at once (worker threads)', String(defaultThreads()))
    .option('--scale <x>', 'the planned run is this many times the largest proxy run', '1000')
    .action(
      action(async (options: { out: string; workers: string; scale: string }) => {
        await runDemo({ out: options.out, workers: countOption('workers', options.workers)!, scale: numberOption('scale', options.scale, { above: 0 })! });
      }),
    );
}
