import { readFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';
import { parseNumericCsv } from '../io/csv.js';
import { validateSchedule } from './schedule.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';

export interface ScheduleCsvOptions {
  /** The column holding the learning rate. @default 'lr' */
  column?: string;
  /**
   * A column of steps. When the file has it, rows give the rate from that step on (strictly
   * increasing integers starting at 0; gaps hold the previous rate). Without it, row i is step i.
   * @default 'step' when the file has such a column
   */
  stepColumn?: string;
  /** Names the data in error messages. @default 'schedule csv' */
  source?: string;
}

/** A custom schedule spec from per-step rates (validated; the array is copied). */
export function customSchedule(values: ArrayLike<number>, steps?: number): ScheduleSpec {
  const spec: ScheduleSpec = { type: 'custom', values: Array.from(values) };
  if (steps !== undefined) spec.steps = steps;
  validateSchedule(spec);
  return spec;
}

/**
 * A custom schedule from a CSV column of per-step rates.
 *
 * @example scheduleFromCsv('step,lr\n0,0\n1,1e-4\n100,3e-4\n', { source: 'lr.csv' })
 */
export function scheduleFromCsv(text: string, options: ScheduleCsvOptions = {}): ScheduleSpec {
  const { column = 'lr', source = 'schedule csv' } = options;
  const csv = parseNumericCsv(text, source);
  const stepColumn = options.stepColumn ?? (csv.names.includes('step') ? 'step' : undefined);
  const rates = csv.columns[column];
  if (!rates) throw new InputError(`${source}: no column ${show(column)}; columns: ${csv.names.join(', ')}`, 'column');
  if (csv.length === 0) throw new InputError(`${source}: no rows`, 'file');
  if (stepColumn === undefined) return customSchedule(rates);
  const steps = csv.columns[stepColumn];
  if (!steps) throw new InputError(`${source}: no column ${show(stepColumn)}; columns: ${csv.names.join(', ')}`, 'stepColumn');
  if (steps[0] !== 0) throw new InputError(`${source}: row 1, column ${stepColumn}: the first step must be 0, got ${show(steps[0])}`, stepColumn);
  for (let r = 1; r < csv.length; r++) {
    if (!Number.isInteger(steps[r]) || steps[r]! <= steps[r - 1]!) {
      throw new InputError(`${source}: row ${r + 1}, column ${stepColumn}: steps must be strictly increasing integers, got ${show(steps[r])} after ${show(steps[r - 1])}`, stepColumn);
    }
  }
  const values = new Float64Array(steps[csv.length - 1]! + 1);
  for (let r = 0; r < csv.length; r++) {
    const end = r + 1 < csv.length ? steps[r + 1]! : values.length;
    values.fill(rates[r]!, steps[r]!, end);
  }
  return customSchedule(values);
}

/** `scheduleFromCsv` on a file. */
export function readScheduleCsv(path: string, options: ScheduleCsvOptions = {}): ScheduleSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`cannot read schedule file ${show(path)}`, 'file');
  }
  return scheduleFromCsv(text, { source: path, ...options });
}
