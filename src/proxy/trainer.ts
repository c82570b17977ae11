import { rng } from '../core/rng.js';
import type { RunSummary, TrajectoryPoint } from '../core/run.js';
import { openStore, type RunStore } from '../io/store.js';
import { adamW } from './adamw.js';
import { backendDevice, tf, useBackend, type BackendChoice } from './backend.js';
import { createModel, type Batch, type ForwardStats, type Model } from './model.js';
import { resolveTrainConfig, type ResolvedRun, type TrainConfig } from './train-config.js';

/** Options of `train`. */
export interface TrainOptions {
  /** A run store, or its directory. */
  store: RunStore | string;
  /** Called after every step (progress bars); cheap to ignore. */
  onStep?: (step: number, steps: number, point: TrajectoryPoint) => void;
  /** Restart a run that has already ended. @default false */
  overwrite?: boolean;
}

/** The outcome of one run: its id and the summary written to the store. */
export interface TrainResult {
  id: string;
  summary: RunSummary;
}

/**
 * Trains one proxy run and records it in the store: config first, then one trajectory line per
 * logged step, then the summary. Input is validated before any training starts. A NaN, infinite or
 * exploding loss ends the run as 'diverged' with its trajectory kept; an exception ends it as
 * 'failed' and is rethrown.
 *
 * @example await train({ model: { family: 'transformer', width: 32, depth: 2, context: 16 },
 *   data: { type: 'markov' }, tokens: 2e5, batchSize: 16, lr: 3e-3 }, { store: 'runs' });
 */
export async function train(config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const run = resolveTrainConfig(config);
  const backend = await useBackend((config.backend ?? 'auto') as BackendChoice);
  const store = typeof options.store === 'string' ? openStore(options.store) : options.store;
  const writer = store.begin(run.run, { overwrite: options.overwrite ?? false });
  const started = performance.now();
  let model: Model | undefined;
  let optimizer: ReturnType<typeof adamW> | undefined;
  try {
    model = createModel(run.model, run.data, run.run.seed ?? 0);
    optimizer = adamW(model.variables, model.lrScale, model.decay, run.config.optimizer);
    const summary = loop(run, model, optimizer, writer.append.bind(writer), options.onStep);
    const full: RunSummary = { ...summary, wallSeconds: (performance.now() - started) / 1000, backend, device: backendDevice(backend) };
    full.tokensPerSecond = (full.tokens ?? 0) / full.wallSeconds!;
    writer.finish(full);
    return { id: run.run.id, summary: full };
  } catch (error) {
    writer.finish({ status: 'failed', steps: 0, backend, device: backendDevice(backend), reason: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    optimizer?.dispose();
    model?.dispose();
  }
}

function loop(run: ResolvedRun, model: Model, optimizer: ReturnType<typeof adamW>, append: (p: TrajectoryPoint) => void, onStep: TrainOptions['onStep']): RunSummary {
  const { data, steps, seqLen, microBatches, lr } = run;
  const B = run.config.batchSize;
  const micro = B / microBatches;
  const zLoss = run.config.zLoss ?? 0;
  const lossStart = data.kind === 'tokens' ? data.lossStart : 0;
  const clip = run.config.optimizer?.clip ?? 1;
  const seed = run.run.seed ?? 0;
  // Training data come from a stream of their own, apart from the weights' and the evaluation set's.
  const random = rng(seed).fork().fork();
  const evaluation = evalBatches(run);
  let firstLoss: number | undefined;
  let lastEval: number | undefined;
  let lastTrain: number | undefined;
  let point: TrajectoryPoint = { step: 0 };
  for (let s = 0; s < steps; s++) {
    const batches = microSplit(run, data.kind === 'tokens' ? { tokens: data.train(random, B, seqLen) } : data.train(random, B), micro, microBatches);
    const measured = tf.tidy(() => {
      let sum: tf.Tensor[] | undefined;
      const readouts: tf.Scalar[] = [];
      const statsList: ForwardStats[] = [];
      for (const batch of batches) {
        const stats: ForwardStats = {};
        statsList.push(stats);
        const { grads } = tf.variableGrads(() => model.loss(batch, { zLoss, lossStart, stats }), model.variables);
        const g = model.variables.map((v) => grads[v.name]!);
        readouts.push(sumSquares(g));
        sum = sum ? sum.map((a, i) => a.add(g[i]!)) : g;
      }
      const mean = microBatches === 1 ? sum! : sum!.map((a) => a.div(microBatches));
      const sqBig = sumSquares(mean);
      const task = tf.stack(statsList.map((st) => st.taskLoss!)).mean();
      const rms = tf.stack(statsList.map((st) => st.outputLogitRms!)).mean();
      const att = statsList[0]!.maxAttentionLogit ? tf.stack(statsList.map((st) => st.maxAttentionLogit!)).max() : tf.scalar(NaN);
      const logZ = statsList[0]!.outputLogZ ? tf.stack(statsList.map((st) => st.outputLogZ!)).mean() : tf.scalar(NaN);
      const values = tf.stack([task, sqBig, rms, att, logZ, ...readouts]);
      statsList.forEach((st) => Object.values(st).forEach((t) => (t as tf.Tensor).dispose()));
      return { grads: mean.map((t) => tf.keep(t)), values: tf.keep(values) };
    });
    const v = measured.values.dataSync();
    measured.values.dispose();
    const [trainLoss, sqBig, logitRms, maxAttention, logZ] = [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!];
    let sqSmall = 0;
    for (let j = 0; j < microBatches; j++) sqSmall += v[5 + j]! / microBatches;
    const gradNorm = Math.sqrt(sqBig);
    firstLoss ??= trainLoss;
    const diverged =
      !Number.isFinite(trainLoss) || !Number.isFinite(gradNorm)
        ? 'non-finite loss or gradient'
        : trainLoss > run.divergeFactor * firstLoss
          ? `loss ${trainLoss.toPrecision(4)} exceeds ${run.divergeFactor} x the first step's ${firstLoss.toPrecision(4)}`
          : undefined;
    if (!diverged) {
      const scale = clip > 0 && gradNorm > clip ? clip / gradNorm : 1;
      optimizer.step(measured.grads, lr[s]!, scale);
    }
    measured.grads.forEach((t) => t.dispose());
    const done = s + 1;
    const tokens = done * run.perStep;
    point = {
      step: done,
      tokens,
      flops: tokens * run.flopsPerToken,
      lr: lr[s]!,
      trainLoss,
      gradNorm,
      ...(microBatches > 1 ? { gradSqSmall: sqSmall, gradSqBig: sqBig, bSmall: micro, bBig: B } : {}),
      outputLogitRms: logitRms,
      ...(Number.isNaN(maxAttention) ? {} : { maxAttentionLogit: maxAttention }),
      ...(Number.isNaN(logZ) ? {} : { outputLogZ: logZ }),
    };
    lastTrain = trainLoss;
    if (diverged) {
      append(point);
      return { status: 'diverged', steps: done, tokens, flops: point.flops, finalTrainLoss: trainLoss, reason: diverged, ...(lastEval !== undefined ? { finalEvalLoss: lastEval } : {}) };
    }
    const evalNow = done % run.evalEvery === 0 || done === steps;
    if (evalNow) point.evalLoss = lastEval = evaluate(model, evaluation, lossStart);
    if (evalNow || done % run.logEvery === 0) append(point);
    onStep?.(done, steps, point);
  }
  return {
    status: 'finished',
    steps,
    tokens: point.tokens,
    flops: point.flops,
    ...(lastTrain !== undefined ? { finalTrainLoss: lastTrain } : {}),
    ...(lastEval !== undefined ? { finalEvalLoss: lastEval } : {}),
  };
}

function sumSquares(tensors: tf.Tensor[]): tf.Scalar {
  return tf.addN(tensors.map((t) => t.square().sum())) as tf.Scalar;
}

function microSplit(run: ResolvedRun, full: { tokens: Int32Array } | { x: Float32Array; y: Float32Array }, micro: number, count: number): Batch[] {
  const out: Batch[] = [];
  for (let j = 0; j < count; j++) {
    if ('tokens' in full) {
      const w = run.seqLen + 1;
      out.push({ kind: 'tokens', tokens: full.tokens.subarray(j * micro * w, (j + 1) * micro * w), batch: micro, seqLen: run.seqLen });
    } else {
      const dim = full.x.length / full.y.length;
      out.push({ kind: 'regression', x: full.x.subarray(j * micro * dim, (j + 1) * micro * dim), y: full.y.subarray(j * micro, (j + 1) * micro), batch: micro });
    }
  }
  return out;
}

/** The fixed evaluation set in batches of at most 64 rows. */
function evalBatches(run: ResolvedRun): Batch[] {
  const { data, seqLen, evalRows } = run;
  const out: Batch[] = [];
  if (data.kind === 'tokens') {
    const all = data.evaluation(seqLen, evalRows);
    const rows = all.length / (seqLen + 1);
    for (let r = 0; r < rows; r += 64) {
      const n = Math.min(64, rows - r);
      out.push({ kind: 'tokens', tokens: all.subarray(r * (seqLen + 1), (r + n) * (seqLen + 1)), batch: n, seqLen });
    }
  } else {
    const { x, y } = data.evaluation(evalRows);
    const dim = data.inputDim;
    for (let r = 0; r < evalRows; r += 256) {
      const n = Math.min(256, evalRows - r);
      out.push({ kind: 'regression', x: x.subarray(r * dim, (r + n) * dim), y: y.subarray(r, r + n), batch: n });
    }
  }
  return out;
}

/** Mean task loss over the evaluation set, weighting each batch by its rows. */
function evaluate(model: Model, batches: Batch[], lossStart: number): number {
  let total = 0;
  let rows = 0;
  for (const batch of batches) {
    const value = tf.tidy(() => {
      const stats: ForwardStats = {};
      model.loss(batch, { lossStart, stats });
      const v = stats.taskLoss!.dataSync()[0]!;
      Object.values(stats).forEach((t) => (t as tf.Tensor).dispose());
      return v;
    });
    total += value * batch.batch;
    rows += batch.batch;
  }
  return total / rows;
}
