import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import type { ScalingFit } from '../fit/result.js';
import { bootstrap } from '../fit/bootstrap.js';
import { openStore } from '../io/store.js';
import { resolveBudget } from '../plan/budget.js';
import { fitsFromRuns } from '../plan/from-runs.js';
import { plan, readFitFile, type PlannerFit } from '../plan/planner.js';
import { planReport } from '../plan/plan-report.js';
import { planHtml } from '../plan/report-html.js';
import { backtestFromJSON, backtestMatches, backtestScaling, type ScalingBacktestRecord } from '../plan/backtest.js';
import { findFitData } from '../plan/fit-data.js';
import { rangeOf, type FittedRange } from '../plan/honesty.js';
import { action, numberOption, printJson, checkOutputPath } from './util.js';

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
    .action(
      action(async (options: PlanCliOptions) => {
        checkOutputPath('html', options.html);
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
        const files = options.fit ?? (options.store ? [] : [DEFAULT_FIT]);
        for (const f of files) if (!existsSync(f)) throw new InputError(`--fit: no such file: ${show(f)}`, 'fit');
        const fits: { fit: PlannerFit; source: string }[] = files.map((source) => ({ fit: readFitFile(source), source }));
        let storeEvidence: Awaited<ReturnType<typeof fitEvidence>> = {};
        if (options.store) {
          if (!existsSync(options.store)) throw new InputError(`--store: no such directory: ${show(options.store)}`, 'store');
          const runs = openStore(options.store).runs();
          const fromRuns = await fitsFromRuns(runs, { source: options.store, bootstrap: (fit, data) => bootstrap(fit, data, { resamples: 200, seed: 0, level: 0.9 }) });
          fits.push({ fit: fromRuns.scaling, source: `${options.store} (scaling fit)` });
          const data = {
            inputs: { N: Float64Array.from(fromRuns.observations, (o) => o.N), D: Float64Array.from(fromRuns.observations, (o) => o.D) },
            loss: Float64Array.from(fromRuns.observations, (o) => o.loss),
            source: fromRuns.scaling.data.source,
          };
          storeEvidence = { range: rangeOf(data.inputs, data.source) };
          if (options.backtest) {
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
        const result = plan({
          ...(evidence.range ? { range: evidence.range } : {}),
          ...(evidence.backtest ? { backtest: evidence.backtest } : {}),
          ...(floor !== undefined ? { floor: { value: floor, source: `the floor given (--floor ${floor})` } } : {}),
          budget,
          fits,
          seqLen: numberOption('seq-len', options.seqLen),
          fitSeqLen: numberOption('fit-seq-len', options.fitSeqLen),
          batchUnit: options.batchUnit,
        });
        if (options.html) {
          const source = result.fits.find((r) => r.role === 'scaling')!.source;
          const scaling = fits.find((f) => f.source === source)!.fit as ScalingFit;
          writeFileSync(options.html, await planHtml(result, scaling));
        }
        if (options.json) return printJson(result);
        process.stdout.write(planReport(result) + '\n');
        if (options.html) process.stdout.write(`\nHTML report: ${options.html}\n`);
      }),
    );
}
