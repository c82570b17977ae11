import { InputError, show } from '../core/errors.js';

/** A CSV file of numbers: its column names in order and one Float64Array per column. */
export interface NumericCsv {
  names: string[];
  columns: Record<string, Float64Array>;
  length: number;
}

/**
 * Parses a small all-numeric CSV (a header line, then numbers; blank lines skipped). Errors name the
 * source, the 1-based data row and the column. Enough for loss curves and per-step schedules;
 * quoting is not supported because such files never need it.
 */
export function parseNumericCsv(text: string, source = 'csv'): NumericCsv {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new InputError(`${source}: empty file`, 'file');
  const names = lines[0]!.split(',').map((n) => n.trim());
  const rows = lines.length - 1;
  const columns: Record<string, Float64Array> = {};
  for (const name of names) columns[name] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',');
    if (cells.length !== names.length) {
      throw new InputError(`${source}: row ${r + 1}: expected ${names.length} values, got ${cells.length}`, 'row');
    }
    for (let j = 0; j < names.length; j++) {
      const cell = cells[j]!.trim();
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) throw new InputError(`${source}: row ${r + 1}, column ${names[j]}: not a number: ${show(cell)}`, names[j]);
      columns[names[j]!]![r] = value;
    }
  }
  return { names, columns, length: rows };
}
