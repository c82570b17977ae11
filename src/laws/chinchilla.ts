import type { Inputs, Law } from './law.js';
import { column, logColumn, requirePositive } from './columns.js';

/**
 * Chinchilla's parametric loss, Hoffmann et al. 2022, eq. 2 (Approach 3):
 * L(N, D) = E + A / N^alpha + B / D^beta.
 *
 * A, B and E are fitted in log space (a = log A, b = log B, e = log E), so the model in log space is
 * LSE(a - alpha log N, b - beta log D, e) (Hoffmann et al. 2022, eq. 10). The default grid is the
 * published one: alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}
 * (4,500 starts; Besiroglu et al. 2024).
 */
export const chinchilla: Law<Inputs> = {
  name: 'chinchilla',
  description: 'Chinchilla loss in parameters N and tokens D (Hoffmann et al. 2022, Approach 3)',
  formula: 'L = E + A / N^alpha + B / D^beta',
  inputs: ['N', 'D'],
  params: [
    { name: 'A', min: 0, scale: 'log', grid: [0, 5, 10, 15, 20, 25].map(Math.exp), description: 'scale of the parameter term' },
    { name: 'B', min: 0, scale: 'log', grid: [0, 5, 10, 15, 20, 25].map(Math.exp), description: 'scale of the data term' },
    { name: 'E', min: 0, scale: 'log', grid: [-1, -0.5, 0, 0.5, 1].map(Math.exp), description: 'irreducible loss' },
    { name: 'alpha', grid: [0, 0.5, 1, 1.5, 2], description: 'exponent of N' },
    { name: 'beta', grid: [0, 0.5, 1, 1.5, 2], description: 'exponent of D' },
  ],
  size: (x) => column(x, 'N', 'chinchilla').length,
  validate(x) {
    requirePositive(x, 'N', 'chinchilla');
    requirePositive(x, 'D', 'chinchilla');
  },
  evaluate(p, x, out) {
    const logN = logColumn(column(x, 'N', 'chinchilla')),
      logD = logColumn(column(x, 'D', 'chinchilla'));
    const a = Math.log(p[0]!),
      b = Math.log(p[1]!),
      E = p[2]!,
      alpha = p[3]!,
      beta = p[4]!;
    for (let i = 0; i < out.length; i++) out[i] = E + Math.exp(a - alpha * logN[i]!) + Math.exp(b - beta * logD[i]!);
  },
  jacobian(p, x, jac) {
    chinchilla.valueAndJacobian!(p, x, new Float64Array(jac.length / 5), jac);
  },
  valueAndJacobian(p, x, out, jac) {
    const logN = logColumn(column(x, 'N', 'chinchilla')),
      logD = logColumn(column(x, 'D', 'chinchilla'));
    const A = p[0]!,
      B = p[1]!,
      E = p[2]!,
      alpha = p[3]!,
      beta = p[4]!;
    const a = Math.log(A),
      b = Math.log(B);
    for (let i = 0, k = 0; i < out.length; i++, k += 5) {
      const ln = logN[i]!,
        ld = logD[i]!;
      const termN = Math.exp(a - alpha * ln),
        termD = Math.exp(b - beta * ld);
      out[i] = E + termN + termD;
      jac[k] = termN / A;
      jac[k + 1] = termD / B;
      jac[k + 2] = 1;
      jac[k + 3] = -termN * ln;
      jac[k + 4] = -termD * ld;
    }
  },
};
