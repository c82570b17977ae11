import type { Inputs, Law } from './law.js';
import { powerLaw } from './power.js';

/**
 * The loss of an ensemble of K independently trained members (logits averaged) as a power law in K
 * to its own asymptote (Kim et al. 2025, "Pre-training under infinite compute", section 4 and
 * figure 4): L(K) = E + A / K^alpha, with E the loss of infinitely many members of this size at this
 * data budget. Input K, the member count (1 is a single model). E and A are fitted in log space, so
 * they stay positive; Kim et al. fit it by least squares on the loss, as `fitEnsembleScaling` does.
 * Registered as `ensemble-K`.
 */
export const ensembleMembers: Law<Inputs> = powerLaw({
  variable: 'K',
  name: 'ensemble-K',
  description: 'loss of a K-member ensemble as a power law in K with an asymptote (Kim et al. 2025)',
  params: [
    { name: 'E', min: 0, scale: 'log', grid: [-1, 0, 0.5, 1, 1.5].map(Math.exp), description: 'asymptote: the loss of infinitely many members' },
    { name: 'A', min: 0, scale: 'log', grid: [-4, -2, 0, 2].map(Math.exp), description: 'what ensembling can remove: L(1) - E' },
    { name: 'alpha', min: 0, max: 10, grid: [0.25, 0.5, 1, 2], description: 'exponent of K' },
  ],
});
