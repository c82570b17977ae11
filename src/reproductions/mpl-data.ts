import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, show } from '../core/errors.js';
import { parseNumericCsv } from '../io/csv.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import type { CurveInput } from '../laws/curve-points.js';

/**
 * Luo et al. 2025's loss curves (MultiPowerLaw repository, `loss_curve_repo/`, MIT), bundled in
 * `data/multipowerlaw/`: 25M and 100M Llama-2-style models, validation loss every 128 steps.
 */
export const mplTrainCurves = ['cosine_24000', 'constant_24000', 'wsdcon_9'] as const;
export const mplTestCurves = ['constant_72000', 'cosine_72000', 'wsd_20000_24000', 'wsdld_20000_24000', 'wsdcon_3', 'wsdcon_18'] as const;

/** Their published results on the test curves (repository README; paper Table 1 for the momentum law). */
export const mplPublished = {
  '25': { mpl: { predE: 0.0011, worstE: 0.00409 }, momentum: { predE: 0.0014, worstE: 0.0047 } },
  '100': { mpl: { predE: 0.00142, worstE: 0.00583 }, momentum: { predE: 0.0022, worstE: 0.0094 } },
} as const;

const peak = 3e-4;
const warmup = 2160;

/**
 * The full per-step schedule behind one of their curve names (their code's `lr_schedulers.py`):
 * constant_T, cosine_T (to 3e-5), wsd_S_T (exponential cooldown from S), wsdld_S_T (linear
 * cooldown from S), wsdcon_K (3e-4 until step 8000, then K * 1e-5, 16000 steps).
 */
export function mplSchedule(name: string): ScheduleSpec {
  let m: RegExpMatchArray | null;
  if ((m = name.match(/^constant_(\d+)$/))) return { type: 'constant', peak, warmup, steps: Number(m[1]) };
  if ((m = name.match(/^cosine_(\d+)$/))) return { type: 'cosine', peak, final: 3e-5, warmup, steps: Number(m[1]) };
  if ((m = name.match(/^wsd_(\d+)_(\d+)$/))) return { type: 'wsd', peak, final: 3e-5, warmup, steps: Number(m[2]), decayStart: Number(m[1]), shape: 'exponential' };
  if ((m = name.match(/^wsdld_(\d+)_(\d+)$/))) return { type: 'wsdld', peak, final: 3e-5, warmup, steps: Number(m[2]), decayStart: Number(m[1]) };
  if ((m = name.match(/^wsdcon_(\d+)$/))) return { type: 'two-stage', peak, second: Number(m[1]) * 1e-5, switchAt: 8000, warmup, steps: 16000 };
  throw new InputError(`unknown multi-power-law curve name: ${show(name)}`, 'name');
}

/** The bundled data folder (works from src/ through tsx and from dist/). */
export function mplDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'data', 'multipowerlaw');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new InputError('cannot find the bundled data/multipowerlaw folder', 'data');
}

/** One published curve as a CurveInput (schedule spec, logged steps, losses, N). */
export function mplCurve(size: '25' | '100', name: string, dir = mplDataDir()): CurveInput {
  const path = join(dir, `csv_${size}`, `${name}.csv`);
  if (!existsSync(path)) throw new InputError(`no curve ${show(name)} for the ${size}M model in ${dir}`, 'name');
  const csv = parseNumericCsv(readFileSync(path, 'utf8'), path);
  return { name, schedule: mplSchedule(name), steps: csv.columns.step!, loss: csv.columns.loss!, N: Number(size) * 1e6 };
}
