// Luo et al.'s published 25M multi-power-law parameters as a saved (version 1) curve fit, for the
// schedule-choice tests.
import { CurveFit } from '../../src/fit/result.js';

const names = ['L0', 'A', 'alpha', 'B', 'C', 'beta', 'gamma'];
/** L0, A, alpha, B, C, beta, gamma. */
export const values = [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257];

/** The fit, with `samples` as its bootstrap parameter sets when given. */
export function savedFit(samples?: number[][]): CurveFit {
  return CurveFit.fromJSON({
    kind: 'curve-fit',
    version: 1,
    law: 'mpl',
    params: Object.fromEntries(names.map((n, i) => [n, values[i]!])),
    values,
    fixed: [],
    objective: 0,
    converged: true,
    message: '',
    atBound: [],
    loss: { name: 'huber', settings: { delta: 1e-3 } },
    curves: [{ name: 'cosine_24000', schedule: { type: 'cosine', peak: 3e-4, final: 3e-5, warmup: 2160, steps: 24000 }, points: 171, meanRelativeError: 0 }],
    ...(samples ? { bootstrap: { by: 'points', seed: 0, values: samples } } : {}),
    date: '2026-11-23',
  });
}
