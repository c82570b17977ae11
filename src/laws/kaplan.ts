import type { Inputs, Law } from './law.js';
import { column, logColumn, requirePositive } from './columns.js';

/**
 * Kaplan et al. 2020, eq. 1.5: L(N, D) = [ (Nc / N)^(alphaN / alphaD) + Dc / D ]^alphaD.
 * Nc and Dc are fitted in log space. Published values: Nc = 8.8e13, Dc = 5.4e13, alphaN = 0.076,
 * alphaD = 0.095 (non-embedding parameters, tokens, loss in nats).
 */
export const kaplan: Law<Inputs> = {
  name: 'kaplan',
  description: 'Kaplan loss in parameters N and tokens D (Kaplan et al. 2020, eq. 1.5)',
  formula: 'L = [ (Nc / N)^(alphaN / alphaD) + Dc / D ]^alphaD',
  inputs: ['N', 'D'],
  params: [
    { name: 'Nc', min: 0, scale: 'log', grid: [20, 25, 30, 35].map(Math.exp), description: 'critical parameter count' },
    { name: 'Dc', min: 0, scale: 'log', grid: [20, 25, 30, 35].map(Math.exp), description: 'critical token count' },
    { name: 'alphaN', min: 1e-4, max: 5, grid: [0.05, 0.1, 0.2, 0.4], description: 'exponent of N' },
    { name: 'alphaD', min: 1e-4, max: 5, grid: [0.05, 0.1, 0.2, 0.4], description: 'exponent of D' },
  ],
  size: (x) => column(x, 'N', 'kaplan').length,
  validate(x) {
    requirePositive(x, 'N', 'kaplan');
    requirePositive(x, 'D', 'kaplan');
  },
  evaluate(p, x, out) {
    const logN = logColumn(column(x, 'N', 'kaplan')),
      logD = logColumn(column(x, 'D', 'kaplan'));
    const lnc = Math.log(p[0]!),
      ldc = Math.log(p[1]!),
      aN = p[2]!,
      aD = p[3]!;
    for (let i = 0; i < out.length; i++) {
      const inner = Math.exp((aN / aD) * (lnc - logN[i]!)) + Math.exp(ldc - logD[i]!);
      out[i] = Math.exp(aD * Math.log(inner));
    }
  },
  jacobian(p, x, jac) {
    kaplan.valueAndJacobian!(p, x, new Float64Array(jac.length / 4), jac);
  },
  valueAndJacobian(p, x, out, jac) {
    const logN = logColumn(column(x, 'N', 'kaplan')),
      logD = logColumn(column(x, 'D', 'kaplan'));
    const Nc = p[0]!,
      Dc = p[1]!,
      aN = p[2]!,
      aD = p[3]!;
    const lnc = Math.log(Nc),
      ldc = Math.log(Dc),
      ratio = aN / aD;
    for (let i = 0, k = 0; i < out.length; i++, k += 4) {
      const u = lnc - logN[i]!; // log(Nc / N)
      const tN = Math.exp(ratio * u),
        tD = Math.exp(ldc - logD[i]!);
      const inner = tN + tD;
      const logInner = Math.log(inner);
      const L = Math.exp(aD * logInner);
      out[i] = L;
      const scale = (L * aD) / inner; // dL/d inner
      jac[k] = (scale * tN * ratio) / Nc;
      jac[k + 1] = (scale * tD) / Dc;
      jac[k + 2] = (scale * tN * u) / aD;
      // d/d alphaD: L log(inner) + aD L / inner * d inner / d alphaD, with d tN / d alphaD = -tN u aN / aD^2.
      jac[k + 3] = L * logInner - (scale * tN * u * aN) / (aD * aD);
    }
  },
};
