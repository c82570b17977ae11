import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { filterObservations } from '../core/observations.js';
import { loadFit } from '../fit/load.js';
import { huber, squared } from '../fit/objective.js';
import type { FitOptions } from '../fit/fit.js';
import { readObservations } from '../io/read-observations.js';
import { backtestScaling } from '../plan/backtest.js';
import { backtestExtrapolation } from '../extrapolation/backtest.js';
import { learningCurve, type Goal } from '../extrapolation/curve.js';
import { guessGoal, readCurvesCsv } from '../extrapolation/read-curve.js';
import { action, numberOption, parseFixed, printJson, countOption, levelOption, checkOutputPath } from './util.js';

interface BacktestCliOptions {
  law?: string;
  fit?: string;
  trainMaxN?: string[];
  testMinN?: string;
  bootstrap: string;
  seed: string;
  level: string;
  dropHighest: string;
  loss: string;
  delta: string;
  huberDelta?: string;
  fix?: string[];
  threads?: string;
  out?: string;
  json?: boolean;
  extrapolator?: string;
  fractions: string;
  goal?: string;
}

/** `backtest --extrapolator`: finished curves cut at each fraction and extrapolated to their last step. */
function extrapolatorBacktest(file: string, options: BacktestCliOptions): void {
  const method = options.extrapolator;
  if (method !== 'fast' && method !== 'ensemble') throw new InputError(`--extrapolator: must be fast or ensemble, got ${show(method)}`, 'extrapolator');
  if (options.law !== undefined || options.fit !== undefined) throw new InputError('--extrapolator backtests finished curves: give no --law or --fit with it', 'extrapolator');
  if (options.goal !== undefined && options.goal !== 'min' && options.goal !== 'max') throw new InputError(`--goal: must be min or max, got ${show(options.goal)}`, 'goal');
  const fractions = options.fractions.split(',').map((f) => numberOption('fractions', f.trim())!);
  const runs = readCurvesCsv(file);
  const curves = runs.columns.map((c) => learningCurve(runs.steps, c.values, { goal: (options.goal as Goal | undefined) ?? guessGoal(c.column), source: c.column }));
  const result = backtestExtrapolation(curves, { method, fractions, level: levelOption('level', options.level)!, seed: numberOption('seed', options.seed, { integer: true })! });
  if (options.out) writeFileSync(options.out, JSON.stringify(result, null, 1) + '\n');
  if (options.json) return printJson(result);
  process.stdout.write(result.report() + '\n');
  if (options.out) process.stdout.write(`wrote ${options.out}\n`);
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description(
      'rolling-over-N backtest of a scaling law: fit on the smaller models, predict each larger size; relative error and interval coverage per held-out size (--extrapolator: a learning-curve extrapolator on finished curves)',
    )
    .argument('<file>', 'observations: columns for N (parameters), D (tokens) or C (FLOPs), and loss')
    .option('--law <name>', 'law to fit, e.g. chinchilla (or give --fit)')
    .option('--fit <file>', 'a saved fit whose law, objective and fixed values each cut reproduces')
    .option('--train-max-N <params...>', 'cuts N_k: fit on N <= N_k (default: the sizes at or below N_max / 2, 4, 8, 16)')
    .option('--test-min-N <params>', 'score only held-out sizes with N at or above this')
    .option('--bootstrap <resamples>', 'bootstrap resamples per cut for the interval coverage (0: none)', '100')
    .option('--seed <n>', 'bootstrap seed', '0')
    .option('--level <p>', 'central level of the intervals', '0.9')
    .option('--drop-highest <k>', 'leave out the k highest-loss rows first (Besiroglu et al. 2024 drop 5 of the Chinchilla points)', '0')
    .option('--loss <name>', 'huber or squared (with --law)', 'huber')
    .option('--delta <d>', 'Huber delta (with --law)', '1e-3')
    .option('--huber-delta <d>', 'the same as --delta (unambiguous: stop --delta is a probability)')
    .option('--fix <name=value...>', 'hold parameters fixed, e.g. --fix E=1.69 (with --law)')
    .option('--threads <n>', 'worker threads (default: every core)')
    .option(
      '--extrapolator <method>',
      'backtest a learning-curve extrapolator instead (fast or ensemble): <file> holds finished curves (a step column, then one column per run), each cut at --fractions and extrapolated to its last step',
    )
    .option('--fractions <list>', 'with --extrapolator: fractions of each curve seen, comma-separated', '0.1,0.2,0.4,0.8')
    .option('--goal <min|max>', 'with --extrapolator: whether lower or higher is better (default: guessed from the column names)')
    .option('--out <file>', 'also write the backtest as JSON')
    .option('--json', 'print the backtest as JSON instead of the report')
    .action(
      action(async (file: string, options: BacktestCliOptions) => {
        checkOutputPath('out', options.out);
        if (options.extrapolator !== undefined) return extrapolatorBacktest(file, options);
        if ((options.law === undefined) === (options.fit === undefined)) throw new InputError(`give --law or --fit (one of them); got ${options.law === undefined ? 'neither' : 'both'}`, 'law');
        if (options.loss !== 'huber' && options.loss !== 'squared') throw new InputError(`--loss: must be huber or squared, got ${show(options.loss)}`, 'loss');
        const drop = numberOption('drop-highest', options.dropHighest)!;
        if (!(Number.isInteger(drop) && drop >= 0)) throw new InputError(`--drop-highest: must be a whole number of rows, got ${show(options.dropHighest)}`, 'dropHighest');
        const threads = countOption('threads', options.threads);
        let table = readObservations(file);
        if (drop > 0) {
          if (drop >= table.length) throw new InputError(`--drop-highest: ${drop} rows would leave none of the ${table.length}`, 'dropHighest');
          const order = Array.from(table.loss.keys()).sort((a, b) => table.loss[b]! - table.loss[a]!);
          const dropped = new Set(order.slice(0, drop));
          const all = table;
          table = filterObservations(all, (i) => !dropped.has(i), `one of the ${drop} highest losses`);
        }
        const cuts = options.trainMaxN?.map((c) => numberOption('train-max-N', c)!);
        const fitOptions: FitOptions | undefined =
          options.law !== undefined
            ? {
                loss: options.loss === 'huber' ? huber(numberOption(options.huberDelta !== undefined ? 'huber-delta' : 'delta', options.huberDelta ?? options.delta, { above: 0 })) : squared(),
                fixed: parseFixed(options.fix),
              }
            : undefined;
        const result = await backtestScaling(options.fit !== undefined ? loadFit(options.fit) : options.law!, table, {
          ...(cuts ? { cuts } : {}),
          ...(options.testMinN !== undefined ? { testMinN: numberOption('test-min-N', options.testMinN)! } : {}),
          bootstrap: countOption('bootstrap', options.bootstrap, 0)!,
          seed: numberOption('seed', options.seed, { integer: true })!,
          level: levelOption('level', options.level)!,
          ...(fitOptions ? { fitOptions } : {}),
          ...(threads !== undefined ? { threads } : {}),
        });
        if (options.out) writeFileSync(options.out, JSON.stringify(result, null, 1) + '\n');
        if (options.json) return printJson(result);
        process.stdout.write(result.report() + '\n');
        if (options.out) process.stdout.write(`wrote ${options.out}\n`);
      }),
    );
}
