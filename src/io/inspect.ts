import { existsSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { detectColumns } from './detect.js';
import { openStore, type RunState } from './store.js';
import { formatOf, readTable, type ColumnTable, type FileFormat } from './table-file.js';
import { parseNumber } from './units.js';

/** One column of an inspected table. */
export interface ColumnReport {
  name: string;
  /** 'number' when every non-empty cell is a number (sizes such as `7B` count), 'text' when none is. */
  type: 'number' | 'text' | 'mixed' | 'empty';
  /** Empty cells. */
  missing: number;
  /** Over the finite numeric cells; absent when there are none. */
  min?: number;
  max?: number;
}

/** Columns detected for each role, `null` where none was found. */
export interface DetectedColumns {
  N: string | null;
  D: string | null;
  C: string | null;
  loss: string | null;
  step: string | null;
  run: string | null;
}

export interface FileReport {
  kind: 'file';
  path: string;
  format: FileFormat;
  rows: number;
  columns: ColumnReport[];
  detected: DetectedColumns;
  /** What `readObservations` would derive or could not find. */
  notes: string[];
}

export interface StoreReport {
  kind: 'store';
  path: string;
  runs: number;
  /**
   * Runs by state: an ended run's summary status; 'running' while a live process holds its lease,
   * 'interrupted' when none does (its process was killed, or its lease went stale).
   */
  byStatus: Record<RunState, number>;
  /** Runs without a summary and without a live lease, with what their lease said. */
  interrupted: { id: string; lease?: string }[];
  /** Trajectories whose steps repeat or go back (two writers, or a trainer restarted without a claim). */
  problems: { id: string; problem: string }[];
  families: string[];
  /** Logged points over all runs, and the smallest and largest last step of a run. */
  steps: { points: number; minLast: number | null; maxLast: number | null };
  /** The columns of `store.table()`, with ranges. */
  columns: ColumnReport[];
}

/**
 * What is in a data file or a run store: rows, columns with their ranges, and which columns would
 * be read as N, D, C, loss, step and run id. A directory is read as a run store.
 */
export function inspect(path: string): FileReport | StoreReport {
  if (existsSync(path) && statSync(path).isDirectory()) return inspectStore(path);
  return inspectFile(path);
}

export function inspectFile(path: string, format: FileFormat | undefined = path === '-' ? 'csv' : formatOf(path)): FileReport {
  const table = readTable(path, { format });
  const names = table.columnNames();
  const observed = detectColumns(names, ['N', 'D', 'C', 'loss'] as const);
  const traced = detectColumns(names, ['run', 'step'] as const);
  const detected: DetectedColumns = {
    N: observed.N ?? null,
    D: observed.D ?? null,
    C: observed.C ?? null,
    loss: observed.loss ?? null,
    step: traced.step ?? null,
    run: traced.run ?? null,
  };
  const sizes = new Set([detected.N, detected.D, detected.C]);
  return { kind: 'file', path, format: format!, rows: table.numRows(), columns: names.map((n) => describeColumn(table, n, sizes.has(n))), detected, notes: notesOn(detected) };
}

function notesOn({ N, D, C, loss }: DetectedColumns): string[] {
  const notes: string[] = [];
  // observations() fills the third of N, D, C from the other two with C = 6 N D (Kaplan et al. 2020).
  if (!D && N && C) notes.push('no D column: D will be derived as C / (6 N)');
  if (!C && N && D) notes.push('no C column: C will be derived as 6 N D');
  if (!N && C && D) notes.push('no N column: N will be derived as C / (6 D)');
  if (!loss) notes.push('no loss column detected: name it with columns: { loss: ... }');
  return notes;
}

export function inspectStore(dir: string): StoreReport {
  const store = openStore(dir);
  const list = store.list();
  if (list.length === 0) throw new InputError(`${dir}: a directory with no runs in it (no <run>/config.json); give a data file or a run store`, 'path');
  const byStatus: Record<RunState, number> = { finished: 0, running: 0, interrupted: 0, diverged: 0, failed: 0 };
  const interrupted: StoreReport['interrupted'] = [];
  for (const { id } of list) {
    const state = store.state(id) as RunState;
    byStatus[state]++;
    if (state === 'interrupted') {
      const lease = store.lease(id);
      interrupted.push(lease ? { id, lease: `${lease.owner} (pid ${lease.pid} on ${lease.host}): ${lease.stale ?? 'released'}` } : { id });
    }
  }
  const runs = store.runs();
  const problems: StoreReport['problems'] = [];
  for (const run of runs) {
    const steps = run.trajectory.map((p) => p.step);
    let repeats = 0;
    let backs = 0;
    let first: string | undefined;
    for (let i = 1; i < steps.length; i++) {
      if (steps[i] === steps[i - 1]) repeats++;
      else if (steps[i]! < steps[i - 1]!) backs++;
      else continue;
      first ??= `line ${i + 1}: step ${steps[i]} after step ${steps[i - 1]}`;
    }
    if (first) problems.push({ id: run.config.id, problem: `steps repeat ${repeats} times and go back ${backs} times (first at ${first})` });
  }
  const lasts = runs.filter((r) => r.trajectory.length > 0).map((r) => r.trajectory.at(-1)!.step);
  const table = store.table();
  return {
    kind: 'store',
    path: dir,
    runs: list.length,
    byStatus,
    interrupted,
    problems,
    families: [...new Set(runs.map((r) => r.config.family))].sort(),
    steps: {
      points: runs.reduce((s, r) => s + r.trajectory.length, 0),
      minLast: lasts.length ? Math.min(...lasts) : null,
      maxLast: lasts.length ? Math.max(...lasts) : null,
    },
    columns: table.numRows() > 0 ? table.columnNames().map((n) => describeColumn(table, n, false)) : [],
  };
}

function describeColumn(table: ColumnTable, name: string, units: boolean): ColumnReport {
  const column = table.column(name)!;
  let missing = 0,
    numbers = 0,
    texts = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < table.numRows(); i++) {
    const value = parseNumber(column.at(i), { units });
    if (value === null) missing++;
    else if (value === undefined) texts++;
    else {
      numbers++;
      if (Number.isFinite(value)) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
    }
  }
  const type = numbers && texts ? 'mixed' : numbers ? 'number' : texts ? 'text' : 'empty';
  return min <= max ? { name, type, missing, min, max } : { name, type, missing };
}
