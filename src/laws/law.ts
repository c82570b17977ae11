/**
 * A law is data: its parameters (with bounds and a starting grid), a vectorised `evaluate`, and
 * where cheap an analytic Jacobian. The fitting engine (`src/fit/`) works on any law.
 */

/** Named input columns, one value per data row (e.g. { N, D } for Chinchilla, { step } for curves). */
export type Inputs = Readonly<Record<string, Float64Array>>;

/** One parameter of a law: its name, bounds and starting values. */
export interface ParamSpec {
  name: string;
  /** Lower bound, in natural units. @default -Infinity */
  min?: number;
  /** Upper bound, in natural units. @default Infinity */
  max?: number;
  /** Starting value when no grid is used. */
  init?: number;
  /** Values the multistart grid tries for this parameter, in natural units. */
  grid?: readonly number[];
  /**
   * 'log': the optimiser works on log(value), so the value stays positive and spans decades well
   * (Chinchilla's A, B, E are fitted as exp(a), exp(b), exp(e), Hoffmann et al. 2022, eq. 10).
   * @default 'linear'
   */
  scale?: 'linear' | 'log';
  /** One line for reports. */
  description?: string;
}

/**
 * A law as data: input columns, parameter specs, a formula and `evaluate` (with an analytic
 * gradient where cheap); fitting, bootstrap and prediction work on any law.
 *
 * @typeParam X the inputs the law reads. Row-wise laws use `Inputs`; whole-curve laws (which need a
 * schedule per curve) bring their own prepared structure.
 */
export interface Law<X = Inputs> {
  name: string;
  description: string;
  /** Names of the input columns the law reads, e.g. ['N', 'D']. */
  inputs: readonly string[];
  params: readonly ParamSpec[];
  /** Human formula for reports, e.g. 'L = E + A / N^alpha + B / D^beta'. */
  formula?: string;
  /** Number of rows in `x`. */
  size?(x: X): number;
  /** out[i] = prediction for row i, with p in natural units in the order of `params`. */
  evaluate(p: Float64Array, x: X, out: Float64Array): void;
  /** jac[i * params.length + j] = d out[i] / d p[j], natural units. Optional; finite differences otherwise. */
  jacobian?(p: Float64Array, x: X, jac: Float64Array): void;
  /**
   * Fills `out` and `jac` in one pass (shares the work of evaluate + jacobian, e.g. the powers).
   * Optional; the fitter falls back to evaluate then jacobian.
   */
  valueAndJacobian?(p: Float64Array, x: X, out: Float64Array, jac: Float64Array): void;
  /** Checks the inputs before a fit or prediction (e.g. positive N); throws InputError. */
  validate?(x: X): void;
  /** The rows at `indices` (for bootstrap resampling); row-wise laws get a default. */
  select?(x: X, indices: ArrayLike<number>): X;
}

export function paramIndex(law: Law<any>, name: string): number {
  const i = law.params.findIndex((p) => p.name === name);
  if (i < 0) throw new Error(`law ${law.name} has no parameter ${name}`);
  return i;
}

/**
 * `evaluate`, `jacobian` and `valueAndJacobian` of a law computed by one pass that fills the values,
 * the Jacobian, or both (whichever it is given), so the shared work is done once.
 */
export function fromPass<X>(pass: (p: Float64Array, x: X, out: Float64Array | undefined, jac: Float64Array | undefined) => void): Pick<Law<X>, 'evaluate' | 'jacobian' | 'valueAndJacobian'> {
  return {
    evaluate: (p, x, out) => pass(p, x, out, undefined),
    jacobian: (p, x, jac) => pass(p, x, undefined, jac),
    valueAndJacobian: (p, x, out, jac) => pass(p, x, out, jac),
  };
}
