import { InputError, show } from '../core/errors.js';
import type { Inputs, Law } from './law.js';
import { column, requirePositive } from './columns.js';

/** Values of a data-constrained law by name (Chinchilla's five and the two decay constants). */
export interface DataConstrainedValues {
  A: number;
  B: number;
  E: number;
  alpha: number;
  beta: number;
  /** R_D*: the number of repetitions after which repeated tokens have lost 1 - 1/e of their value. */
  RD: number;
  /** R_N*: the same for excess parameters (parameters beyond U_N). */
  RN: number;
}

/**
 * U_N, the compute-optimal number of parameters for U unique tokens under Chinchilla's allocation
 * (Muennighoff et al. 2023, eq. 6; `D_to_N` in huggingface/datablations): with
 * G = (alpha A / (beta B))^(1 / (alpha + beta)), N_opt(U) = G (G U)^(beta / alpha).
 */
export function parametersForUniqueTokens(values: Pick<DataConstrainedValues, 'A' | 'B' | 'alpha' | 'beta'>, U: number): number {
  return Math.exp(logParametersForUniqueTokens(values.A, values.B, values.alpha, values.beta, Math.log(U)));
}

function logParametersForUniqueTokens(A: number, B: number, alpha: number, beta: number, logU: number): number {
  const logG = (Math.log(alpha * A) - Math.log(beta * B)) / (alpha + beta);
  return logG + (beta / alpha) * (logG + logU);
}

/**
 * Effective data and parameters under repetition (Muennighoff et al. 2023, eqs. 5 and 6):
 * D' = U_D + U_D R_D* (1 - exp(-R_D / R_D*)) with U_D = min(U, D) and R_D = D / U_D - 1 repetitions;
 * N' = U_N + U_N R_N* (1 - exp(-R_N / R_N*)) with U_N = min(N, N_opt(U_D)) and R_N = N / U_N - 1.
 * A run of D < U tokens sees only D unique tokens, hence U_D = min(U, D).
 */
export function effectiveSize(values: DataConstrainedValues, N: number, D: number, U: number): { Nprime: number; Dprime: number; UN: number; UD: number; RN: number; RD: number } {
  const { A, B, alpha, beta, RD: rd, RN: rn } = values;
  const UD = Math.min(U, D);
  const repetitions = Math.max(D / UD - 1, 0);
  const UN = Math.min(N, Math.exp(logParametersForUniqueTokens(A, B, alpha, beta, Math.log(UD))));
  const excess = Math.max(N / UN - 1, 0);
  return {
    Nprime: UN * (1 + rn * -Math.expm1(-excess / rn)),
    Dprime: UD * (1 + rd * -Math.expm1(-repetitions / rd)),
    UN,
    UD,
    RN: excess,
    RD: repetitions,
  };
}

/** The data-constrained loss at one point: E + A / N'^alpha + B / D'^beta. */
export function dataConstrainedLoss(values: DataConstrainedValues, N: number, D: number, U: number): number {
  const { Nprime, Dprime } = effectiveSize(values, N, D, U);
  return values.E + Math.exp(Math.log(values.A) - values.alpha * Math.log(Nprime)) + Math.exp(Math.log(values.B) - values.beta * Math.log(Dprime));
}

/**
 * The data-constrained scaling law of Muennighoff et al. 2023 ("Scaling Data-Constrained Language
 * Models", eq. 7): Chinchilla's L = E + A / N'^alpha + B / D'^beta in effective parameters N' and
 * effective tokens D' (see `effectiveSize`), inputs N (parameters), D (training tokens) and U
 * (unique tokens). Repeated tokens and excess parameters decay in value with the constants R_D* and
 * R_N* (parameters RD and RN). With U >= D and N at most N_opt(U), the law is Chinchilla's.
 *
 * The authors fit only RD and RN, with A, B, E, alpha and beta held at a Chinchilla fit (their C4
 * fit: `--fix A=...`); the default grid for a fit of all seven is coarse (6,912 starts).
 */
export const dataConstrained: Law<Inputs> = {
  name: 'data-constrained',
  description: 'Chinchilla loss in effective parameters and tokens under repeated data (Muennighoff et al. 2023)',
  formula: "L = E + A / N'^alpha + B / D'^beta, D' = U_D (1 + R_D* (1 - exp(-R_D / R_D*))), N' = U_N (1 + R_N* (1 - exp(-R_N / R_N*)))",
  inputs: ['N', 'D', 'U'],
  params: [
    { name: 'A', min: 0, scale: 'log', grid: [0, 5, 10, 15].map(Math.exp), description: 'scale of the parameter term' },
    { name: 'B', min: 0, scale: 'log', grid: [0, 5, 10, 15].map(Math.exp), description: 'scale of the data term' },
    { name: 'E', min: 0, scale: 'log', grid: [-1, 0, 1].map(Math.exp), description: 'irreducible loss' },
    { name: 'alpha', min: 1e-3, max: 3, grid: [0.2, 0.5, 1], description: 'exponent of N' },
    { name: 'beta', min: 1e-3, max: 3, grid: [0.2, 0.5, 1], description: 'exponent of D' },
    { name: 'RD', min: 1e-3, max: 1e4, scale: 'log', grid: [1, 4, 16, 64], description: "R_D*: repetitions after which repeated tokens keep 1/e of a fresh token's value" },
    { name: 'RN', min: 1e-3, max: 1e4, scale: 'log', grid: [1, 4, 16, 64], description: 'R_N*: the same decay for parameters beyond U_N' },
  ],
  size: (x) => column(x, 'N', 'data-constrained').length,
  validate(x) {
    for (const name of ['N', 'D', 'U']) requirePositive(x, name, 'data-constrained');
  },
  evaluate(p, x, out) {
    const N = column(x, 'N', 'data-constrained'),
      D = column(x, 'D', 'data-constrained'),
      U = column(x, 'U', 'data-constrained');
    const values = valuesOf(p);
    for (let i = 0; i < out.length; i++) out[i] = dataConstrainedLoss(values, N[i]!, D[i]!, U[i]!);
  },
};

/** A parameter vector in the law's order, by name. */
export function valuesOf(p: ArrayLike<number>): DataConstrainedValues {
  const [A, B, E, alpha, beta, RD, RN] = Array.from(p) as [number, number, number, number, number, number, number];
  return { A, B, E, alpha, beta, RD, RN };
}

/** Checks the values a data-constrained plan or prediction needs: all positive and finite. */
export function checkDataConstrainedValues(values: DataConstrainedValues, source: string): DataConstrainedValues {
  for (const [name, v] of Object.entries(values)) {
    if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`${source}: parameter ${name} must be positive and finite for the data-constrained law, got ${show(v)}`, name);
  }
  return values;
}
