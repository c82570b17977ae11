import { InputError, show } from '../core/errors.js';
import type { RunConfig } from '../core/run.js';
import { warn } from '../core/warn.js';
import { resolveTrainConfig, type ResolvedRun, type TrainConfig } from './train-config.js';

/** The axes a sweep may vary, and where each lands in a run's config. */
export const sweepAxes = ['width', 'depth', 'heads', 'context', 'tokens', 'steps', 'batchSize', 'lr', 'schedule', 'seed'] as const;
export type SweepAxis = (typeof sweepAxes)[number];

/**
 * A sweep, as JSON: a base run config, and axes as a grid (every combination) and/or a list
 * (given combinations). With both, every list entry is combined with every grid point.
 *
 * @example { "base": { "model": { "family": "transformer", "depth": 2, "context": 16 },
 *   "data": { "type": "markov" }, "batchSize": 32 },
 *   "grid": { "width": [16, 32], "tokens": [1e5, 2e5] } }
 */
export interface SweepSpec {
  name?: string;
  /** Settings shared by every run (any TrainConfig field; with `trainer`, any fields the command uses). */
  base: Partial<TrainConfig>;
  /** With `trainer`, axes may have any name (letters, digits, `_`), and the fields are the command's. */
  grid?: Partial<Record<SweepAxis, unknown[]>>;
  list?: Partial<Record<SweepAxis, unknown>>[];
  /** Train each run with an external command instead of the built-in trainer (see docs/trainer-protocol.md). */
  trainer?: ExternalTrainerSpec;
  /** Finished runs to read into the store before training (TensorBoard event files or CSV downloads, W&B exports). */
  import?: ImportSpec[];
}

/**
 * An external trainer: a command template run once per run. Every `{field}` in the command, the
 * progress file name and the environment values is replaced by that field of the run's expanded
 * config (`{depth}`, `{lr}`, `{schedule.type}` for nested fields), or by `{runDir}`, `{runId}`,
 * `{seed}` and `{progressFile}`. The command reports JSON lines (docs/trainer-protocol.md).
 *
 * @example { "command": ["python", "examples/nanogpt-trainer.py", "--n_layer={depth}", "--lr={lr}", "--out_dir={runDir}", "--seed={seed}"] }
 */
export interface ExternalTrainerSpec {
  command: string[];
  /** Where the progress lines go: 'stdout', or a file name (relative to the run directory). @default 'stdout' */
  progress?: string;
  /** `config.family` of the runs in the store. @default 'external' */
  family?: string;
  /** Extra environment variables (templated). */
  env?: Record<string, string>;
  /** Working directory of the command. @default the directory of the spec file (the current one from the library) */
  cwd?: string;
  /** A trainer that crashes (non-zero exit, a signal, no summary) is started again this many times within one sweep call. @default 1 */
  retries?: number;
}

/** Runs to import: `{ "tensorboard": "logs/" }` (a directory of event files or CSV downloads, or a list of files) or `{ "wandb": "export.csv" }`. */
export type ImportSpec = ({ tensorboard: string | string[] } | { wandb: string }) & {
  /** `config.family` of the imported runs. @default 'imported' */
  family?: string;
  /** What the logs do not say, by run name or id: N, D, batchSize, seqLen, tags. */
  configs?: Record<string, Partial<RunConfig>>;
};

/**
 * The shard of this process from the scheduler's environment: a Slurm job array's
 * SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP) of
 * SLURM_ARRAY_TASK_COUNT, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX of SCALELAW_SHARD_COUNT
 * (the Job's completions, which `--emit k8s` sets); undefined outside both.
 */
export function shardFromEnv(env: Record<string, string | undefined> = process.env): { index: number; count: number; from: string } | undefined {
  const int = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    if (!/^\d+$/.test(text)) throw new InputError(`${name}: expected a non-negative integer, got ${show(text)}`, name);
    return Number(text);
  };
  const task = int('SLURM_ARRAY_TASK_ID');
  if (task !== undefined) {
    const count = int('SLURM_ARRAY_TASK_COUNT');
    if (count === undefined || count < 1)
      throw new InputError(`SLURM_ARRAY_TASK_COUNT: expected a positive integer beside SLURM_ARRAY_TASK_ID=${task}, got ${show(env.SLURM_ARRAY_TASK_COUNT)}`, 'SLURM_ARRAY_TASK_COUNT');
    const min = int('SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = int('SLURM_ARRAY_TASK_STEP') ?? 1;
    const index = (task - min) / Math.max(1, step);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new InputError(`SLURM_ARRAY_TASK_ID: ${task} is not one of the ${count} tasks from ${min} in steps of ${step}; pass --shard i/n`, 'SLURM_ARRAY_TASK_ID');
    }
    return { index, count, from: `SLURM_ARRAY_TASK_ID=${task} of SLURM_ARRAY_TASK_COUNT=${count}` };
  }
  const k8s = int('JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    const count = int('SCALELAW_SHARD_COUNT');
    if (count === undefined)
      throw new InputError(
        `SCALELAW_SHARD_COUNT: JOB_COMPLETION_INDEX=${k8s} is set but not the shard count; set SCALELAW_SHARD_COUNT to the Job's completions, or pass --shard i/n`,
        'SCALELAW_SHARD_COUNT',
      );
    if (k8s >= count) throw new InputError(`JOB_COMPLETION_INDEX: ${k8s} is not below SCALELAW_SHARD_COUNT=${count}`, 'JOB_COMPLETION_INDEX');
    return { index: k8s, count, from: `JOB_COMPLETION_INDEX=${k8s} of SCALELAW_SHARD_COUNT=${count}` };
  }
  return undefined;
}

function checkAxes(entry: Record<string, unknown>, where: string): void {
  for (const key of Object.keys(entry)) {
    if (!sweepAxes.includes(key as SweepAxis)) throw new InputError(`${where}: unknown axis ${show(key)}; expected one of ${sweepAxes.join(', ')}`, where);
  }
}

function apply(base: Partial<TrainConfig>, point: Record<string, unknown>): TrainConfig {
  const config = structuredClone(base) as TrainConfig & Record<string, unknown>;
  const model = { ...(config.model ?? {}) } as Record<string, unknown>;
  for (const [axis, value] of Object.entries(point)) {
    switch (axis as SweepAxis) {
      case 'width':
      case 'depth':
      case 'heads':
      case 'context':
        model[axis] = value;
        break;
      case 'tokens':
        config.tokens = value as number;
        delete config.steps;
        break;
      case 'steps':
        config.steps = value as number;
        delete config.tokens;
        break;
      case 'schedule':
        config.schedule = { ...(config.schedule ?? {}), ...(value as object) } as TrainConfig['schedule'];
        break;
      default:
        config[axis] = value;
    }
  }
  config.model = model as unknown as TrainConfig['model'];
  return config;
}

/**
 * Every run of a sweep, validated (an InputError names the first bad run before anything trains),
 * in spec order, duplicates removed. Run ids come from the configs, so a rerun finds its runs.
 */
export function expandSweep(spec: SweepSpec): ResolvedRun[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new InputError(`sweep: expected an object with "base" and "grid" or "list", got ${show(spec)}`, 'sweep');
  if (spec.base === null || typeof spec.base !== 'object') throw new InputError(`sweep.base: expected an object, got ${show(spec.base)}`, 'base');
  if (spec.grid === undefined && spec.list === undefined) throw new InputError('sweep: give "grid" or "list" (or both)', 'grid');
  let points: Record<string, unknown>[] = [{}];
  if (spec.list !== undefined) {
    if (!Array.isArray(spec.list) || spec.list.length === 0) throw new InputError(`sweep.list: expected a non-empty array, got ${show(spec.list)}`, 'list');
    spec.list.forEach((entry, i) => {
      if (entry === null || typeof entry !== 'object') throw new InputError(`sweep.list[${i}]: expected an object, got ${show(entry)}`, 'list');
      checkAxes(entry, `sweep.list[${i}]`);
    });
    points = spec.list.map((e) => ({ ...e }));
  }
  if (spec.grid !== undefined) {
    if (spec.grid === null || typeof spec.grid !== 'object') throw new InputError(`sweep.grid: expected an object of axes, got ${show(spec.grid)}`, 'grid');
    checkAxes(spec.grid, 'sweep.grid');
    for (const [axis, values] of Object.entries(spec.grid)) {
      if (!Array.isArray(values) || values.length === 0) throw new InputError(`sweep.grid.${axis}: empty axis; expected a non-empty array, got ${show(values)}`, `grid.${axis}`);
      points = points.flatMap((p) => values.map((v) => ({ ...p, [axis]: v })));
    }
  }
  const seen = new Set<string>();
  const runs: ResolvedRun[] = [];
  points.forEach((point, i) => {
    let run: ResolvedRun;
    try {
      run = resolveTrainConfig(apply(spec.base, point));
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`sweep run ${i} ${show(point)}: ${error.message}`, error.field);
      throw error;
    }
    if (seen.has(run.run.id)) {
      warn(`sweep: run ${show(point)} repeats an earlier run (${run.run.id}); it is trained once`);
      return;
    }
    seen.add(run.run.id);
    runs.push(run);
  });
  return runs;
}

/** Parses `--shard i/n` (0 <= i < n, as Slurm array and Kubernetes indexed-Job indices count). */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(String(text).trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) throw new InputError(`--shard: expected i/n with 0 <= i < n, got ${show(text)}`, 'shard');
  return { index, count };
}

/**
 * A small ready-to-run sweep: six transformer widths x two token budgets on a Markov language of
 * order 1 over 64 tokens (entropy rate 0.9949 nats), whose transition table needs width to
 * represent, so loss falls smoothly with size (bench/proxy-chinchilla.ts --order 1 is the full
 * version). About a minute on two cores.
 */
export const exampleSweep: SweepSpec = {
  name: 'markov-widths',
  base: {
    model: { family: 'transformer', width: 16, depth: 1, heads: 2, context: 2 },
    data: { type: 'markov', vocab: 64, order: 1, branching: 3, seed: 0 },
    batchSize: 128,
    schedule: { type: 'cosine', peak: 2e-2, final: 2e-4, warmup: 10 },
    evalTokens: 16384,
    logEvery: 5,
    seed: 0,
  },
  list: [{ width: 4, heads: 1 }, { width: 6, heads: 1 }, { width: 8 }, { width: 12 }, { width: 16 }, { width: 24 }],
  grid: { tokens: [25600, 51200] },
};
