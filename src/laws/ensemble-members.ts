import type { Inputs, Law } from './law.js';
import { column, logColumn, requirePositive } from './columns.js';

/**
 * The loss of an ensemble of K independently trained members (logits averaged) as a power law in K
 * to its own asymptote (Kim et al. 2025, "Pre-training under infinite compute", section 4 and
 * figure 4): L(K) = E + A / K^alpha, with E the loss of infinitely many members of this size at this
 * data budget. Input K, the member count (1 is a single model). E and A are fitted in log space, so
 * they stay positive; Kim et al. fit it by least squares on the loss, as `fitEnsembleScaling` does.
 * Registered as `ensemble-K`.
 */
export const ensembleMembers: Law<Inputs> = {
  name: 'ensemble-K',
  description: 'loss of a K-member ensemble as a power law in K with an asymptote (Kim et al. 2025)',
  formula: 'L = E + A K^-alpha',
  inputs: ['K'],
  params: [
    { name: 'E', min: 0, scale: 'log', grid: [-1, 0, 0.5, 1, 1.5].map(Math.exp), description: 'asymptote: the loss of infinitely many members' },
    { name: 'A', min: 0, scale: 'log', grid: [-4, -2, 0, 2].map(Math.exp), description: 'what ensembling can remove: L(1) - E' },
    { name: 'alpha', min: 0, max: 10, grid: [0.25, 0.5, 1, 2], description: 'exponent of K' },
  ],
  size: (x) => column(x, 'K', 'ensemble-K').length,
  validate: (x) => requirePositive(x, 'K', 'ensemble-K'),
  evaluate(p, x, out) {
    const logK = logColumn(column(x, 'K', 'ensemble-K'));
    const E = p[0]!,
      logA = Math.log(p[1]!),
      alpha = p[2]!;
    for (let i = 0; i < out.length; i++) out[i] = E + Math.exp(logA - alpha * logK[i]!);
  },
  jacobian(p, x, jac) {
    ensembleMembers.valueAndJacobian!(p, x, new Float64Array(jac.length / 3), jac);
  },
  valueAndJacobian(p, x, out, jac) {
    const logK = logColumn(column(x, 'K', 'ensemble-K'));
    const E = p[0]!,
      A = p[1]!,
      alpha = p[2]!;
    for (let i = 0, k = 0; i < out.length; i++, k += 3) {
      const power = Math.exp(-alpha * logK[i]!);
      out[i] = E + A * power;
      jac[k] = 1;
      jac[k + 1] = power;
      jac[k + 2] = -A * power * logK[i]!;
    }
  },
};
