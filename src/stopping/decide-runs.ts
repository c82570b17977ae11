import { formatNumber, formatTable } from '../core/format.js';
import type { Goal } from '../extrapolation/curve.js';
import { better, type StopRule } from './rule.js';

/** A run's curve so far, as `decideRuns` takes it. */
export interface RunCurve {
  /** Names the run in decisions (the CLI passes the file's path). */
  id: string;
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Values the metric can take (accuracy: [0, 1]). @default [-Infinity, Infinity] */
  range?: readonly [number, number];
}

export interface DecideRunsOptions {
  goal: Goal;
  /** The step every run is planned to end at. @default the longest curve's last step */
  horizon?: number;
}

/** The result of `decideRuns`: the bar the runs are held to and one decision per run, in order. */
export interface RunDecisions {
  rule: string;
  horizon: number;
  /** Best last value of the runs that reached the horizon; undefined while none has. */
  bestFinal: number | undefined;
  decisions: { id: string; stop: boolean; reason: string }[];
}

/**
 * Which runs of a study to stop now: each unfinished run is decided by `rule`, given the others as
 * peers; runs that reached the horizon are finished, and the best of their last values is the bar
 * (`bestFinal`) that predictive termination compares with.
 *
 * @example decideRuns(curves, stopRule('predictive'), { goal: 'min' }).decisions
 */
export function decideRuns(runs: readonly RunCurve[], rule: StopRule, options: DecideRunsOptions): RunDecisions {
  const { goal } = options;
  const lastStep = (r: RunCurve) => r.steps[r.steps.length - 1]!;
  const horizon = options.horizon ?? Math.max(...runs.map(lastStep));
  let bestFinal: number | undefined;
  for (const r of runs) {
    const last = r.values[r.values.length - 1]!;
    if (lastStep(r) >= horizon && (bestFinal === undefined || better(goal, last, bestFinal))) bestFinal = last;
  }
  const decisions = runs.map((r, i) => {
    if (lastStep(r) >= horizon) return { id: r.id, stop: false, reason: 'finished' };
    const peers = runs.filter((_, j) => j !== i).map((g) => ({ values: Float64Array.from(g.values), finished: lastStep(g) >= horizon }));
    const d = rule.decide({ id: r.id, steps: Float64Array.from(r.steps), values: Float64Array.from(r.values), goal, horizon, bestFinal, peers, range: r.range });
    return { id: r.id, stop: d.stop, reason: d.reason };
  });
  return { rule: rule.name, horizon, bestFinal, decisions };
}

/** The decisions as text: the rule, horizon and bar, then a table of run, decision (STOP or continue) and why. */
export function runDecisionsReport(r: RunDecisions): string {
  return [
    `rule ${r.rule}, horizon ${r.horizon}, best finished ${r.bestFinal === undefined ? '(none yet)' : formatNumber(r.bestFinal, 6)}`,
    formatTable(
      r.decisions.map((d) => [d.id, d.stop ? 'STOP' : 'continue', d.reason]),
      ['run', 'decision', 'why'],
    ),
  ].join('\n');
}
