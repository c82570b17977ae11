import { InputError, show } from '../core/errors.js';
import type { Run } from '../core/run.js';

export interface StepsToTargetOptions {
  /** Which logged loss to compare with the targets. @default 'evalLoss' */
  metric?: 'evalLoss' | 'trainLoss';
  /**
   * What to do with runs that never reach a target: 'error' throws an InputError listing each such
   * run with the best loss it reached; 'exclude' leaves them out of `reached` and lists them in
   * `unreached`. They are never dropped silently.
   * @default 'error'
   */
  unreached?: 'error' | 'exclude';
}

/** Steps (and tokens, where logged) one run needed to reach one target loss. */
export interface ReachedTarget {
  runId: string;
  batchSize: number;
  target: number;
  /** Interpolated linearly between the last logged point above the target and the first at or below it. */
  steps: number;
  /** Interpolated the same way, when the trajectory logs tokens. */
  tokens?: number;
}

export interface UnreachedTarget {
  runId: string;
  batchSize: number;
  target: number;
  /** Lowest loss the run logged. */
  bestLoss: number;
}

export interface StepsToTarget {
  reached: ReachedTarget[];
  unreached: UnreachedTarget[];
}

/**
 * For each run and each target loss, the steps needed to first reach the target, interpolated on
 * the run's trajectory. Runs need `config.batchSize` and a trajectory with `step` and the metric.
 */
export function stepsToTarget(runs: readonly Run[], targets: readonly number[], options: StepsToTargetOptions = {}): StepsToTarget {
  const { metric = 'evalLoss', unreached: onUnreached = 'error' } = options;
  if (targets.length === 0) throw new InputError('targets: no target losses given', 'targets');
  for (const t of targets) {
    if (!Number.isFinite(t) || t <= 0) throw new InputError(`targets: target loss must be a positive number, got ${show(t)}`, 'targets');
  }
  if (runs.length === 0) throw new InputError('runs: no runs given', 'runs');
  const reached: ReachedTarget[] = [];
  const unreached: UnreachedTarget[] = [];
  for (const run of runs) {
    const id = run.config.id;
    const batchSize = run.config.batchSize;
    if (batchSize === undefined || !Number.isFinite(batchSize) || batchSize <= 0) {
      throw new InputError(`run ${show(id)}: config.batchSize must be a positive number, got ${show(batchSize)}`, 'batchSize');
    }
    const points = run.trajectory.filter((p) => p[metric] !== undefined && Number.isFinite(p[metric]!));
    if (points.length === 0) throw new InputError(`run ${show(id)}: trajectory has no ${metric} values`, metric);
    for (let i = 1; i < points.length; i++) {
      if (!(points[i]!.step > points[i - 1]!.step)) {
        throw new InputError(`run ${show(id)}: trajectory steps must increase, got ${show(points[i - 1]!.step)} then ${show(points[i]!.step)}`, 'step');
      }
    }
    const bestLoss = Math.min(...points.map((p) => p[metric]!));
    for (const target of targets) {
      const j = points.findIndex((p) => p[metric]! <= target);
      if (j < 0) {
        unreached.push({ runId: id, batchSize, target, bestLoss });
        continue;
      }
      const here = points[j]!;
      if (j === 0) {
        reached.push({ runId: id, batchSize, target, steps: here.step, ...(here.tokens !== undefined ? { tokens: here.tokens } : {}) });
        continue;
      }
      const before = points[j - 1]!;
      const l0 = before[metric]!,
        l1 = here[metric]!;
      const w = l0 === l1 ? 1 : (l0 - target) / (l0 - l1);
      const steps = before.step + w * (here.step - before.step);
      const tokens = before.tokens !== undefined && here.tokens !== undefined ? before.tokens + w * (here.tokens - before.tokens) : undefined;
      reached.push({ runId: id, batchSize, target, steps, ...(tokens !== undefined ? { tokens } : {}) });
    }
  }
  if (unreached.length > 0 && onUnreached === 'error') {
    const byTarget = new Map<number, UnreachedTarget[]>(targets.map((t) => [t, unreached.filter((u) => u.target === t)]));
    const parts = [...byTarget]
      .filter(([, list]) => list.length > 0)
      .map(([target, list]) => `target ${show(target)} not reached by ${list.map((u) => `run ${show(u.runId)} (batch ${show(u.batchSize)}, best ${metric} ${show(u.bestLoss)})`).join(', ')}`);
    throw new InputError(`${parts.join('; ')}; choose a higher target or pass unreached: 'exclude'`, 'targets');
  }
  return { reached, unreached };
}
