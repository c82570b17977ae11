import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultThreads } from '../core/worker.js';
import { bootstrap } from '../fit/bootstrap.js';
import { openStore } from '../io/store.js';
import { fitsFromRuns } from '../plan/from-runs.js';
import { planReport } from '../plan/plan-report.js';
import { plan } from '../plan/planner.js';
import { planHtml } from '../plan/report-html.js';
import { stepsExamplesChart } from '../plot/batch.js';
import { lossCurvesChart } from '../plot/losscurves.js';
import { createDataset } from '../proxy/dataset.js';
import { runSweep, type SweepProgress } from '../proxy/sweep.js';
import { expandSweep, type SweepSpec } from '../proxy/sweep-spec.js';
import type { PlanRecord } from '../plan/planner.js';
import { action, formatNumber, numberOption } from './util.js';

/** Tokens per sequence of the demo's proxies (the Markov language needs little context). */
const CONTEXT = 16;

/**
 * The demo's sweep on the synthetic Markov language: four widths at three token budgets for the
 * scaling law, and one width at five batch sizes for the critical batch size. Small enough to train
 * on two CPU cores in a few minutes.
 */
export const demoSweep: SweepSpec = {
  name: 'demo',
  base: {
    model: { family: 'transformer', width: 16, depth: 2, heads: 2, context: CONTEXT },
    // The language of bench/proxy-chinchilla.ts, where small models approach the entropy rate quickly.
    data: { type: 'markov', vocab: 8, order: 2, branching: 3, zipf: 1, seed: 0 },
    batchSize: 32,
    schedule: { type: 'cosine', peak: 1e-2, final: 1e-4, warmup: 10 },
    evalTokens: 2048,
    logEvery: 5,
    microBatches: 1,
    seed: 0,
  },
  list: [
    ...[4, 8, 12, 16].flatMap((width) => [100, 200, 400].map((steps) => ({ width, tokens: steps * 32 * CONTEXT, batchSize: 32 }))),
    ...[8, 16, 64, 128].map((batchSize) => ({ width: 16, tokens: 100 * 32 * CONTEXT, batchSize })),
  ],
};

const defaultLog = (m: string) => process.stderr.write(m);

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
function progressPrinter(label: string, log: (message: string) => void): (p: SweepProgress) => void {
  const tty = process.stderr.isTTY && log === defaultLog;
  let last = -Infinity;
  return (p) => {
    const now = p.elapsedSeconds;
    const finished = p.done + p.skipped >= p.total;
    if (!tty && now - last < 5 && !finished) return;
    if (tty && now - last < 0.25 && !finished) return;
    last = now;
    const eta = p.etaSeconds === undefined ? '' : `, ~${Math.ceil(p.etaSeconds)} s left`;
    const line = `${label} ${bar(p.fraction)} ${Math.round(p.fraction * 100)}%  ${p.done + p.skipped}/${p.total} runs done (${p.skipped} already in the store), ${p.running} training, ${Math.round(now)} s${eta}`;
    log(tty ? `\r${line}\x1b[K${finished ? '\n' : ''}` : `${line}\n`);
  };
}

export interface DemoOptions {
  /** Where the run store and the report go (created). */
  out: string;
  /** The proxy sweep: a scaling grid at one batch size plus one width at several batch sizes. @default demoSweep */
  sweep?: SweepSpec;
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
    const { sweep: spec = demoSweep, workers = defaultThreads(), scale = 1000, log = defaultLog, print = (m: string) => process.stdout.write(m) } = options;
    const say = (message: string) => log(`${message}\n`);
    const out = resolve(options.out);
    mkdirSync(out, { recursive: true });
    const storeDir = join(out, 'runs');
    const runCount = expandSweep(spec).length;

    say(`[1/4] training ${runCount} proxy transformers on a synthetic Markov language (${workers} worker${workers > 1 ? 's' : ''}; store: ${storeDir})`);
    const sweep = await runSweep(spec, { store: storeDir, workers, onProgress: progressPrinter('      ', log) });
    if (sweep.failed.length > 0) say(`      ${sweep.failed.length} runs failed: ${sweep.failed.map((f) => `${f.id} (${f.reason})`).join('; ')}`);
    if (sweep.diverged.length > 0) say(`      ${sweep.diverged.length} runs diverged: ${sweep.diverged.join(', ')}`);
    const runs = openStore(storeDir).runs().filter((r) => sweep.ids.includes(r.config.id));
    say(`      done at ${seconds()} s`);

    // The language's entropy rate is the irreducible loss E, known exactly; fixing it leaves the
    // few proxy runs to determine A, B, alpha and beta.
    const entropyRate = createDataset(spec.base.data!).floor ?? Number.NaN;
    say(`[2/4] fitting the Chinchilla law to the final losses (E fixed at the language's entropy rate, ${formatNumber(entropyRate, 4)} nats/token), and the critical batch size to the batch-size runs`);
    const fits = await fitsFromRuns(runs, {
      source: storeDir,
      threads: workers,
      ...(Number.isFinite(entropyRate) ? { fixed: { E: entropyRate } } : {}),
      // Resampling the runs gives the plan its intervals.
      bootstrap: (fit, data) => bootstrap(fit, data, { resamples: 200, seed: 0, level: 0.9, threads: workers }),
    });
    say(`      L = E + A/N^alpha + B/D^beta: ${fits.scaling.params.map((p) => `${p.name} = ${formatNumber(p.value, 4)}`).join(', ')}`);
    const cb = fits.criticalBatch;
    if (cb) {
      for (const t of cb.analysis.targets) say(`      target loss ${formatNumber(t.target, 4)}: S_min = ${formatNumber(t.Smin, 3)} steps, E_min = ${formatNumber(t.Emin, 3)} sequences, B_crit = ${formatNumber(t.Bcrit, 3)} sequences`);
      say(`      B_crit(L) = B* / L^(1/alpha_B): B* = ${formatNumber(cb.fit.values.Bstar!, 4)}, alpha_B = ${formatNumber(cb.fit.values.alphaB!, 3)}`);
    }
    for (const note of fits.notes) say(`      note: ${note}`);
    say(`      done at ${seconds()} s`);

    const largest = Math.max(...fits.observations.map((o) => 6 * o.N * o.D));
    const compute = scale * largest;
    say(`[3/4] planning a run of ${formatNumber(compute, 3)} FLOPs (${scale}x the largest proxy run, ${formatNumber(largest, 3)} FLOPs)`);
    const result = plan({
      budget: { compute },
      fits: [{ fit: fits.scaling, source: `${storeDir} (scaling runs)` }, ...(cb ? [{ fit: cb.fit, source: `${storeDir} (batch-size runs, N = ${cb.N})` }] : [])],
      seqLen: CONTEXT,
      fitSeqLen: CONTEXT,
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
        paragraphs: [`${runs.length} transformer runs on a synthetic order-2 Markov language (vocabulary 8), context ${CONTEXT}, trained with AdamW and a cosine schedule.`],
        table: {
          header: ['run', 'N', 'tokens', 'batch', 'final eval loss', 'seconds', 'backend'],
          rows: runs.map((r) => [r.config.id, r.config.N ?? '', r.summary?.tokens ?? r.config.D ?? '', r.config.batchSize ?? '', r.summary?.finalEvalLoss ?? '', r.summary?.wallSeconds ?? '', String(r.summary?.backend ?? '')]),
        },
        charts: [{ spec: lossCurvesChart(curves, { title: `Eval loss of the scaling runs (batch ${scalingBatch})`, yScale: 'linear' }), caption: 'Each line is one run; the final points feed the Chinchilla fit.' }],
      },
      ...(cb
        ? [
            {
              heading: 'Critical batch size',
              paragraphs: [`Runs of N = ${cb.N} parameters at ${new Set(cb.runs.map((r) => r.config.batchSize)).size} batch sizes; for each target loss, S(B) = S_min + E_min / B is fitted to the steps needed, and B_crit = E_min / S_min (McCandlish et al. 2018).`],
              table: {
                header: ['target loss', 'S_min (steps)', 'E_min (sequences)', 'B_crit (sequences)'],
                rows: cb.analysis.targets.map((t) => [t.target, t.Smin, t.Emin, t.Bcrit]),
              },
              charts: [
                {
                  spec: stepsExamplesChart({
                    points: cb.analysis.targets.flatMap((t) => t.points.map((p) => ({ group: `loss ${formatNumber(t.target, 3)}`, steps: p.steps, examples: p.steps * p.batchSize, batchSize: p.batchSize }))),
                    fits: cb.analysis.targets.map((t) => ({ group: `loss ${formatNumber(t.target, 3)}`, sMin: t.Smin, eMin: t.Emin })),
                  }),
                  caption: 'Steps against examples to reach each target; crosses mark B_crit.',
                },
              ],
              pre: cb.fit.report(),
            },
          ]
        : []),
    ];
    const html = await planHtml(result, fits.scaling, {
      title: `scalelaw demo: a plan for ${formatNumber(compute, 3)} FLOPs`,
      observations: fits.observations,
      decades: Math.ceil(Math.log10(scale)) + 1,
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
        await runDemo({ out: options.out, workers: numberOption('workers', options.workers)!, scale: numberOption('scale', options.scale)! });
      }),
    );
}
