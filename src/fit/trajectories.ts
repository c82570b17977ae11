import { InputError, show } from '../core/errors.js';
import { observations, type ObservationTable } from '../core/observations.js';
import type { Run, TrajectoryPoint } from '../core/run.js';

export interface TrajectoryOptions {
  /**
   * Drop checkpoints before this fraction of each run's planned tokens (or final step): early
   * checkpoints follow a different curve (warm-up, fast initial drop). Choshen et al. 2024 recommend
   * leaving out roughly the first 10% of training. @default 0.1
   */
  from?: number;
  /** Which logged loss to use. @default 'evalLoss' */
  metric?: string;
  /**
   * Pool seeds: runs identical but for their seed are merged, averaging the loss at each logged step
   * (Choshen et al. 2024: pooling seeds cuts noise more cheaply than more models). @default false
   */
  poolSeeds?: boolean;
  /**
   * Row weights (in `extra.weight`): 'run' makes each run (or pooled group) count once whatever its
   * number of checkpoints; 'none' weighs every checkpoint alike. @default 'run'
   */
  weight?: 'run' | 'none';
  /** Include runs whose status is 'diverged' or 'failed'. @default false */
  includeFailed?: boolean;
}

/**
 * Turns runs' intermediate checkpoints into scaling-law observations (N, D seen so far, loss), as
 * Choshen et al. 2024 ("A Hitchhiker's Guide to Scaling Law Estimation") recommend: a whole
 * trajectory carries far more information than its last point. Each row records its run in
 * `extra.run` (use it as bootstrap `groups`) and its weight in `extra.weight` (pass as fit `weights`).
 *
 * Tokens seen at a checkpoint: its `tokens`, else step x batchSize x seqLen (or x batchSize).
 *
 * @example
 * const table = observationsFromRuns(runs, { from: 0.1 });
 * const fit = await fitLaw('chinchilla', table, { weights: table.extra.weight as number[] });
 */
export function observationsFromRuns(runs: readonly Run[], options: TrajectoryOptions = {}): ObservationTable {
  const { from = 0.1, metric = 'evalLoss', poolSeeds = false, weight = 'run', includeFailed = false } = options;
  if (!(from >= 0 && from < 1)) throw new InputError(`from: must be in [0, 1), got ${show(from)}`, 'from');
  if (weight !== 'run' && weight !== 'none') throw new InputError(`weight: must be "run" or "none", got ${show(weight)}`, 'weight');
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const status = run.summary?.status;
    if (!includeFailed && (status === 'diverged' || status === 'failed')) continue;
    if (run.config.N === undefined) throw new InputError(`run ${show(run.config.id)}: config.N is missing; checkpoints need a parameter count`, 'N');
    const key = poolSeeds ? seedlessKey(run) : run.config.id;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const N: number[] = [],
    D: number[] = [],
    loss: number[] = [],
    runIds: string[] = [],
    steps: number[] = [],
    weights: number[] = [],
    seeds: number[] = [];
  for (const members of groups.values()) {
    const label = members.map((run) => run.config.id).join('+');
    // step -> (tokens, losses)
    const byStep = new Map<number, { tokens: number; losses: number[] }>();
    for (const run of members) {
      const planned = run.config.D;
      const points = run.trajectory.filter((p) => typeof p[metric] === 'number' && Number.isFinite(p[metric]));
      const tokensOf = (p: TrajectoryPoint) => tokensSeen(run, p);
      const final = planned ?? Math.max(0, ...points.map(tokensOf));
      for (const p of points) {
        const tokens = tokensOf(p);
        if (!(tokens > 0) || tokens < from * final) continue;
        const entry = byStep.get(p.step) ?? { tokens, losses: [] };
        entry.losses.push(p[metric]!);
        byStep.set(p.step, entry);
      }
    }
    const rows = [...byStep.entries()].sort((a, b) => a[0] - b[0]);
    for (const [step, { tokens, losses }] of rows) {
      N.push(members[0]!.config.N!);
      D.push(tokens);
      loss.push(losses.reduce((s, v) => s + v, 0) / losses.length);
      runIds.push(label);
      steps.push(step);
      seeds.push(losses.length);
      weights.push(weight === 'run' ? 1 / rows.length : 1);
    }
  }
  if (loss.length === 0) throw new InputError(`runs: no checkpoint with a finite ${metric} after ${from * 100}% of training`, metric);
  return observations({ N, D, loss, extra: { run: runIds, step: steps, weight: weights, pooled: seeds } }, { source: `${groups.size} runs (checkpoints from ${from * 100}% of training)` });
}

function tokensSeen(run: Run, p: TrajectoryPoint): number {
  if (p.tokens !== undefined) return p.tokens;
  const { batchSize, seqLen } = run.config;
  if (batchSize === undefined) {
    throw new InputError(`run ${show(run.config.id)}, step ${p.step}: no tokens logged and no config.batchSize to count them`, 'tokens');
  }
  return p.step * batchSize * (seqLen ?? 1);
}

/** Everything that defines a run except its id and seed. */
function seedlessKey(run: Run): string {
  const { id: _id, seed: _seed, tags, ...rest } = run.config;
  const { seed: _tagSeed, ...otherTags } = tags ?? {};
  return stableStringify({ ...rest, tags: otherTags });
}

/** JSON with object keys sorted at every level, so equal configs give equal keys. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
