import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import type { ScalingFit } from '../fit/result.js';
import { readTable } from '../io/table-file.js';
import { fitDownstream } from '../plan/downstream.js';
import { chainCaption, downstreamChartData, downstreamReport, predictTask, type DownstreamTaskResult } from '../plan/downstream-report.js';
import { downstreamTasks, selectTasks, type DownstreamColumns } from '../plan/downstream-table.js';
import { chartFileFormat, writeChartFile } from '../plot/chart-file.js';
import { downstreamChart, stackCharts } from '../plot/downstream.js';
import { action, checkOutputPath, countOption, levelOption, numberOption, printJson } from './util.js';

interface DownstreamCliOptions {
  n?: string;
  d?: string;
  c?: string;
  N?: string;
  D?: string;
  C?: string;
  task?: string[];
  chance: string[];
  maximum: string;
  idealPoint: boolean;
  skip: string;
  smooth: string;
  bootstrap: string;
  seed: string;
  level: string;
  threads: string;
  column?: string[];
  combine?: string[];
  chart?: string;
  json?: boolean;
}

const ROLES = ['N', 'D', 'run', 'task', 'taskLoss', 'accuracy'] as const;

/** `--column taskLoss=bpb`: explicit column names by role. */
function parseColumns(pairs: readonly string[] | undefined): DownstreamColumns {
  const out: DownstreamColumns = {};
  for (const pair of pairs ?? []) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(pair);
    if (!m) throw new InputError(`--column: expected ROLE=NAME (roles ${ROLES.join(', ')}), got ${show(pair)}`, 'column');
    if (!(ROLES as readonly string[]).includes(m[1]!)) throw new InputError(`--column: unknown role ${show(m[1])}; roles: ${ROLES.join(', ')}`, 'column');
    out[m[1] as (typeof ROLES)[number]] = m[2]!;
  }
  return out;
}

/** `--combine mmlu=mmlu_stem:0.215,mmlu_humanities:0.335`: a task made of others, weighted. */
function parseCombine(specs: readonly string[] | undefined): { task: string; parts: { task: string; weight: number }[] }[] {
  return (specs ?? []).map((spec) => {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    if (!m) throw new InputError(`--combine: expected NAME=TASK:WEIGHT,TASK:WEIGHT..., got ${show(spec)}`, 'combine');
    const parts = m[2]!.split(',').map((part) => {
      const p = /^([^:]+):(.+)$/.exec(part);
      if (!p) throw new InputError(`--combine: ${m[1]}: expected TASK:WEIGHT, got ${show(part)}`, 'combine');
      return { task: p[1]!, weight: numberOption('combine', p[2], { above: 0 })! };
    });
    return { task: m[1]!, parts };
  });
}

/** `--chance 0.25 piqa=0.5`: a default chance level and per-task ones (a task named as in --task). */
function parseChance(specs: readonly string[]): { fallback: number; byTask: [string, number][] } {
  let fallback = 0.25;
  const byTask: [string, number][] = [];
  for (const spec of specs) {
    const m = /^(.+)=(.+)$/.exec(spec);
    const value = numberOption('chance', m ? m[2] : spec)!;
    if (!(value >= 0 && value < 1)) throw new InputError(`--chance: must be in [0, 1), got ${show(spec)}`, 'chance');
    if (m) byTask.push([m[1]!, value]);
    else fallback = value;
  }
  return { fallback, byTask };
}

/** The same option given in either case (`--n` and `--N`), once. */
function either(options: DownstreamCliOptions, lower: 'n' | 'd' | 'c'): string | undefined {
  const upper = lower.toUpperCase() as 'N' | 'D' | 'C';
  if (options[lower] !== undefined && options[upper] !== undefined) throw new InputError(`--${lower}: given twice (--${lower} and --${upper})`, lower);
  return options[lower] ?? options[upper];
}

const fitSummary = (fit: ScalingFit) => ({
  law: fit.law,
  formula: fit.formula,
  converged: fit.converged,
  params: fit.params.map((p) => ({ name: p.name, value: p.value, ...(p.stderr !== undefined ? { stderr: p.stderr } : {}), ...(p.interval ? { interval: p.interval } : {}) })),
  warnings: (fit.warnings ?? []).map((w) => w.message),
});

export function register(program: Command): void {
  program
    .command('downstream')
    .description("predict a target model's benchmark accuracy from ladder evaluations: task loss from N and D, then accuracy from task loss by a sigmoid (Bhagia et al. 2024)")
    .argument(
      '<file>',
      'ladder evaluations, one row per checkpoint: N, D (tokens), a run column, and per task a bpb:<task> and acc:<task> column (data/olmo-ladder), or task, task_loss and accuracy columns; CSV, TSV, JSON, JSONL or Arrow, - for standard input',
    )
    .option('--n <params>', 'target parameters (also --N)')
    .option('--d <tokens>', 'target training tokens (also --D)')
    .option('--c <flops>', "target compute C = 6ND: with --n or --d, the other follows; alone, each task's compute-optimal split of its task loss (also --C)")
    // The option vocabulary's upper-case names (README, Conventions), kept out of --help.
    .addOption(new Option('--N <params>').hideHelp())
    .addOption(new Option('--D <tokens>').hideHelp())
    .addOption(new Option('--C <flops>').hideHelp())
    .option('--task <name...>', 'tasks to predict (a name or the start of one); default every task in the file')
    .option('--chance <level...>', "chance accuracy, where step 2's sigmoid starts: a number for every task, task=level for one (e.g. 0.25 piqa=0.5)", ['0.25'])
    .option('--maximum <acc>', 'best reachable accuracy: the ideal point (task loss 0, this accuracy)', '1')
    .option('--no-ideal-point', "don't anchor step 2 with the ideal point (task loss 0, accuracy --maximum)")
    .option('--skip <fraction>', "step 2 leaves out this fraction of each run's first checkpoints (Bhagia et al.: 0.1)", '0.1')
    .option('--smooth <k>', "evaluations averaged: step 1 the mean of each run's last k, step 2 a moving average of k (Bhagia et al.: 5; 1 for none)", '5')
    .option('--bootstrap <resamples>', 'bootstrap resamples of each step, for the intervals (0: none)', '200')
    .option('--seed <n>', 'bootstrap seed', '0')
    .option('--level <p>', 'interval level', '0.9')
    .option('--threads <n>', 'worker threads for the fits', '1')
    .option(
      '--combine <spec...>',
      "tasks made of others, NAME=TASK:WEIGHT,TASK:WEIGHT...: each evaluation the weighted mean of its parts' task loss and accuracy (the paper's MMLU: mmlu=mmlu_stem:0.215,mmlu_humanities:0.335,mmlu_social_sciences:0.219,mmlu_other:0.231)",
    )
    .option('--column <role=name...>', `column names where detection fails; roles ${ROLES.join(', ')}`)
    .option('--chart <file>', 'write the chart (sigmoid with checkpoints and band; compute to accuracy with the target): .svg, .png, .html or .json')
    .option('--json', 'print the fits and predictions as JSON')
    .action(
      action(async (file: string, options: DownstreamCliOptions) => {
        checkOutputPath('chart', options.chart);
        if (options.chart !== undefined) chartFileFormat(options.chart);
        const spec = { N: numberOption('n', either(options, 'n')), D: numberOption('d', either(options, 'd')), C: numberOption('c', either(options, 'c')) };
        for (const [name, v] of Object.entries(spec)) if (v !== undefined && !(v > 0)) throw new InputError(`--${name.toLowerCase()}: must be positive, got ${show(v)}`, name);
        if (spec.N !== undefined && spec.D !== undefined && spec.C !== undefined) throw new InputError('--c: give two of --n, --d and --c, or --c alone, not all three', 'c');
        if (spec.C === undefined && (spec.N === undefined || spec.D === undefined))
          throw new InputError(`target: give --n and --d, or --c (got ${spec.N !== undefined ? '--n alone' : spec.D !== undefined ? '--d alone' : 'neither'})`, spec.N !== undefined ? 'd' : 'n');
        const chance = parseChance(options.chance);
        const maximum = numberOption('maximum', options.maximum, { above: 0, max: 1 })!;
        const skip = numberOption('skip', options.skip, { min: 0 })!;
        if (!(skip < 1)) throw new InputError(`--skip: must be below 1, got ${show(options.skip)}`, 'skip');
        const smooth = countOption('smooth', options.smooth)!;
        const resamples = countOption('bootstrap', options.bootstrap, 0)!;
        const seed = numberOption('seed', options.seed, { integer: true })!;
        const level = levelOption('level', options.level)!;
        const threads = countOption('threads', options.threads)!;
        const source = file === '-' ? 'standard input' : basename(file);
        const table = downstreamTasks(readTable(file), { columns: parseColumns(options.column), skip, smooth, source: file, combine: parseCombine(options.combine) });
        // Notes and progress without the `scalelaw: ` prefix, so that --quiet leaves them out.
        for (const note of table.notes) process.stderr.write(`note: ${note}\n`);
        const tasks = selectTasks(table.tasks, options.task);
        // A per-task level names a task or the start of some (piqa=0.5, mmlu=0.25).
        const chanceOf = (task: string) => chance.byTask.find(([t]) => task.startsWith(t))?.[1] ?? chance.fallback;
        for (const [t] of chance.byTask)
          if (!tasks.some((task) => task.task.startsWith(t))) throw new InputError(`--chance: no task ${show(t)}; tasks: ${tasks.map((task) => task.task).join(', ')}`, 'chance');
        const results: DownstreamTaskResult[] = [];
        for (const task of tasks) {
          const c = chanceOf(task.task);
          if (!(c < maximum)) throw new InputError(`--chance: ${task.task}: chance ${show(c)} must be below --maximum ${show(maximum)}`, 'chance');
          process.stderr.write(
            `downstream: ${task.task}: fitting both steps (${task.step1.length} runs, ${task.step2.length} checkpoints${resamples ? `, ${resamples} bootstrap resamples each` : ''})\n`,
          );
          const fit = await fitDownstream(task.step1, task.step2, { chance: c, maximum, idealPoint: options.idealPoint, bootstrap: resamples, seed, level, threads });
          results.push(predictTask(task.task, task, fit, spec));
        }
        if (options.chart !== undefined) {
          const charts = results.map((r, i) =>
            downstreamChart(downstreamChartData(r, tasks[i]!, { chance: chanceOf(r.task) }), {
              title: `${r.task}: ${Math.round(level * 100)}% bands`,
              chainLabel: chainCaption(r.target),
            }),
          );
          await writeChartFile(options.chart, stackCharts(charts), { title: `scalelaw downstream ${source}`, report: downstreamReport(results, source) });
        }
        if (options.json)
          return printJson({
            source: file,
            layout: table.layout,
            columns: table.columns,
            runs: table.runs,
            notes: table.notes,
            level,
            tasks: results.map((r) => ({
              task: r.task,
              runs: r.runs,
              checkpoints: r.checkpoints,
              target: r.target,
              taskLoss: r.prediction.taskLoss,
              accuracy: r.prediction.accuracy,
              warnings: r.prediction.warnings,
              step1: fitSummary(r.fit.taskLoss),
              step2: { ...fitSummary(r.fit.accuracy), idealPoint: r.fit.idealPoint },
              range: r.fit.range,
            })),
          });
        process.stdout.write(downstreamReport(results, source) + '\n');
        if (options.chart !== undefined) process.stdout.write(`wrote ${options.chart}\n`);
      }),
    );
}
