import { InputError, show } from '../core/errors.js';
import type { Law } from '../laws/law.js';

/**
 * A loss on one residual, rho(r), with its derivative. Objectives are SUMS of rho over rows: averaging
 * scales the gradient down by the row count and makes L-BFGS-B's gradient test stop early.
 */
export interface Loss {
  readonly name: string;
  /** Parameters that define it (for reports and saved fits). */
  readonly settings: Readonly<Record<string, number>>;
  value(r: number): number;
  derivative(r: number): number;
}

/** rho(r) = r^2. */
export function squared(): Loss {
  return Object.freeze({ name: 'squared', settings: Object.freeze({}), value: (r: number) => r * r, derivative: (r: number) => 2 * r });
}

/**
 * Huber's loss as in scipy.special.huber: r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond
 * (Huber 1964). Hoffmann et al. 2022 fit Chinchilla with delta = 1e-3 on log residuals.
 * @default delta 1e-3
 */
export function huber(delta = 1e-3): Loss {
  if (!(delta > 0) || !Number.isFinite(delta)) throw new InputError(`huber delta: must be positive, got ${show(delta)}`, 'delta');
  const half = delta / 2;
  return Object.freeze({
    name: 'huber',
    settings: Object.freeze({ delta }),
    value: (r: number) => (Math.abs(r) <= delta ? 0.5 * r * r : delta * (Math.abs(r) - half)),
    derivative: (r: number) => (r > delta ? delta : r < -delta ? -delta : r),
  });
}

/** Rebuilds a loss from its saved name and settings. */
export function lossFromJSON(spec: { name: string; settings?: Record<string, number> }): Loss {
  if (spec.name === 'squared') return squared();
  if (spec.name === 'huber') return huber(spec.settings?.delta ?? 1e-3);
  throw new InputError(`unknown loss: ${show(spec.name)}; known: huber, squared`, 'loss');
}

/** Where residuals are taken: 'log' is r = log Lhat - log L (Hoffmann et al. 2022, eq. 10), 'linear' is Lhat - L. */
export type ResidualSpace = 'log' | 'linear';

export interface ObjectiveOptions {
  /** Loss on each residual. @default huber(1e-3) */
  loss?: Loss;
  /** @default 'log' */
  space?: ResidualSpace;
  /** Weight per row, multiplying rho(r_i). @default all 1 */
  weights?: Float64Array;
  /** Parameters held fixed, by name, in natural units. @default {} */
  fixed?: Readonly<Record<string, number>>;
  /** Bounds replacing the law's, by name, natural units. @default the law's */
  bounds?: Readonly<Record<string, readonly [number, number]>>;
}

/**
 * The function the optimiser sees: sum_i w_i rho(r_i(theta)) over the free parameters theta, where
 * theta_j = log p_j for parameters on a log scale (so A = exp(a), as in Hoffmann et al. 2022) and p_j
 * otherwise. Gradients are analytic when the law has a Jacobian, central differences otherwise.
 */
export interface Objective {
  readonly law: Law<any>;
  /** Number of free parameters. */
  readonly dimension: number;
  /** Law-parameter index of each free parameter. */
  readonly free: readonly number[];
  /** Bounds on theta (internal units). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Bounds in natural units, one per law parameter (fixed ones are [value, value]). */
  readonly naturalBounds: readonly (readonly [number, number])[];
  readonly rows: number;
  valueAndGradient(theta: Float64Array, grad: Float64Array): number;
  /** All law parameters, natural units, from theta. */
  toNatural(theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** theta from natural values of all law parameters. */
  toInternal(p: ArrayLike<number>, out?: Float64Array): Float64Array;
}

export function objective<X>(law: Law<X>, x: X, y: Float64Array, options: ObjectiveOptions = {}): Objective {
  const { loss = huber(1e-3), space = 'log', weights, fixed = {}, bounds = {} } = options;
  const np = law.params.length;
  const rows = y.length;
  if (weights && weights.length !== rows) throw new InputError(`weights: expected ${rows} values, got ${weights.length}`, 'weights');
  for (const key of [...Object.keys(fixed), ...Object.keys(bounds)]) {
    if (!law.params.some((p) => p.name === key)) {
      throw new InputError(`law ${show(law.name)} has no parameter ${show(key)}; parameters: ${law.params.map((p) => p.name).join(', ')}`, key);
    }
  }
  const naturalBounds = law.params.map((spec) => {
    const [min, max] = bounds[spec.name] ?? [spec.min ?? -Infinity, spec.max ?? Infinity];
    if (min > max) throw new InputError(`parameter ${spec.name}: bounds with min > max: [${show(min)}, ${show(max)}]`, spec.name);
    const value = fixed[spec.name];
    if (value !== undefined) {
      if (!Number.isFinite(value)) throw new InputError(`fixed ${spec.name}: not a finite number: ${show(value)}`, spec.name);
      return [value, value] as const;
    }
    return [min, max] as const;
  });
  const free: number[] = [];
  for (let j = 0; j < np; j++) if (fixed[law.params[j]!.name] === undefined) free.push(j);
  const dim = free.length;
  const isLog = law.params.map((spec) => spec.scale === 'log');
  const lower = new Float64Array(dim),
    upper = new Float64Array(dim);
  free.forEach((j, k) => {
    const [min, max] = naturalBounds[j]!;
    lower[k] = isLog[j] ? (min > 0 ? Math.log(min) : -Infinity) : min;
    upper[k] = isLog[j] ? (max > 0 ? Math.log(max) : -Infinity) : max;
  });
  const base = new Float64Array(np);
  law.params.forEach((spec, j) => {
    base[j] = fixed[spec.name] ?? NaN;
  });

  const p = new Float64Array(np);
  const pred = new Float64Array(rows);
  const jac = new Float64Array(rows * np);
  const gradNatural = new Float64Array(np);
  const logY = y.map(Math.log);
  const logSpace = space === 'log';
  const rho = loss.value,
    drho = loss.derivative;
  const huberDelta = loss.name === 'huber' ? loss.settings.delta! : 0;
  const analytic = law.valueAndJacobian !== undefined || law.jacobian !== undefined;

  const toNatural = (theta: ArrayLike<number>, out = new Float64Array(np)): Float64Array => {
    out.set(base);
    for (let k = 0; k < dim; k++) {
      const j = free[k]!;
      out[j] = isLog[j] ? Math.exp(theta[k]!) : theta[k]!;
    }
    return out;
  };
  const toInternal = (values: ArrayLike<number>, out = new Float64Array(dim)): Float64Array => {
    for (let k = 0; k < dim; k++) {
      const j = free[k]!;
      out[k] = isLog[j] ? Math.log(values[j]!) : values[j]!;
    }
    return out;
  };

  const valueOnly = (theta: Float64Array): number => {
    toNatural(theta, p);
    law.evaluate(p, x, pred);
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      const r = logSpace ? Math.log(pred[i]!) - logY[i]! : pred[i]! - y[i]!;
      sum += (weights ? weights[i]! : 1) * rho(r);
    }
    return sum;
  };

  const thetaStep = new Float64Array(dim);
  const valueAndGradient = (theta: Float64Array, grad: Float64Array): number => {
    if (!analytic) {
      const f = valueOnly(theta);
      for (let k = 0; k < dim; k++) {
        thetaStep.set(theta);
        const h = 1e-6 * Math.max(1, Math.abs(theta[k]!));
        thetaStep[k] = theta[k]! + h;
        const up = valueOnly(thetaStep);
        thetaStep[k] = theta[k]! - h;
        const down = valueOnly(thetaStep);
        grad[k] = (up - down) / (2 * h);
      }
      return f;
    }
    toNatural(theta, p);
    if (law.valueAndJacobian) law.valueAndJacobian(p, x, pred, jac);
    else {
      law.evaluate(p, x, pred);
      law.jacobian!(p, x, jac);
    }
    gradNatural.fill(0);
    let sum = 0;
    for (let i = 0, row = 0; i < rows; i++, row += np) {
      const yi = pred[i]!;
      let r: number, scale: number;
      if (logSpace) {
        r = Math.log(yi) - logY[i]!;
        scale = 1 / yi;
      } else {
        r = yi - y[i]!;
        scale = 1;
      }
      let value: number, slope: number;
      if (huberDelta > 0) {
        // Inlined Huber: this loop is the hot path of every multistart.
        const a = r < 0 ? -r : r;
        if (a <= huberDelta) {
          value = 0.5 * r * r;
          slope = r;
        } else {
          value = huberDelta * (a - 0.5 * huberDelta);
          slope = r > 0 ? huberDelta : -huberDelta;
        }
      } else {
        value = rho(r);
        slope = drho(r);
      }
      const w = weights ? weights[i]! : 1;
      sum += w * value;
      const factor = w * slope * scale;
      for (let j = 0; j < np; j++) gradNatural[j] = gradNatural[j]! + factor * jac[row + j]!;
    }
    for (let k = 0; k < dim; k++) {
      const j = free[k]!;
      grad[k] = isLog[j] ? gradNatural[j]! * p[j]! : gradNatural[j]!;
    }
    return sum;
  };

  return Object.freeze({ law, dimension: dim, free, lower, upper, naturalBounds, rows, valueAndGradient, toNatural, toInternal });
}
