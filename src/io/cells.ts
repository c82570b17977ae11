import { show } from '../core/errors.js';
import type { ColumnTable } from './table-file.js';
import { parseNumber } from './units.js';

/** What a numeric cell may hold. */
export interface NumberRules {
  /** Accept `7B`, `1.4T`. */
  units?: boolean;
  /** An empty cell is allowed (read as `null`). */
  optional?: boolean;
  /** NaN and infinities are allowed. */
  nonFinite?: boolean;
  positive?: boolean;
  nonNegative?: boolean;
  integer?: boolean;
}

/** A cell read as a number: the value, or what is wrong with it (the tail of an error message). */
export type Cell = { value: number | null; problem?: undefined } | { value?: undefined; problem: string };

/** Reads one cell under `rules`. */
export function readCell(raw: unknown, rules: NumberRules): Cell {
  const value = parseNumber(raw, { units: rules.units });
  if (value === undefined) return { problem: `not a number: ${show(raw)}` };
  if (value === null) return rules.optional ? { value } : { problem: 'missing value' };
  if (!Number.isFinite(value)) return rules.nonFinite ? { value } : { problem: `not a finite number: ${show(raw)}` };
  if (rules.positive && value <= 0) return { problem: `must be positive, got ${show(value)}` };
  if (rules.nonNegative && value < 0) return { problem: `must not be negative, got ${show(value)}` };
  if (rules.integer && !Number.isInteger(value)) return { problem: `must be an integer, got ${show(value)}` };
  return { value };
}

/** `column "Model Size" (N)`: how messages name a column that plays a role. */
export const columnLabel = (name: string, role?: string): string => `column ${show(name)}${role && role !== name ? ` (${role})` : ''}`;

/** Cells of a kept column: numbers where the text is a plain number, otherwise as read. */
export function keptColumn(table: ColumnTable, name: string): unknown[] {
  const column = table.column(name)!;
  return Array.from({ length: table.numRows() }, (_, i) => {
    const raw = column.at(i);
    if (typeof raw === 'bigint') return Number(raw);
    const value = typeof raw === 'string' ? parseNumber(raw) : undefined;
    return typeof value === 'number' ? value : raw;
  });
}

/** Names the columns of a table for an error message. */
export const listColumns = (table: ColumnTable): string =>
  table
    .columnNames()
    .map((n) => show(n))
    .join(', ');
