import { basename } from 'node:path';
import { InputError, show } from '../core/errors.js';
import type { Run, TrajectoryPoint } from '../core/run.js';
import { columnLabel, listColumns, readCell } from './cells.js';
import { COLUMN_NAMES, detectColumn, normalizeName } from './detect.js';
import { readTable } from './table-file.js';

export interface ImportOptions {
  /** `config.family` of the imported runs. @default 'imported' */
  family?: string;
  /** NaN or infinite values (a diverged run): an error, or kept. @default 'error' */
  nonFinite?: 'error' | 'keep';
}

/**
 * The trajectory key for a logged metric name: the usual train/eval loss, lr, tokens and FLOPs
 * names map to `trainLoss`, `evalLoss`, `lr`, `tokens`, `flops`; a bare `loss` is the training loss
 * (what training loops log under that name); anything else keeps its own name.
 */
export function metricKey(name: string): string {
  const key = normalizeName(name);
  if (key === 'loss') return 'trainLoss';
  for (const role of ['trainLoss', 'evalLoss', 'lr', 'tokens', 'flops'] as const) {
    if (COLUMN_NAMES[role].some((n) => normalizeName(n) === key)) return role;
  }
  return name;
}

/** A store-safe run id from a display name; the name itself is kept in `tags.name`. */
export function runIdFromName(name: string): string {
  const id = name
    .trim()
    .replace(/[^A-Za-z0-9_.,=+@-]+/g, '_')
    .replace(/^[._-]+/, '');
  return id === '' ? 'run' : id.slice(0, 200);
}

/**
 * Reads a Weights & Biases chart export (CSV): a step column (`Step`, or the chart's x-axis such as
 * `trainer/global_step`) and, per run and metric, `<run name> - <metric>` with its sampling
 * envelope `<run name> - <metric>__MIN` / `__MAX` (left out: the plain column is the logged value).
 * Empty cells are steps at which that run logged nothing. Returns one run per run name.
 *
 * @example importWandb('wandb_export_2026-11-23.csv')
 */
export function importWandb(path: string, options: ImportOptions = {}): Run[] {
  const { family = 'imported', nonFinite = 'error' } = options;
  const table = readTable(path, { format: 'csv' });
  const names = table.columnNames();
  const series = names.filter((n) => n.includes(' - ') && !/__(MIN|MAX)$/.test(n));
  const stepColumn = detectColumn(
    names.filter((n) => !n.includes(' - ')),
    'step',
  );
  if (stepColumn === undefined) throw new InputError(`${path}: not a W&B export: no step column (looked for ${COLUMN_NAMES.step.join(', ')}); columns: ${listColumns(table)}`, 'step');
  if (series.length === 0) throw new InputError(`${path}: not a W&B export: no "<run> - <metric>" columns; columns: ${listColumns(table)}`, 'columns');
  const runs = new Map<string, { name: string; points: Map<number, TrajectoryPoint> }>();
  const steps: number[] = [];
  for (let i = 0; i < table.numRows(); i++) {
    const cell = readCell(table.get(stepColumn, i), { nonNegative: true, integer: true });
    if (cell.problem !== undefined) throw new InputError(`${path}: row ${i + 1}, ${columnLabel(stepColumn, 'step')}: ${cell.problem}`, 'step');
    if (i > 0 && cell.value! <= steps[i - 1]!) {
      const what = cell.value === steps[i - 1] ? `duplicate step ${cell.value}` : `step ${cell.value} comes after step ${steps[i - 1]}; steps must increase`;
      throw new InputError(`${path}: row ${i + 1}, ${columnLabel(stepColumn, 'step')}: ${what}`, 'step');
    }
    steps.push(cell.value!);
  }
  for (const column of series) {
    const cut = column.lastIndexOf(' - ');
    const name = column.slice(0, cut);
    const key = metricKey(column.slice(cut + 3));
    let run = runs.get(name);
    if (!run) runs.set(name, (run = { name, points: new Map() }));
    for (let i = 0; i < steps.length; i++) {
      const cell = readCell(table.get(column, i), { optional: true, nonFinite: nonFinite === 'keep' });
      if (cell.problem !== undefined) throw new InputError(`${path}: row ${i + 1}, ${columnLabel(column)}: ${cell.problem}`, column);
      if (cell.value === null) continue;
      const step = steps[i]!;
      const point = run.points.get(step) ?? { step };
      point[key] = cell.value;
      run.points.set(step, point);
    }
  }
  const ids = new Map<string, string>();
  return [...runs.values()].map(({ name, points }) => {
    const id = runIdFromName(name);
    if (ids.has(id)) throw new InputError(`${path}: runs ${show(ids.get(id))} and ${show(name)} both become run id ${show(id)}`, 'run');
    ids.set(id, name);
    return {
      config: { id, family, tags: { name, source: basename(path) } },
      trajectory: [...points.values()].sort((a, b) => a.step - b.step),
    };
  });
}
