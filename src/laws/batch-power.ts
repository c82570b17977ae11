import { InputError, show } from '../core/errors.js';
import type { Inputs, Law } from './law.js';

/**
 * y = k x^e in one input column. Fitted in log space it is a straight line, log y = log k + e log x;
 * `powerLawStart` gives that least-squares line as the starting point for the fitting engine.
 */
function powerLaw(name: string, input: string, description: string, formula: string, exponentGrid: readonly number[]): Law<Inputs> {
  return {
    name,
    description,
    formula,
    inputs: [input],
    params: [
      { name: 'k', min: 0, scale: 'log', init: 1, grid: [1e-6, 1e-3, 1, 1e3, 1e6], description: 'coefficient' },
      { name: 'e', init: exponentGrid[Math.floor(exponentGrid.length / 2)]!, grid: exponentGrid, description: `exponent of ${input}` },
    ],
    evaluate(p, x, out) {
      const v = x[input]!;
      for (let i = 0; i < v.length; i++) out[i] = p[0]! * Math.pow(v[i]!, p[1]!);
    },
    jacobian(p, x, jac) {
      const v = x[input]!;
      for (let i = 0; i < v.length; i++) {
        const pw = Math.pow(v[i]!, p[1]!);
        jac[2 * i] = pw;
        jac[2 * i + 1] = p[0]! * pw * Math.log(v[i]!);
      }
    },
    validate(x) {
      const v = x[input];
      if (!v) throw new InputError(`${name}: missing input column ${input}`, input);
      v.forEach((value, i) => {
        if (!(value > 0) || !Number.isFinite(value)) throw new InputError(`${name}: row ${i + 1}, column ${input}: must be positive, got ${show(value)}`, input);
      });
    },
  };
}

/** Critical batch size as a power law in model size (Zhang et al. 2024 fit CBS = 93.197 N_M^0.468). */
export const bcritInN = powerLaw('bcrit-n', 'N', 'critical batch size vs parameters', 'B_crit = k N^e', [0, 0.25, 0.5, 1]);
/** Critical batch size as a power law in training tokens (Zhang et al. 2024 find B_crit scales with D). */
export const bcritInD = powerLaw('bcrit-d', 'D', 'critical batch size vs training tokens', 'B_crit = k D^e', [0, 0.25, 0.5, 1]);
/** Optimal batch size vs compute, DeepSeek LLM (Bi et al. 2024, eq. 1): B_opt = 0.292 C^0.3271 (tokens). */
export const batchOptInC = powerLaw('batch-opt-c', 'C', 'optimal batch size vs compute (DeepSeek LLM)', 'B_opt = k C^e', [0, 0.25, 0.5]);
/** Optimal learning rate vs compute, DeepSeek LLM (Bi et al. 2024, eq. 1): lr_opt = 0.3118 C^-0.1250. */
export const lrOptInC = powerLaw('lr-opt-c', 'C', 'optimal learning rate vs compute (DeepSeek LLM)', 'lr_opt = k C^e', [-0.5, -0.25, 0, 0.25]);
/** Optimal learning rate vs model size (Wortsman et al. 2023 follow its trend across scales). */
export const lrOptInN = powerLaw('lr-opt-n', 'N', 'optimal learning rate vs parameters', 'lr_opt = k N^e', [-1, -0.5, 0, 0.5]);

/**
 * Least-squares line through (log x, log y): the exact answer for a power law fitted in log space
 * with squared residuals, used as the start vector [k, e] for the fitting engine.
 */
export function powerLawStart(x: ArrayLike<number>, y: ArrayLike<number>): [number, number] {
  const n = x.length;
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const lx = Math.log(x[i]!),
      ly = Math.log(y[i]!);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  const denom = n * sxx - sx * sx;
  const e = n > 1 && denom > 0 ? (n * sxy - sx * sy) / denom : 0;
  return [Math.exp((sy - e * sx) / n), e];
}
