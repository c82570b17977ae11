import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { warn } from '../core/warn.js';
import type { CurveInput } from '../laws/curve-points.js';
import { bestSchedule, bestWsdCooldown, budgetFromFit, chooseCooldown, refinedFamily, scheduleFamilies, type Budget } from '../plan/schedule-choice.js';
import { fitCurves } from '../fit/fit-curves.js';
import { optimizeSchedule } from '../plan/optimize-schedule.js';
import { predictCurve } from '../fit/predict-curve.js';
import { loadFit } from '../fit/load.js';
import { getLaw, listLaws } from '../laws/registry.js';
import { backtestCurveFit } from '../plan/curve-backtest.js';
import { printFitWarnings } from './fit.js';
import type { CurveFit } from '../fit/result.js';
import { parseNumericCsv } from '../io/csv.js';
import { readScheduleCsv } from '../schedules/custom.js';
import { validateSchedule } from '../schedules/schedule.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import { action, formatNumber, numberOption, printJson, table, countOption, levelOption, checkOutputPath, readInputText } from './util.js';

const readText = readInputText;

/** A schedule from a JSON spec file, or from a CSV file of per-step rates (column lr). */
export function readSchedule(path: string): ScheduleSpec {
  if (path.toLowerCase().endsWith('.csv')) {
    readText(path, 'schedule');
    return readScheduleCsv(path);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(readText(path, 'schedule'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`schedule ${path}: not valid JSON`, 'schedule');
  }
  try {
    validateSchedule(spec);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${path}: ${error.message}`, error.field);
    throw error;
  }
  return spec;
}

function readCurve(path: string, schedule: ScheduleSpec, options: { stepColumn: string; lossColumn: string; N?: number }): CurveInput {
  const csv = parseNumericCsv(readText(path, 'curve'), path);
  const steps = csv.columns[options.stepColumn];
  const loss = csv.columns[options.lossColumn];
  if (!steps) throw new InputError(`${path}: no column ${show(options.stepColumn)}; columns: ${csv.names.join(', ')}`, 'step-column');
  if (!loss) throw new InputError(`${path}: no column ${show(options.lossColumn)}; columns: ${csv.names.join(', ')}`, 'loss-column');
  if (steps.length === 0) throw new InputError(`${path}: no rows after the header (columns: ${csv.names.join(', ')})`, 'curve');
  for (let i = 1; i < steps.length; i++) {
    if (!(steps[i]! > steps[i - 1]!)) {
      throw new InputError(`${path}: row ${i + 1}, column ${options.stepColumn}: steps must increase, got ${steps[i]} after ${steps[i - 1]}`, 'step-column');
    }
  }
  const name = path.replace(/^.*\//, '').replace(/\.csv$/i, '');
  return { name, schedule, steps, loss, ...(options.N !== undefined ? { N: options.N } : {}) };
}

function readFit(path: string): CurveFit {
  readText(path, 'fit');
  return loadFit(path, 'curve-fit');
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The registered whole-curve laws (those that read a schedule). */
function curveLaws(): string[] {
  return listLaws().filter((name) => getLaw(name).inputs.includes('schedule'));
}

function checkCurveLaw(name: string): void {
  if (!curveLaws().includes(name)) throw new InputError(`--law: must be a whole-curve law (${curveLaws().join(', ')}), got ${show(name)}`, 'law');
}

/** Reads the curve files, one schedule each, as `curve fit` and `curve backtest` take them. */
function readCurves(paths: readonly string[], options: { schedule?: string[]; N?: string; stepColumn: string; lossColumn: string }): CurveInput[] {
  const schedules = options.schedule ?? [];
  if (schedules.length !== paths.length) {
    throw new InputError(`--schedule: ${paths.length} curve files but ${schedules.length} schedules; give one --schedule per curve, in order`, 'schedule');
  }
  const N = numberOption('N', options.N, { above: 0 });
  return paths.map((p, i) => readCurve(p, readSchedule(schedules[i]!), { stepColumn: options.stepColumn, lossColumn: options.lossColumn, ...(N !== undefined ? { N } : {}) }));
}

/** --optimizer: 'adamw' is the old name of Luo et al.'s early-stopped procedure. */
function optimizerOption(value: string | undefined): 'lbfgsb' | 'adamw-early-stopped' | undefined {
  const optimizer = value === 'adamw' ? 'adamw-early-stopped' : value;
  if (optimizer !== undefined && optimizer !== 'adamw-early-stopped' && optimizer !== 'lbfgsb') {
    throw new InputError(`--optimizer: must be lbfgsb or adamw-early-stopped, got ${show(value)}`, 'optimizer');
  }
  return optimizer;
}

/** The logged gradient norms of a run, from a CSV column gradNorm or grad_norm, in row order. */
function readGradNorms(path: string): number[] {
  const csv = parseNumericCsv(readText(path, 'gradient norms'), path);
  const name = ['gradNorm', 'grad_norm'].find((n) => csv.names.includes(n));
  if (!name) throw new InputError(`${path}: no column gradNorm or grad_norm; columns: ${csv.names.join(', ')}`, 'grad-norms');
  const norms = Array.from(csv.columns[name]!).filter((v) => Number.isFinite(v));
  if (norms.length < 2) throw new InputError(`${path}: column ${name}: need at least 2 gradient norms, got ${norms.length}`, 'grad-norms');
  return norms;
}

export function register(program: Command): void {
  const curve = program.command('curve').description('whole loss curves across learning-rate schedules: multi-power and momentum laws');

  curve
    .command('fit')
    .description('fit a whole-curve law to one or more loss curves, each with its schedule')
    .argument('<curves...>', 'CSV files with columns step and loss, one per --schedule, in the same order')
    .option('--schedule <file>', 'schedule of the matching curve: a JSON spec or a CSV of per-step rates (repeat per curve)', collect)
    .option('--law <name>', 'mpl (Luo et al. 2025), momentum or size-aware (Tissue et al. 2024), convex-bound (Schaipp et al. 2025)', 'mpl')
    .option('--N <params>', 'model size, for the size-aware law (same for every curve)')
    .option('--step-column <name>', 'column of logged steps', 'step')
    .option('--loss-column <name>', 'column of losses', 'loss')
    .option('--fix <name=value>', 'hold a parameter fixed, e.g. lambda=0.999 (repeatable)', collect)
    .option('--optimizer <name>', "lbfgsb (to convergence) or adamw-early-stopped (Luo et al. 2025's procedure); default: fitCurves' own")
    .option('--resamples <n>', 'bootstrap resamples for uncertainty bands', '0')
    .option('--bootstrap <n>', 'the same as --resamples (the name fit and isoflop use)')
    .option('--resample-by <what>', 'points or curves', 'points')
    .option('--seed <n>', 'bootstrap seed', '0')
    .option('--out <file>', 'write the fit as JSON (kind "curve-fit")')
    .option('--json', 'print the fit as JSON')
    .option('--no-backtest', 'skip the leave-one-curve-out backtest that ends the report (run with 3 or more curves)')
    .action(
      action(
        async (
          paths: string[],
          options: {
            schedule?: string[];
            law: string;
            N?: string;
            stepColumn: string;
            lossColumn: string;
            fix?: string[];
            resamples: string;
            bootstrap?: string;
            resampleBy: string;
            seed: string;
            optimizer?: string;
            out?: string;
            json?: boolean;
            backtest: boolean;
          },
        ) => {
          checkCurveLaw(options.law);
          checkOutputPath('out', options.out);
          const curves = readCurves(paths, options);
          const fixed: Record<string, number> = {};
          for (const item of options.fix ?? []) {
            const [name, value] = item.split('=');
            const v = numberOption('fix', value);
            if (!name || v === undefined) throw new InputError(`--fix: expected name=value, got ${show(item)}`, 'fix');
            fixed[name] = v;
          }
          const resamples = countOption(options.bootstrap !== undefined ? 'bootstrap' : 'resamples', options.bootstrap ?? options.resamples, 0)!;
          if (options.resampleBy !== 'points' && options.resampleBy !== 'curves') throw new InputError(`--resample-by: must be points or curves, got ${show(options.resampleBy)}`, 'resample-by');
          const optimizer = optimizerOption(options.optimizer);
          const fit = fitCurves(curves, {
            law: options.law,
            fixed,
            resamples,
            resampleBy: options.resampleBy,
            seed: numberOption('seed', options.seed, { integer: true })!,
            ...(optimizer ? { optimizer } : {}),
          });
          printFitWarnings(fit);
          if (options.out) writeFileSync(options.out, JSON.stringify(fit, null, 2) + '\n');
          if (options.json) return printJson(fit);
          process.stdout.write(fit.report() + '\n');
          // Leave one curve out: with two curves, one alone rarely identifies the loss-drop terms.
          if (options.backtest && curves.length >= 3) {
            const backtest = backtestCurveFit(curves, { fit: { law: options.law, fixed, ...(optimizer ? { optimizer } : {}) } });
            process.stdout.write(`\n${backtest.report()}\n`);
          }
          if (options.out) process.stdout.write(`\nwrote ${options.out}\n`);
        },
      ),
    );

  curve
    .command('backtest')
    .description('how well a whole-curve law predicts schedules it never saw: leave one curve out, or fit on --train and predict the rest (final-loss error, ranking)')
    .argument('<curves...>', 'CSV files with columns step and loss, one per --schedule, in the same order')
    .option('--schedule <file>', 'schedule of the matching curve: a JSON spec or a CSV of per-step rates (repeat per curve)', collect)
    .option('--train <name>', 'fit once on these curves (file names without .csv; repeatable) and predict every other; default: leave one out', collect)
    .option('--law <name>', 'the whole-curve law', 'mpl')
    .option('--N <params>', 'model size, for the size-aware law (same for every curve)')
    .option('--step-column <name>', 'column of logged steps', 'step')
    .option('--loss-column <name>', 'column of losses', 'loss')
    .option('--optimizer <name>', 'lbfgsb (to convergence, the default) or adamw-early-stopped')
    .option('--json', 'print the backtest as JSON')
    .action(
      action(async (paths: string[], options: { schedule?: string[]; train?: string[]; law: string; N?: string; stepColumn: string; lossColumn: string; optimizer?: string; json?: boolean }) => {
        checkCurveLaw(options.law);
        const optimizer = optimizerOption(options.optimizer);
        const result = backtestCurveFit(readCurves(paths, options), {
          fit: { law: options.law, ...(optimizer ? { optimizer } : {}) },
          ...(options.train ? { train: options.train } : {}),
        });
        if (options.json) return printJson(result);
        process.stdout.write(result.report() + '\n');
      }),
    );

  curve
    .command('predict')
    .description("predict a schedule's whole loss curve from a saved fit")
    .requiredOption('--fit <file>', 'a fit written by `scalelaw curve fit --out`')
    .requiredOption('--schedule <file>', 'a JSON schedule spec or a CSV of per-step rates')
    .option('--every <n>', 'predict every n steps (default: about 1,000 points)')
    .option('--level <p>', 'coverage of the bootstrap bands', '0.9')
    .option('--N <params>', 'model size, for the size-aware law')
    .option('--out <file>', 'write step,loss[,lower,upper] as CSV')
    .option('--json', 'print the prediction as JSON')
    .action(
      action(async (options: { fit: string; schedule: string; every?: string; level: string; N?: string; out?: string; json?: boolean }) => {
        checkOutputPath('out', options.out);
        const fit = readFit(options.fit);
        const schedule = readSchedule(options.schedule);
        const every = countOption('every', options.every);
        const N = numberOption('N', options.N);
        const p = predictCurve(fit, schedule, { level: levelOption('level', options.level)!, ...(every !== undefined ? { every } : {}), ...(N !== undefined ? { N } : {}) });
        // Whole-curve laws are fitted after warmup (Luo et al. 2025 start at its end): during warmup
        // the area S1 is near 0 and the law's loss is an extrapolation (1675.9 at step 1), not a prediction.
        const warmup = 'warmup' in schedule && typeof schedule.warmup === 'number' ? schedule.warmup : 0;
        const early = Array.from(p.steps).filter((s) => s < warmup).length;
        const warnings =
          early > 0
            ? [
                `${early} of the predicted steps lie in the warmup (before step ${warmup}), outside what whole-curve laws are fitted to: their losses (${formatNumber(p.loss[0]!)} at step ${p.steps[0]}) are extrapolations`,
              ]
            : [];
        for (const w of warnings) warn(w);
        const rows = Array.from(p.steps, (s, i) => (p.lower ? [s, p.loss[i]!, p.lower[i]!, p.upper![i]!] : [s, p.loss[i]!]));
        const header = p.lower ? ['step', 'loss', 'lower', 'upper'] : ['step', 'loss'];
        if (options.out) writeFileSync(options.out, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
        if (options.json)
          return printJson({
            steps: Array.from(p.steps),
            loss: Array.from(p.loss),
            final: p.final,
            warnings,
            ...(p.lower ? { lower: Array.from(p.lower), upper: Array.from(p.upper!), level: p.level } : {}),
          });
        const shown = rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / 20)) === 0 || i === rows.length - 1);
        process.stdout.write(
          table(
            shown.map((r) => r.map((v, j) => (j === 0 ? String(v) : formatNumber(v, 5)))),
            header,
          ) + '\n',
        );
        process.stdout.write(`\nfinal loss ${formatNumber(p.final, 5)} at step ${p.steps[p.steps.length - 1]}${options.out ? `; wrote ${rows.length} rows to ${options.out}` : ''}\n`);
      }),
    );

  curve
    .command('best-schedule')
    .description("best schedule for a step budget: each family's best member, the best WSD cooldown, and a free-form optimum")
    .requiredOption('--fit <file>', 'a fit written by `scalelaw curve fit --out`')
    .requiredOption('--steps <n>', 'step budget')
    .option('--peak <rate>', "peak rate (default: the fit's training schedules')")
    .option('--warmup <steps>', "warmup steps (default: the fit's training schedules')")
    .option('--final <rate>', 'rate at the end of decays, 0 to decay to zero (default: peak / 10)')
    .option('--N <params>', 'model size, for the size-aware law')
    .option('--no-optimize', 'skip the free-form schedule optimisation')
    .option('--grad-norms <file>', "also rank Defazio et al. 2023's refinement of a run's logged gradient norms (CSV, column gradNorm or grad_norm)")
    .option('--json', 'print the result as JSON')
    .action(
      action(async (options: { fit: string; steps: string; peak?: string; warmup?: string; final?: string; N?: string; optimize: boolean; gradNorms?: string; json?: boolean }) => {
        const fit = readFit(options.fit);
        const steps = countOption('steps', options.steps)!;
        if (!Number.isInteger(steps) || steps < 2) throw new InputError(`--steps: not an integer of at least 2: ${show(options.steps)}`, 'steps');
        const peak = numberOption('peak', options.peak, { above: 0 });
        const warmup = countOption('warmup', options.warmup, 0);
        const final = numberOption('final', options.final, { min: 0 });
        const N = numberOption('N', options.N);
        const budget: Budget = { ...(peak === undefined ? budgetFromFit(fit, steps) : { steps, peak, warmup: 0 }) };
        if (warmup !== undefined) budget.warmup = warmup;
        if (final !== undefined) budget.final = final;
        if (N !== undefined) budget.N = N;
        const families = bestSchedule(fit, budget, options.gradNorms ? [...scheduleFamilies, refinedFamily(readGradNorms(options.gradNorms))] : scheduleFamilies);
        const wsd = bestWsdCooldown(fit, budget);
        const cooldown = chooseCooldown(fit, budget);
        const optimized = options.optimize && (fit.law === 'mpl' || fit.law === 'momentum' || fit.law === 'convex-bound') ? optimizeSchedule(fit, budget) : undefined;
        if (options.json) {
          return printJson({
            budget,
            families: families.map((f) => ({ family: f.family, value: f.value, final: f.final, schedule: f.schedule, ...(f.interval ? { interval: f.interval } : {}) })),
            wsd: { fraction: wsd.fraction, shape: wsd.shape, final: wsd.final, schedule: wsd.schedule, ...(wsd.interval ? { interval: wsd.interval, identified: wsd.identified } : {}) },
            cooldown: { ...cooldown, report: undefined },
            ...(optimized ? { optimized: { final: optimized.final, cosine: optimized.cosine, gain: optimized.gain, message: optimized.message } } : {}),
          });
        }
        process.stdout.write(`budget: ${steps} steps, peak ${formatNumber(budget.peak)}, warmup ${budget.warmup ?? 0}\n\n`);
        process.stdout.write(
          table(
            families.map((f) => [f.family, f.value, formatNumber(f.final, 5)]),
            ['family', 'best value', 'final loss'],
          ) + '\n\n',
        );
        process.stdout.write(`best WSD (${wsd.shape} cooldown): fraction ${wsd.fraction}, final loss ${formatNumber(wsd.final, 5)}\n\n`);
        process.stdout.write(cooldown.report() + '\n');
        if (optimized) {
          process.stdout.write(
            `free-form optimum (non-increasing, <= peak): final loss ${formatNumber(optimized.final, 5)}, ` +
              `${formatNumber(optimized.gain, 3)} below cosine (${formatNumber(optimized.cosine, 5)})\n`,
          );
        }
      }),
    );
}
