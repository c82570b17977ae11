import { readFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';
import type { Goal } from './curve.js';
import { splitCsvLine } from './nas-data.js';

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
  const y = options.y ?? header.find((h) => h !== x);
  if (y === undefined) throw new InputError(`${path}: needs a column of values besides ${show(x)}`, 'y');
  const yi = header.indexOf(y);
  if (yi < 0) throw new InputError(`${path}: no column ${show(y)}; columns: ${header.join(', ')}`, 'y');
  const steps: number[] = [], values: number[] = [];
  lines.slice(1).forEach((line, r) => {
    const cells = splitCsvLine(line);
    for (const [j, out] of [[xi, steps], [yi, values]] as const) {
      const raw = (cells[j] ?? '').trim();
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) throw new InputError(`${path}: row ${r + 1}, column ${header[j]}: not a finite number: ${show(cells[j] ?? '')}`, header[j]);
      out.push(v);
    }
  });
  return { path, steps, values, column: y, goal: guessGoal(y) };
}

/** Several curves on one grid of steps: a step column and one column per run (a wide export). */
export interface CurvesFile {
  path: string;
  steps: number[];
  columns: { column: string; values: number[] }[];
}

/** Reads a wide CSV of runs: the step column (as in `readCurveCsv`) and every other column a run. */
export function readCurvesCsv(path: string, options: Pick<ReadCurveOptions, 'x'> = {}): CurvesFile {
  const first = readCurveCsv(path, options);
  const header = splitCsvLine(readFileSync(path, 'utf8').split(/\r?\n/, 1)[0]!).map((h) => h.trim());
  const x = options.x ?? (header.includes('step') ? 'step' : header[0]!);
  const columns = header.filter((h) => h !== x).map((column) => ({ column, values: column === first.column ? first.values : readCurveCsv(path, { x, y: column }).values }));
  return { path, steps: first.steps, columns };
}
