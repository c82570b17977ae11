import { readFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';
import type { Goal } from './curve.js';
import type { LrSchedule } from './schedule-aware.js';

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
  const table = readCsvTable(path, options);
  const y = options.y ?? table.header.find((h) => h !== table.x);
  if (y === undefined) throw new InputError(`${path}: needs a column of values besides ${show(table.x)}`, 'y');
  const yi = table.header.indexOf(y);
  if (yi < 0) throw new InputError(`${path}: no column ${show(y)}; columns: ${table.header.join(', ')}`, 'y');
  const [steps, values] = table.parse([table.xi, yi]);
  return { path, steps: steps!, values: values!, column: y, goal: guessGoal(y) };
}

/** A learning-rate schedule from a CSV file with a `step` and an `lr` column (see `LrSchedule`). */
export function readScheduleCsv(path: string): LrSchedule {
  const file = readCurveCsv(path, { x: 'step', y: 'lr' });
  return { step: file.steps, lr: file.values };
}

/** Several curves on one grid of steps: a step column and one column per run (a wide export). */
export interface CurvesFile {
  path: string;
  steps: number[];
  columns: { column: string; values: number[] }[];
}

/** Reads a wide CSV of runs: the step column (as in `readCurveCsv`) and every other column a run. */
export function readCurvesCsv(path: string, options: Pick<ReadCurveOptions, 'x'> = {}): CurvesFile {
  const table = readCsvTable(path, options);
  const runs = table.header.flatMap((column, j) => (j === table.xi ? [] : [j]));
  const [steps, ...values] = table.parse([table.xi, ...runs]);
  return { path, steps: steps!, columns: runs.map((j, k) => ({ column: table.header[j]!, values: values[k]! })) };
}

/** The file read and split once, with its step column found; `parse` reads columns row by row. */
function readCsvTable(path: string, options: Pick<ReadCurveOptions, 'x'>) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the file`, 'path');
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length < 2) throw new InputError(`${path}: no data rows`, 'path');
  const header = splitCsvLine(lines[0]!).map((h) => h.trim());
  const x = options.x ?? (header.includes('step') ? 'step' : header[0]!);
  const xi = header.indexOf(x);
  if (xi < 0) throw new InputError(`${path}: no column ${show(x)}; columns: ${header.join(', ')}`, 'x');
  /** The numbers of columns `js`, one array each; an empty or non-numeric cell is an error naming its row and column. */
  const parse = (js: readonly number[]): number[][] => {
    const out = js.map(() => [] as number[]);
    lines.slice(1).forEach((line, r) => {
      const cells = splitCsvLine(line);
      js.forEach((j, k) => {
        const raw = (cells[j] ?? '').trim();
        const v = raw === '' ? NaN : Number(raw);
        if (!Number.isFinite(v)) throw new InputError(`${path}: row ${r + 1}, column ${header[j]}: not a finite number: ${show(cells[j] ?? '')}`, header[j]);
        out[k]!.push(v);
      });
    });
    return out;
  };
  return { header, x, xi, parse };
}

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

/** Splits one CSV line, honouring double quotes (the MetaQNN file quotes its architecture strings). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cell); cell = ''; }
    else cell += c;
  }
  out.push(cell);
  return out;
}

/**
 * Reads a wide curve file: one row per configuration, the metric per epoch in the columns whose
 * names start with `prefix` (in order). Every value must be a finite number.
 */
export function readCurveSet(path: string, options: { prefix: string; goal: Goal; range?: readonly [number, number]; name?: string }): CurveSet {
  const { prefix, goal, range = [-Infinity, Infinity], name = path } = options;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length < 2) throw new InputError(`${path}: no data rows`, 'path');
  const header = splitCsvLine(lines[0]!);
  const columns = header.map((h, j) => (h.startsWith(prefix) ? j : -1)).filter((j) => j >= 0);
  if (columns.length === 0) throw new InputError(`${path}: no columns start with ${show(prefix)}`, 'prefix');
  const curves = lines.slice(1).map((line, r) => {
    const cells = splitCsvLine(line);
    return Float64Array.from(columns, (j) => {
      const v = Number(cells[j]);
      if (cells[j] === undefined || cells[j] === '' || !Number.isFinite(v)) {
        throw new InputError(`${path}: row ${r + 1}, column ${header[j]}: not a finite number: ${show(cells[j])}`, header[j]);
      }
      return v;
    });
  });
  return { name, goal, length: columns.length, curves, range };
}

