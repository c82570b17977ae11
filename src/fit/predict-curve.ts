import { InputError, show } from '../core/errors.js';
import { quantile } from '../core/stats.js';
import type { Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import { makePoints, prepareCurve, type CurvePoints, type PreparedCurve } from '../laws/curve-points.js';

/**
 * What a prediction reads of a whole-curve fit (a `CurveFit` has it): the law's name, the fitted
 * values in the law's order, and the bootstrap samples when there are any. Structural, so this
 * module does not import the result class that calls it.
 */
export interface CurveFitValues {
  readonly law: string;
  vector(): Float64Array;
  readonly bootstrap?: { readonly samples: readonly (readonly number[])[] };
}

export interface PredictOptions {
  /** Steps to predict at. @default every `every`-th step from the first with S1 > 0, plus the last */
  steps?: ArrayLike<number>;
  /** Spacing of the default steps. @default ceil(T / 1000), at most 1,001 points */
  every?: number;
  /** Central coverage of the bands, in (0, 1), when the fit has bootstrap resamples. @default 0.9 */
  level?: number;
  /** Model size, for size-aware laws. */
  N?: number;
  /** Names the curve in messages. @default 'schedule' */
  name?: string;
}

/** A predicted loss curve, with bootstrap percentile bands when the fit has resamples. */
export interface CurvePrediction {
  readonly steps: Int32Array;
  readonly loss: Float64Array;
  /** Loss at the last step of the schedule. */
  readonly final: number;
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
  readonly level?: number;
}

/** The law a saved fit names (the registered one). */
export function lawOf(fit: CurveFitValues): Law<CurvePoints> {
  return getLaw<CurvePoints>(fit.law);
}

/** Default prediction steps: every `every` steps from the first step with S1 > 0, and the last. */
function defaultSteps(curve: PreparedCurve, every: number | undefined): Int32Array {
  const T = curve.lr.length;
  const spacing = every ?? Math.max(1, Math.ceil(T / 1000));
  if (!Number.isInteger(spacing) || spacing < 1) throw new InputError(`every: not a positive integer: ${show(every)}`, 'every');
  let first = 0;
  while (first < T && !(curve.prefix[first]! > 0)) first++;
  if (first === T) throw new InputError(`${curve.name}: every rate is 0`, 'schedule');
  const steps: number[] = [];
  for (let s = first; s < T; s += spacing) steps.push(s);
  if (steps[steps.length - 1] !== T - 1) steps.push(T - 1);
  return Int32Array.from(steps);
}

/**
 * The whole loss curve a fit predicts for any schedule (a spec or per-step rates), with bootstrap
 * bands when the fit was made with `resamples`.
 *
 * @example predictCurve(fit, { type: 'wsd', peak: 3e-4, warmup: 2160, steps: 72000, cooldownFraction: 0.2 })
 */
export function predictCurve(fit: CurveFitValues, schedule: ScheduleSpec | ArrayLike<number>, options: PredictOptions = {}): CurvePrediction {
  const { level = 0.9, name = 'schedule' } = options;
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  const law = lawOf(fit);
  const curve = prepareCurve(schedule, { name, ...(options.N !== undefined ? { N: options.N } : {}) });
  if (law.inputs.includes('N') && curve.N === undefined) throw new InputError(`law ${show(law.name)} needs the model size: pass N`, 'N');
  const T = curve.lr.length;
  let steps: Int32Array;
  if (options.steps) {
    steps = Int32Array.from(options.steps);
    Array.from(options.steps).forEach((s, i) => {
      if (!Number.isInteger(s) || s < 0) throw new InputError(`steps[${i}]: not a non-negative integer: ${show(s)}`, 'steps');
      if (s >= T) throw new InputError(`steps[${i}]: step ${s} runs past the schedule, which has ${T} steps (0..${T - 1})`, 'steps');
    });
  } else steps = defaultSteps(curve, options.every);
  const withFinal = steps[steps.length - 1] === T - 1 ? steps : Int32Array.from([...steps, T - 1]);
  const x = makePoints([curve], new Int32Array(withFinal.length), withFinal);
  law.validate?.(x);
  const all = new Float64Array(x.length);
  law.evaluate(fit.vector(), x, all);
  const loss = all.slice(0, steps.length);
  const final = all[all.length - 1]!;
  if (!fit.bootstrap || fit.bootstrap.samples.length === 0) return Object.freeze({ steps, loss, final });

  const R = fit.bootstrap.samples.length;
  const draws = fit.bootstrap.samples.map((v) => {
    const out = new Float64Array(x.length);
    law.evaluate(Float64Array.from(v), x, out);
    return out;
  });
  const lower = new Float64Array(steps.length);
  const upper = new Float64Array(steps.length);
  const column = new Float64Array(R);
  for (let i = 0; i < steps.length; i++) {
    for (let r = 0; r < R; r++) column[r] = draws[r]![i]!;
    column.sort();
    lower[i] = quantile(column, (1 - level) / 2);
    upper[i] = quantile(column, (1 + level) / 2);
  }
  return Object.freeze({ steps, loss, final, lower, upper, level });
}

/** Predicted loss at the last step of each schedule, one law evaluation for all of them. */
export function finalLosses(fit: CurveFitValues, schedules: readonly (ScheduleSpec | ArrayLike<number>)[], N?: number): Float64Array {
  const law = lawOf(fit);
  const curves = schedules.map((s, i) => prepareCurve(s, { name: `candidate ${i + 1}`, ...(N !== undefined ? { N } : {}) }));
  const x = makePoints(
    curves,
    Int32Array.from(curves, (_, i) => i),
    Int32Array.from(curves, (c) => c.lr.length - 1),
  );
  law.validate?.(x);
  const out = new Float64Array(x.length);
  law.evaluate(fit.vector(), x, out);
  return out;
}
