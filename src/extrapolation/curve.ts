import { InputError, show } from '../core/errors.js';

/** Whether smaller values are better (loss, perplexity) or larger (accuracy). */
export type Goal = 'min' | 'max';

export interface CurveOptions {
  /** @default 'min' */
  goal?: Goal;
  /** Names the curve in error messages. @default 'curve' */
  source?: string;
  /**
   * Values the metric can take, e.g. [0, 1] for accuracy: predictions are kept inside.
   * @default [-Infinity, Infinity]
   */
  range?: readonly [number, number];
}

/**
 * A validated partial learning curve: strictly increasing positive steps and finite values, at least
 * three points. The families see it on a normalised scale where it increases: z = 0.1 + 0.8 (s(y) -
 * s_min) / (s_max - s_min) with s(y) = y for 'max' and -y for 'min', and steps divided by the first
 * step (so the first step is 1; the families are scale-free in x except ilog2).
 *
 * A constant curve (every value equal) is accepted: there is nothing to fit, and extrapolation
 * returns that constant with zero spread (see `extrapolate`).
 */
export interface LearningCurve {
  readonly step: Float64Array;
  readonly value: Float64Array;
  readonly goal: Goal;
  readonly source: string;
  readonly range: readonly [number, number];
  /** True when every value is equal. */
  readonly constant: boolean;
  /** Normalised steps, step / step[0]. */
  readonly x: Float64Array;
  /** Normalised values (increasing is better). */
  readonly z: Float64Array;
  /** Original units -> normalised. */
  toZ(y: number): number;
  /** Normalised -> original units. */
  fromZ(z: number): number;
  /** Normalised step for an original step. */
  toX(step: number): number;
  /** Best value seen so far in original units (max for 'max', min for 'min'). */
  best(): number;
}

/** The lowest number of points a curve needs. */
export const MIN_POINTS = 3;

/**
 * Builds a learning curve from steps and values.
 *
 * @example learningCurve([1, 2, 3, 4], [2.3, 1.9, 1.7, 1.6], { goal: 'min' })
 */
export function learningCurve(steps: ArrayLike<number>, values: ArrayLike<number>, options: CurveOptions = {}): LearningCurve {
  const { goal = 'min', source = 'curve', range = [-Infinity, Infinity] } = options;
  if (goal !== 'min' && goal !== 'max') throw new InputError(`${source}: goal: must be "min" or "max", got ${show(goal)}`, 'goal');
  if (steps.length !== values.length) {
    throw new InputError(`${source}: ${steps.length} steps but ${values.length} values`, 'value');
  }
  if (values.length < MIN_POINTS) {
    throw new InputError(`${source}: needs at least ${MIN_POINTS} points to extrapolate, got ${values.length}`, 'value');
  }
  const step = Float64Array.from(steps);
  const value = Float64Array.from(values);
  for (let i = 0; i < step.length; i++) {
    if (!Number.isFinite(step[i]!) || step[i]! <= 0) {
      throw new InputError(`${source}: row ${i + 1}, column step: must be a positive finite number, got ${show(steps[i])}`, 'step');
    }
    if (i > 0 && step[i]! <= step[i - 1]!) {
      throw new InputError(`${source}: row ${i + 1}, column step: steps must increase, got ${show(step[i])} after ${show(step[i - 1])}`, 'step');
    }
    if (!Number.isFinite(value[i]!)) {
      throw new InputError(`${source}: row ${i + 1}, column value: not a finite number: ${show(values[i])}`, 'value');
    }
  }
  const sign = goal === 'max' ? 1 : -1;
  let sMin = Infinity,
    sMax = -Infinity;
  for (const v of value) {
    sMin = Math.min(sMin, sign * v);
    sMax = Math.max(sMax, sign * v);
  }
  const constant = sMax === sMin;
  const width = constant ? 1 : sMax - sMin;
  const toZ = (y: number) => 0.1 + (0.8 * (sign * y - sMin)) / width;
  const fromZ = (z: number) => sign * (sMin + ((z - 0.1) * width) / 0.8);
  const first = step[0]!;
  const x = step.map((s) => s / first);
  const z = value.map(toZ);
  return {
    step,
    value,
    goal,
    source,
    range,
    constant,
    x,
    z,
    toZ,
    fromZ,
    toX: (s) => s / first,
    best: () => sign * sMax,
  };
}

/** The scale factor from normalised to original units (|d y / d z|). */
export function zScale(curve: LearningCurve): number {
  return Math.abs(curve.fromZ(1) - curve.fromZ(0));
}
