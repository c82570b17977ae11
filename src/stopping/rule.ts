import { InputError, show } from '../core/errors.js';
import type { Goal } from '../extrapolation/curve.js';

/**
 * Early-stopping rules as small pure functions of what is known about a run, combined with `any`
 * and `all` (optax-style composition: behaviour comes from chaining pieces, not from flags).
 */

/** Another run of the same study, as seen at decision time. */
export interface PeerRun {
  /** Its metric per step so far (steps 1..length, or `steps`). */
  values: Float64Array;
  /** True when it ran to its planned end. */
  finished: boolean;
  /** Identifies the run (a replay passes the curve's index). */
  id?: number | string;
}

/** What a rule sees about the run it decides on. */
export interface RunView {
  /** Identifies the run (a replay passes the curve's index, so cached predictions can be found). */
  id?: number | string;
  /** Steps at which `values` were logged (increasing). */
  steps: Float64Array;
  values: Float64Array;
  goal: Goal;
  /** The step the run would end at without stopping. */
  horizon: number;
  /** Values the metric can take (accuracy: [0, 1]). @default [-Infinity, Infinity] */
  range?: readonly [number, number];
  /** Best final value among the runs finished so far (predictive termination compares with it). */
  bestFinal?: number;
  /** Other runs of the study (median stopping, ASHA). */
  peers?: readonly PeerRun[];
}

/** A stopping rule's answer at one checkpoint. */
export interface Decision {
  stop: boolean;
  /** Which rule decided and why, for logs. */
  reason: string;
}

/** A stopping rule: pure, returns whether to stop now. */
export interface StopRule {
  name: string;
  decide(view: RunView): Decision;
}

const keep = (name: string): Decision => ({ stop: false, reason: `${name}: continue` });

/** Stops when any of the rules says stop (the first one's reason is reported). */
export function any(...rules: StopRule[]): StopRule {
  if (rules.length === 0) throw new InputError('any: give at least one rule', 'rules');
  const name = `any(${rules.map((r) => r.name).join(', ')})`;
  return {
    name,
    decide(view) {
      for (const rule of rules) {
        const d = rule.decide(view);
        if (d.stop) return d;
      }
      return keep(name);
    },
  };
}

/** Stops only when every rule says stop. */
export function all(...rules: StopRule[]): StopRule {
  if (rules.length === 0) throw new InputError('all: give at least one rule', 'rules');
  const name = `all(${rules.map((r) => r.name).join(', ')})`;
  return {
    name,
    decide(view) {
      const reasons: string[] = [];
      for (const rule of rules) {
        const d = rule.decide(view);
        if (!d.stop) return keep(name);
        reasons.push(d.reason);
      }
      return { stop: true, reason: reasons.join('; ') };
    },
  };
}

/** Checks a run view once where it enters a rule. */
export function checkView(view: RunView, rule: string): void {
  const { steps, values } = view;
  if (steps.length !== values.length) throw new InputError(`${rule}: ${steps.length} steps but ${values.length} values`, 'values');
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new InputError(`${rule}: value at step ${show(steps[i])} is not a finite number: ${show(values[i])}`, 'values');
  }
}

/** True when a is better than b for the goal. */
export function better(goal: Goal, a: number, b: number): boolean {
  return goal === 'max' ? a > b : a < b;
}

/** Best value in values[0..end). */
export function bestOf(goal: Goal, values: ArrayLike<number>, end = values.length): number {
  let best = goal === 'max' ? -Infinity : Infinity;
  for (let i = 0; i < end; i++) if (better(goal, values[i]!, best)) best = values[i]!;
  return best;
}

export function positiveNumber(rule: string, name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new InputError(`${rule}: ${name}: must be a positive number, got ${show(value)}`, name);
  return value;
}

export function nonNegative(rule: string, name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new InputError(`${rule}: ${name}: must be a number >= 0, got ${show(value)}`, name);
  return value;
}
