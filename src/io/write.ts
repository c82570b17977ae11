import * as aq from 'arquero';
import { InputError, show } from '../core/errors.js';
import type { ObservationTable } from '../core/observations.js';
import type { Run } from '../core/run.js';
import { writeFileAtomic } from './atomic.js';
import { encodeLine } from './jsonl.js';
import { runsTable } from './runs-table.js';
import { formatOf, type ColumnTable, type FileFormat } from './table-file.js';

/** Options of the `write*` functions. */
export interface WriteOptions {
  /** @default from the file extension */
  format?: FileFormat;
}

/**
 * Writes an arquero table to CSV, TSV, JSON (an array of row objects), JSONL or Arrow (IPC file
 * format), atomically (temp file + rename). In JSON and JSONL, NaN and infinities are written as
 * the strings "NaN", "Infinity", "-Infinity", which the readers take back as numbers.
 */
export function writeTable(table: ColumnTable, path: string, options: WriteOptions = {}): void {
  const format = options.format ?? formatOf(path);
  if (format === undefined) throw new InputError(`${path}: cannot tell the format from the extension; use .csv, .tsv, .json, .jsonl or .arrow, or pass format`, 'format');
  switch (format) {
    case 'csv':
      return writeFileAtomic(path, withNewline(aq.toCSV(table)));
    case 'tsv':
      return writeFileAtomic(path, withNewline(aq.toCSV(table, { delimiter: '\t' })));
    case 'json':
      return writeFileAtomic(
        path,
        '[\n' +
          table
            .objects()
            .map((r) => encodeLine(r))
            .join(',\n') +
          '\n]\n',
      );
    case 'jsonl':
      return writeFileAtomic(
        path,
        table
          .objects()
          .map((r) => encodeLine(r) + '\n')
          .join(''),
      );
    case 'arrow': {
      return writeFileAtomic(path, aq.toArrowIPC(table, { format: 'file' }));
    }
    default:
      throw new InputError(`${path}: format must be one of csv, tsv, json, jsonl, arrow, got ${show(format)}`, 'format');
  }
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : text + '\n');

/** An observation table as an arquero table: N, D, C (where present), loss, then the kept columns. */
export function observationsToTable(obs: ObservationTable): ColumnTable {
  const columns: Record<string, ArrayLike<unknown>> = {};
  if (obs.N) columns.N = obs.N;
  if (obs.D) columns.D = obs.D;
  if (obs.C) columns.C = obs.C;
  columns.loss = obs.loss;
  for (const [name, values] of Object.entries(obs.extra)) if (!(name in columns)) columns[name] = values;
  return aq.table(columns as Record<string, unknown[]>);
}

/**
 * Writes an observation table (N, D, C, loss and the kept columns; excluded rows are not data and
 * are not written). `readObservations` reads the file back to the same table.
 */
export function writeObservations(obs: ObservationTable, path: string, options: WriteOptions = {}): void {
  writeTable(observationsToTable(obs), path, options);
}

/**
 * Writes runs in long format, one row per logged step: `id`, `family`, `N`, `D`, `batchSize`,
 * `seqLen`, `seed`, the tags, `step` and the metrics (see `runsTable`; the schedule and status
 * columns are left out). `readRuns` reads it back. A run store keeps everything; this is for export.
 */
export function writeRuns(runs: readonly Run[], path: string, options: WriteOptions = {}): void {
  const table = runsTable(runs);
  const empty = (name: string) => table.array(name).every((v: unknown) => v === undefined || v === null);
  const keep = table.columnNames().filter((n) => n !== 'status' && n !== 'schedule' && !(['D', 'N', 'batchSize', 'seqLen', 'seed'].includes(n) && empty(n)));
  writeTable(table.select(keep), path, options);
}
