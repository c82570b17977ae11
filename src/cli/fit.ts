import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { observations, type ObservationTable } from '../core/observations.js';
import { openStore } from '../io/store.js';
import { runObservations } from '../plan/from-runs.js';
import { InputError, show } from '../core/errors.js';
import { bootstrap } from '../fit/bootstrap.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { saveFit } from '../fit/load.js';
import type { Fit } from '../fit/result.js';
import { huber, squared } from '../fit/objective.js';
import { readObservations } from '../io/read-observations.js';
import { getLaw } from '../laws/registry.js';
import { backtestScaling, type ScalingBacktest } from '../plan/backtest.js';
import { checkpointData } from '../plan/checkpoints.js';
import { action, numberOption, parseFixed, printJson, countOption, checkOutputPath } from './util.js';

interface FitCliOptions {
  law: string;
  bootstrap?: string;
  seed: string;
  threads?: string;
  out?: string;
  loss: string;
  delta: string;
  huberDelta?: string;
  space: string;
  optimizer: string;
  fix?: string[];
  json?: boolean;
  backtest: boolean;
  checkpoints?: string;
  seedWeights: boolean;
}

/**
 * Prints each of a fit's warnings (iteration cap, bound, unidentified parameter) to stderr, one line
 * each, naming the parameter: the report on stdout, or its JSON, may go to a file.
 */
export function printFitWarnings(fit: Fit): void {
  for (const w of fit.warnings ?? []) process.stderr.write(`scalelaw: warning: fit of ${fit.law}: ${w.message}\n`);
}

/** A data file, or a run store: its finished runs' N, tokens and final loss (as `plan --store` reads them). */
function readFitInput(file: string): ObservationTable {
  if (!(existsSync(file) && statSync(file).isDirectory())) return readObservations(file);
  const runs = openStore(file).runs();
  if (runs.length === 0) throw new InputError(`${file}: is a folder with no runs in it; give a table of runs or a run store`, 'file');
  const obs = runObservations(runs);
  if (obs.length === 0) throw new InputError(`${file}: no finished run with N, tokens and a final loss (of ${runs.length} runs)`, 'file');
  return observations({ N: obs.map((o) => o.N), D: obs.map((o) => o.D), loss: obs.map((o) => o.loss) }, { source: `${file}: ${obs.length} finished runs` });
}

export function register(program: Command): void {
  program
    .command('fit')
    .description('fit a scaling law to a table of runs (CSV, TSV, JSON, JSONL, Arrow); multistart L-BFGS-B, optional bootstrap')
    .argument('<file>', 'observations: columns for N (parameters), D (tokens) or C (FLOPs), and loss; or a run store (its finished runs)')
    .requiredOption('--law <name>', 'law to fit, e.g. chinchilla, kaplan, power-N')
    .option('--bootstrap <resamples>', 'bootstrap resamples for standard errors and intervals (e.g. 1000)')
    .option('--seed <n>', 'bootstrap seed', '0')
    .option('--threads <n>', 'worker threads (default: every core)')
    .option('--loss <name>', 'huber or squared', 'huber')
    .option('--delta <d>', 'Huber delta', '1e-3')
    .option('--huber-delta <d>', 'the same as --delta (unambiguous: stop --delta is a probability)')
    .option('--space <space>', 'residuals in log or linear space', 'log')
    .option('--optimizer <name>', 'lbfgsb or lm (Levenberg-Marquardt, squared loss only)', 'lbfgsb')
    .option('--fix <name=value...>', 'hold parameters fixed, e.g. --fix E=1.69')
    .option(
      '--checkpoints <fraction>',
      "the file holds checkpoints of runs (a run column): fit on those past this fraction of each run's tokens (Choshen et al. 2024 use 0.1), each run weighted once; 1: final checkpoints only",
    )
    .option('--no-seed-weights', 'with --checkpoints: do not weight configurations by their seed-to-seed variance (runs with the same N and final tokens)')
    .option('--out <file>', 'write the fit as JSON (load it with predict, optimal, plan)')
    .option('--json', 'print the fit as JSON instead of the report')
    .option('--no-backtest', 'skip the rolling backtest over N (refit on the smaller models, predict the larger) that ends the report')
    .action(
      action(async (file: string, options: FitCliOptions) => {
        checkOutputPath('out', options.out);
        if (options.loss !== 'huber' && options.loss !== 'squared') throw new InputError(`--loss: must be huber or squared, got ${show(options.loss)}`, 'loss');
        if (options.space !== 'log' && options.space !== 'linear') throw new InputError(`--space: must be log or linear, got ${show(options.space)}`, 'space');
        if (options.optimizer !== 'lbfgsb' && options.optimizer !== 'lm') throw new InputError(`--optimizer: must be lbfgsb or lm, got ${show(options.optimizer)}`, 'optimizer');
        const resamples = countOption('bootstrap', options.bootstrap, 0);
        const threads = countOption('threads', options.threads);
        const table = readFitInput(file);
        const fitOptions: FitOptions = {
          loss: options.loss === 'huber' ? huber(numberOption(options.huberDelta !== undefined ? 'huber-delta' : 'delta', options.huberDelta ?? options.delta, { above: 0 })) : squared(),
          space: options.space,
          optimizer: options.optimizer,
          fixed: parseFixed(options.fix),
          ...(threads !== undefined ? { threads } : {}),
        };
        const fraction = numberOption('checkpoints', options.checkpoints);
        let data: Parameters<typeof fitLaw>[1] = table;
        let groups: string[] | undefined;
        if (fraction !== undefined) {
          const runs = table.extra.run;
          if (!runs) throw new InputError(`--checkpoints: ${file} needs a run column naming the run of each checkpoint`, 'run');
          if (!table.N || !table.D) throw new InputError(`--checkpoints: ${file} needs N and D (tokens seen at the checkpoint) columns`, 'D');
          const d = checkpointData(
            runs.map((run, i) => ({ run: String(run), N: table.N![i]!, D: table.D![i]!, loss: table.loss[i]! })),
            { minFraction: fraction, seedWeights: options.seedWeights, source: file },
          );
          if (!options.json) process.stderr.write(`scalelaw: note: ${d.kept} checkpoints of ${d.runs} runs${d.seedNoise ? `; ${d.seedNoise.note}` : ''}\n`);
          data = d;
          groups = d.groups;
          fitOptions.weights = d.weights;
        }
        let fit = await fitLaw(options.law, data, fitOptions);
        if (resamples !== undefined) {
          fit = await bootstrap(fit, data, {
            ...(groups ? { groups, weights: fitOptions.weights } : {}),
            resamples,
            seed: numberOption('seed', options.seed, { integer: true })!,
            ...(threads !== undefined ? { threads } : {}),
            onProgress: options.json ? undefined : (done, total) => process.stderr.write(`\rbootstrap ${done}/${total}`),
          });
          if (!options.json) process.stderr.write('\n');
        }
        printFitWarnings(fit);
        // The report ends with how well this law, fitted this way, predicted sizes it had not seen.
        let backtest: ScalingBacktest | undefined;
        let backtestNote: string | undefined;
        if (options.backtest && !options.json && fraction !== undefined) backtestNote = 'not run on a checkpoint fit (bench/checkpoint-backtest.ts backtests one against the final-loss fit)';
        else if (options.backtest && !options.json && getLaw(fit.law).inputs.includes('N')) {
          try {
            backtest = await backtestScaling(fit, table, { bootstrap: 0, ...(threads !== undefined ? { threads } : {}) });
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            backtestNote = error.message;
          }
        }
        if (options.out) saveFit(fit, options.out);
        if (options.json) return printJson(fit);
        process.stdout.write(fit.report() + '\n');
        if (backtest) process.stdout.write(`${backtest.report()}\n`);
        else if (backtestNote) process.stdout.write(`[[Backtest]]\n    ${backtestNote.startsWith('not run') ? '' : 'not run: '}${backtestNote}\n`);
        if (options.out) process.stdout.write(`wrote ${options.out}\n`);
      }),
    );
}
