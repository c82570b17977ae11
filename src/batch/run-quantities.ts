import { InputError, show } from '../core/errors.js';
import type { Run } from '../core/run.js';

/**
 * The final loss of a run: the summary's final value for the metric, else the last logged one.
 * A diverged run, or one with no finite final loss, gives Infinity (its learning rate was too high,
 * which is information a sweep needs, not a row to drop).
 */
export function finalLoss(run: Run, metric: 'evalLoss' | 'trainLoss'): number {
  if (run.summary?.status === 'diverged') return Infinity;
  const fromSummary = metric === 'evalLoss' ? run.summary?.finalEvalLoss : run.summary?.finalTrainLoss;
  if (fromSummary !== undefined && Number.isFinite(fromSummary)) return fromSummary;
  for (let i = run.trajectory.length - 1; i >= 0; i--) {
    const v = run.trajectory[i]![metric];
    if (v !== undefined) return Number.isFinite(v) ? v : Infinity;
  }
  throw new InputError(`run ${show(run.config.id)}: no ${metric} in its summary or trajectory`, metric);
}

/** The first logged loss of a run (its loss near initialisation), or undefined. */
export function initialLoss(run: Run, metric: 'evalLoss' | 'trainLoss'): number | undefined {
  for (const p of run.trajectory) {
    const v = p[metric];
    if (v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
}

/**
 * The peak learning rate of a run: `schedule.peak`, else the largest `custom` value, else
 * `tags.lr`, else the largest logged `lr`.
 */
export function peakLr(run: Run): number {
  const s = run.config.schedule;
  let lr: number | undefined;
  if (s && 'peak' in s) lr = s.peak;
  else if (s?.type === 'custom' && s.values.length > 0) lr = Math.max(...s.values);
  else if (typeof run.config.tags?.lr === 'number') lr = run.config.tags.lr;
  else {
    const logged = run.trajectory.map((p) => p.lr).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (logged.length > 0) lr = Math.max(...logged);
  }
  if (lr === undefined || !(lr > 0)) {
    throw new InputError(`run ${show(run.config.id)}: no positive learning rate in config.schedule, tags.lr or the trajectory, got ${show(lr)}`, 'lr');
  }
  return lr;
}

/**
 * Training compute of a run: summary.flops, else the last logged flops, else 6 N D (Kaplan et al.
 * 2020) with D from config.D, summary.tokens or the last logged tokens.
 */
export function runCompute(run: Run): number {
  if (run.summary?.flops !== undefined && run.summary.flops > 0) return run.summary.flops;
  const last = run.trajectory[run.trajectory.length - 1];
  if (last?.flops !== undefined && last.flops > 0) return last.flops;
  const N = run.config.N;
  const D = run.config.D ?? run.summary?.tokens ?? last?.tokens;
  if (N !== undefined && N > 0 && D !== undefined && D > 0) return 6 * N * D;
  throw new InputError(`run ${show(run.config.id)}: no compute: needs summary.flops, trajectory flops, or config.N with config.D or tokens`, 'flops');
}
