import { InputError, show } from '../core/errors.js';
import { scheduleTypes, type CooldownShape, type ScheduleSpec } from '../core/schedule-spec.js';
import { checkNorms, checkSmoothing, refinedRates } from './refine.js';

/**
 * The per-step learning rates lr[0..steps-1] of a schedule spec.
 *
 * `steps` sets the length of the array (default: the spec's own `steps`, or `values.length` for a
 * custom schedule). The shape is always that of the spec's `steps`; past them a decay stays at its
 * final rate, a cyclic schedule keeps cycling and a custom one holds its last value.
 *
 * @example lrSchedule({ type: 'cosine', peak: 3e-4, final: 3e-5, warmup: 2160, steps: 24000 })
 */
export function lrSchedule(spec: ScheduleSpec, steps?: number): Float64Array {
  validateSchedule(spec);
  const T = spec.type === 'custom' ? (spec.steps ?? spec.values.length) : spec.steps;
  const length = steps ?? T;
  if (!Number.isInteger(length) || length < 1) throw new InputError(`steps: not a positive integer: ${show(steps)}`, 'steps');
  const lr = new Float64Array(length);
  if (spec.type === 'custom') {
    const values = spec.values;
    for (let s = 0; s < length; s++) lr[s] = values[Math.min(s, T - 1)]!;
    return lr;
  }
  const peak = spec.peak;
  const W = spec.warmup ?? 0;
  // numpy's linspace(0, peak, W): lr[0] = 0, lr[W - 1] = peak exactly (Luo et al. 2025's code).
  for (let s = 0; s < Math.min(W, length); s++) lr[s] = s === W - 1 ? peak : W === 1 ? 0 : (peak * s) / (W - 1);
  const rate = rule(spec, T, W);
  for (let s = W; s < length; s++) lr[s] = rate(s);
  return lr;
}

/** The rate after warmup, as a function of the step. */
function rule(spec: Exclude<ScheduleSpec, { type: 'custom' }>, T: number, W: number): (s: number) => number {
  const peak = spec.peak;
  const progress = (s: number, start: number) => Math.min(1, (s - start) / (T - start));
  switch (spec.type) {
    case 'constant':
      return () => peak;
    case 'linear': {
      const final = spec.final ?? peak / 10;
      return (s) => peak + (final - peak) * progress(s, W);
    }
    case 'cosine': {
      const final = spec.final ?? peak / 10;
      return (s) => final + ((peak - final) * (1 + Math.cos(Math.PI * progress(s, W)))) / 2;
    }
    case 'wsd':
    case 'wsdld': {
      const final = spec.final ?? peak / 10;
      const start = decayStartOf(spec);
      const shape: CooldownShape = spec.type === 'wsdld' ? 'linear' : (spec.shape ?? 'exponential');
      const decay = cooldown(shape, peak, final);
      return (s) => (s < start ? peak : decay(progress(s, start)));
    }
    case 'two-stage':
      return (s) => (s < spec.switchAt ? peak : spec.second);
    case 'multistep': {
      const { milestones, rates } = spec;
      return (s) => {
        let r = peak;
        for (let i = 0; i < milestones.length && s >= milestones[i]!; i++) r = rates[i]!;
        return r;
      };
    }
    case 'inverse-sqrt': {
      const timescale = spec.timescale ?? W;
      return (s) => peak * Math.sqrt(timescale / Math.max(s, timescale));
    }
    case 'cyclic': {
      const final = spec.final ?? peak / 10;
      const period = spec.period;
      const triangle = (spec.shape ?? 'triangle') === 'triangle';
      return (s) => {
        const phase = ((s - W) % period) / period;
        // 1 at the start of a cycle, 0 half way, back to 1 at its end.
        const height = triangle ? Math.abs(1 - 2 * phase) : (1 + Math.cos(2 * Math.PI * phase)) / 2;
        return final + (peak - final) * height;
      };
    }
    case 'power': {
      // Shen et al. 2024: min(peak, a s^b) with a = peak timescale^-b, b = -exponent.
      const timescale = spec.timescale ?? W;
      const exponent = spec.exponent ?? 0.51;
      const power = (s: number) => peak * (timescale / Math.max(s, timescale)) ** exponent;
      const start = powerDecayStart(spec);
      if (start === undefined) return power;
      const decay = cooldown(spec.shape ?? 'linear', power(start), spec.final ?? 0);
      return (s) => (s < start ? power(s) : decay(progress(s, start)));
    }
    case 'refined': {
      const rates = refinedRates(spec.gradNorms, T - W, peak, spec.smoothing ?? 0);
      return (s) => (s - W < rates.length ? rates[s - W]! : 0);
    }
  }
}

/** The first step of a power schedule's cooldown, or undefined when it has none. */
function powerDecayStart(spec: Extract<ScheduleSpec, { type: 'power' }>): number | undefined {
  if (spec.decayStart !== undefined) return spec.decayStart;
  if (spec.cooldownFraction !== undefined) return Math.round(spec.steps * (1 - spec.cooldownFraction));
  return undefined;
}

/** Cooldown from peak (p = 0) towards final (p = 1). */
function cooldown(shape: CooldownShape, peak: number, final: number): (p: number) => number {
  switch (shape) {
    case 'linear':
      return (p) => peak + (final - peak) * p;
    case 'cosine':
      return (p) => final + ((peak - final) * (1 + Math.cos(Math.PI * p))) / 2;
    // Luo et al. 2025's wsd: lr = peak^((T - s)/(T - S)) final^((s - S)/(T - S)).
    case 'exponential':
      return (p) => peak ** (1 - p) * final ** p;
    // Hägele et al. 2024's "1 - sqrt" cooldown.
    case 'sqrt':
      return (p) => final + (peak - final) * (1 - Math.sqrt(p));
  }
}

/** The first step of a WSD cooldown. */
export function decayStartOf(spec: Extract<ScheduleSpec, { type: 'wsd' | 'wsdld' }>): number {
  if (spec.decayStart !== undefined) return spec.decayStart;
  return Math.round(spec.steps * (1 - (spec as { cooldownFraction: number }).cooldownFraction));
}

const shapes: readonly CooldownShape[] = ['linear', 'cosine', 'exponential', 'sqrt'];

/**
 * Checks a schedule spec and throws an InputError naming the field and echoing the value.
 * Accepts anything (specs often come from JSON files).
 */
export function validateSchedule(spec: unknown): asserts spec is ScheduleSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new InputError(`schedule: not an object with a type: ${show(spec)}`, 'schedule');
  }
  const s = spec as Record<string, unknown>;
  if (!scheduleTypes.includes(s.type as never)) {
    throw new InputError(`schedule.type: unknown schedule type ${show(s.type)}; known: ${scheduleTypes.join(', ')}`, 'type');
  }
  const fail = (field: string, what: string, value: unknown): never => {
    throw new InputError(`schedule.${field}: ${what}: ${show(value)}`, field);
  };
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  const positive = (field: string) => {
    const v = s[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(field, 'not a positive number', v);
    return v as number;
  };

  if (s.type === 'custom') {
    const values = s.values;
    if (!Array.isArray(values) || values.length === 0) fail('values', 'not a non-empty array of rates', values);
    (values as unknown[]).forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`values[${i}]`, 'not a non-negative rate', v);
    });
    if (s.steps !== undefined && (!isInt(s.steps) || s.steps < 1 || s.steps > (values as unknown[]).length)) {
      fail('steps', `not an integer in [1, ${(values as unknown[]).length}] (the number of values)`, s.steps);
    }
    return;
  }

  const steps = s.steps;
  if (!isInt(steps) || steps < 1) fail('steps', 'not a positive integer', steps);
  const T = steps as number;
  const peak = positive('peak');
  const warmup = s.warmup ?? 0;
  if (!isInt(warmup) || warmup < 0 || warmup >= T) fail('warmup', `not an integer in [0, steps = ${T})`, warmup);
  const W = warmup as number;
  if ('final' in s && s.final !== undefined) {
    const f = s.final;
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0 || f > peak) fail('final', `not in [0, peak = ${peak}]`, f);
  }
  const stepIn = (field: string, lo: number, hi: number) => {
    const v = s[field];
    if (!isInt(v) || v < lo || v >= hi) fail(field, `not an integer step in [${lo}, ${hi})`, v);
    return v as number;
  };

  switch (s.type) {
    case 'wsd':
    case 'wsdld': {
      if (s.type === 'wsd' && s.shape !== undefined && !shapes.includes(s.shape as CooldownShape)) {
        fail('shape', `not one of ${shapes.join(', ')}`, s.shape);
      }
      if (s.type === 'wsd' && s.decayStart === undefined) {
        const f = s.cooldownFraction;
        if (f === undefined) throw new InputError('schedule: wsd needs cooldownFraction or decayStart', 'cooldownFraction');
        if (typeof f !== 'number' || !(f > 0 && f < 1)) fail('cooldownFraction', 'not in (0, 1)', f);
        const start = Math.round(T * (1 - (f as number)));
        if (start < W) fail('cooldownFraction', `the cooldown would start at step ${start}, inside the ${W}-step warmup`, f);
      } else {
        stepIn('decayStart', W, T);
      }
      const shape = s.type === 'wsdld' ? 'linear' : (s.shape ?? 'exponential');
      if (shape === 'exponential' && s.final === 0) fail('final', 'must be positive for an exponential cooldown', s.final);
      return;
    }
    case 'two-stage': {
      const second = s.second;
      if (typeof second !== 'number' || !Number.isFinite(second) || second < 0) fail('second', 'not a non-negative rate', second);
      stepIn('switchAt', W, T);
      return;
    }
    case 'multistep': {
      const { milestones, rates } = s;
      if (!Array.isArray(milestones)) fail('milestones', 'not an array of steps', milestones);
      if (!Array.isArray(rates)) fail('rates', 'not an array of rates', rates);
      const m = milestones as unknown[];
      const r = rates as unknown[];
      if (m.length !== r.length) fail('rates', `expected ${m.length} rates (one per milestone), got ${r.length}`, rates);
      m.forEach((v, i) => {
        const lo = i === 0 ? W : (m[i - 1] as number) + 1;
        if (!isInt(v) || v < lo || v >= T) fail(`milestones[${i}]`, `not an increasing integer step in [${lo}, ${T})`, v);
      });
      r.forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`rates[${i}]`, 'not a non-negative rate', v);
      });
      return;
    }
    case 'inverse-sqrt':
      if (s.timescale === undefined) {
        if (W === 0) throw new InputError('schedule: inverse-sqrt needs a timescale when there is no warmup', 'timescale');
      } else {
        positive('timescale');
      }
      return;
    case 'power': {
      if (s.shape !== undefined && !shapes.includes(s.shape as CooldownShape)) fail('shape', `not one of ${shapes.join(', ')}`, s.shape);
      if (s.exponent !== undefined) positive('exponent');
      if (s.timescale === undefined) {
        if (W === 0) throw new InputError('schedule: power needs a timescale when there is no warmup', 'timescale');
      } else {
        positive('timescale');
      }
      if (s.cooldownFraction !== undefined && s.decayStart !== undefined) throw new InputError('schedule: power takes cooldownFraction or decayStart, not both', 'cooldownFraction');
      let start: number | undefined;
      if (s.decayStart !== undefined) start = stepIn('decayStart', W, T);
      else if (s.cooldownFraction !== undefined) {
        const f = s.cooldownFraction;
        if (typeof f !== 'number' || !(f > 0 && f < 1)) fail('cooldownFraction', 'not in (0, 1)', f);
        start = Math.round(T * (1 - (f as number)));
        if (start < W) fail('cooldownFraction', `the cooldown would start at step ${start}, inside the ${W}-step warmup`, f);
      }
      if (start !== undefined) {
        const timescale = (s.timescale as number | undefined) ?? W;
        const reached = peak * (timescale / Math.max(start, timescale)) ** ((s.exponent as number | undefined) ?? 0.51);
        const final = (s.final as number | undefined) ?? 0;
        if (final > reached) fail('final', `above the rate ${+reached.toPrecision(6)} the power decay reaches at the cooldown start`, final);
        if ((s.shape ?? 'linear') === 'exponential' && final === 0) fail('final', 'must be positive for an exponential cooldown', s.final ?? 0);
      }
      return;
    }
    case 'refined':
      checkNorms(s.gradNorms, 'schedule.gradNorms', 'gradNorms');
      if (s.smoothing !== undefined) checkSmoothing(s.smoothing, 'schedule.smoothing', 'smoothing');
      if (T - W < 1) fail('warmup', 'leaves no steps to refine', W);
      return;
    case 'cyclic': {
      const period = s.period;
      if (!isInt(period) || period < 2) fail('period', 'not an integer of at least 2 steps', period);
      if (s.shape !== undefined && s.shape !== 'triangle' && s.shape !== 'cosine') fail('shape', 'not one of triangle, cosine', s.shape);
      return;
    }
  }
}
