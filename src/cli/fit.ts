import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { bootstrap } from '../fit/bootstrap.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { saveFit } from '../fit/load.js';
import type { Fit } from '../fit/result.js';
import { huber, squared } from '../fit/objective.js';
import { readObservations } from '../io/read-observations.js';
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
    .option('--huber-delta <d>', 'the same as --delta (unambiguous: stop --delta is a probability)')
    .option('--space <space>', 'residuals in log or linear space', 'log')
    .option('--optimizer <name>', 'lbfgsb or lm (Levenberg-Marquardt, squared loss only)', 'lbfgsb')
    .option('--fix <name=value...>', 'hold parameters fixed, e.g. --fix E=1.69')
    .option('--out <file>', 'write the fit as JSON (load it with predict, optimal, plan)')
    .option('--json', 'print the fit as JSON instead of the report')
    .action(
      action(async (file: string, options: FitCliOptions) => {
        checkOutputPath('out', options.out);
        if (options.loss !== 'huber' && options.loss !== 'squared') throw new InputError(`--loss: must be huber or squared, got ${show(options.loss)}`, 'loss');
        if (options.space !== 'log' && options.space !== 'linear') throw new InputError(`--space: must be log or linear, got ${show(options.space)}`, 'space');
        if (options.optimizer !== 'lbfgsb' && options.optimizer !== 'lm') throw new InputError(`--optimizer: must be lbfgsb or lm, got ${show(options.optimizer)}`, 'optimizer');
        const resamples = countOption('bootstrap', options.bootstrap, 0);
        const threads = countOption('threads', options.threads);
        const table = readObservations(file);
        const fitOptions: FitOptions = {
          loss: options.loss === 'huber' ? huber(numberOption(options.huberDelta !== undefined ? 'huber-delta' : 'delta', options.huberDelta ?? options.delta, { above: 0 })) : squared(),
          space: options.space,
          optimizer: options.optimizer,
          fixed: parseFixed(options.fix),
          ...(threads !== undefined ? { threads } : {}),
        };
        let fit = await fitLaw(options.law, table, fitOptions);
        if (resamples !== undefined) {
          fit = await bootstrap(fit, table, {
            resamples,
            seed: numberOption('seed', options.seed, { integer: true })!,
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
