import { InputError, show } from '../core/errors.js';
import { columnLabel, listColumns, readCell, type NumberRules } from '../io/cells.js';
import { detectColumn, normalizeName } from '../io/detect.js';
import type { ColumnTable } from '../io/table-file.js';
import type { AccuracyPoint, TaskLossPoint } from './downstream.js';

/** Columns of a table of ladder evaluations, by role; detected from their usual names where not given. */
export interface DownstreamColumns {
  /** Parameters. @default detected (N, params, ...) */
  N?: string;
  /** Tokens seen at the evaluation. @default detected (D, tokens, ...) */
  D?: string;
  /** The run an evaluation belongs to. @default detected (run, run_id, name, model, ...); none: every row is a finished run */
  run?: string;
  /** Long layout: the task of the row. @default detected (task, benchmark) */
  task?: string;
  /** Long layout: the task loss (e.g. bits per byte of the correct answer). @default detected (task_loss, bpb, ...) */
  taskLoss?: string;
  /** Long layout: the task accuracy, in [0, 1]. @default detected (accuracy, acc) */
  accuracy?: string;
}

/** Options of `downstreamTasks`. */
export interface DownstreamTableOptions {
  columns?: DownstreamColumns;
  /**
   * Step 2 leaves out this fraction of each run's first checkpoints (Bhagia et al. 2024,
   * `--skip_perc 0.1`: early checkpoints are noisy and far from the target's regime). @default 0.1
   */
  skip?: number;
  /**
   * Evaluations averaged: step 1 takes the mean task loss of each run's last `smooth` evaluations,
   * step 2 a moving average of `smooth` checkpoints of loss and accuracy (Bhagia et al.,
   * `--moving_avg 5`). 1: no smoothing. @default 5
   */
  smooth?: number;
  /** Names the table in messages. @default 'table' */
  source?: string;
  /**
   * Wide layout: tasks made of others, each evaluation's task loss and accuracy the weighted mean of
   * its parts' (Bhagia et al.'s MMLU average: the four MMLU parts weighted 0.215, 0.335, 0.219,
   * 0.231, `WEIGHT_BY_KEY` of allenai/OLMo-ladder src/scaling/task_utils.py). Parts are named as
   * tasks (exactly, or by the start of one). Combined tasks come after the file's. @default none
   */
  combine?: readonly { task: string; parts: readonly { task: string; weight: number }[] }[];
}

/** One task's data for `fitDownstream`. */
export interface DownstreamTaskData {
  task: string;
  step1: TaskLossPoint[];
  step2: AccuracyPoint[];
  /** Each run at its final tokens, with its final accuracy (the mean of its last `smooth` evaluations), for charts. */
  runs: { run: string; N: number; D: number; accuracy: number }[];
  /** The task-loss and accuracy columns it came from. */
  columns: { taskLoss: string; accuracy: string };
}

/** The tasks of a table, how it was read, and what was left out. */
export interface DownstreamTable {
  tasks: DownstreamTaskData[];
  /** 'wide': a task-loss and an accuracy column per task (`bpb:<task>`, `acc:<task>`, the OLMo ladder's); 'long': one row per task evaluation. */
  layout: 'wide' | 'long';
  /** Columns used for N, D and the run (absent: each row is one run). */
  columns: { N: string; D: string; run?: string };
  runs: number;
  notes: string[];
}

const TASK_LOSS_NAMES = ['task_loss', 'taskLoss', 'bpb', 'task_bpb', 'bits_per_byte', 'ce_loss', 'loss'];
const ACCURACY_NAMES = ['accuracy', 'acc', 'task_accuracy', 'score'];
const TASK_NAMES = ['task', 'benchmark', 'task_name', 'eval'];
// Wide layout: `bpb:<task>` or `loss:<task>` and `acc:<task>`, paired by the task key once these suffixes are dropped.
const LOSS_PREFIX = /^(bpb|loss|taskloss):/i;
const ACC_PREFIX = /^(acc|accuracy):/i;
const LOSS_SUFFIX = /_(bpb|loss)$/i;
const ACC_SUFFIX = /_(len_norm|acc|accuracy)$/i;

function findByNames(names: readonly string[], candidates: readonly string[], taken: ReadonlySet<string>): string | undefined {
  const byKey = new Map(names.filter((n) => !taken.has(n)).map((n) => [normalizeName(n), n]));
  for (const c of candidates) {
    const found = byKey.get(normalizeName(c));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The authors' moving average (OLMo-ladder src/scaling/utils.py `moving_average`): a growing window at the start. */
export function movingAverage(values: readonly number[], n: number): number[] {
  return values.map((_, i) => {
    const from = Math.max(0, i - n + 1);
    let sum = 0;
    for (let k = from; k <= i; k++) sum += values[k]!;
    return sum / (i - from + 1);
  });
}

/**
 * Reads a table of ladder evaluations (one row per checkpoint evaluation of a proxy run) into each
 * task's data for the two steps of `fitDownstream`, with Bhagia et al. 2024's protocol: step 1 one
 * point per run (its final tokens, the mean task loss of its last `smooth` evaluations), step 2 every
 * checkpoint past the first `skip` of each run, loss and accuracy smoothed over `smooth`.
 *
 * Two layouts: wide, a task-loss column `bpb:<task>` (or `loss:<task>`) and an accuracy column
 * `acc:<task>` per task, as the OLMo ladder's data (data/olmo-ladder); long, columns for the task,
 * its task loss and its accuracy. N and D (tokens) are detected by their usual names. A `mode`
 * column, where present (the OLMo ladder's), keeps the rows whose mode is `train`. Without a run
 * column, every row is a finished run of its own.
 *
 * @example const { tasks } = downstreamTasks(readTable('ladder.csv'), { source: 'ladder.csv' }); await fitDownstream(tasks[0].step1, tasks[0].step2)
 */
export function downstreamTasks(table: ColumnTable, options: DownstreamTableOptions = {}): DownstreamTable {
  const { columns: given = {}, skip = 0.1, smooth = 5, source = 'table', combine = [] } = options;
  if (!(skip >= 0 && skip < 1)) throw new InputError(`skip: must be in [0, 1), got ${show(skip)}`, 'skip');
  if (!(Number.isInteger(smooth) && smooth >= 1)) throw new InputError(`smooth: must be a whole number >= 1, got ${show(smooth)}`, 'smooth');
  const names = table.columnNames();
  for (const [role, name] of Object.entries(given))
    if (name !== undefined && !names.includes(name)) throw new InputError(`${source}: no column ${show(name)} (given for ${role}); columns: ${listColumns(table)}`, role);
  const taken = new Set(Object.values(given).filter((v): v is string => typeof v === 'string'));
  const pick = (role: 'N' | 'D' | 'run') => {
    const name = given[role] ?? detectColumn(names, role, taken);
    if (name !== undefined) taken.add(name);
    return name;
  };
  const N = pick('N');
  const D = pick('D');
  if (N === undefined) throw new InputError(`${source}: no N (parameters) column; columns: ${listColumns(table)}`, 'N');
  if (D === undefined) throw new InputError(`${source}: no D (tokens) column; columns: ${listColumns(table)}`, 'D');
  const run = pick('run');
  const notes: string[] = [];

  // The tasks: wide pairs of columns, or the long layout's three columns.
  const wideLoss = names.filter((n) => !taken.has(n) && LOSS_PREFIX.test(n));
  const wideAcc = names.filter((n) => !taken.has(n) && ACC_PREFIX.test(n));
  const layout: 'wide' | 'long' = given.taskLoss === undefined && given.accuracy === undefined && (wideLoss.length > 0 || wideAcc.length > 0) ? 'wide' : 'long';
  type Pair = { task: string; taskLoss: string; accuracy: string; parts?: { taskLoss: string; accuracy: string; weight: number }[] };
  const pairs: Pair[] = [];
  let taskColumn: string | undefined;
  if (layout === 'wide') {
    const key = (n: string, prefix: RegExp, suffix: RegExp) => n.replace(prefix, '').replace(suffix, '');
    const accByKey = new Map(wideAcc.map((n) => [key(n, ACC_PREFIX, ACC_SUFFIX), n]));
    for (const l of wideLoss) {
      const task = key(l, LOSS_PREFIX, LOSS_SUFFIX);
      const a = accByKey.get(task);
      if (a === undefined) throw new InputError(`${source}: task-loss column ${show(l)} has no accuracy column acc:${task}...; columns: ${listColumns(table)}`, 'accuracy');
      accByKey.delete(task);
      pairs.push({ task, taskLoss: l, accuracy: a });
    }
    const [orphan] = accByKey.values();
    if (orphan !== undefined) throw new InputError(`${source}: accuracy column ${show(orphan)} has no task-loss column bpb:${key(orphan, ACC_PREFIX, ACC_SUFFIX)}...`, 'taskLoss');
    const single = [...pairs];
    for (const c of combine) {
      if (single.some((p) => p.task === c.task)) throw new InputError(`combine: ${show(c.task)} is already a task of ${source}`, 'combine');
      if (c.parts.length < 1) throw new InputError(`combine: ${show(c.task)} has no parts`, 'combine');
      const parts = c.parts.map((part) => {
        if (!(part.weight > 0) || !Number.isFinite(part.weight)) throw new InputError(`combine: ${show(c.task)}: weight of ${show(part.task)} must be positive, got ${show(part.weight)}`, 'combine');
        const [found] = selectTasks(single, [part.task], 'combine');
        return { taskLoss: found!.taskLoss, accuracy: found!.accuracy, weight: part.weight };
      });
      pairs.push({ task: c.task, taskLoss: parts.map((q) => q.taskLoss).join('+'), accuracy: parts.map((q) => q.accuracy).join('+'), parts });
    }
  } else {
    const taskLoss = given.taskLoss ?? findByNames(names, TASK_LOSS_NAMES, taken);
    if (taskLoss === undefined) throw new InputError(`${source}: no task-loss column (looked for ${TASK_LOSS_NAMES.join(', ')} or bpb:<task> columns); columns: ${listColumns(table)}`, 'taskLoss');
    taken.add(taskLoss);
    const accuracy = given.accuracy ?? findByNames(names, ACCURACY_NAMES, taken);
    if (accuracy === undefined) throw new InputError(`${source}: no accuracy column (looked for ${ACCURACY_NAMES.join(', ')} or acc:<task> columns); columns: ${listColumns(table)}`, 'accuracy');
    taken.add(accuracy);
    taskColumn = given.task ?? findByNames(names, TASK_NAMES, taken);
    if (combine.length > 0) throw new InputError(`combine: needs the wide layout (bpb:<task> and acc:<task> columns); ${source} has one row per task`, 'combine');
    pairs.push({ task: '', taskLoss, accuracy });
  }

  const mode = names.find((n) => normalizeName(n) === 'mode' && !taken.has(n));
  const rows = table.numRows();
  const cell = (name: string, role: string, i: number, rules: NumberRules) => {
    const c = readCell(table.column(name)!.at(i), rules);
    if (c.problem !== undefined) throw new InputError(`${source}: row ${i + 1}, ${columnLabel(name, role)}: ${c.problem}`, role);
    return c.value!;
  };
  const text = (name: string, i: number) => {
    const v = table.column(name)!.at(i);
    return v === null || v === undefined ? '' : String(v);
  };
  const kept: number[] = [];
  const leftOut = new Map<string, number>();
  for (let i = 0; i < rows; i++) {
    const m = mode === undefined ? 'train' : text(mode, i);
    if (m !== 'train') leftOut.set(m, (leftOut.get(m) ?? 0) + 1);
    else kept.push(i);
  }
  if (leftOut.size > 0) notes.push(`left out ${[...leftOut].map(([m, k]) => `${k} rows of mode ${show(m)}`).join(', ')} (column ${show(mode)}: only mode "train" is fitted)`);
  if (kept.length === 0) throw new InputError(`${source}: no rows of mode "train" (column ${show(mode)})`, 'mode');
  const positive = { units: true, positive: true };
  const Ns = new Map(kept.map((i) => [i, cell(N, 'N', i, positive)]));
  const Ds = new Map(kept.map((i) => [i, cell(D, 'D', i, positive)]));

  // Evaluations by run (in order of tokens), each run a list of row indices.
  const runKey = (i: number) => (run === undefined ? `row ${i + 1}` : text(run, i));
  const tasks: DownstreamTaskData[] = [];
  const taskValues = taskColumn === undefined ? [''] : [...new Set(kept.map((i) => text(taskColumn, i)))];
  if (taskColumn === undefined && layout === 'long') notes.push('no task column: every row is one task');
  for (const pair of pairs) {
    for (const taskValue of taskValues) {
      const task = layout === 'wide' ? pair.task : taskColumn === undefined ? pair.accuracy : taskValue;
      const byRun = new Map<string, number[]>();
      for (const i of kept) {
        if (taskColumn !== undefined && text(taskColumn, i) !== taskValue) continue;
        const k = runKey(i);
        byRun.set(k, [...(byRun.get(k) ?? []), i]);
      }
      const step1: TaskLossPoint[] = [],
        step2: AccuracyPoint[] = [],
        finals: DownstreamTaskData['runs'] = [];
      for (const [k, list] of byRun) {
        const n = Ns.get(list[0]!)!;
        const other = list.find((i) => Ns.get(i)! !== n);
        if (other !== undefined)
          throw new InputError(`${source}: run ${show(k)} has two values of ${columnLabel(N, 'N')}: ${show(n)} (row ${list[0]! + 1}) and ${show(Ns.get(other))} (row ${other + 1})`, 'N');
        list.sort((p, q) => Ds.get(p)! - Ds.get(q)!);
        const lossAt = (name: string, i: number) => cell(name, 'task loss', i, { units: false, nonNegative: true });
        const accAt = (name: string, i: number) => {
          const v = cell(name, 'accuracy', i, { units: false, nonNegative: true });
          if (v > 1) throw new InputError(`${source}: row ${i + 1}, ${columnLabel(name, 'accuracy')}: must be in [0, 1], got ${show(v)}`, 'accuracy');
          return v;
        };
        // A combined task: the weighted mean of its parts at each evaluation.
        const mean = (at: (name: string, i: number) => number, which: 'taskLoss' | 'accuracy', i: number) => {
          if (!pair.parts) return at(pair[which], i);
          let sum = 0,
            total = 0;
          for (const q of pair.parts) {
            sum += q.weight * at(q[which], i);
            total += q.weight;
          }
          return sum / total;
        };
        const losses = list.map((i) => mean(lossAt, 'taskLoss', i));
        const accs = list.map((i) => mean(accAt, 'accuracy', i));
        const last = losses.slice(-smooth);
        const lastAcc = accs.slice(-smooth);
        step1.push({ N: n, D: Ds.get(list.at(-1)!)!, taskLoss: last.reduce((s, v) => s + v, 0) / last.length });
        finals.push({ run: k, N: n, D: Ds.get(list.at(-1)!)!, accuracy: lastAcc.reduce((s, v) => s + v, 0) / lastAcc.length });
        // Every run keeps at least its last checkpoint (a run evaluated once is all final).
        const from = Math.min(Math.ceil(skip * list.length), list.length - 1);
        const xs = movingAverage(losses.slice(from), smooth);
        const ys = movingAverage(accs.slice(from), smooth);
        xs.forEach((x, j) => step2.push({ taskLoss: x, accuracy: ys[j]!, run: k }));
      }
      tasks.push({ task, step1, step2, runs: finals, columns: { taskLoss: pair.taskLoss, accuracy: pair.accuracy } });
    }
  }
  const runs = new Set(kept.map(runKey)).size;
  if (run === undefined) notes.push('no run column: every row is a finished run of its own');
  return { tasks, layout, columns: { N, D, ...(run !== undefined ? { run } : {}) }, runs, notes };
}

/**
 * The tasks named by `wanted`: each an exact task name, or the start of exactly one. Throws an
 * InputError naming the option and listing the tasks when a name matches none or several.
 */
export function selectTasks<T extends { task: string }>(tasks: readonly T[], wanted: readonly string[] | undefined, option = 'task'): T[] {
  if (!wanted || wanted.length === 0) return [...tasks];
  return wanted.map((w) => {
    const exact = tasks.find((t) => t.task === w);
    if (exact) return exact;
    const starts = tasks.filter((t) => t.task.startsWith(w));
    if (starts.length === 1) return starts[0]!;
    const list = tasks.map((t) => t.task).join(', ');
    throw new InputError(
      starts.length === 0 ? `--${option}: no task ${show(w)}; tasks: ${list}` : `--${option}: ${show(w)} matches ${starts.length} tasks (${starts.map((t) => t.task).join(', ')}); give one`,
      option,
    );
  });
}
