import { basename } from 'node:path';
import { InputError, show } from '../core/errors.js';
import type { Run, TrajectoryPoint } from '../core/run.js';
import { columnLabel, listColumns, readCell } from './cells.js';
import { normalizeName } from './detect.js';
import { metricKey, runIdFromName, type ImportOptions } from './import-wandb.js';
import { readTable } from './table-file.js';

export interface TensorBoardOptions extends ImportOptions {
  /**
   * Run name. @default from a TensorBoard download name `run-<run>-tag-<tag>.csv`, else the file name
   */
  run?: string;
  /** Metric name of the `Value` column. @default the `<tag>` of the file name, else 'value' */
  metric?: string;
}

/** `run-<run>-tag-<tag>.csv` as TensorBoard names its downloads; path separators in both became `_`. */
const DOWNLOAD = /^run-(.+)-tag-(.+)\.csv$/;

/**
 * Reads TensorBoard scalar CSV downloads (`Wall time, Step, Value`), one metric per file; files of
 * the same run (by name) are merged step by step into one run. `Wall time` becomes `wallTime`
 * (seconds since the epoch). A bare `loss` tag is the training loss (see `metricKey`).
 *
 * @example importTensorBoard(['run-base-tag-train_loss.csv', 'run-base-tag-eval_loss.csv'])
 */
export function importTensorBoard(paths: string | readonly string[], options: TensorBoardOptions = {}): Run[] {
  const { family = 'imported', nonFinite = 'error' } = options;
  const runs = new Map<string, Map<number, TrajectoryPoint>>();
  for (const path of typeof paths === 'string' ? [paths] : paths) {
    const match = DOWNLOAD.exec(basename(path));
    const runName = options.run ?? match?.[1] ?? basename(path).replace(/\.[^.]*$/, '');
    const key = metricKey(options.metric ?? match?.[2] ?? 'value');
    const table = readTable(path, { format: 'csv' });
    const byKey = new Map(table.columnNames().map((n) => [normalizeName(n), n]));
    const [wall, step, value] = ['walltime', 'step', 'value'].map((k) => byKey.get(k));
    if (step === undefined || value === undefined) {
      throw new InputError(`${path}: not a TensorBoard scalars export: expected columns "Wall time", "Step", "Value"; columns: ${listColumns(table)}`, 'columns');
    }
    let points = runs.get(runName);
    if (!points) runs.set(runName, (points = new Map()));
    let previous = -Infinity;
    for (let i = 0; i < table.numRows(); i++) {
      const at = (column: string, role: string, rules: Parameters<typeof readCell>[1]): number => {
        const cell = readCell(table.get(column, i), rules);
        if (cell.problem !== undefined) throw new InputError(`${path}: row ${i + 1}, ${columnLabel(column, role)}: ${cell.problem}`, role);
        return cell.value!;
      };
      const s = at(step, 'step', { nonNegative: true, integer: true });
      if (s <= previous) {
        const what = s === previous ? `duplicate step ${s}` : `step ${s} comes after step ${previous}; steps must increase`;
        throw new InputError(`${path}: row ${i + 1}, ${columnLabel(step, 'step')}: ${what}`, 'step');
      }
      previous = s;
      const point = points.get(s) ?? { step: s };
      point[key] = at(value, key, { nonFinite: nonFinite === 'keep' });
      if (wall !== undefined) point.wallTime = at(wall, 'wallTime', { nonNegative: true });
      points.set(s, point);
    }
  }
  const ids = new Map<string, string>();
  return [...runs].map(([name, points]) => {
    const id = runIdFromName(name);
    if (ids.has(id)) throw new InputError(`TensorBoard import: runs ${show(ids.get(id))} and ${show(name)} both become run id ${show(id)}`, 'run');
    ids.set(id, name);
    return { config: { id, family, tags: { name } }, trajectory: [...points.values()].sort((a, b) => a.step - b.step) };
  });
}
