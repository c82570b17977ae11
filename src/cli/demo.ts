import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { defaultThreads } from '../core/worker.js';
import { bootstrap } from '../fit/bootstrap.js';
import { openStore } from '../io/store.js';
import { fitsFromRuns } from '../plan/from-runs.js';
import { planReport } from '../plan/plan-report.js';
import { plan } from '../plan/planner.js';
import { planHtml } from '../plan/report-html.js';
import { backtestScaling, backtestSummary, type ScalingBacktest } from '../plan/backtest.js';
import { honestFitReport, rangeOf } from '../plan/honesty.js';
import { stepsExamplesChart } from '../plot/batch.js';
import { lossCurvesChart } from '../plot/losscurves.js';
import { createDataset } from '../proxy/dataset.js';
import { progressPrinter } from '../proxy/progress.js';
import { runSweep } from '../proxy/sweep.js';
import { expandSweep, type SweepSpec } from '../proxy/sweep-spec.js';
import type { PlanRecord } from '../plan/planner.js';
import type { ScalingFit } from '../fit/result.js';
import { action, formatNumber, numberOption, countOption } from './util.js';

/** Tokens per sequence of the demo's proxies: the order-1 language needs one token of context. */
const CONTEXT = 2;

/** Width of the batch-size runs: not one of the scaling widths, so its runs form their own group. */
const BATCH_WIDTH = 20;

/** The order-1 language of bench/proxy-chinchilla.ts: vocab 64, 3 successors per token, entropy rate 0.9949 nats. */
const LANGUAGE = { type: 'markov', vocab: 64, order: 1, branching: 3, zipf: 1, seed: 0 } as const;

/**
 * The demo's scaling sweep on the order-1 Markov language of bench/proxy-chinchilla.ts, where six
 * widths at three budgets fit E free within 1-2% of the entropy rate (BENCHMARKS.md, "Proxy
 * training"): the bench's own runs, widths 4 to 24 at 300, 600 and 1,200 steps of 128 windows.
 */
export const demoSweep: SweepSpec = {
  name: 'demo',
  base: {
    model: { family: 'transformer', width: 16, depth: 1, heads: 1, context: CONTEXT },
    data: LANGUAGE,
    batchSize: 128,
    schedule: { type: 'cosine', peak: 2e-2, final: 2e-4, warmup: 20 },
    // As in the bench: 16,384 scored positions, so the final losses that E is fitted to are precise.
    evalTokens: 32768,
    logEvery: 10,
    microBatches: 1,
    seed: 0,
  },
  list: [4, 6, 8, 12, 16, 24].flatMap((width) => [300, 600, 1200].map((steps) => ({ width, heads: width >= 8 ? 2 : 1, steps, batchSize: 128 }))),
};

/**
 * The demo's batch-size runs: one width at six batch sizes, each trained for the same 250 steps of
 * the same schedule, evaluated every 5 steps, so the steps to each target are read well inside
 * every run (McCandlish et al. 2018's S(B) needs steps, not the end of a schedule).
 */
export const demoBatchSweep: SweepSpec = {
  name: 'demo-batch',
  base: { ...demoSweep.base, evalTokens: 4096, evalEvery: 5, logEvery: 5 },
  list: [16, 32, 64, 128, 256, 512].map((batchSize) => ({ width: BATCH_WIDTH, heads: 2, steps: 250, batchSize })),
};

const defaultLog = (m: string) => process.stderr.write(m);

export interface DemoOptions {
  /** Where the run store and the report go (created). */
  out: string;
  /**
   * The proxy sweeps, trained in order into one store: together a scaling grid at one batch size
   * plus one width at several batch sizes. @default [demoSweep, demoBatchSweep]
   */
  sweep?: SweepSpec | readonly SweepSpec[];
  /** Runs trained at once. @default every core */
  workers?: number;
  /** The planned run is this many times the largest proxy run's compute. @default 1000 */
  scale?: number;
  /** Progress messages. @default stderr */
  log?: (message: string) => void;
  /** The plan's report. @default stdout */
  print?: (message: string) => void;
}

/**
 * The demo end to end: trains the sweep (resumably, into `<out>/runs`), fits the scaling law and the
 * critical batch size, plans a run `scale` times the largest proxy run, prints the plan and writes
 * `<out>/report.html`.
 */
export async function runDemo(options: DemoOptions): Promise<{ report: string; plan: PlanRecord; seconds: number }> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const { sweep = [demoSweep, demoBatchSweep], workers = defaultThreads(), scale = 1000, log = defaultLog, print = (m: string) => process.stdout.write(m) } = options;
  const say = (message: string) => log(`${message}\n`);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const storeDir = join(out, 'runs');
  const specs = Array.isArray(sweep) ? (sweep as readonly SweepSpec[]) : [sweep as SweepSpec];
  const spec = specs[0]!;
  // Tokens per sequence, for the plan's batch in sequences.
  const context = (spec.base.model as { context?: number } | undefined)?.context ?? CONTEXT;
  const runCount = specs.reduce((n, s) => n + expandSweep(s).length, 0);

  say(`[1/4] training ${runCount} proxy transformers on a synthetic Markov language (${workers} worker${workers > 1 ? 's' : ''}; store: ${storeDir})`);
  const ids: string[] = [];
  // The first sweep's runs are the scaling runs; the others only feed the critical batch size.
  const scalingIds = new Set<string>();
  for (const [i, s] of specs.entries()) {
    const label = specs.length > 1 ? `      ${i + 1}/${specs.length}` : '      ';
    const result = await runSweep(s, { store: storeDir, workers, onProgress: progressPrinter(process.stderr, 5, { label, write: log === defaultLog ? undefined : log }) });
    if (result.failed.length > 0) say(`      ${result.failed.length} runs failed: ${result.failed.map((f) => `${f.id} (${f.reason})`).join('; ')}`);
    if (result.diverged.length > 0) say(`      ${result.diverged.length} runs diverged: ${result.diverged.join(', ')}`);
    ids.push(...result.ids);
    if (i === 0 && specs.length > 1) for (const id of result.ids) scalingIds.add(id);
  }
  const runs = openStore(storeDir)
    .runs()
    .filter((r) => ids.includes(r.config.id));
  say(`      done at ${seconds()} s`);

  // The language's entropy rate is the irreducible loss E, known exactly: E is fitted free and
  // checked against it; only if the free fit ends on a bound is E fixed at the entropy rate.
  const entropyRate = createDataset(spec.base.data!).floor ?? Number.NaN;
  say(
    `[2/4] fitting the Chinchilla law to the final losses (E free, to compare with the language's entropy rate ${formatNumber(entropyRate, 4)} nats/token), and the critical batch size to the batch-size runs`,
  );
  const fitOptions = {
    source: storeDir,
    threads: workers,
    ...(scalingIds.size > 0 ? { scalingRuns: (r: { config: { id: string } }) => scalingIds.has(r.config.id) } : {}),
    // Resampling the runs gives the plan its intervals.
    bootstrap: (fit: ScalingFit, data: Parameters<typeof bootstrap>[1]) => bootstrap(fit, data, { resamples: 200, seed: 0, level: 0.9, threads: workers }),
  };
  let fits = await fitsFromRuns(runs, fitOptions);
  const chinchilla = (f: ScalingFit) => `L = E + A/N^alpha + B/D^beta: ${f.params.map((p) => `${p.name} = ${formatNumber(p.value, 4)}`).join(', ')}`;
  say(`      ${chinchilla(fits.scaling)}`);
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
  say(`      done at ${seconds()} s`);

  // How well the law predicts proxies it has not seen: refit on the smaller widths, predict the larger.
  const observed = {
    inputs: { N: Float64Array.from(fits.observations, (o) => o.N), D: Float64Array.from(fits.observations, (o) => o.D) },
    loss: Float64Array.from(fits.observations, (o) => o.loss),
    source: fits.scaling.data.source,
  };
  let backtest: ScalingBacktest | undefined;
  try {
    backtest = await backtestScaling(fits.scaling, observed, { bootstrap: 50, seed: 0, level: 0.9, threads: workers });
    say(`      backtest: ${backtestSummary(backtest)}`);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    say(`      no backtest: ${error.message}`);
  }

  const largest = Math.max(...fits.observations.map((o) => 6 * o.N * o.D));
  const compute = scale * largest;
  say(`[3/4] planning a run of ${formatNumber(compute, 3)} FLOPs (${scale}x the largest proxy run, ${formatNumber(largest, 3)} FLOPs)`);
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
  print('\n' + planReport(result) + '\n\n');

  say(`[4/4] writing the HTML report`);
  const scalingBatch = spec.base.batchSize;
  const scalingRuns = runs.filter((r) => r.config.batchSize === scalingBatch);
  const curves = scalingRuns
    .sort((a, b) => (a.config.N ?? 0) - (b.config.N ?? 0) || (a.config.D ?? 0) - (b.config.D ?? 0))
    .map((r) => ({
      name: `N=${r.config.N} D=${formatNumber(r.summary?.tokens ?? r.config.D ?? 0, 3)}`,
      observed: r.trajectory.filter((p) => p.evalLoss !== undefined).map((p) => ({ step: p.step, loss: p.evalLoss! })),
    }));
  const sections = [
    {
      heading: 'Proxy sweep',
      paragraphs: [
        `${runs.length} transformer runs on a synthetic order-${spec.base.data?.type === 'markov' ? (spec.base.data.order ?? 2) : '?'} Markov language (vocabulary ${spec.base.data?.type === 'markov' ? (spec.base.data.vocab ?? 8) : '?'}), context ${context}, trained with AdamW and a cosine schedule.`,
        ...(eNote ? [`Chinchilla fit: ${eNote}.`] : []),
      ],
      table: {
        header: ['run', 'N', 'tokens', 'batch', 'final eval loss', 'seconds', 'backend'],
        rows: runs.map((r) => [
          r.config.id,
          r.config.N ?? '',
          r.summary?.tokens ?? r.config.D ?? '',
          r.config.batchSize ?? '',
          r.summary?.finalEvalLoss ?? '',
          r.summary?.wallSeconds ?? '',
          String(r.summary?.backend ?? ''),
        ]),
      },
      charts: [
        {
          spec: lossCurvesChart(curves, { title: `Eval loss of the scaling runs (batch ${scalingBatch})`, yScale: 'linear', legend: 'run (by N, then D)', ordered: true }),
          caption: 'Each line is one run; the final points feed the Chinchilla fit.',
        },
      ],
    },
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
      ? [{ heading: 'Backtest of the scaling fit', paragraphs: ['Refit on the smaller widths, predict the larger: how well the law predicts proxies it has not seen.'], pre: backtest.report() }]
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
  return { report, plan: result, seconds: (performance.now() - started) / 1000 };
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('train a small proxy sweep, fit the laws, measure the critical batch size, plan a run 1,000x larger and write an HTML report')
    .option('--out <dir>', 'where the run store and the report go', 'scalelaw-demo')
    .option('--workers <n>', 'runs trained at once (worker threads)', String(defaultThreads()))
    .option('--scale <x>', 'the planned run is this many times the largest proxy run', '1000')
    .action(
      action(async (options: { out: string; workers: string; scale: string }) => {
        await runDemo({ out: options.out, workers: countOption('workers', options.workers)!, scale: numberOption('scale', options.scale, { above: 0 })! });
      }),
    );
}
