import { InputError, show } from '../core/errors.js';
import { lrSchedule, validateSchedule } from '../schedules/schedule.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';

/** One training curve as a caller gives it: the schedule, the logged steps and (to fit) the losses. */
export interface CurveInput {
  /** Names the curve in reports and error messages. @default 'curve <i>' */
  name?: string;
  /** The schedule as a spec, or the per-step rates lr[0..T-1] themselves. */
  schedule: ScheduleSpec | ArrayLike<number>;
  /** Logged steps (0-based indices into the schedule). */
  steps: ArrayLike<number>;
  /** Loss at each logged step; needed to fit, not to predict. */
  loss?: ArrayLike<number>;
  /** Model size in parameters, for size-aware laws. */
  N?: number;
}

/**
 * A curve ready for the whole-curve laws: the per-step rates, their inclusive prefix sums
 * S1(s) = lr[0] + ... + lr[s] (Luo et al. 2025's convention) and the steps where the rate changes.
 */
export interface PreparedCurve {
  readonly name: string;
  readonly lr: Float64Array;
  /** prefix[s] = lr[0] + ... + lr[s]. */
  readonly prefix: Float64Array;
  /** Every k >= 1 with lr[k] != lr[k - 1], increasing. */
  readonly changes: Int32Array;
  readonly N?: number;
  /** The schedule spec when one was given (kept for saved fits). */
  readonly spec?: ScheduleSpec;
}

/**
 * The rows a whole-curve law evaluates: row i is step `step[i]` of curve `curves[curve[i]]`.
 * Bootstrap resamples rows (or whole curves) with `selectPoints`; the curves are shared.
 */
export interface CurvePoints {
  readonly curves: readonly PreparedCurve[];
  readonly curve: Int32Array;
  readonly step: Int32Array;
  readonly length: number;
}

/** A curve prepared from its schedule (validated; rates must be finite and non-negative). */
export function prepareCurve(schedule: ScheduleSpec | ArrayLike<number>, options: { name?: string; N?: number; steps?: number } = {}): PreparedCurve {
  const { name = 'curve' } = options;
  let lr: Float64Array;
  let spec: ScheduleSpec | undefined;
  if (isSpec(schedule)) {
    validateSchedule(schedule);
    spec = schedule;
    lr = lrSchedule(schedule, options.steps);
  } else {
    lr = Float64Array.from(schedule as ArrayLike<number>);
    if (lr.length === 0) throw new InputError(`${name}: empty schedule`, 'schedule');
    for (let s = 0; s < lr.length; s++) {
      if (!Number.isFinite(lr[s]!) || lr[s]! < 0) throw new InputError(`${name}: schedule: rate at step ${s} is not a non-negative number: ${show(lr[s])}`, 'schedule');
    }
  }
  if (options.N !== undefined && !(Number.isFinite(options.N) && options.N > 0)) {
    throw new InputError(`${name}: N: not a positive number: ${show(options.N)}`, 'N');
  }
  const prefix = new Float64Array(lr.length);
  let sum = 0;
  const changes: number[] = [];
  for (let s = 0; s < lr.length; s++) {
    sum += lr[s]!;
    prefix[s] = sum;
    if (s > 0 && lr[s] !== lr[s - 1]) changes.push(s);
  }
  const curve: PreparedCurve = { name, lr, prefix, changes: Int32Array.from(changes) };
  return Object.freeze({ ...curve, ...(options.N !== undefined ? { N: options.N } : {}), ...(spec ? { spec } : {}) });
}

function isSpec(schedule: unknown): schedule is ScheduleSpec {
  return typeof schedule === 'object' && schedule !== null && !ArrayBuffer.isView(schedule) && !Array.isArray(schedule) && 'type' in schedule;
}

/**
 * Prepares several curves for a law: the schedules, and one row per logged step. Checks that every
 * step is an integer inside its schedule and that losses are positive.
 *
 * @returns the rows (`x`) and, when every curve has losses, the losses in row order (`y`).
 */
export function curvePoints(inputs: readonly CurveInput[]): { x: CurvePoints; y?: Float64Array } {
  if (inputs.length === 0) throw new InputError('curves: no curves given', 'curves');
  const curves: PreparedCurve[] = [];
  const curve: number[] = [];
  const step: number[] = [];
  const loss: number[] = [];
  let allLoss = true;
  inputs.forEach((input, c) => {
    const name = input.name ?? `curve ${c + 1}`;
    const prepared = prepareCurve(input.schedule, { name, ...(input.N !== undefined ? { N: input.N } : {}) });
    curves.push(prepared);
    const T = prepared.lr.length;
    const steps = input.steps;
    if (steps.length === 0) throw new InputError(`${name}: no logged steps`, 'steps');
    if (input.loss !== undefined && input.loss.length !== steps.length) {
      throw new InputError(`${name}: ${steps.length} steps but ${input.loss.length} losses`, 'loss');
    }
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      if (!Number.isInteger(s) || s < 0) throw new InputError(`${name}: row ${i + 1}: step is not a non-negative integer: ${show(s)}`, 'step');
      if (s >= T) throw new InputError(`${name}: row ${i + 1}: step ${s} runs past the schedule, which has ${T} steps (0..${T - 1})`, 'step');
      curve.push(c);
      step.push(s);
      if (input.loss !== undefined) {
        const l = input.loss[i]!;
        if (!Number.isFinite(l) || l <= 0) throw new InputError(`${name}: row ${i + 1}: loss is not a positive number: ${show(l)}`, 'loss');
        loss.push(l);
      }
    }
    if (input.loss === undefined) allLoss = false;
  });
  const x = makePoints(curves, Int32Array.from(curve), Int32Array.from(step));
  return allLoss ? { x, y: Float64Array.from(loss) } : { x };
}

/** Rows of the given curves at the given steps (no loss). */
export function makePoints(curves: readonly PreparedCurve[], curve: Int32Array, step: Int32Array): CurvePoints {
  return Object.freeze({ curves, curve, step, length: step.length });
}

/** The rows at `indices` (bootstrap over points). */
export function selectPoints(x: CurvePoints, indices: ArrayLike<number>): CurvePoints {
  const curve = new Int32Array(indices.length);
  const step = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    curve[i] = x.curve[indices[i]!]!;
    step[i] = x.step[indices[i]!]!;
  }
  return makePoints(x.curves, curve, step);
}

/**
 * Row indices of whole curves, for a bootstrap over curves: resample curve numbers, then take
 * every row of each drawn curve (a curve drawn twice counts twice).
 */
export function curveRows(x: CurvePoints, curveNumbers: ArrayLike<number>): Int32Array {
  const byCurve: number[][] = x.curves.map(() => []);
  for (let i = 0; i < x.length; i++) byCurve[x.curve[i]!]!.push(i);
  const rows: number[] = [];
  for (let j = 0; j < curveNumbers.length; j++) rows.push(...byCurve[curveNumbers[j]!]!);
  return Int32Array.from(rows);
}
