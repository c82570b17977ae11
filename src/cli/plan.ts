import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import type { ScalingFit } from '../fit/result.js';
import { bootstrap } from '../fit/bootstrap.js';
import { openStore } from '../io/store.js';
import { resolveBudget } from '../plan/budget.js';
import { fitsFromRuns, stabilityFromRuns } from '../plan/from-runs.js';
import { plan, readFitFile, type PlannerFit } from '../plan/planner.js';
import { planReport } from '../plan/plan-report.js';
import { planHtml } from '../plan/report-html.js';
import { backtestFromJSON, backtestMatches, backtestScaling, type ScalingBacktestRecord } from '../plan/backtest.js';
import { findFitData } from '../plan/fit-data.js';
import { rangeOf, type FittedRange } from '../plan/honesty.js';
import {
  PUBLISHED_REPETITION,
  repetitionRangeWarnings,
  combineRepetition,
  dataConstrainedReport,
  dataConstrainedSummary,
  repetitionFromFit,
  uniqueTokenOptimum,
  type RepetitionConstants,
} from '../plan/data-constrained.js';
import { loadFit } from '../fit/load.js';
import { nextRunsReport, rankNextRuns } from '../plan/next-runs.js';
import { checkpointData } from '../plan/checkpoints.js';
import { withBatchSensitivity } from '../plan/batch-sensitivity.js';
import { planSensitivity, sensitivityReport } from '../plan/sensitivity.js';
import { checkDataConstrainedChart, writeDataConstrainedChart } from '../plan/data-constrained-chart.js';
import { writeFixedDataChart, type FixedDataChartInput } from '../plan/fixed-data-chart.js';
import { observationsFromRuns } from '../fit/trajectories.js';
import { fitLaw } from '../fit/fit.js';
import { action, numberOption, printJson, checkOutputPath } from './util.js';
import { formatNumber } from '../core/format.js';
import type { CurveFit } from '../fit/result.js';
import { writeFileAtomic } from '../io/atomic.js';
import { lossPrediction, plannedSchedule } from '../plan/track-prediction.js';
import { readObservations } from '../io/read-observations.js';
import { compareAtFixedData, fitEnsembleScaling, fitParameterScaling, fixedDataReport, fixedDataRuns, tokensBySize, type FixedDataComparison } from '../plan/infinite-compute.js';
import type { DataConstrainedValues } from '../laws/data-constrained.js';

/** The scaling fit shipped with the package, used when no --fit is given. */
export const DEFAULT_FIT = fileURLToPath(new URL('../../fits/chinchilla-epoch2024.json', import.meta.url));

interface PlanCliOptions {
  compute?: string;
  gpuHours?: string;
  gpuFlops?: string;
  utilization: string;
  gpus: string;
  price?: string;
  fit?: string[];
  store?: string;
  seqLen: string;
  fitSeqLen?: string;
  batchUnit: string;
  json?: boolean;
  html?: string;
  floor?: string;
  backtest: boolean;
  savePrediction?: string;
  uniqueTokens?: string;
  repetitionFit?: string;
  nextRuns?: string;
  checkpoints?: string;
  sensitivity?: boolean;
  chart?: string;
  compareEnsembles?: string;
}

/** Where a fit's cached backtest lives: beside it, `<name>.backtest.json`. */
export function backtestCachePath(fitPath: string): string {
  return fitPath.replace(/\.json$/, '') + '.backtest.json';
}

/**
 * The range and rolling backtest of a saved scaling fit, for the plan: its data found again
 * (`findFitData`), the backtest read from the cache beside the fit where one matches it, else run
 * on the spot (50 resamples per cut). Neither is available when the data are not found.
 */
export async function fitEvidence(
  fit: ScalingFit,
  fitPath: string | undefined,
  options: { backtest?: boolean; log?: (m: string) => void } = {},
): Promise<{ range?: FittedRange; backtest?: ScalingBacktestRecord; note?: string }> {
  const { backtest: wanted = true, log = (m: string) => process.stderr.write(m) } = options;
  const data = findFitData(fit);
  if (!data.found) return { note: data.reason };
  const range = rangeOf(data.table, data.path);
  if (!wanted) return { range };
  if (fitPath) {
    const cache = backtestCachePath(fitPath);
    if (existsSync(cache)) {
      const cached = backtestFromJSON(JSON.parse(readFileSync(cache, 'utf8')), cache);
      if (backtestMatches(cached, fit)) return { range, backtest: cached };
      log(`scalelaw: note: ${cache} does not match ${fitPath} (law, data, objective or fixed values differ); running the backtest again\n`);
    }
  }
  log(
    `scalelaw: note: backtesting ${fitPath ?? fit.data.source} on ${data.path} (refits on its smaller models; save it with \`scalelaw backtest ${data.path} --fit ${fitPath ?? '<fit>'} --out ${fitPath ? backtestCachePath(fitPath) : '<fit>.backtest.json'}\` to skip this)\n`,
  );
  try {
    return { range, backtest: (await backtestScaling(fit, data.table, { bootstrap: 50, seed: 0, level: fit.bootstrap?.level ?? 0.9 })).toJSON() };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { range, note: `no backtest: ${error.message}` };
  }
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('plan a training run for a compute budget: N, D, loss, batch size, learning rate, steps, time and cost')
    .option('--compute <flops>', 'training compute budget in FLOPs, e.g. 1e23')
    .option('--gpu-hours <hours>', 'budget in GPU-hours (needs --gpu-flops)')
    .option('--gpu-flops <flops>', 'peak FLOP/s of one GPU in the training precision, e.g. 9.89e14 (H100 SXM, BF16)')
    .option('--utilization <u>', 'fraction of peak FLOP/s achieved (MFU)', '0.4')
    .option('--gpus <n>', 'GPUs used at once, for the wall-clock time', '1')
    .option('--price <p>', 'price of one GPU-hour, for the cost')
    .option('--fit <file...>', `saved fits to plan from (a scaling fit, plus optional critical-batch, learning-rate and loss-curve fits); default ${'fits/chinchilla-epoch2024.json'}`)
    .option(
      '--store <dir>',
      'a run store to fit on the spot: the scaling law on final losses (with a 200-resample bootstrap) and, from runs of one size at several batch sizes, the critical batch size',
    )
    .option('--seq-len <tokens>', 'tokens per sequence of the planned run', '2048')
    .option('--fit-seq-len <tokens>', 'tokens per sequence of the runs the batch fits came from (default: --seq-len)')
    .option('--batch-unit <unit>', "unit of the batch fits' batch sizes: sequences or tokens", 'sequences')
    .option('--json', 'print the plan as JSON')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--floor <loss>', "a loss no model can beat (e.g. a synthetic language's entropy rate): intervals are clipped to it, with a note")
    .option('--no-backtest', "skip the scaling fit's rolling backtest when no cached one matches")
    .option('--save-prediction <file>', 'write the loss curve of the planned schedule with its band (needs a loss-curve fit), for `scalelaw track`')
    .option(
      '--unique-tokens <tokens>',
      'unique tokens available: plan under the data-constrained law (Muennighoff et al. 2023), with epochs, the unconstrained plan beside it and where more parameters stop paying',
    )
    .option(
      '--checkpoints <fraction>',
      "with --store: fit the scaling law on every checkpoint past this fraction of each run's tokens (Choshen et al. 2024: 0.1), each run weighted once, configurations by their seed-to-seed variance",
    )
    .option('--sensitivity', 'a table of what moves the answer most: E, alpha, beta by one standard error, R_D* and R_N* halved and doubled under --unique-tokens')
    .option('--next-runs <k>', "rank the k proxy runs (size, tokens, seed) that would narrow the plan's loss interval most, with their cost (Fisher information of the scaling fit on its runs)")
    .option(
      '--chart <file>',
      'with --unique-tokens: write the data-constrained chart (frontier and loss against N beside the unconstrained law), and with --compare-ensembles the fixed-data chart under it (Kim et al. 2025: the power law in N, ensembles against K, the asymptotes): .svg, .png, .html or .json',
    )
    .option(
      '--compare-ensembles <runs>',
      'with --unique-tokens: runs at that budget (N, D, loss, optional K, U, recipe): compare "more epochs", "bigger model" (regularised power law in N to its asymptote) and "ensemble of K" (Kim et al. 2025) at the budget',
    )
    .option('--repetition-fit <file>', "a saved fit of law data-constrained giving R_D* and R_N* (default: Muennighoff et al.'s published 15.387756 and 5.309743)")
    .action(
      action(async (options: PlanCliOptions) => {
        checkOutputPath('html', options.html);
        checkOutputPath('chart', options.chart);
        checkDataConstrainedChart(options.chart, options.uniqueTokens);
        // Check the budget before any fitting.
        const budget = {
          compute: numberOption('compute', options.compute),
          gpuHours: numberOption('gpu-hours', options.gpuHours),
          gpuFlops: numberOption('gpu-flops', options.gpuFlops),
          utilization: numberOption('utilization', options.utilization),
          gpus: numberOption('gpus', options.gpus),
          price: numberOption('price', options.price),
        };
        resolveBudget(budget);
        if (options.checkpoints !== undefined && !options.store) throw new InputError('--checkpoints: needs --store (for a saved fit, fit it with `scalelaw fit --checkpoints`)', 'checkpoints');
        const files = options.fit ?? (options.store ? [] : [DEFAULT_FIT]);
        for (const f of files) if (!existsSync(f)) throw new InputError(`--fit: no such file: ${show(f)}`, 'fit');
        const fits: { fit: PlannerFit; source: string }[] = files.map((source) => ({ fit: readFitFile(source), source }));
        let storeEvidence: Awaited<ReturnType<typeof fitEvidence>> = {};
        let storeData: { N: number[]; D: number[]; loss: number[] } | undefined;
        let storeRuns: ReturnType<ReturnType<typeof openStore>['runs']> | undefined;
        if (options.store) {
          if (!existsSync(options.store)) throw new InputError(`--store: no such directory: ${show(options.store)}`, 'store');
          const runs = openStore(options.store).runs();
          storeRuns = runs;
          const fromRuns = await fitsFromRuns(runs, { source: options.store, bootstrap: (fit, data) => bootstrap(fit, data, { resamples: 200, seed: 0, level: 0.9 }) });
          const fraction = numberOption('checkpoints', options.checkpoints);
          let scalingFit = fromRuns.scaling;
          if (fraction !== undefined) {
            const used = new Set(fromRuns.observations.map((o) => o.id));
            const table = observationsFromRuns(
              runs.filter((r) => used.has(r.config.id)),
              { from: 0, weight: 'none' },
            );
            const d = checkpointData(
              (table.extra.run as string[]).map((run, i) => ({ run, N: table.N![i]!, D: table.D![i]!, loss: table.loss[i]! })),
              { minFraction: fraction, source: options.store },
            );
            process.stderr.write(`scalelaw: note: scaling fit on ${d.kept} checkpoints of ${d.runs} runs${d.seedNoise ? `; ${d.seedNoise.note}` : ''}\n`);
            const fixed = Object.fromEntries(fromRuns.scaling.params.filter((q) => q.fixed).map((q) => [q.name, q.value]));
            const fitted = await fitLaw(fromRuns.scaling.law, d, { weights: d.weights, fixed });
            scalingFit = await bootstrap(fitted, d, { resamples: 200, seed: 0, level: 0.9, weights: d.weights, groups: d.groups });
          }
          fits.push({ fit: scalingFit, source: `${options.store} (scaling fit)` });
          const data = {
            inputs: { N: Float64Array.from(fromRuns.observations, (o) => o.N), D: Float64Array.from(fromRuns.observations, (o) => o.D) },
            loss: Float64Array.from(fromRuns.observations, (o) => o.loss),
            source: fromRuns.scaling.data.source,
          };
          storeEvidence = { range: rangeOf(data.inputs, data.source) };
          storeData = { N: Array.from(data.inputs.N), D: Array.from(data.inputs.D), loss: Array.from(data.loss) };
          if (options.checkpoints !== undefined && options.backtest)
            process.stderr.write('scalelaw: note: no rolling backtest of a checkpoint fit here; `npm run bench -- checkpoint-backtest` compares checkpoint and final-loss fits\n');
          else if (options.backtest) {
            try {
              storeEvidence.backtest = (await backtestScaling(fromRuns.scaling, data, { bootstrap: 50, seed: 0, level: 0.9 })).toJSON();
            } catch (error) {
              if (!(error instanceof InputError)) throw error;
              process.stderr.write(`scalelaw: note: no backtest of the store's scaling fit: ${error.message}\n`);
            }
          }
          if (fromRuns.criticalBatch) fits.push({ fit: fromRuns.criticalBatch.fit, source: `${options.store} (critical batch, N = ${fromRuns.criticalBatch.N})` });
          for (const note of fromRuns.notes) process.stderr.write(`scalelaw: note: ${note}\n`);
        }
        if (options.batchUnit !== 'sequences' && options.batchUnit !== 'tokens') throw new InputError(`--batch-unit must be sequences or tokens; got ${show(options.batchUnit)}`, 'batchUnit');
        const scalingEntry = fits.find((f) => f.fit.kind === 'scaling-fit' && ['chinchilla', 'kaplan'].includes(f.fit.law));
        let evidence: Awaited<ReturnType<typeof fitEvidence>> = {};
        if (scalingEntry) {
          const scaling = scalingEntry.fit as ScalingFit;
          evidence = options.store && scalingEntry.source === `${options.store} (scaling fit)` ? storeEvidence : await fitEvidence(scaling, scalingEntry.source, { backtest: options.backtest });
          if (evidence.note) process.stderr.write(`scalelaw: note: ${evidence.note}\n`);
        }
        const floor = numberOption('floor', options.floor);
        const unique = uniqueTokensOption(options, fits);
        const result = plan({
          ...(unique ? { optimum: uniqueTokenOptimum(unique.repetition, unique.U) } : {}),
          ...(evidence.range ? { range: evidence.range } : {}),
          ...(evidence.backtest ? { backtest: evidence.backtest } : {}),
          ...(floor !== undefined ? { floor: { value: floor, source: `the floor given (--floor ${floor})` } } : {}),
          budget,
          fits,
          seqLen: numberOption('seq-len', options.seqLen),
          fitSeqLen: numberOption('fit-seq-len', options.fitSeqLen),
          batchUnit: options.batchUnit,
        });
        // Where the store holds learning-rate sweeps at several sizes: where the planned model's rate diverges.
        const stability = storeRuns ? stabilityFromRuns(storeRuns, result.model.N.value, { level: result.level }) : undefined;
        if (stability) {
          result.stability = stability;
          const f = stability.forecast;
          if (f && result.learningRate && result.learningRate.value > f.interval[0])
            result.warnings.push(
              `the peak learning rate ${formatNumber(result.learningRate.value, 3)} is above ${result.learningRate.value > f.threshold ? 'the predicted divergence threshold' : 'the lower end of the divergence interval'} at N = ${formatNumber(f.N, 3)} (${formatNumber(f.threshold, 3)}, interval ${formatNumber(f.interval[0], 3)} to ${formatNumber(f.interval[1], 3)}): lower it`,
            );
        }
        const constrained = unique ? dataConstrainedSummary(unique.values, result.budget.compute, unique.U, { source: unique.repetition.source }) : undefined;
        if (constrained && unique) result.warnings.push(...repetitionRangeWarnings(constrained, unique.repetition));
        if (unique && !unique.repetition.samples) result.warnings.push(`intervals under --unique-tokens hold R_D* and R_N* at ${unique.repetition.source}: their own uncertainty is not in them`);
        const fixedDataFits = await compareEnsemblesOption(options, unique, result.budget.compute, fits);
        const fixedData = fixedDataFits?.comparison;
        // With --compare-ensembles, one --chart file holds both charts, the fixed-data one under the data-constrained one.
        if (constrained && options.chart) await (fixedDataFits ? writeFixedDataChart(options.chart, fixedDataFits, constrained) : writeDataConstrainedChart(options.chart, constrained));
        const nextRuns = nextRunsOption(options, result, fits, storeData);
        let sensitivity: ReturnType<typeof planSensitivity> | undefined;
        if (options.sensitivity) {
          const source = result.fits.find((f) => f.role === 'scaling')!.source;
          const scaling = fits.find((f) => f.source === source)!.fit as ScalingFit;
          sensitivity = withBatchSensitivity(planSensitivity(scaling, result.budget.compute, unique ? { uniqueTokens: unique.U, repetition: unique.repetition } : {}), result, scaling);
        }
        if (options.html) {
          const source = result.fits.find((r) => r.role === 'scaling')!.source;
          const scaling = fits.find((f) => f.source === source)!.fit as ScalingFit;
          writeFileSync(
            options.html,
            await planHtml(result, scaling, {
              ...(constrained ? { dataConstrained: constrained } : {}),
              ...(sensitivity ? { sensitivity } : {}),
              ...(fixedDataFits ? { fixedData: fixedDataFits } : {}),
            }),
          );
        }
        if (options.savePrediction) {
          // The loss-curve fit's predicted curve for the recommended schedule over the planned steps.
          const curve = fits.find((f) => f.fit.kind === 'curve-fit');
          if (!curve) throw new InputError('--save-prediction: needs a loss-curve fit (kind "curve-fit", from `scalelaw curve fit --resamples`) among --fit', 'save-prediction');
          const curveFit = curve.fit as CurveFit;
          const saved = lossPrediction(curveFit, plannedSchedule(curveFit, result.steps!), { source: curve.source });
          writeFileAtomic(options.savePrediction, JSON.stringify(saved) + '\n');
          process.stderr.write(`scalelaw: wrote the predicted loss curve of the planned schedule to ${options.savePrediction}\n`);
        }
        if (options.json)
          return printJson({
            ...result,
            ...(constrained ? { dataConstrained: constrained } : {}),
            ...(nextRuns ? { nextRuns } : {}),
            ...(sensitivity ? { sensitivity } : {}),
            ...(fixedData ? { fixedData } : {}),
          });
        process.stdout.write(planReport(result) + '\n');
        if (constrained) process.stdout.write('\n' + dataConstrainedReport(constrained) + '\n');
        if (fixedData) process.stdout.write('\n' + fixedDataReport(fixedData) + '\n');
        if (nextRuns) process.stdout.write('\n' + nextRunsReport(nextRuns, result.level) + '\n');
        if (sensitivity) process.stdout.write('\n' + sensitivityReport(sensitivity) + '\n');
        if (options.html) process.stdout.write(`\nHTML report: ${options.html}\n`);
      }),
    );
}

/** --unique-tokens and --repetition-fit, checked: U, R_D* and R_N*, and the law's values with the scaling fit's constants. */
function uniqueTokensOption(options: PlanCliOptions, fits: readonly { fit: PlannerFit; source: string }[]) {
  const U = numberOption('unique-tokens', options.uniqueTokens);
  if (U === undefined) {
    if (options.repetitionFit) throw new InputError('--repetition-fit: needs --unique-tokens', 'repetitionFit');
    return undefined;
  }
  if (!(U >= 1)) throw new InputError(`--unique-tokens: must be at least 1 token; got ${show(U)}`, 'uniqueTokens');
  let repetition: RepetitionConstants = PUBLISHED_REPETITION;
  if (options.repetitionFit) {
    if (!existsSync(options.repetitionFit)) throw new InputError(`--repetition-fit: no such file: ${show(options.repetitionFit)}`, 'repetitionFit');
    repetition = repetitionFromFit(loadFit(options.repetitionFit, 'scaling-fit'), options.repetitionFit);
  }
  const scaling = fits.find((f) => f.fit.kind === 'scaling-fit' && (f.fit.law === 'chinchilla' || f.fit.law === 'kaplan'));
  if (!scaling) throw new InputError(`--unique-tokens: needs a chinchilla scaling fit (--fit or --store); got ${fits.map((f) => `${f.source} (law ${f.fit.law})`).join(', ') || 'none'}`, 'fit');
  return { U, repetition, values: combineRepetition(scaling.fit as ScalingFit, repetition, scaling.source) };
}

/** --next-runs: the ranking for the plan's compute-optimal N and D, on the scaling fit's own runs (the store's, or the saved fit's data file). */
function nextRunsOption(
  options: PlanCliOptions,
  result: ReturnType<typeof plan>,
  fits: readonly { fit: PlannerFit; source: string }[],
  storeData: { N: number[]; D: number[]; loss: number[] } | undefined,
) {
  const count = numberOption('next-runs', options.nextRuns);
  if (count === undefined) return undefined;
  if (!Number.isInteger(count) || count < 1) throw new InputError(`--next-runs: must be a positive integer; got ${show(count)}`, 'nextRuns');
  const source = result.fits.find((f) => f.role === 'scaling')!.source;
  const scaling = fits.find((f) => f.source === source)!.fit as ScalingFit;
  let data = options.store && source === `${options.store} (scaling fit)` ? storeData : undefined;
  if (!data) {
    const found = findFitData(scaling);
    if (!found.found)
      throw new InputError(`--next-runs: the runs ${source} was fitted on are needed and were not found (${found.reason}); plan from --store, or keep the data where the fit names it`, 'nextRuns');
    const t = found.table;
    if (!t.N || !t.D) throw new InputError(`--next-runs: ${found.path} has no N and D columns`, 'nextRuns');
    data = { N: Array.from(t.N), D: Array.from(t.D), loss: Array.from(t.loss) };
  }
  return rankNextRuns(scaling, data, { N: result.model.N.value, D: result.model.D.value }, { count });
}

/**
 * --compare-ensembles: Kim et al. 2025's fits on the runs at the unique-token budget, and the
 * comparison of "more epochs" (the data-constrained law of --unique-tokens, with the scaling fit's
 * resamples), "bigger model" and "ensemble of K" at the plan's compute.
 */
async function compareEnsemblesOption(
  options: PlanCliOptions,
  unique: ReturnType<typeof uniqueTokensOption>,
  compute: number,
  fits: readonly { fit: PlannerFit; source: string }[],
): Promise<(FixedDataChartInput & { comparison: FixedDataComparison }) | undefined> {
  const path = options.compareEnsembles;
  if (path === undefined) return undefined;
  if (!unique) throw new InputError('--compare-ensembles: needs --unique-tokens (the unique-token budget the runs were trained at)', 'compareEnsembles');
  if (!existsSync(path)) throw new InputError(`--compare-ensembles: no such file: ${show(path)}`, 'compareEnsembles');
  const runs = fixedDataRuns(readObservations(path, { derive: false }), unique.U, path);
  const fitOptions = { seed: 0, resamples: 200, level: 0.9, source: path, ...(runs.noise !== undefined ? { noise: runs.noise } : {}) };
  const notes = [...runs.warnings];
  const sizes = new Set(runs.single.map((r) => r.N)).size;
  const parameters = sizes >= 3 ? await fitParameterScaling(runs.single, fitOptions) : undefined;
  if (!parameters) notes.push(`bigger model: ${sizes} model size${sizes === 1 ? '' : 's'} with K = 1 in ${path}; the power law in N needs 3 or more`);
  const withLaw = [...new Set(runs.ensemble.map((r) => r.N))].filter((N) => new Set(runs.ensemble.filter((r) => r.N === N).map((r) => r.K)).size >= 3);
  const ensembles = withLaw.length > 0 ? await fitEnsembleScaling(runs.ensemble, fitOptions) : undefined;
  if (!ensembles) notes.push(`ensemble of K: no model size in ${path} has runs at 3 or more distinct K`);
  // "More epochs" carries the scaling fit's resamples (A, B, E, alpha, beta) with R_D*, R_N* paired in turn.
  const scaling = fits.find((f) => f.fit.kind === 'scaling-fit' && f.fit.law === 'chinchilla')?.fit as ScalingFit | undefined;
  const names = scaling?.params.map((q) => q.name) ?? [];
  const draws = (scaling?.bootstrap?.samples ?? []).slice(0, 200);
  const samples: DataConstrainedValues[] = draws.map((s, k) => {
    const v = Object.fromEntries(names.map((name, j) => [name, s[j]!]));
    const r = unique.repetition.samples?.length ? unique.repetition.samples[k % unique.repetition.samples.length]! : unique.repetition;
    return { A: v.A!, B: v.B!, E: v.E!, alpha: v.alpha!, beta: v.beta!, RD: r.RD, RN: r.RN };
  });
  const comparison = compareAtFixedData({
    uniqueTokens: unique.U,
    compute,
    epochs: { values: unique.values, samples, source: `the data-constrained law (${unique.repetition.source})` },
    ...(parameters ? { parameters: { fit: parameters, tokens: tokensBySize(runs.single), source: path } } : {}),
    ...(ensembles ? { ensembles: { fit: ensembles, tokens: tokensBySize(runs.ensemble), source: path } } : {}),
  });
  comparison.warnings.unshift(...notes);
  return {
    comparison,
    ...(parameters ? { parameters: { fit: parameters, runs: runs.single } } : {}),
    ...(ensembles ? { ensembles: { fit: ensembles, runs: runs.ensemble } } : {}),
  };
}
