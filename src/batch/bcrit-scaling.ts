import { InputError, show } from '../core/errors.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { squared } from '../fit/objective.js';
import type { ScalingFit } from '../fit/result.js';
import { bcritInD, bcritInN, powerLawStart } from '../laws/batch-power.js';

export interface BcritScalingOptions {
  /** Scale the critical batch size with model size ('N') or training tokens ('D'). @default 'N' */
  by?: 'N' | 'D';
  /** Options for the fitting engine (objective defaults to squared residuals in log space). */
  fit?: FitOptions;
}

/**
 * The critical batch size as a power law, B_crit = k N^e or k D^e, fitted in log space to critical
 * batch sizes found at several model sizes or data sizes (Zhang et al. 2024 find CBS = 93.197 N_M^0.468
 * along the Chinchilla-optimal line, and that the scaling is driven by D). Needs 2 distinct x values.
 *
 * @example fitBcritScaling([{ N: 85, bcrit: 745 }, { N: 151, bcrit: 955 }, { N: 302, bcrit: 1394 }])
 */
export async function fitBcritScaling(points: readonly { N?: number; D?: number; bcrit: number }[], options: BcritScalingOptions = {}): Promise<ScalingFit> {
  const { by = 'N', fit = {} } = options;
  if (by !== 'N' && by !== 'D') throw new InputError(`by: must be "N" or "D", got ${show(by)}`, 'by');
  const x = points.map((p, i) => {
    const v = p[by];
    if (v === undefined || !(v > 0) || !Number.isFinite(v)) throw new InputError(`points[${i}].${by}: must be a positive number, got ${show(v)}`, by);
    return v;
  });
  const y = points.map((p, i) => {
    if (!(p.bcrit > 0) || !Number.isFinite(p.bcrit)) throw new InputError(`points[${i}].bcrit: must be a positive number, got ${show(p.bcrit)}`, 'bcrit');
    return p.bcrit;
  });
  if (new Set(x).size < 2) throw new InputError(`B_crit versus ${by} needs at least 2 distinct values of ${by}, got ${show(x)}`, by);
  const [k, e] = powerLawStart(x, y);
  return fitLaw(by === 'N' ? bcritInN : bcritInD, { inputs: { [by]: x }, loss: y, source: `critical batch sizes vs ${by}` }, { loss: squared(), space: 'log', starts: [{ k, e }], ...fit });
}
