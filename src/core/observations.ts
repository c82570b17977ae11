import { InputError, show } from './errors.js';

/** A row that was left out on purpose, with the reason. Never dropped silently. */
export interface ExcludedRow {
  /** 1-based data row (header excluded) in the source. */
  row: number;
  reason: string;
}

/**
 * The table scaling fits work on: one row per finished run (or per checkpoint, see
 * `observationsFromRuns`), with N (parameters), D (tokens or samples), C (training FLOPs) and loss
 * as Float64Arrays, and every other column kept in `extra`.
 */
export interface ObservationTable {
  readonly length: number;
  readonly N?: Float64Array;
  readonly D?: Float64Array;
  readonly C?: Float64Array;
  readonly loss: Float64Array;
  /** Other columns, kept as read (numbers or strings). */
  readonly extra: Readonly<Record<string, readonly unknown[]>>;
  /** Where the rows came from (a file path or a description). */
  readonly source: string;
  readonly excluded: readonly ExcludedRow[];
}

export interface ObservationColumns {
  N?: ArrayLike<number>;
  D?: ArrayLike<number>;
  C?: ArrayLike<number>;
  loss: ArrayLike<number>;
  extra?: Record<string, readonly unknown[]>;
}

export interface ObservationOptions {
  /** Names the data in error messages. @default 'observations' */
  source?: string;
  /**
   * Fill a missing D from C = 6 N D, or a missing C from N and D (Kaplan et al. 2020's
   * approximation). @default true
   */
  derive?: boolean;
  /** Rows already excluded upstream, carried along for the report. */
  excluded?: ExcludedRow[];
}

/**
 * Builds a validated observation table. Every value must be finite; N, D, C and loss must be
 * positive. Errors name the source, the 1-based row and the column.
 *
 * @example observations({ N: [1e8, 4e8], D: [2e9, 8e9], loss: [3.1, 2.8] }, { source: 'runs.csv' })
 */
export function observations(columns: ObservationColumns, options: ObservationOptions = {}): ObservationTable {
  const { source = 'observations', derive = true, excluded = [] } = options;
  const length = columns.loss.length;
  if (length === 0) throw new InputError(`${source}: no rows`, 'loss');
  const take = (name: string, values: ArrayLike<number> | undefined): Float64Array | undefined => {
    if (values === undefined) return undefined;
    if (values.length !== length) {
      throw new InputError(`${source}: column ${name} has ${values.length} values, expected ${length}`, name);
    }
    const out = Float64Array.from(values);
    for (let i = 0; i < length; i++) {
      const v = out[i]!;
      if (!Number.isFinite(v)) throw new InputError(`${source}: row ${i + 1}, column ${name}: not a finite number: ${show(values[i])}`, name);
      if (v <= 0) throw new InputError(`${source}: row ${i + 1}, column ${name}: must be positive, got ${show(v)}`, name);
    }
    return out;
  };
  let N = take('N', columns.N);
  let D = take('D', columns.D);
  let C = take('C', columns.C);
  const loss = take('loss', columns.loss)!;
  if (derive) {
    if (!D && N && C) D = C.map((c, i) => c / (6 * N![i]!));
    if (!C && N && D) C = N.map((n, i) => 6 * n * D![i]!);
    if (!N && C && D) N = C.map((c, i) => c / (6 * D![i]!));
  }
  const extra: Record<string, readonly unknown[]> = {};
  for (const [name, values] of Object.entries(columns.extra ?? {})) {
    if (values.length !== length) {
      throw new InputError(`${source}: column ${name} has ${values.length} values, expected ${length}`, name);
    }
    extra[name] = Object.freeze([...values]);
  }
  return Object.freeze({ length, N, D, C, loss, extra: Object.freeze(extra), source, excluded: Object.freeze([...excluded]) });
}

/** Keeps the rows where `keep(i)` is true, recording the others with `reason`. */
export function filterObservations(table: ObservationTable, keep: (row: number) => boolean, reason: string): ObservationTable {
  const rows: number[] = [];
  const excluded = [...table.excluded];
  for (let i = 0; i < table.length; i++) keep(i) ? rows.push(i) : excluded.push({ row: i + 1, reason });
  return selectRows(table, rows, excluded);
}

/** The rows at `indices` (repeats allowed, as in a bootstrap resample). */
export function selectRows(table: ObservationTable, indices: ArrayLike<number>, excluded: readonly ExcludedRow[] = table.excluded): ObservationTable {
  const pick = (a: Float64Array | undefined) => (a ? Float64Array.from(indices, (i) => a[i]!) : undefined);
  const extra: Record<string, readonly unknown[]> = {};
  for (const [name, values] of Object.entries(table.extra)) extra[name] = Object.freeze(Array.from(indices, (i) => values[i]));
  return Object.freeze({
    length: indices.length,
    N: pick(table.N),
    D: pick(table.D),
    C: pick(table.C),
    loss: pick(table.loss)!,
    extra: Object.freeze(extra),
    source: table.source,
    excluded: Object.freeze([...excluded]),
  });
}

/** Training FLOPs by Kaplan et al. 2020's approximation, C = 6 N D. */
export const flopsFromND = (N: number, D: number): number => 6 * N * D;
/** Tokens from FLOPs and parameters, D = C / (6 N). */
export const tokensFromCN = (C: number, N: number): number => C / (6 * N);
/** Parameters from FLOPs and tokens, N = C / (6 D). */
export const paramsFromCD = (C: number, D: number): number => C / (6 * D);
