import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { bootstrap } from '../fit/bootstrap.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { saveFit } from '../fit/load.js';
import type { Fit } from '../fit/result.js';
import { huber, squared } from '../fit/objective.js';
import { readObservations } from '../io/read-observations.js';
import { checkpointData } from '../plan/checkpoints.js';
import { action, numberOption, parseFixed, printJson } from './util.js';

interface FitCliOptions {
  law: string;
  bootstrap?: string;
  seed: string;
  threads?: string;
  out?: string;
  loss: string;
  delta: string;
  space: string;
  optimizer: string;
  fix?: string[];
  json?: boolean;
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

export function register(program: Command): void {
  program
    .command('fit')
    .description('fit a scaling law to a table of runs (CSV, TSV, JSON, JSONL, Arrow); multistart L-BFGS-B, optional bootstrap')
    .argument('<file>', 'observations: columns for N (parameters), D (tokens) or C (FLOPs), and loss')
    .requiredOption('--law <name>', 'law to fit, e.g. chinchilla, kaplan, power-N')
    .option('--bootstrap <resamples>', 'bootstrap resamples for standard errors and intervals (e.g. 1000)')
    .option('--seed <n>', 'bootstrap seed', '0')
    .option('--threads <n>', 'worker threads (default: every core)')
    .option('--loss <name>', 'huber or squared', 'huber')
    .option('--delta <d>', 'Huber delta', '1e-3')
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
    .action(
      action(async (file: string, options: FitCliOptions) => {
        if (options.loss !== 'huber' && options.loss !== 'squared') throw new InputError(`--loss: must be huber or squared, got ${show(options.loss)}`, 'loss');
        if (options.space !== 'log' && options.space !== 'linear') throw new InputError(`--space: must be log or linear, got ${show(options.space)}`, 'space');
        if (options.optimizer !== 'lbfgsb' && options.optimizer !== 'lm') throw new InputError(`--optimizer: must be lbfgsb or lm, got ${show(options.optimizer)}`, 'optimizer');
        const resamples = numberOption('bootstrap', options.bootstrap);
        const threads = numberOption('threads', options.threads);
        const table = readObservations(file);
        const fitOptions: FitOptions = {
          loss: options.loss === 'huber' ? huber(numberOption('delta', options.delta)) : squared(),
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
            seed: numberOption('seed', options.seed)!,
            ...(threads !== undefined ? { threads } : {}),
            onProgress: options.json ? undefined : (done, total) => process.stderr.write(`\rbootstrap ${done}/${total}`),
          });
          if (!options.json) process.stderr.write('\n');
        }
        printFitWarnings(fit);
        if (options.out) saveFit(fit, options.out);
        if (options.json) return printJson(fit);
        process.stdout.write(fit.report() + '\n');
        if (options.out) process.stdout.write(`wrote ${options.out}\n`);
      }),
    );
}
