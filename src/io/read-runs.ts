import { basename, extname } from 'node:path';
import { InputError, show } from '../core/errors.js';
import type { Run, RunConfig, TrajectoryPoint } from '../core/run.js';
import { warn } from '../core/warn.js';
import { columnLabel, listColumns, readCell, type NumberRules } from './cells.js';
import { COLUMN_NAMES, detectColumns, normalizeName } from './detect.js';
import { readTable, type ColumnTable, type FileFormat } from './table-file.js';
import { parseNumber } from './units.js';

/** File columns for each role of a long-format trajectory file; roles left out are detected. */
export interface RunMapping {
  /** The run id; without one the whole file is one run. */
  run?: string;
  step?: string;
  tokens?: string;
  flops?: string;
  lr?: string;
  trainLoss?: string;
  evalLoss?: string;
  /** Per-run constants, copied to the run's config. */
  N?: string;
  D?: string;
  batchSize?: string;
  seqLen?: string;
  seed?: string;
}

/** Options of `readRuns`. */
export interface ReadRunsOptions {
  /** Column names by role, overriding detection. @default detected (see `COLUMN_NAMES`) */
  columns?: RunMapping;
  /** @default from the file extension */
  format?: FileFormat;
  /** `config.family` of every run read. @default a `family` column where the file has one, else 'imported' */
  family?: string;
  /** Id of the run when the file has no run column. @default the file name without its extension */
  id?: string;
  /** NaN or infinite metric values (a diverged run): an error, or kept as they are. @default 'error' */
  nonFinite?: 'error' | 'keep';
  /** Names the data in messages. @default the path */
  source?: string;
}

const RUN_ROLES = ['run', 'step', 'tokens', 'flops', 'lr', 'trainLoss', 'evalLoss', 'N', 'D', 'batchSize', 'seqLen', 'seed'] as const;
type RunRole = (typeof RUN_ROLES)[number];
const CONFIG_ROLES = ['N', 'D', 'batchSize', 'seqLen', 'seed'] as const;
const POINT_ROLES = ['tokens', 'flops', 'lr', 'trainLoss', 'evalLoss'] as const;

const CONFIG_RULES: Record<(typeof CONFIG_ROLES)[number], NumberRules> = {
  N: { units: true, optional: true, positive: true },
  D: { units: true, optional: true, positive: true },
  batchSize: { optional: true, positive: true },
  seqLen: { optional: true, positive: true, integer: true },
  seed: { optional: true, integer: true },
};

/**
 * Reads a long-format trajectory file (one row per run and logged step) into runs: a run-id
 * column, a step column, and metric columns (train and eval loss, lr, tokens, and any other numeric
 * column under its own name). Per-run constants (N, D, batch size, ...) go to the config; text
 * columns that are constant within a run become tags. Steps must increase strictly within a run.
 *
 * @example readRuns('curves.csv', { columns: { run: 'schedule' } })
 */
export function readRuns(path: string, options: ReadRunsOptions = {}): Run[] {
  const { format, ...rest } = options;
  return runsFromTable(readTable(path, { format }), { source: path, id: rest.id ?? runIdFromPath(path), ...rest });
}

/** A run id from a file name: its base name without extension, with characters ids may not hold replaced by `_`. */
export function runIdFromPath(path: string): string {
  const id = basename(path, extname(path))
    .replace(/[^A-Za-z0-9_.,=+@-]/g, '_')
    .replace(/^[.-]+/, '');
  return id === '' ? 'run' : id;
}

/** Builds runs from an arquero table as `readRuns` does. */
export function runsFromTable(table: ColumnTable, options: Omit<ReadRunsOptions, 'format'> = {}): Run[] {
  const { family: explicitFamily } = options;
  const { columns: explicit = {}, family = 'imported', nonFinite = 'error', source = 'table', id: singleId = 'run' } = options;
  if (nonFinite !== 'error' && nonFinite !== 'keep') throw new InputError(`nonFinite: must be "error" or "keep", got ${show(nonFinite)}`, 'nonFinite');
  const mapping = runColumns(table, explicit, source);
  const used = new Set(Object.values(mapping));
  const length = table.numRows();
  const fail = (row: number, name: string, role: string | undefined, problem: string): never => {
    throw new InputError(`${source}: row ${row + 1}, ${columnLabel(name, role)}: ${problem}`, role ?? name);
  };
  const number = (row: number, name: string, role: string | undefined, rules: NumberRules): number | null => {
    const cell = readCell(table.get(name, row), rules);
    return cell.problem !== undefined ? fail(row, name, role, cell.problem) : cell.value!;
  };

  // Other columns: numeric ones are metrics; text ones become tags when constant within each run.
  const others = table.columnNames().filter((n) => !used.has(n));
  const numeric = others.filter((name) => {
    const column = table.column(name)!;
    for (let i = 0; i < length; i++) if (parseNumber(column.at(i)) === undefined) return false;
    return true;
  });
  const text = others.filter((n) => !numeric.includes(n));

  interface Building {
    config: RunConfig;
    trajectory: TrajectoryPoint[];
    stepRows: Map<number, number>;
    firstRow: Record<string, number>;
  }
  const runs = new Map<string, Building>();
  const metricRules: NumberRules = { optional: true, nonFinite: nonFinite === 'keep' };
  for (let i = 0; i < length; i++) {
    let id = singleId;
    if (mapping.run !== undefined) {
      const raw = table.get(mapping.run, i);
      if (raw === null || raw === undefined || String(raw).trim() === '') fail(i, mapping.run, 'run', 'missing value');
      id = String(typeof raw === 'bigint' ? Number(raw) : raw).trim();
    }
    let run = runs.get(id);
    if (!run) {
      run = { config: { id, family }, trajectory: [], stepRows: new Map(), firstRow: {} };
      runs.set(id, run);
    }
    const step = number(i, mapping.step!, 'step', { nonNegative: true, integer: true })!;
    const previous = run.trajectory.at(-1)?.step;
    const where = mapping.run !== undefined ? ` in run ${show(id)}` : '';
    if (run.stepRows.has(step)) fail(i, mapping.step!, 'step', `duplicate step ${step}${where} (also at row ${run.stepRows.get(step)! + 1})`);
    if (previous !== undefined && step < previous) fail(i, mapping.step!, 'step', `step ${step} comes after step ${previous}${where}; steps must increase`);
    run.stepRows.set(step, i);

    const point: TrajectoryPoint = { step };
    for (const role of POINT_ROLES) {
      if (mapping[role] === undefined) continue;
      const isLoss = role === 'trainLoss' || role === 'evalLoss';
      const value = number(i, mapping[role]!, role, isLoss ? metricRules : { optional: true, nonNegative: true, units: role !== 'lr' });
      if (value !== null) point[role] = value;
    }
    for (const name of numeric) {
      const value = number(i, name, undefined, metricRules);
      if (value !== null) point[name] = value;
    }
    run.trajectory.push(point);

    for (const role of CONFIG_ROLES) {
      if (mapping[role] === undefined) continue;
      const value = number(i, mapping[role]!, role, CONFIG_RULES[role]);
      if (value === null) continue;
      const before = run.config[role];
      if (before === undefined) {
        run.config[role] = value;
        run.firstRow[role] = i;
      } else if (before !== value) {
        fail(i, mapping[role]!, role, `run ${show(id)} has ${role} ${show(value)} here but ${show(before)} at row ${run.firstRow[role]! + 1}; it must be constant within a run`);
      }
    }
  }

  // Text columns: a tag where constant within every run, else left out with a warning.
  for (const name of text) {
    const values = new Map<string, unknown>();
    let constant = true;
    for (let i = 0; i < length && constant; i++) {
      const id = mapping.run !== undefined ? String(table.get(mapping.run, i)).trim() : singleId;
      const raw = table.get(name, i);
      if (raw === null || raw === undefined) continue;
      if (values.has(id) && values.get(id) !== raw) constant = false;
      values.set(id, raw);
    }
    if (!constant) {
      warn(`${source}: column ${show(name)} is neither numeric nor constant within each run; not read`);
      continue;
    }
    for (const [id, value] of values) {
      const config = runs.get(id)!.config;
      // `writeRuns` writes the family as a column; reading it back restores it.
      if (name === 'family' && explicitFamily === undefined) config.family = String(value);
      else config.tags = { ...config.tags, [name]: typeof value === 'boolean' ? value : String(value) };
    }
  }
  return [...runs.values()].map(({ config, trajectory }) => ({ config, trajectory }));
}

/** The file columns for each run role: explicit names checked, the rest detected; step required. */
export function runColumns(table: ColumnTable, explicit: RunMapping, source: string): RunMapping {
  const names = table.columnNames();
  for (const [role, name] of Object.entries(explicit)) {
    if (!(RUN_ROLES as readonly string[]).includes(role)) throw new InputError(`${source}: columns: unknown role ${show(role)}; use ${RUN_ROLES.join(', ')}`, role);
    if (name !== undefined && !names.includes(name)) throw new InputError(`${source}: no column ${show(name)} (given for ${role}); columns: ${listColumns(table)}`, role);
  }
  const mapping: Partial<Record<RunRole, string>> = detectColumns(names, RUN_ROLES, explicit);
  // A bare `loss` next to an eval column is the training loss (Keras, HF Trainer); alone, published
  // curves mean the evaluated loss.
  const bare = names.find((n) => normalizeName(n) === 'loss' && !Object.values(mapping).includes(n));
  if (bare !== undefined) {
    if (mapping.evalLoss === undefined && explicit.trainLoss === undefined) mapping.evalLoss = bare;
    else if (mapping.trainLoss === undefined) mapping.trainLoss = bare;
  }
  if (mapping.step === undefined) {
    throw new InputError(`${source}: no step column (looked for ${COLUMN_NAMES.step.join(', ')}); columns: ${listColumns(table)}; name it with columns: { step: ... }`, 'step');
  }
  return mapping;
}
