import type { ScheduleSpec } from './schedule-spec.js';

/**
 * What a training run was asked to do. Everything a law needs to know about a run lives here;
 * anything else a user wants to keep goes in `tags` or `extra`.
 */
export interface RunConfig {
  /** Unique within a store; sweeps derive it from the config so reruns find finished runs. */
  id: string;
  /** Model family, e.g. 'transformer', 'mlp', or a user's own name for imported runs. */
  family: string;
  /** Parameter count used by scaling laws (non-embedding, Kaplan-style, where the family says so). */
  N?: number;
  /** Planned training tokens (or samples). */
  D?: number;
  /** Batch size in sequences (or samples). */
  batchSize?: number;
  /** Tokens per sequence where the data are sequences. */
  seqLen?: number;
  /** Learning-rate schedule, as a serialisable spec. */
  schedule?: ScheduleSpec;
  seed?: number;
  tags?: Record<string, string | number | boolean>;
  /** Family-specific settings (width, depth, heads, ...), kept verbatim. */
  extra?: Record<string, unknown>;
}

/** One logged step of a run's trajectory. Missing measurements are simply absent. */
export interface TrajectoryPoint {
  step: number;
  tokens?: number;
  flops?: number;
  lr?: number;
  trainLoss?: number;
  evalLoss?: number;
  gradNorm?: number;
  /** |G_small|^2 and |G_big|^2 with their batch sizes, for the gradient noise scale. */
  gradSqSmall?: number;
  gradSqBig?: number;
  bSmall?: number;
  bBig?: number;
  /** Any other logged scalar (attention-logit max, output-logit scale, accuracy, ...). */
  [metric: string]: number | undefined;
}

export type RunStatus = 'running' | 'finished' | 'diverged' | 'failed';

/** Written once when a run ends. */
export interface RunSummary {
  status: RunStatus;
  steps: number;
  tokens?: number;
  flops?: number;
  finalTrainLoss?: number;
  finalEvalLoss?: number;
  wallSeconds?: number;
  backend?: string;
  /** Why a run diverged or failed. */
  reason?: string;
  [key: string]: unknown;
}

/** One training run: its configuration, its logged trajectory and, once finished, its summary. */
export interface Run {
  config: RunConfig;
  trajectory: TrajectoryPoint[];
  summary?: RunSummary;
}
