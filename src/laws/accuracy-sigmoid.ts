import type { Inputs, Law } from './law.js';
import { column } from './columns.js';

/**
 * Task accuracy from task loss, step 2 of the OLMo ladder's two-step prediction (Bhagia et al.
 * 2024, eq. 2; `sigmoid` in allenai/OLMo-ladder src/scaling/fitting_functions.py):
 * Acc(L) = a / (1 + exp(-k (L - L0))) + b. With a < 0 the accuracy falls from b (at low loss) to
 * b + a (at high loss, chance level); L0 is the midpoint and k the steepness. Input L: the task
 * loss (e.g. bits per byte of the correct answer). Fitted by least squares in linear space, as the
 * authors fit it (scipy's curve_fit), with their bounds: a in [-1, 0], L0 and k >= 0, b in [0, 1].
 */
export const accuracySigmoid: Law<Inputs> = {
  name: 'accuracy-sigmoid',
  description: 'task accuracy as a sigmoid of task loss (Bhagia et al. 2024, step 2)',
  formula: 'Acc = a / (1 + exp(-k (L - L0))) + b',
  inputs: ['L'],
  params: [
    { name: 'a', min: -1, max: 0, grid: [-0.75], description: 'accuracy drop from the best level b to chance' },
    { name: 'L0', min: 0, grid: [0.9], description: 'task loss at the midpoint' },
    { name: 'k', min: 0, grid: [3], description: 'steepness' },
    { name: 'b', min: 0, max: 1, grid: [1], description: 'accuracy at zero loss' },
  ],
  size: (x) => column(x, 'L', 'accuracy-sigmoid').length,
  evaluate(p, x, out) {
    const L = column(x, 'L', 'accuracy-sigmoid');
    const [a, L0, k, b] = [p[0]!, p[1]!, p[2]!, p[3]!];
    for (let i = 0; i < out.length; i++) out[i] = a / (1 + Math.exp(-k * (L[i]! - L0))) + b;
  },
  jacobian(p, x, jac) {
    const L = column(x, 'L', 'accuracy-sigmoid');
    const [a, L0, k] = [p[0]!, p[1]!, p[2]!];
    for (let i = 0, j = 0; i < L.length; i++, j += 4) {
      const s = 1 / (1 + Math.exp(-k * (L[i]! - L0)));
      const ds = s * (1 - s);
      jac[j] = s;
      jac[j + 1] = -a * k * ds;
      jac[j + 2] = a * (L[i]! - L0) * ds;
      jac[j + 3] = 1;
    }
  },
};
