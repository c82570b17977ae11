import { InputError } from '../core/errors.js';
import { csvColumnIndex, csvNumberColumns, readCsvCells } from '../io/csv.js';

/**
 * A piecewise-constant learning-rate schedule: `lr[i]` is the rate used after step `step[i]` up to
 * `step[i + 1]` (the last one up to any step). Only ratios matter, so `lr` may be relative
 * (`[1, 0.2, 0.04]`). Example: the MetaQNN protocol of Baker et al. 2017 (rate x 0.2 every 5 epochs)
 * is `{ step: [0, 5, 10, 15], lr: [1, 0.2, 0.04, 0.008] }`. Unlike a `ScheduleSpec` (one rate per
 * step, see `readScheduleCsv`), it lists only the steps where the rate changes.
 */
export interface LrSchedule {
  step: readonly number[];
  lr: readonly number[];
}

/**
 * A learning-rate schedule from a CSV file with a `step` and an `lr` column, one row per change of
 * the rate (the rate from that step on). Checked by `scheduleTime` where it is used.
 *
 * @example readLrStepsCsv('lr.csv') // step,lr\n0,1\n5,0.2 → { step: [0, 5], lr: [1, 0.2] }
 */
export function readLrStepsCsv(path: string): LrSchedule {
  const csv = readCsvCells(path);
  if (csv.rows.length === 0) throw new InputError(`${path}: no data rows`, 'path');
  const [step, lr] = csvNumberColumns(csv, [csvColumnIndex(csv, 'step', 'step'), csvColumnIndex(csv, 'lr', 'lr')]);
  return { step: step!, lr: lr! };
}
