import { createHash } from 'node:crypto';
import { InputError, show } from '../core/errors.js';
import type { RunConfig } from '../core/run.js';
import { lrSchedule, validateSchedule } from '../schedules/schedule.js';
import type { ScheduleSpec } from '../core/schedule-spec.js';
import type { AdamWOptions } from './adamw.js';
import { backendNames } from './backend-names.js';
import { createDataset, type DataSpec, type Dataset } from './dataset.js';
import { parameterCount, resolveModel, trainingFlopsPerToken, trainingFlopsPerTokenNonEmbedding, type ModelConfig } from './model-config.js';

/** A proxy training run, as plain JSON (`scalelaw train --config run.json`). */
export interface TrainConfig {
  /** Run id in the store. @default derived from the config (same config, same id) */
  id?: string;
  model: ModelConfig;
  data: DataSpec;
  /** Training tokens (token data: batchSize x context per step) or samples (regression). Give this or `steps`. */
  tokens?: number;
  /** Optimizer steps. Give this or `tokens`. */
  steps?: number;
  /** Sequences (or samples) per step. */
  batchSize: number;
  /** Learning-rate schedule; its `steps` defaults to the run's and may not be shorter. @default constant 1e-3 */
  schedule?: ScheduleSpec | (Omit<ScheduleSpec, 'steps'> & { steps?: number });
  /** Peak learning rate; overrides `schedule.peak`. */
  lr?: number;
  optimizer?: AdamWOptions;
  /** z-loss coefficient. @default 0 */
  zLoss?: number;
  /** Evaluate every k steps (and at the last). @default steps / 10, at least 1 */
  evalEvery?: number;
  /** Size of the fixed evaluation set, in tokens (or samples). @default 16384 */
  evalTokens?: number;
  /** Log every k-th step (evaluation steps and the last are always logged). @default 1 */
  logEvery?: number;
  /**
   * Micro-batches per step for the gradient noise scale: |G|^2 of each micro-batch (size B / k)
   * and of their mean (size B) are logged as gradSqSmall / gradSqBig (McCandlish et al. 2018, App. A.1).
   * 1 turns it off. @default 2
   */
  microBatches?: number;
  /** A loss above this multiple of the first step's loss (or non-finite) ends the run as diverged. @default 3 */
  divergeFactor?: number;
  /** Seeds the weights and the order of training data. @default 0 */
  seed?: number;
  /** @default 'auto' */
  backend?: string;
  tags?: Record<string, string | number | boolean>;
}

/** A validated run, with everything derived from the config. */
export interface ResolvedRun {
  config: TrainConfig;
  run: RunConfig;
  model: ReturnType<typeof resolveModel>;
  data: Dataset;
  steps: number;
  /** Tokens (or samples) per step. */
  perStep: number;
  seqLen: number;
  lr: Float64Array;
  flopsPerToken: number;
  microBatches: number;
  evalEvery: number;
  evalRows: number;
  logEvery: number;
  divergeFactor: number;
}

const fail = (field: string, what: string, value: unknown): never => {
  throw new InputError(`${field}: ${what}, got ${show(value)}`, field);
};
const posInt = (v: unknown, field: string): number => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : fail(field, 'expected a positive integer', v));

/** Every key of a TrainConfig: any other key is a typo (`batchsize`) that would be silently ignored. */
const TRAIN_CONFIG_KEYS: readonly (keyof TrainConfig)[] = [
  'id',
  'model',
  'data',
  'tokens',
  'steps',
  'batchSize',
  'schedule',
  'lr',
  'optimizer',
  'zLoss',
  'evalEvery',
  'evalTokens',
  'logEvery',
  'microBatches',
  'divergeFactor',
  'seed',
  'backend',
  'tags',
];
/** The longest proxy run, in optimizer steps (its rate array alone is 8 bytes a step). */
const MAX_STEPS = 1e8;

/** Validates a run config (throwing InputError before any training) and derives its id and sizes. */
export function resolveTrainConfig(config: TrainConfig): ResolvedRun {
  if (config === null || typeof config !== 'object') fail('config', 'expected an object', config);
  for (const key of Object.keys(config)) {
    if (!TRAIN_CONFIG_KEYS.includes(key as keyof TrainConfig)) fail(key, `unknown key; known keys: ${TRAIN_CONFIG_KEYS.join(', ')}`, config[key as keyof TrainConfig]);
  }
  const model = resolveModel(config.model);
  if (config.data === undefined) fail('data', 'expected a data spec such as {"type": "markov"}', config.data);
  const data = createDataset(config.data);
  if (model.family === 'transformer' && data.kind !== 'tokens') fail('data.type', 'a transformer needs token data (markov, text or tokens)', config.data.type);
  if (model.family === 'mlp' && data.kind !== 'regression') fail('data.type', 'an mlp needs regression data (teacher)', config.data.type);
  const batchSize = posInt(config.batchSize, 'batchSize');
  const seqLen = model.family === 'transformer' ? model.context : 1;
  if (data.kind === 'tokens') {
    if (data.corpus) {
      for (const [part, size] of [
        ['training', data.corpus.train],
        ['evaluation', data.corpus.eval],
      ] as const) {
        if (seqLen + 1 > size) throw new InputError(`model.context: ${seqLen} is longer than the data: ${show(data.corpus.path)} has ${size} ${part} tokens`, 'model.context');
      }
    }
    if (seqLen <= data.lossStart) fail('model.context', `must exceed the source's order ${data.lossStart}`, seqLen);
  }
  const perStep = batchSize * seqLen;
  if (config.steps !== undefined && config.tokens !== undefined) fail('tokens', 'give tokens or steps, not both', config.tokens);
  let steps: number;
  if (config.steps !== undefined) steps = posInt(config.steps, 'steps');
  else if (config.tokens !== undefined) {
    if (!(typeof config.tokens === 'number' && config.tokens > 0 && Number.isFinite(config.tokens))) fail('tokens', 'expected a positive number', config.tokens);
    steps = Math.max(1, Math.round(config.tokens / perStep));
  } else throw new InputError('tokens: give the training tokens (or steps)', 'tokens');
  // The per-step rate array is allocated up front: 1e30 tokens would be a RangeError, not a run.
  if (steps > MAX_STEPS) fail(config.steps !== undefined ? 'steps' : 'tokens', `is ${show(steps)} optimizer steps, more than a proxy run takes (at most ${MAX_STEPS})`, config.steps ?? config.tokens);

  const microBatches = config.microBatches ?? 2;
  posInt(microBatches, 'microBatches');
  if (batchSize % microBatches !== 0) fail('microBatches', `must divide batchSize ${batchSize}`, microBatches);

  const schedule = { type: 'constant', peak: 1e-3, ...(config.schedule ?? {}) } as Record<string, unknown>;
  if (config.lr !== undefined) {
    if (!(typeof config.lr === 'number' && config.lr > 0 && Number.isFinite(config.lr))) fail('lr', 'expected a positive number', config.lr);
    schedule.peak = config.lr;
  }
  if (schedule.type !== 'custom' && schedule.steps === undefined) schedule.steps = steps;
  validateSchedule(schedule);
  const scheduleLength: number = schedule.type === 'custom' ? (schedule.steps ?? schedule.values.length) : schedule.steps!;
  if (scheduleLength < steps) {
    throw new InputError(`schedule.steps: the schedule has ${scheduleLength} steps, shorter than the run's ${steps}`, 'schedule.steps');
  }
  const lr = lrSchedule(schedule, steps);

  const evalEvery = config.evalEvery === undefined ? Math.max(1, Math.round(steps / 10)) : posInt(config.evalEvery, 'evalEvery');
  const evalTokens = config.evalTokens === undefined ? 16384 : posInt(config.evalTokens, 'evalTokens');
  const logEvery = config.logEvery === undefined ? 1 : posInt(config.logEvery, 'logEvery');
  const divergeFactor = config.divergeFactor ?? 3;
  if (!(typeof divergeFactor === 'number' && divergeFactor > 1)) fail('divergeFactor', 'expected a number > 1', divergeFactor);
  const backend = config.backend ?? 'auto';
  if (backend !== 'auto' && !backendNames.includes(backend as never)) fail('backend', `expected auto, ${backendNames.join(', ')}`, backend);
  const seed = config.seed ?? 0;
  if (!Number.isInteger(seed)) fail('seed', 'expected an integer', seed);
  const zLoss = config.zLoss ?? 0;
  if (!(typeof zLoss === 'number' && zLoss >= 0)) fail('zLoss', 'expected a number >= 0', zLoss);
  const opt = config.optimizer ?? {};
  for (const [k, v] of Object.entries(opt)) if (typeof v !== 'number' || !(v >= 0)) fail(`optimizer.${k}`, 'expected a number >= 0', v);

  const shape = data;
  const count = parameterCount(model, shape);
  const flopsPerToken = trainingFlopsPerToken(model, shape);
  // Everything that changes what is trained names the run; the backend and logging do not.
  const identity = {
    model,
    data: config.data,
    steps,
    batchSize,
    schedule,
    optimizer: opt,
    zLoss,
    microBatches,
    seed,
    evalTokens,
    evalEvery,
  };
  const hash = createHash('sha256').update(canonical(identity)).digest('hex').slice(0, 10);
  const id = config.id ?? `${model.family}-w${model.width}-l${model.depth}-b${batchSize}-n${steps}-s${seed}-${hash}`;
  if (!/^[A-Za-z0-9._-]+$/.test(id)) fail('id', 'expected letters, digits, ".", "_" or "-"', id);
  const tokens = steps * perStep;
  const run: RunConfig = {
    id,
    family: model.family,
    N: model.family === 'transformer' ? count.nonEmbedding : count.total,
    D: tokens,
    batchSize,
    ...(model.family === 'transformer' ? { seqLen } : {}),
    schedule: schedule as ScheduleSpec,
    seed,
    ...(config.tags ? { tags: config.tags } : {}),
    extra: {
      model,
      data: config.data,
      steps,
      optimizer: opt,
      zLoss,
      microBatches,
      evalEvery,
      evalTokens,
      params: count,
      flopsPerToken,
      flops: tokens * flopsPerToken,
      flopsPerTokenNonEmbedding: trainingFlopsPerTokenNonEmbedding(model, shape),
      flopsNonEmbedding: tokens * trainingFlopsPerTokenNonEmbedding(model, shape),
      ...(data.floor !== undefined ? { floor: data.floor } : {}),
    },
  };
  return {
    config,
    run,
    model,
    data,
    steps,
    perStep,
    seqLen,
    lr,
    flopsPerToken,
    microBatches,
    evalEvery,
    evalRows: Math.max(1, Math.ceil(evalTokens / seqLen)),
    logEvery,
    divergeFactor,
  };
}

/** JSON with sorted keys, so equal configs hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
