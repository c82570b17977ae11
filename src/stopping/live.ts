import { InputError, show } from '../core/errors.js';
import type { Goal } from '../extrapolation/curve.js';
import { better, type Decision, type PeerRun, type StopRule } from './rule.js';

/**
 * Early stopping from inside a training loop, in the spirit of Optuna's pruners: a study holds the
 * runs of a search and one stopping rule (any rule of the project, or a composition with `any` /
 * `all`); a run reports its metric as it goes and asks `shouldStop(run)` after each report. Runs
 * that finish set the bar (`bestFinal`) that predictive termination compares with, and are the
 * peers median stopping and ASHA look at.
 *
 * @example
 * const study = stoppingStudy({ rule: stopRule('predictive', { extrapolate: { method: 'pfn' } }), goal: 'max', horizon: 50, range: [0, 1] });
 * const run = study.run('lr=3e-4');
 * for (let epoch = 1; epoch <= 50; epoch++) {
 *   run.report(epoch, validate());
 *   if (shouldStop(run)) break;
 * }
 * run.finish();
 */

/** What a study's runs share: the rule, the goal, the horizon, and optionally a bar from earlier runs. */
export interface StudyOptions {
  rule: StopRule;
  goal: Goal;
  /** The step every run is planned to end at. */
  horizon: number;
  /** Values the metric can take (accuracy: [0, 1]). @default [-Infinity, Infinity] */
  range?: readonly [number, number];
  /**
   * Best final value of runs finished before this study (e.g. earlier searches); the runs that
   * finish in the study improve on it. @default none
   */
  bestFinal?: number;
}

/** One run of a study. */
export interface LiveRun {
  readonly id: string;
  /** Steps reported so far. */
  readonly steps: readonly number[];
  readonly values: readonly number[];
  /** True once `finish` was called or a report reached the horizon. */
  readonly finished: boolean;
  /** True once `shouldStop` said stop (the run is then neither finished nor a bar). */
  readonly stopped: boolean;
  /** The latest decision of `shouldStop`, if asked. */
  readonly decision: Decision | undefined;
  /** Records the metric at a step (steps must increase). */
  report(step: number, value: number): void;
  /** Marks the run as run to its end: its last value counts for `bestFinal`. */
  finish(): void;
}

/** A search's runs under one stopping rule (made by `stoppingStudy`). */
export interface Study {
  readonly options: Readonly<StudyOptions>;
  readonly runs: readonly LiveRun[];
  /** Best last value among finished runs (and `options.bestFinal`). */
  bestFinal(): number | undefined;
  /** A new run; `id` names it in decisions. */
  run(id?: string): LiveRun;
}

interface RunState {
  id: string;
  steps: number[];
  values: number[];
  finished: boolean;
  stopped: boolean;
  decision: Decision | undefined;
  study: StudyImpl;
}

interface StudyImpl extends Study {
  states: RunState[];
}

const handles = new WeakMap<LiveRun, RunState>();

/** A study: the rule, goal and horizon shared by its runs. */
export function stoppingStudy(options: StudyOptions): Study {
  const { rule, goal, horizon } = options;
  if (!rule || typeof rule.decide !== 'function') throw new InputError('rule: give a stopping rule (e.g. stopRule("predictive"))', 'rule');
  if (goal !== 'min' && goal !== 'max') throw new InputError(`goal: must be "min" or "max", got ${show(goal)}`, 'goal');
  if (!(Number.isFinite(horizon) && horizon > 0)) throw new InputError(`horizon: must be a positive number, got ${show(horizon)}`, 'horizon');
  const states: RunState[] = [];
  const runs: LiveRun[] = [];
  const study: StudyImpl = {
    options: { ...options },
    runs,
    states,
    bestFinal() {
      let best = options.bestFinal;
      for (const s of states) {
        if (!s.finished || s.values.length === 0) continue;
        const last = s.values[s.values.length - 1]!;
        if (best === undefined || better(goal, last, best)) best = last;
      }
      return best;
    },
    run(id = `run ${states.length + 1}`) {
      const state: RunState = { id, steps: [], values: [], finished: false, stopped: false, decision: undefined, study };
      const handle: LiveRun = {
        id,
        get steps() {
          return state.steps;
        },
        get values() {
          return state.values;
        },
        get finished() {
          return state.finished;
        },
        get stopped() {
          return state.stopped;
        },
        get decision() {
          return state.decision;
        },
        report(step, value) {
          if (state.finished || state.stopped) throw new InputError(`${id}: report: the run has ${state.finished ? 'finished' : 'been stopped'}`, 'step');
          if (!(Number.isFinite(step) && step > 0)) throw new InputError(`${id}: report: step must be a positive number, got ${show(step)}`, 'step');
          const last = state.steps[state.steps.length - 1];
          if (last !== undefined && step <= last) throw new InputError(`${id}: report: steps must increase, got ${show(step)} after ${show(last)}`, 'step');
          if (!Number.isFinite(value)) throw new InputError(`${id}: report: value at step ${show(step)} is not a finite number: ${show(value)}`, 'value');
          state.steps.push(step);
          state.values.push(value);
          if (step >= horizon) state.finished = true;
        },
        finish() {
          if (state.stopped) throw new InputError(`${id}: finish: the run was stopped early; it does not count as finished`, 'finish');
          state.finished = true;
        },
      };
      states.push(state);
      runs.push(handle);
      handles.set(handle, state);
      return handle;
    },
  };
  return study;
}

/**
 * Asks the study's rule whether `run` should stop now, given its reports so far and the other runs
 * of its study. A finished run, or one with no report yet, is never stopped. Once it says stop,
 * the run is marked stopped (later reports are refused) and `run.decision` holds the reason.
 */
export function shouldStop(run: LiveRun): boolean {
  const state = handles.get(run);
  if (!state) throw new InputError('shouldStop: not a run of a study (make it with stoppingStudy(...).run())', 'run');
  if (state.stopped) return true;
  if (state.finished || state.values.length === 0) {
    state.decision = { stop: false, reason: state.finished ? 'finished' : 'no report yet' };
    return false;
  }
  const { study } = state;
  const { rule, goal, horizon, range } = study.options;
  const peers: PeerRun[] = study.states.filter((s) => s !== state).map((s) => ({ id: s.id, values: Float64Array.from(s.values), finished: s.finished }));
  const decision = rule.decide({
    id: state.id,
    steps: Float64Array.from(state.steps),
    values: Float64Array.from(state.values),
    goal,
    horizon,
    range,
    bestFinal: study.bestFinal(),
    peers,
  });
  state.decision = decision;
  if (decision.stop) state.stopped = true;
  return decision.stop;
}
