import type { Inputs, Law } from './law.js';
import { column, logColumn, requirePositive } from './columns.js';

/** Which variable a single-variable power law scales with. */
export type PowerVariable = 'N' | 'D' | 'C';

const NAMES: Record<PowerVariable, string> = { N: 'parameters', D: 'tokens', C: 'training FLOPs' };

/**
 * A law of the form L = E + A x^-alpha in another variable (its name, description and parameter
 * specs E, A, alpha in that order): the formula and its Jacobian are `powerLaw`'s.
 */
export interface PowerLawSpec {
  variable: string;
  name: string;
  description: string;
  params: Law<Inputs>['params'];
}

/**
 * L = E + A x^-alpha for x = N, D or C (Kaplan et al. 2020, eqs. 1.1-1.3, with an irreducible term E).
 * E and A are fitted in log space, as Chinchilla's are (Hoffmann et al. 2022, eq. 10). Registered as
 * `power-N`, `power-D` and `power-C`. Given a `PowerLawSpec`, the same law in another variable.
 */
export function powerLaw(variable: PowerVariable): Law<Inputs>;
export function powerLaw(spec: PowerLawSpec): Law<Inputs>;
export function powerLaw(of: PowerVariable | PowerLawSpec): Law<Inputs> {
  const spec: PowerLawSpec =
    typeof of === 'string'
      ? {
          variable: of,
          name: `power-${of}`,
          description: `single power law in ${NAMES[of]} with an irreducible loss`,
          params: [
            { name: 'E', min: 0, scale: 'log', grid: [-1, -0.5, 0, 0.5, 1].map(Math.exp), description: 'irreducible loss' },
            { name: 'A', min: 0, scale: 'log', grid: [0, 5, 10, 15, 20, 25].map(Math.exp), description: 'scale of the reducible term' },
            { name: 'alpha', grid: [0, 0.5, 1, 1.5, 2], description: `exponent of ${of}` },
          ],
        }
      : of;
  const { variable, name } = spec;
  const law: Law<Inputs> = {
    name,
    description: spec.description,
    formula: `L = E + A ${variable}^-alpha`,
    inputs: [variable],
    params: spec.params,
    size: (x) => column(x, variable, name).length,
    validate: (x) => requirePositive(x, variable, name),
    evaluate(p, x, out) {
      const logX = logColumn(column(x, variable, name));
      const E = p[0]!,
        logA = Math.log(p[1]!),
        alpha = p[2]!;
      for (let i = 0; i < out.length; i++) out[i] = E + Math.exp(logA - alpha * logX[i]!);
    },
    jacobian(p, x, jac) {
      law.valueAndJacobian!(p, x, new Float64Array(jac.length / 3), jac);
    },
    valueAndJacobian(p, x, out, jac) {
      const logX = logColumn(column(x, variable, name));
      const E = p[0]!,
        A = p[1]!,
        alpha = p[2]!;
      for (let i = 0, k = 0; i < out.length; i++, k += 3) {
        const power = Math.exp(-alpha * logX[i]!); // x^-alpha
        const term = A * power;
        out[i] = E + term;
        jac[k] = 1;
        jac[k + 1] = power;
        jac[k + 2] = -term * logX[i]!;
      }
    },
  };
  return law;
}
