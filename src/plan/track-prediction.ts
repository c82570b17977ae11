import { InputError, show } from '../core/errors.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import { validateSchedule } from '../schedules/schedule.js';
import { predictCurve } from '../fit/predict-curve.js';
import type { CurveFit } from '../fit/result.js';
import { getLaw } from '../laws/registry.js';
import { bestSchedule, budgetFromFit } from './schedule-choice.js';

/**
 * A saved prediction of a planned run's whole loss curve (`scalelaw plan --save-prediction`): the
 * law and its parameters, the schedule, and the predicted loss with its bootstrap band at every
 * listed step. `scalelaw track` reads it back to follow the real run. Version 1.
 */
export interface LossPrediction {
  readonly kind: 'loss-prediction';
  readonly version: 1;
  /** The whole-curve law (registered name) and its parameters, by name. */
  readonly law: string;
  readonly params: Readonly<Record<string, number>>;
  /** The planned schedule. */
  readonly schedule: ScheduleSpec;
  /** Model size, for size-aware laws. */
  readonly N?: number;
  /** Central coverage of the band, when the fit had bootstrap samples. */
  readonly level?: number;
  readonly steps: readonly number[];
  readonly loss: readonly number[];
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
  /** The final predicted loss (last step of the schedule). */
  readonly final: number;
  /** Where the law came from (the fit file). */
  readonly source: string;
  /** ISO date the prediction was made. */
  readonly date: string;
}

/** Options of `lossPrediction`. */
export interface LossPredictionOptions {
  /** Coverage of the band. @default 0.9 */
  level?: number;
  /** Predict every n steps. @default about 1,000 points */
  every?: number;
  /** Model size, for size-aware laws. */
  N?: number;
  /** Names the fit. @default 'curve fit (<law>)' */
  source?: string;
  /** @default today */
  date?: string;
}

/**
 * The saved-prediction record of a schedule under a whole-curve fit: its loss curve and, where the
 * fit has bootstrap samples, the percentile band at `level`.
 *
 * @example lossPrediction(fit, { type: 'wsd', peak: 3e-4, warmup: 2160, steps: 72000, cooldownFraction: 0.2 })
 */
export function lossPrediction(fit: CurveFit, schedule: ScheduleSpec, options: LossPredictionOptions = {}): LossPrediction {
  const { level = 0.9, source = `curve fit (${fit.law})`, date = new Date().toISOString().slice(0, 10) } = options;
  validateSchedule(schedule);
  const p = predictCurve(fit, schedule, { level, ...(options.every !== undefined ? { every: options.every } : {}), ...(options.N !== undefined ? { N: options.N } : {}) });
  return {
    kind: 'loss-prediction',
    version: 1,
    law: fit.law,
    params: Object.fromEntries(fit.params.map((q) => [q.name, q.value])),
    schedule,
    ...(options.N !== undefined ? { N: options.N } : {}),
    ...(p.lower ? { level, lower: Array.from(p.lower), upper: Array.from(p.upper!) } : {}),
    steps: Array.from(p.steps),
    loss: Array.from(p.loss),
    final: p.final,
    source,
    date,
  };
}

/** Checks a parsed prediction file and returns it typed; messages name the field and the value. */
export function readLossPrediction(json: unknown, source = 'prediction'): LossPrediction {
  const r = json as Record<string, unknown>;
  const fail = (field: string, what: string, value: unknown): never => {
    throw new InputError(`${source}: ${field}: ${what}: ${show(value)}`, field);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('kind', 'not a saved prediction object', json);
  if (r.kind !== 'loss-prediction') fail('kind', 'expected "loss-prediction" (written by `scalelaw plan --save-prediction`)', r.kind);
  if (r.version !== 1) fail('version', 'this scalelaw reads version 1', r.version);
  if (typeof r.law !== 'string') fail('law', 'not a law name', r.law);
  const law = getLaw(r.law as string);
  if (!law.inputs.includes('schedule')) fail('law', 'not a whole-curve law', r.law);
  const params = r.params as Record<string, unknown>;
  if (params === null || typeof params !== 'object') fail('params', 'not an object of parameter values', params);
  for (const q of law.params) if (typeof params[q.name] !== 'number' || !Number.isFinite(params[q.name])) fail(`params.${q.name}`, 'not a finite number', params[q.name]);
  try {
    validateSchedule(r.schedule);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${source}: ${error.message}`, error.field);
    throw error;
  }
  const numbers = (field: string): number[] => {
    const v = r[field];
    if (!Array.isArray(v) || v.length === 0) fail(field, 'not a non-empty array of numbers', v);
    (v as unknown[]).forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}[${i}]`, 'not a finite number', x);
    });
    return v as number[];
  };
  const steps = numbers('steps');
  const loss = numbers('loss');
  if (loss.length !== steps.length) fail('loss', `expected ${steps.length} values (one per step), got ${loss.length}`, loss.length);
  for (let i = 1; i < steps.length; i++) if (!(steps[i]! > steps[i - 1]!)) fail(`steps[${i}]`, 'steps must increase', steps[i]);
  if ((r.lower === undefined) !== (r.upper === undefined)) fail('upper', 'lower and upper come together', r.upper);
  if (r.lower !== undefined) {
    const lower = numbers('lower');
    const upper = numbers('upper');
    if (lower.length !== steps.length || upper.length !== steps.length) fail('lower', `expected ${steps.length} values (one per step)`, lower.length);
    if (typeof r.level !== 'number' || !(r.level > 0 && r.level < 1)) fail('level', 'not in (0, 1)', r.level);
  }
  if (typeof r.final !== 'number' || !Number.isFinite(r.final)) fail('final', 'not a finite number', r.final);
  return r as unknown as LossPrediction;
}

/**
 * The schedule the planner recommends for `steps` under a whole-curve fit: the best member of the
 * best family (`bestSchedule`) with the fit's own peak and warmup, the warmup cut to 5% of the run
 * when it would take a quarter of it (the planner's rule, `plan`'s schedule advice).
 */
export function plannedSchedule(fit: CurveFit, steps: number): ScheduleSpec {
  const base = budgetFromFit(fit, steps);
  const warmup = (base.warmup ?? 0) < steps / 4 ? (base.warmup ?? 0) : Math.round(steps * 0.05);
  return bestSchedule(fit, { ...base, warmup })[0]!.schedule;
}
