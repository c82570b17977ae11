import { InputError, show } from '../core/errors.js';
import type { Inputs, Law } from './law.js';

/**
 * Steps to a fixed loss as a function of batch size, McCandlish et al. 2018, eq. 2.11:
 * S(B) = S_min + E_min / B, equivalently (S / S_min - 1)(E / E_min - 1) = 1 with E = B S.
 * S_min is the fewest steps any batch size can take, E_min the fewest examples; their ratio is the
 * critical batch size B_crit = E_min / S_min. Input column `B` (batch size, in the unit E_min is wanted in).
 */
export const stepsVsBatch: Law<Inputs> = {
  name: 'steps-vs-batch',
  description: 'steps to a target loss vs batch size (McCandlish et al. 2018)',
  formula: 'S = S_min + E_min / B',
  inputs: ['B'],
  params: [
    { name: 'Smin', min: 0, scale: 'log', init: 1e3, grid: [1e1, 1e3, 1e5], description: 'fewest steps (infinite batch)' },
    { name: 'Emin', min: 0, scale: 'log', init: 1e6, grid: [1e3, 1e5, 1e7, 1e9], description: 'fewest examples (batch of one)' },
  ],
  evaluate(p, x, out) {
    const B = x.B!;
    for (let i = 0; i < B.length; i++) out[i] = p[0]! + p[1]! / B[i]!;
  },
  jacobian(p, x, jac) {
    const B = x.B!;
    for (let i = 0; i < B.length; i++) {
      jac[2 * i] = 1;
      jac[2 * i + 1] = 1 / B[i]!;
    }
  },
  validate(x) {
    const B = x.B;
    if (!B) throw new InputError('steps-vs-batch: missing input column B', 'B');
    B.forEach((b, i) => {
      if (!(b > 0) || !Number.isFinite(b)) throw new InputError(`steps-vs-batch: row ${i + 1}, column B: must be positive, got ${show(b)}`, 'B');
    });
  },
};
