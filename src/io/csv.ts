import { readFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';

/**
 * A small CSV file split into cells: the header (names trimmed) and the data rows, blank lines
 * skipped. Rows are numbered from 1, the first line after the header, in every message.
 * For files with types, units, or many rows, use `readTable` (arquero) instead.
 */
export interface CsvCells {
  /** Names the data in messages (the path of a file). */
  source: string;
  header: string[];
  rows: string[][];
}

/** Splits one CSV line, honouring double quotes (`"a,b"` is one cell; `""` inside quotes is `"`). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}

/**
 * Splits a CSV text into a header and rows of cells (quote-aware; a quoted cell may not span
 * lines). Blank lines are skipped; an empty text gives an empty header and no rows.
 */
export function parseCsvCells(text: string, source = 'csv'): CsvCells {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return { source, header: [], rows: [] };
  return { source, header: splitCsvLine(lines[0]!).map((h) => h.trim()), rows: lines.slice(1).map(splitCsvLine) };
}

/** `parseCsvCells` on a file (`-`: standard input); a file that cannot be read is an InputError naming it. */
export function readCsvCells(path: string): CsvCells {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a folder' : code ? ` (${code})` : '';
    throw new InputError(`${path === '-' ? 'standard input' : path}: cannot read the file${why}`, 'path');
  }
  return parseCsvCells(text, path);
}

/** The index of column `name`, or an InputError (for option `field`) listing the columns there are. */
export function csvColumnIndex(csv: CsvCells, name: string, field: string): number {
  const j = csv.header.indexOf(name);
  if (j < 0) throw new InputError(`${csv.source}: no column ${show(name)}; columns: ${csv.header.join(', ')}`, field);
  return j;
}

/**
 * A cell as a finite number (surrounding spaces ignored); an empty or non-numeric cell is an
 * InputError `<source>: row <row>, column <column>: <problem>: <shown>`, with `shown` the cell as
 * the caller wants it echoed.
 */
export function csvNumber(cell: string | undefined, at: { source: string; row: number; column: string }, shown: unknown = cell, problem = 'not a finite number'): number {
  const text = (cell ?? '').trim();
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new InputError(`${at.source}: row ${at.row}, column ${at.column}: ${problem}: ${show(shown)}`, at.column);
  return value;
}

/**
 * The numbers of columns `js` (indices into the header), one array each, read row by row; a
 * missing, empty or non-numeric cell is an error naming its row and column (see `csvNumber`).
 */
export function csvNumberColumns(csv: CsvCells, js: readonly number[]): number[][] {
  const out = js.map(() => [] as number[]);
  csv.rows.forEach((cells, r) => {
    js.forEach((j, k) => {
      out[k]!.push(csvNumber(cells[j], { source: csv.source, row: r + 1, column: csv.header[j]! }, cells[j] ?? ''));
    });
  });
  return out;
}

/** A CSV file of numbers: its column names in order and one Float64Array per column. */
export interface NumericCsv {
  names: string[];
  columns: Record<string, Float64Array>;
  length: number;
}

/**
 * Parses a small all-numeric CSV (a header line, then numbers; blank lines skipped). Every row must
 * have one value per column. Errors name the source, the 1-based data row and the column. Enough
 * for loss curves and per-step schedules.
 */
export function parseNumericCsv(text: string, source = 'csv'): NumericCsv {
  const csv = parseCsvCells(text, source);
  if (csv.header.length === 0) throw new InputError(`${source}: empty file`, 'file');
  const names = csv.header;
  const rows = csv.rows.length;
  const columns: Record<string, Float64Array> = {};
  for (const name of names) columns[name] = new Float64Array(rows);
  csv.rows.forEach((cells, r) => {
    if (cells.length !== names.length) {
      throw new InputError(`${source}: row ${r + 1}: expected ${names.length} values, got ${cells.length}`, 'row');
    }
    names.forEach((name, j) => {
      const cell = cells[j]!.trim();
      columns[name]![r] = csvNumber(cell, { source, row: r + 1, column: name }, cell, 'not a number');
    });
  });
  return { names, columns, length: rows };
}
