import { InputError, show } from '../core/errors.js';
import { csvColumnIndex, csvNumber, csvNumberColumns, readCsvCells } from '../io/csv.js';
import type { Goal } from './curve.js';

/** Options of `readCurveCsv`. */
export interface ReadCurveOptions {
  /** Column of steps. @default 'step', else the first column */
  x?: string;
  /** Column of the metric. @default the first column other than the steps */
  y?: string;
}

/** A curve read from a CSV file, with the goal guessed from the column name (see `guessGoal`). */
export interface CurveFile {
  path: string;
  steps: number[];
  values: number[];
  column: string;
  goal: Goal;
}

/** 'max' for columns that name an accuracy or a score, 'min' otherwise (loss, perplexity, error). */
export function guessGoal(column: string): Goal {
  return /acc|score|auc|f1|bleu|reward/i.test(column) ? 'max' : 'min';
}

/**
 * Reads one learning curve from a CSV file with a header: a column of steps and a column of the
 * metric. Empty or non-numeric cells are errors naming the file, row and column (a learning curve
 * with a gap must be cleaned by the caller; interpolating it silently would invent data).
 */
export function readCurveCsv(path: string, options: ReadCurveOptions = {}): CurveFile {
  const { csv, x, xi } = readStepTable(path, options);
  const others = csv.header.filter((h) => h !== x);
  // A metric column by its name first (a step,lr,loss export must give loss, not lr), then any
  // column that is not a known companion of a curve (rate, tokens, time), then the first other.
  const y = options.y ?? others.find((h) => METRIC.test(h)) ?? others.find((h) => !COMPANION.test(h)) ?? others[0];
  if (y === undefined) throw new InputError(`${path}: needs a column of values besides ${show(x)}`, 'y');
  const [steps, values] = csvNumberColumns(csv, [xi, csvColumnIndex(csv, y, 'y')]);
  for (let i = 1; i < steps!.length; i++) {
    if (!(steps![i]! > steps![i - 1]!)) throw new InputError(`${path}: row ${i + 1}, column ${x}: steps must increase, got ${steps![i]} after ${steps![i - 1]}`, 'x');
  }
  return { path, steps: steps!, values: values!, column: y, goal: guessGoal(y) };
}

/** Several curves on one grid of steps: a step column and one column per run (a wide export). */
export interface CurvesFile {
  path: string;
  steps: number[];
  columns: { column: string; values: number[] }[];
}

/** Reads a wide CSV of runs: the step column (as in `readCurveCsv`) and every other column a run. */
export function readCurvesCsv(path: string, options: Pick<ReadCurveOptions, 'x'> = {}): CurvesFile {
  const { csv, xi } = readStepTable(path, options);
  const runs = csv.header.flatMap((column, j) => (j === xi ? [] : [j]));
  const [steps, ...values] = csvNumberColumns(csv, [xi, ...runs]);
  return { path, steps: steps!, columns: runs.map((j, k) => ({ column: csv.header[j]!, values: values[k]! })) };
}

/** The file's cells with its step column found (`x`, else 'step', else the first column). */
function readStepTable(path: string, options: Pick<ReadCurveOptions, 'x'>) {
  const csv = readCsvCells(path);
  if (csv.rows.length === 0) throw new InputError(`${path}: no data rows`, 'path');
  const x = options.x ?? (csv.header.includes('step') ? 'step' : csv.header[0]!);
  return { csv, x, xi: csvColumnIndex(csv, x, 'x') };
}

const METRIC = /loss|acc|err|score|perplex|ppl|auc|f1|bleu|reward|metric/i;
const COMPANION = /^(lr|learning[_ -]?rate|rate|tokens?|epoch|time|wall|seconds|flops|compute|batch[_ -]?size)$/i;

/** A set of complete learning curves of equal length (one per trained configuration). */
export interface CurveSet {
  name: string;
  goal: Goal;
  /** Epochs 1..length. */
  length: number;
  /** curves[i] = values of configuration i per epoch. */
  curves: Float64Array[];
  /** Values the metric can take (accuracy: [0, 1]). */
  range: readonly [number, number];
}

/**
 * Reads a wide curve file: one row per configuration, the metric per epoch in the columns whose
 * names start with `prefix` (in order). Every value must be a finite number.
 */
export function readCurveSet(path: string, options: { prefix: string; goal: Goal; range?: readonly [number, number]; name?: string }): CurveSet {
  const { prefix, goal, range = [-Infinity, Infinity], name = path } = options;
  const csv = readCsvCells(path);
  if (csv.rows.length === 0) throw new InputError(`${path}: no data rows`, 'path');
  const { header } = csv;
  const columns = header.map((h, j) => (h.startsWith(prefix) ? j : -1)).filter((j) => j >= 0);
  if (columns.length === 0) throw new InputError(`${path}: no columns start with ${show(prefix)}`, 'prefix');
  const curves = csv.rows.map((cells, r) => Float64Array.from(columns, (j) => csvNumber(cells[j], { source: path, row: r + 1, column: header[j]! })));
  return { name, goal, length: columns.length, curves, range };
}
