import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import * as aq from 'arquero';
import { createRequire } from 'node:module';
import { InputError, show } from '../core/errors.js';
import { parseJsonLines } from './jsonl.js';

export type ColumnTable = ReturnType<typeof aq.table>;
export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'arrow';

const EXTENSIONS: Record<string, FileFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.txt': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
  '.arrows': 'arrow',
};

/** The format a path's extension implies; `undefined` when the extension is not one of ours. */
export function formatOf(path: string): FileFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

/** Options of `readTable`. */
export interface ReadTableOptions {
  /** @default from the file extension (.csv, .tsv, .json, .jsonl/.ndjson, .arrow/.feather/.ipc) */
  format?: FileFormat;
}

/**
 * Reads a data file into an arquero table with values as stored: CSV and TSV cells stay strings
 * (an empty cell is `null`) so that converting them to numbers, with errors naming the row, happens
 * at the edge (`parseNumber`); JSON and Arrow keep their types. JSON may be an array of row objects
 * or an object of equal-length column arrays; JSONL holds one row object per line.
 *
 * `-` reads standard input (as CSV unless `format` is given).
 *
 * Throws InputError for a missing or empty file, an unknown format, or a file with no rows.
 */
export function readTable(path: string, options: ReadTableOptions = {}): ColumnTable {
  const stdin = path === '-';
  if (!stdin && !existsSync(path)) throw new InputError(`${path}: no such file`, 'path');
  if (!stdin && statSync(path).isDirectory()) throw new InputError(`${path}: is a directory, not a data file`, 'path');
  // `-` is standard input, CSV unless a format is given.
  const format = options.format ?? (stdin ? 'csv' : formatOf(path));
  if (format === undefined) {
    throw new InputError(`${path}: unknown file format ${show(extname(path))}; use .csv, .tsv, .json, .jsonl or .arrow, or pass format`, 'format');
  }
  if (!(format in FORMATS)) throw new InputError(`${path}: format must be one of csv, tsv, json, jsonl, arrow, got ${show(format)}`, 'format');
  const bytes = readFileSync(stdin ? 0 : path);
  if (bytes.length === 0 || (format !== 'arrow' && bytes.toString('utf8').trim() === '')) throw new InputError(`${path}: empty file`, 'path');
  const table = FORMATS[format](bytes, path);
  if (table.numRows() === 0)
    throw new InputError(
      `${path}: no rows (columns: ${
        table
          .columnNames()
          .map((n) => show(n))
          .join(', ') || 'none'
      })`,
      'path',
    );
  return table;
}

const FORMATS: Record<FileFormat, (bytes: Buffer, path: string) => ColumnTable> = {
  csv: (bytes) => delimited(bytes, ','),
  tsv: (bytes) => delimited(bytes, '\t'),
  json: (bytes, path) => {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new InputError(`${path}: not valid JSON (${(error as Error).message})`, 'path');
    }
    return fromJsonValue(value, path);
  },
  jsonl: (bytes, path) => fromRows(parseJsonLines(bytes.toString('utf8'), path), path, 'line'),
  arrow: (bytes, path) => {
    let arrow;
    try {
      // Loaded on first use (~0.3 s to import, which every CLI call would otherwise pay).
      const { tableFromIPC } = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
      arrow = tableFromIPC(bytes);
    } catch {
      throw new InputError(`${path}: not an Arrow IPC file or stream`, 'path');
    }
    // apache-arrow reads files and streams from other writers (pyarrow, polars); arquero wraps its columns.
    return aq.fromArrow(arrow as unknown as Parameters<typeof aq.fromArrow>[0]);
  },
};

function delimited(bytes: Buffer, delimiter: string): ColumnTable {
  // Strip a UTF-8 byte-order mark, which spreadsheet exports add and which would join the first column name.
  // Trailing blank lines would read as rows of empty cells.
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/(\r?\n)+$/, '\n');
  return aq.fromCSV(text, { delimiter, autoType: false });
}

function fromJsonValue(value: unknown, path: string): ColumnTable {
  if (Array.isArray(value)) return fromRows(value, path, 'row');
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const length = Array.isArray(entries[0]?.[1]) ? (entries[0]![1] as unknown[]).length : -1;
    for (const [name, column] of entries) {
      if (!Array.isArray(column)) throw new InputError(`${path}: expected an array of rows or an object of column arrays; column ${show(name)} is ${show(column)}`, name);
      if (column.length !== length) throw new InputError(`${path}: column ${show(name)} has ${column.length} values, expected ${length}`, name);
    }
    return aq.table(value as Record<string, unknown[]>);
  }
  throw new InputError(`${path}: expected an array of rows or an object of column arrays, got ${show(value)}`, 'path');
}

function fromRows(rows: unknown[], path: string, unit: 'row' | 'line'): ColumnTable {
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new InputError(`${path}: ${unit} ${i + 1}: expected an object, got ${show(row)}`, 'path');
  });
  // Rows may name different fields (sparse logging): take the union, in order of first appearance.
  const names = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
  const columns = Object.fromEntries(names.map((n) => [n, rows.map((r) => (r as Record<string, unknown>)[n] ?? null)]));
  return aq.table(columns);
}
