import { existsSync, statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { batchRamp, type BatchRamp } from '../batch/batch-ramp.js';
import { batchTrajectoryReport, fitLossVsSteps, type BcritParams, type LossStepsParams, predictBatchTrajectory, stepsToLoss } from '../batch/batch-trajectory.js';
import { bcritVsLossReport, criticalBatch, criticalBatchReport, fitBcritVsLoss } from '../batch/critical-batch.js';
import { gnsFromLog, gnsFromRuns, gnsRunsReport, gnsSeriesReport, type GradNormRow } from '../batch/gns.js';
import { lrSensitivity, lrSensitivityReport } from '../batch/lr-sensitivity.js';
import { optimalBatchLr, optimalBatchLrReport } from '../batch/optimal-batch-lr.js';
import { InputError, show } from '../core/errors.js';
import { formatTable } from '../core/format.js';
import { rng } from '../core/rng.js';
import { warn } from '../core/warn.js';
import type { Run } from '../core/run.js';
import { readRuns } from '../io/read-runs.js';
import { openStore } from '../io/store.js';
import { readTable } from '../io/table-file.js';
import { stepsExamplesChart } from '../plot/batch.js';
import { renderPNG, renderSVG } from '../plot/render.js';
import { parseNumber } from '../io/units.js';
import { action, formatNumber, numberOption, printJson, countOption, checkOutputPath, levelOption } from './util.js';

interface BatchOptions {
  targetLoss?: string;
  referenceBatch: string;
  overhead: string;
  metric: string;
  excludeUnreached?: boolean;
  predictLoss?: string;
  plot?: string;
  json?: boolean;
}

/** Runs from a run-store directory or a long-format trajectory file. */
function loadRuns(path: string): Run[] {
  if (!existsSync(path)) throw new InputError(`${path}: no such file or directory`, 'path');
  const runs = statSync(path).isDirectory() ? openStore(path).runs() : readRuns(path);
  if (runs.length === 0) throw new InputError(`${path}: no runs`, 'path');
  return runs;
}

function targetList(text: string): number[] {
  const values = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (values.length === 0) throw new InputError(`--target-loss: no values in ${show(text)}`, 'target-loss');
  return values.map((t) => {
    const v = Number(t);
    if (!Number.isFinite(v) || v <= 0) throw new InputError(`--target-loss: not a positive number: ${show(t)}`, 'target-loss');
    return v;
  });
}

export function register(program: Command): void {
  const batch = program
    .command('batch')
    .description("critical batch size from runs at several batch sizes: steps to a target loss, S(B) = S_min + E_min / B, B_crit and Zhang et al.'s CBS")
    .argument('<path>', 'a run-store directory or a trajectory file (CSV, JSONL, ...) with batch size per run')
    .option('--target-loss <losses>', 'target loss, or several separated by commas (e.g. 3.6,3.4,3.2); required')
    .option('--reference-batch <n>', "reference batch size B0 for Zhang et al.'s CBS", '256')
    .option('--overhead <x>', "step overhead over linear scaling for Zhang et al.'s CBS", '0.2')
    .option('--metric <name>', 'evalLoss or trainLoss', 'evalLoss')
    .option('--exclude-unreached', 'leave out (and list) runs that never reach a target instead of failing')
    .option('--predict-loss <loss>', "with 2+ targets: B_crit at this loss from Kaplan's B* / L^(1 / alpha_B)")
    .option('--plot <file>', 'write the steps-versus-examples chart: .svg, .png, or .json (the Vega-Lite spec)')
    .option('--json', 'print the analysis as JSON')
    .action(
      action(async (path: string, options: BatchOptions) => {
        checkOutputPath('plot', options.plot);
        const plotFormat = options.plot === undefined ? undefined : extname(options.plot).toLowerCase();
        if (plotFormat !== undefined && !['.svg', '.png', '.json'].includes(plotFormat)) {
          throw new InputError(`--plot: file must end in .svg, .png or .json, got ${show(options.plot)}`, 'plot');
        }
        // Not a commander requiredOption: that would also be demanded of `batch gns`.
        if (options.targetLoss === undefined) throw new InputError('--target-loss: required (one loss, or several separated by commas)', 'target-loss');
        const targets = targetList(options.targetLoss);
        const referenceBatch = numberOption('reference-batch', options.referenceBatch, { above: 0 })!;
        const overhead = numberOption('overhead', options.overhead, { above: 0 })!;
        const metric = metricOption(options.metric);
        const predictLoss = numberOption('predict-loss', options.predictLoss);
        const runs = loadRuns(path);
        const sizes = new Set(runs.map((r) => r.config.N).filter((n) => n !== undefined));
        if (sizes.size > 1) {
          warn(
            `${path}: the runs span ${sizes.size} model sizes (N ${formatNumber(Math.min(...sizes))} to ${formatNumber(Math.max(...sizes))}); one critical batch size is fitted across them. Give runs of one size, or use \`batch trajectory\` for B_crit by size`,
          );
        }
        const analysis = await criticalBatch(runs, targets, {
          referenceBatch,
          overhead,
          metric,
          unreached: options.excludeUnreached ? 'exclude' : 'error',
        });
        const kaplan = targets.length >= 2 ? await fitBcritVsLoss(analysis) : undefined;
        const predicted = kaplan && predictLoss !== undefined ? kaplan.predict({ L: predictLoss })[0]! : undefined;
        if (predictLoss !== undefined && !kaplan) throw new InputError('--predict-loss: needs at least 2 target losses to fit B_crit(L)', 'predict-loss');
        if (options.plot !== undefined) {
          const group = (t: number) => `loss ${formatNumber(t)}`;
          const spec = stepsExamplesChart(
            {
              points: analysis.targets.flatMap((t) => t.points.map((p) => ({ group: group(t.target), steps: p.steps, examples: p.steps * p.batchSize, batchSize: p.batchSize }))),
              fits: analysis.targets.map((t) => ({ group: group(t.target), sMin: t.Smin, eMin: t.Emin })),
            },
            { title: `Steps vs examples to reach the target (${path})`, legend: 'target loss' },
          );
          if (plotFormat === '.json') writeFileSync(options.plot, JSON.stringify(spec, null, 2) + '\n');
          else if (plotFormat === '.svg') writeFileSync(options.plot, await renderSVG(spec));
          else writeFileSync(options.plot, await renderPNG(spec));
        }
        if (options.json) {
          return printJson({
            source: path,
            referenceBatch,
            overhead,
            targets: analysis.targets.map(({ fit, ...t }) => ({ ...t, fit: fit.toJSON() })),
            unreached: analysis.unreached,
            ...(kaplan ? { kaplan: kaplan.toJSON() } : {}),
            ...(predicted !== undefined ? { predicted: { loss: predictLoss, bcrit: predicted } } : {}),
          });
        }
        const out: string[] = [`${path}: ${runs.length} runs, ${new Set(runs.map((r) => r.config.batchSize)).size} batch sizes`];
        out.push('', criticalBatchReport(analysis, { metric }));
        if (kaplan) out.push('', bcritVsLossReport(kaplan, predicted !== undefined ? { loss: predictLoss!, bcrit: predicted } : undefined));
        process.stdout.write(out.join('\n') + '\n');
      }),
    );

  batch
    .command('gns')
    .description('gradient noise scale B_simple from logged squared gradient norms at two batch sizes (McCandlish et al. 2018, App. A.1)')
    .argument('<path>', 'a table (CSV, JSONL, ...) with columns gradSqSmall, gradSqBig, bSmall, bBig and optionally step, or a run-store directory whose trajectories log them')
    .option('--beta <b>', 'weight of the past in the moving averages', '0.99')
    .option('--every <k>', 'print every k-th row of the smoothed series', '0')
    .option('--json', 'print the series as JSON')
    .action(
      action((file: string, _own: unknown, command: Command) => {
        const options = mergedOptions<{ beta: string; every: string; json?: boolean }>(command);
        const beta = numberOption('beta', options.beta, { min: 0, max: 1 })!;
        const every = countOption('every', options.every, 0)!;
        if (existsSync(file) && statSync(file).isDirectory()) return storeGns(file, beta, options.json);
        const rows = gradNormRows(file);
        const series = gnsFromLog(rows, { beta, source: file });
        if (options.json) {
          return printJson({ source: file, beta, final: series.final, overall: series.overall, step: Array.from(series.step), bSimple: Array.from(series.bSimple) });
        }
        process.stdout.write(`${file}: ${series.step.length} measurements\n${gnsSeriesReport(series, { beta, every })}\n`);
      }),
    );

  batch
    .command('lr')
    .description('learning-rate sensitivity across model sizes (Wortsman et al. 2023): optimal rate per size, its trend in N, near-optimal band, edge flags')
    .argument('<path>', 'a run-store directory or trajectory file: runs with N and a learning rate (schedule peak or lr column)')
    .option('--tolerance <x>', 'near-optimal: final loss within this fraction of the best', '0.01')
    .option('--metric <name>', 'evalLoss or trainLoss', 'evalLoss')
    .option('--json', 'print the analysis as JSON')
    .action(
      action(async (path: string, _own: unknown, command: Command) => {
        const own = mergedOptions<{ tolerance: string; metric: string; json?: boolean }>(command);
        const json = own.json;
        const tolerance = numberOption('tolerance', own.tolerance, { min: 0 })!;
        const r = await lrSensitivity(loadRuns(path), { tolerance, metric: metricOption(own.metric) });
        if (json) return printJson({ source: path, tolerance, sizes: r.sizes, edgeSizes: r.edgeSizes, ...(r.trend ? { trend: r.trend.toJSON() } : {}) });
        process.stdout.write(`${path}: ${r.sizes.length} model sizes\n\n${lrSensitivityReport(r, { tolerance })}\n`);
      }),
    );

  batch
    .command('optimal')
    .description("optimal batch size and learning rate as power laws in compute, B_opt = k C^b and lr_opt = k' C^e (DeepSeek LLM), from a sweep")
    .argument('<path>', 'a run-store directory or trajectory file: runs at several compute budgets, batch sizes and learning rates')
    .option('--band <x>', "runs within this fraction of their budget's best loss enter the fit (DeepSeek: 0.0025)", '0.0025')
    .option('--metric <name>', 'evalLoss or trainLoss', 'evalLoss')
    .option('--json', 'print the analysis as JSON')
    .action(
      action(async (path: string, _own: unknown, command: Command) => {
        const own = mergedOptions<{ band: string; metric: string; json?: boolean }>(command);
        const json = own.json;
        const band = numberOption('band', own.band, { min: 0 })!;
        const r = await optimalBatchLr(loadRuns(path), { band, metric: metricOption(own.metric) });
        if (json) return printJson({ source: path, band, best: r.best, points: r.points, batch: r.batch.toJSON(), lr: r.lr.toJSON() });
        process.stdout.write(`${path}: ${r.best.length} compute budgets, ${r.points.length} near-optimal runs (within ${formatNumber(band * 100)}%)\n\n${optimalBatchLrReport(r)}\n`);
      }),
    );

  batch
    .command('trajectory')
    .description("predicted loss trajectory at a chosen batch size: B_crit(L) across target losses and Kaplan's L(N, S_min) fitted to the runs")
    .argument('<path>', 'a run-store directory or trajectory file: runs at several batch sizes (and model sizes, for the N term)')
    .option('--target-loss <losses>', 'at least 2 target losses for B_crit(L), separated by commas; required')
    .option('--n <params>', 'parameters of the model to predict; required')
    .option('--N <params>', 'the same as --n (the name other commands use)')
    .option('--batch-size <b>', "batch size it will use, in the runs' unit; required")
    .option('--steps <s>', 'last step of the predicted trajectory; required')
    .option('--from <s>', 'first step of the predicted trajectory (default: steps / 100)')
    .option('--points <k>', 'points, evenly spaced in log step', '20')
    .option('--tokens-per-example <t>', 'tokens per batch-size unit (sequence length when batches count sequences)', '1')
    .option('--loss <l>', 'also report the steps and tokens to reach this loss')
    .option('--metric <name>', 'evalLoss or trainLoss', 'evalLoss')
    .option('--json', 'print the fits and the trajectory as JSON')
    .action(
      action(async (path: string, _own: unknown, command: Command) => {
        const own = mergedOptions<Record<string, string | undefined>>(command);
        if (own.N !== undefined && own.n !== undefined && own.N !== own.n) throw new InputError(`--N: give --N or --n (the same option), not both: ${own.N} and ${own.n}`, 'N');
        own.n ??= own.N;
        const json = own.json;
        for (const [flag, key] of [
          ['target-loss', 'targetLoss'],
          ['n', 'n'],
          ['batch-size', 'batchSize'],
          ['steps', 'steps'],
        ] as const) {
          if (own[key] === undefined) throw new InputError(`--${flag}: required`, flag);
        }
        const metric = metricOption(own.metric!);
        const targets = targetList(own.targetLoss!);
        const plan = {
          N: numberOption('n', own.n, { above: 0 })!,
          batchSize: numberOption('batch-size', own.batchSize, { above: 0 })!,
          tokensPerExample: numberOption('tokens-per-example', own.tokensPerExample, { above: 0 })!,
        };
        const steps = numberOption('steps', own.steps, { above: 0 })!;
        const from = numberOption('from', own.from, { above: 0 }) ?? steps / 100;
        const points = countOption('points', own.points, 2)!;
        const target = numberOption('loss', own.loss);
        const runs = loadRuns(path);
        const analysis = await criticalBatch(runs, targets, { metric });
        const bcrit = await fitBcritVsLoss(analysis);
        const loss = await fitLossVsSteps(runs, bcrit.values, { metric });
        const trajectory = predictBatchTrajectory(loss.values, bcrit.values, { ...plan, steps, from, points });
        const reach = target === undefined ? undefined : stepsToLoss(loss.values, bcrit.values, target, plan);
        if (json) return printJson({ source: path, plan, bcrit: bcrit.toJSON(), loss: loss.toJSON(), trajectory, ...(reach ? { reach } : {}) });
        const header = `${path}: ${runs.length} runs; B_crit(L) from ${targets.length} targets, L(N, S_min) from every logged point`;
        process.stdout.write(`${header}\n${batchTrajectoryReport({ bcrit, loss, plan, trajectory, reach })}\n`);
      }),
    );
  batch
    .command('ramp')
    .description(
      "batch-size ramp for a planned run to a target loss: B(L) = sqrt(lambda B_crit(L)) from B_crit(L) and Kaplan's L(N, S_min) fitted to the runs, and its step / GPU-hour saving against a constant batch",
    )
    .argument('<path>', 'a run-store directory or trajectory file: runs at several batch sizes (and model sizes, for the N term)')
    .option('--target-loss <losses>', 'at least 2 target losses for B_crit(L), separated by commas; required')
    .option('--n <params>', 'parameters of the planned model; required')
    .option('--N <params>', 'the same as --n (the name other commands use)')
    .option('--loss <l>', 'the loss the planned run trains to; required')
    .option('--batch-size <b>', "the constant batch size compared against, in the runs' unit; required")
    .option('--min-batch <b>', 'smallest batch the ramp may use', '1')
    .option('--max-batch <b>', 'largest batch the ramp may use (default: no limit)')
    .option('--draws <k>', 'bootstrap draws over the runs for the intervals (0: none)', '100')
    .option('--level <p>', 'central coverage of the intervals', '0.9')
    .option('--seed <s>', 'seed of the bootstrap', '0')
    .option('--metric <name>', 'evalLoss or trainLoss', 'evalLoss')
    .option('--json', 'print the fits and the ramp as JSON')
    .action(
      action(async (path: string, _own: unknown, command: Command) => {
        const own = mergedOptions<Record<string, string | undefined>>(command);
        if (own.N !== undefined && own.n !== undefined && own.N !== own.n) throw new InputError(`--N: give --N or --n (the same option), not both: ${own.N} and ${own.n}`, 'N');
        own.n ??= own.N;
        for (const [flag, key] of [
          ['target-loss', 'targetLoss'],
          ['n', 'n'],
          ['loss', 'loss'],
          ['batch-size', 'batchSize'],
        ] as const) {
          if (own[key] === undefined) throw new InputError(`--${flag}: required`, flag);
        }
        const metric = metricOption(own.metric!);
        const targets = targetList(own.targetLoss!);
        if (targets.length < 2) throw new InputError(`--target-loss: B_crit(L) needs at least 2 target losses, got ${show(own.targetLoss)}`, 'target-loss');
        const N = numberOption('n', own.n, { above: 0 })!;
        const target = numberOption('loss', own.loss, { above: 0 })!;
        const constantBatch = numberOption('batch-size', own.batchSize, { above: 0 })!;
        const minBatch = numberOption('min-batch', own.minBatch, { above: 0 })!;
        const maxBatch = numberOption('max-batch', own.maxBatch, { above: 0 }) ?? Infinity;
        if (maxBatch < minBatch) throw new InputError(`--max-batch: must be at least --min-batch (${show(minBatch)}), got ${show(own.maxBatch)}`, 'max-batch');
        if (constantBatch < minBatch || constantBatch > maxBatch) throw new InputError(`--batch-size: must lie between --min-batch and --max-batch, got ${show(own.batchSize)}`, 'batch-size');
        const draws = countOption('draws', own.draws, 0)!;
        if (draws === 1) throw new InputError('--draws: must be 0 (no intervals) or at least 2, got "1"', 'draws');
        const level = levelOption('level', own.level)!;
        const seed = numberOption('seed', own.seed, { integer: true })!;
        const runs = loadRuns(path);
        const fits = async (rs: readonly Run[], start?: { bcrit: BcritParams; loss: LossStepsParams }) => {
          const bcrit = await fitBcritVsLoss(await criticalBatch(rs, targets, { metric }), start ? { starts: [start.bcrit] } : {});
          return { bcrit, loss: await fitLossVsSteps(rs, bcrit.values, { metric, ...(start ? { fit: { starts: [start.loss] } } : {}) }) };
        };
        const central = await fits(runs);
        // Each draw starts from the full fit's optimum (as \`bootstrap\` does), not the whole grid.
        const start = { bcrit: central.bcrit.values, loss: central.loss.values };
        // Run-level bootstrap: resample whole runs with replacement and refit both laws.
        const samples = { bcrit: [] as Record<string, number>[], loss: [] as Record<string, number>[] };
        let failed = 0;
        const g = rng(seed);
        for (let d = 0; d < draws; d++) {
          const drawn = runs.map((_, k) => {
            const run = runs[Math.floor(g.next() * runs.length)]!;
            return { ...run, config: { ...run.config, id: `${run.config.id}#${k}` } };
          });
          try {
            const f = await fits(drawn, start);
            samples.bcrit.push({ ...f.bcrit.values });
            samples.loss.push({ ...f.loss.values });
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            failed++;
          }
        }
        if (draws > 0 && samples.bcrit.length < 2) throw new InputError(`--draws: only ${samples.bcrit.length} of ${draws} bootstrap draws could refit the laws; give more runs or --draws 0`, 'draws');
        const ramp = batchRamp(central.loss.values, central.bcrit.values, {
          N,
          target,
          constantBatch,
          range: [minBatch, maxBatch],
          level,
          ...(draws > 0 ? { samples } : {}),
        });
        const notes = failed > 0 ? [...ramp.notes, `${failed} of ${draws} bootstrap draws of the runs could not refit the laws and were left out`] : ramp.notes;
        if (own.json)
          return printJson({
            source: path,
            plan: { N, target, constantBatch, range: [minBatch, maxBatch] },
            bcrit: central.bcrit.toJSON(),
            loss: central.loss.toJSON(),
            ramp: {
              ...ramp,
              sameExamples: {
                steps: ramp.sameExamples.steps,
                examples: ramp.sameExamples.examples,
                stepSaving: ramp.sameExamples.stepSaving,
                schedule: rampSchedule(ramp.sameExamples.stages).map((x) => ({ fromLoss: x.from, toLoss: x.to, fromBatch: x.b0, toBatch: x.b1, steps: x.steps })),
              },
              notes,
            },
          });
        const header = `${path}: ${runs.length} runs; B_crit(L) from ${targets.length} targets, L(N, S_min) from every logged point`;
        process.stdout.write(`${header}\n${batchRampReport(ramp, notes, { N, draws })}\n`);
      }),
    );
}

/** The ramp's stages merged while the batch stays within a factor of 2 of where the row began: a schedule to read. */
function rampSchedule(stages: BatchRamp['sameExamples']['stages']): { from: number; to: number; b0: number; b1: number; steps: number }[] {
  const rows: { from: number; to: number; b0: number; b1: number; steps: number }[] = [];
  for (const s of stages) {
    const last = rows[rows.length - 1];
    if (last && s.batch < 2 * last.b0 && s.batch > last.b0 / 2) Object.assign(last, { to: s.toLoss, b1: s.batch, steps: last.steps + s.steps });
    else rows.push({ from: s.fromLoss, to: s.toLoss, b0: s.batch, b1: s.batch, steps: s.steps });
  }
  return rows;
}

/** The ramp of `batch ramp` as text: the schedule by loss, the two savings with their intervals, the notes. */
function batchRampReport(r: BatchRamp, notes: readonly string[], o: { N: number; draws: number }): string {
  const pct = (x: number) => `${formatNumber(100 * x)}%`;
  const iv = (v: readonly [number, number] | undefined) =>
    v ? ` (${formatNumber(100 * r.intervals!.level)}% interval ${pct(v[0])} to ${pct(v[1])}, ${r.intervals!.draws} draws)` : o.draws === 0 ? ' (no interval: --draws 0)' : '';
  const lines = [
    `planned run: N ${formatNumber(o.N)} to loss ${formatNumber(r.target)}; constant batch ${formatNumber(r.constant.batch)}: ${formatNumber(r.constant.steps)} steps, ${formatNumber(r.constant.examples)} examples`,
    '',
    'ramp (as many examples as the constant batch):',
  ];
  const rows = rampSchedule(r.sameExamples.stages);
  const span = (a: number, b: number) => (formatNumber(a) === formatNumber(b) ? formatNumber(a) : `${formatNumber(a)} to ${formatNumber(b)}`);
  lines.push(
    formatTable(
      rows.map((x) => [formatNumber(x.from), formatNumber(x.to), span(x.b0, x.b1), formatNumber(x.steps)]),
      ['from loss', 'to loss', 'batch', 'steps'],
    ),
  );
  lines.push('');
  lines.push(`step saving, same examples: ${pct(r.sameExamples.stepSaving)} (${formatNumber(r.sameExamples.steps)} steps)${iv(r.intervals?.stepSaving)}`);
  lines.push(
    `example / GPU-hour saving, same steps: ${pct(r.sameSteps.exampleSaving)} (${formatNumber(r.sameSteps.examples)} examples; GPU-hours at a fixed throughput per example)${iv(r.intervals?.exampleSaving)}`,
  );
  for (const n of notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/**
 * A subcommand's options merged with those of `batch`: commander hands flags that `batch` also
 * declares (--json, --metric, --target-loss) to `batch` even when they follow the subcommand's name.
 * Shared flags have the same defaults in both, so the merge is what the user typed.
 */
function mergedOptions<T>(command: Command): T {
  return command.optsWithGlobals() as T;
}

/** The four gradient-norm columns (any case, with or without underscores) as numbers, with row-level errors. */
function gradNormRows(file: string): GradNormRow[] {
  const t = readTable(file);
  const names = t.columnNames();
  const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const find = (role: string, required: boolean) => {
    const name = names.find((c) => key(c) === key(role));
    if (!name && required) throw new InputError(`${file}: missing column ${role} (columns: ${names.map((c) => show(c)).join(', ')})`, role);
    return name;
  };
  const columns = { gradSqSmall: find('gradSqSmall', true)!, gradSqBig: find('gradSqBig', true)!, bSmall: find('bSmall', true)!, bBig: find('bBig', true)!, step: find('step', false) };
  const objects = t.objects() as Record<string, unknown>[];
  const rows = objects.map((o, i) => {
    const row: GradNormRow = {};
    for (const [role, column] of Object.entries(columns) as [keyof GradNormRow, string | undefined][]) {
      if (!column) continue;
      const v = parseNumber(o[column]);
      if (v === undefined) throw new InputError(`${file}: row ${i + 1}, column ${column}: not a number: ${show(o[column])}`, column);
      if (v !== null && !Number.isFinite(v)) throw new InputError(`${file}: row ${i + 1}, column ${column}: not a finite number: ${show(o[column])}`, column);
      if (v !== null) row[role] = v;
    }
    return row;
  });
  // The moving averages run in file order: a log out of order would smooth the wrong neighbours.
  rows.forEach((row, i) => {
    const before = rows[i - 1]?.step;
    if (i > 0 && row.step !== undefined && before !== undefined && !(row.step > before)) {
      throw new InputError(`${file}: row ${i + 1}, column ${columns.step}: steps must increase, got ${row.step} after ${before}`, columns.step!);
    }
  });
  return rows;
}

/** B_simple per run of a run store, from the gradient norms the trainer logged in each trajectory. */
function storeGns(dir: string, beta: number, json: boolean | undefined): void {
  const runs = loadRuns(dir);
  const results = gnsFromRuns(runs, { beta });
  if (json) return printJson(results.map(({ runId, batchSize, N, step, final, overall }) => ({ runId, batchSize, N, measurements: step.length, final, overall })));
  process.stdout.write(`${dir}: ${results.length} of ${runs.length} runs log gradient norms\n\n${gnsRunsReport(results, { beta })}\n`);
}

/** The loss a sweep analysis reads: --metric evalLoss or trainLoss. */
function metricOption(metric: string): 'evalLoss' | 'trainLoss' {
  if (metric !== 'evalLoss' && metric !== 'trainLoss') throw new InputError(`--metric: must be evalLoss or trainLoss, got ${show(metric)}`, 'metric');
  return metric;
}
