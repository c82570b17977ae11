import { InputError, show } from '../core/errors.js';
import { observations, type ExcludedRow, type ObservationTable } from '../core/observations.js';
import { columnLabel, keptColumn, listColumns, readCell } from './cells.js';
import { COLUMN_NAMES, detectColumns } from './detect.js';
import { readTable, type ColumnTable, type FileFormat } from './table-file.js';

/** Which file columns hold N, D, C and loss; any role left out is detected from the usual names. */
export interface ObservationMapping {
  N?: string;
  D?: string;
  C?: string;
  loss?: string;
}

/** Options of `readObservations`. */
export interface ReadObservationsOptions {
  /** Column names for N, D, C and loss, overriding detection. @default detected (see `COLUMN_NAMES`) */
  columns?: ObservationMapping;
  /** @default from the file extension */
  format?: FileFormat;
  /**
   * What to do with a row whose N, D, C or loss is missing, not a number, not finite or not
   * positive: 'error' throws an InputError naming the file, row and column; 'exclude' leaves the
   * row out and records it, with the same text as reason, in `excluded`. @default 'error'
   */
  invalid?: 'error' | 'exclude';
  /** Fill a missing D from C = 6 N D (or C, or N, from the other two). @default true */
  derive?: boolean;
  /** Names the data in messages. @default the path */
  source?: string;
}

const ROLES = ['N', 'D', 'C', 'loss'] as const;

/**
 * Reads a CSV, TSV, JSON, JSONL or Arrow file of finished runs into an observation table. N, D
 * and C accept sizes such as `7B` or `1.4T`; every other column is kept in `extra`.
 *
 * @example readObservations('../shared/data/chinchilla-epoch/svg_extracted_data.csv') // N, C, loss detected; D = C / (6 N)
 * @example readObservations('runs.csv', { columns: { loss: 'target_c4_val_loss' } })
 */
export function readObservations(path: string, options: ReadObservationsOptions = {}): ObservationTable {
  const { format, ...rest } = options;
  return observationsFromTable(readTable(path, { format }), { source: path, ...rest });
}

/**
 * Builds an observation table from an arquero table (values as numbers or as text), validating
 * as `readObservations` does.
 */
export function observationsFromTable(table: ColumnTable, options: Omit<ReadObservationsOptions, 'format'> = {}): ObservationTable {
  const { columns: explicit = {}, invalid = 'error', derive = true, source = 'table' } = options;
  if (invalid !== 'error' && invalid !== 'exclude') throw new InputError(`invalid: must be "error" or "exclude", got ${show(invalid)}`, 'invalid');
  const mapping = observationColumns(table, explicit, source);
  const length = table.numRows();
  const values: Partial<Record<(typeof ROLES)[number], number[]>> = {};
  for (const role of ROLES) if (mapping[role] !== undefined) values[role] = [];
  const kept: number[] = [];
  const excluded: ExcludedRow[] = [];
  const getters = ROLES.filter((r) => mapping[r] !== undefined).map((role) => ({ role, name: mapping[role]!, column: table.column(mapping[role]!)! }));
  for (let i = 0; i < length; i++) {
    const row: number[] = [];
    let problem: string | undefined;
    for (const { role, name, column } of getters) {
      const cell = readCell(column.at(i), { units: role !== 'loss', positive: true });
      if (cell.problem !== undefined) {
        problem = `${columnLabel(name, role)}: ${cell.problem}`;
        if (invalid === 'error') throw new InputError(`${source}: row ${i + 1}, ${problem}`, role);
        break;
      }
      row.push(cell.value!);
    }
    if (problem !== undefined) {
      excluded.push({ row: i + 1, reason: problem });
      continue;
    }
    kept.push(i);
    getters.forEach(({ role }, j) => values[role]!.push(row[j]!));
  }
  if (kept.length === 0) throw new InputError(`${source}: every row was excluded; the first: row ${excluded[0]!.row}, ${excluded[0]!.reason}`, 'rows');
  const used = new Set(Object.values(mapping));
  const extra: Record<string, unknown[]> = {};
  for (const name of table.columnNames()) {
    if (used.has(name)) continue;
    const all = keptColumn(table, name);
    extra[name] = kept.length === length ? all : kept.map((i) => all[i]);
  }
  return observations({ ...values, loss: values.loss!, extra }, { source, derive, excluded });
}

/** The file columns for N, D, C and loss: explicit names checked, the rest detected; loss required. */
export function observationColumns(table: ColumnTable, explicit: ObservationMapping, source: string): ObservationMapping {
  const names = table.columnNames();
  for (const [role, name] of Object.entries(explicit)) {
    if (!(ROLES as readonly string[]).includes(role)) throw new InputError(`${source}: columns: unknown role ${show(role)}; use N, D, C or loss`, role);
    if (name !== undefined && !names.includes(name)) throw new InputError(`${source}: no column ${show(name)} (given for ${role}); columns: ${listColumns(table)}`, role);
  }
  const mapping = detectColumns(names, ROLES, explicit);
  if (mapping.loss === undefined) {
    throw new InputError(`${source}: no loss column (looked for ${COLUMN_NAMES.loss.join(', ')}); columns: ${listColumns(table)}; name it with columns: { loss: ... }`, 'loss');
  }
  return mapping;
}
