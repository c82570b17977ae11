import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, show } from '../../core/errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { PFN_FEATURES, PFN_OUTPUT_BINS } from '../../extrapolation/pfn-features.js';
import { decodeFloat32, encodeFloat32, parsePfnWeights, type PfnEnsembleFile, type PfnLayer, type PfnWeightsFile } from '../../extrapolation/pfn-network.js';
import { PFN_PRIOR, PFN_PRIOR_VERSION } from '../../extrapolation/pfn-prior.js';
import { tf, useBackend } from '../backend.js';
import { layersOf, pfnModel, setLayers, type PfnModel } from './model.js';
import { batchSeed, chunkedBatch, priorBatch, PriorSampler, type PriorBatch } from './sampler.js';

/**
 * Training of the learning-curve PFN on its prior (`samplePriorCurve`): each step draws a fresh
 * batch of curves, cuts them, and minimises the cross-entropy of the binned target value under the
 * network's logits (Müller et al. 2022: minimising it over prior draws fits the posterior
 * predictive). Adam with a cosine-decayed rate. Resumable: the checkpoint holds the weights, Adam's
 * moments and the step; batch k is drawn from seed and k alone, so a resumed run sees exactly the
 * curves an uninterrupted one would.
 */

export interface PfnTrainOptions {
  /** Checkpoint folder; training resumes from it when it holds a checkpoint. */
  dir: string;
  /** Weights file written at the end (and at each checkpoint). */
  out: string;
  /** Total optimiser steps of the schedule. @default 20000 */
  steps?: number;
  /** Stop this invocation after this many minutes (a checkpoint is written). @default Infinity */
  minutes?: number;
  /** Stop this invocation once this step is reached (a checkpoint is written). @default steps */
  until?: number;
  /** Curves per step. @default 512 */
  batch?: number;
  /** Hidden widths. @default [256, 256, 256] */
  hidden?: readonly number[];
  /** Peak learning rate. @default 1e-3 */
  lr?: number;
  /** @default 0 */
  seed?: number;
  /** Steps between checkpoints (and validation). @default 500 */
  every?: number;
  /**
   * Worker threads that draw the prior curves while the network trains (0: drawn in this thread,
   * between steps). The curves are the same either way. @default 0
   */
  workers?: number;
  /** @default 'wasm' */
  backend?: 'wasm' | 'cpu' | 'auto' | 'tensorflow' | 'webgpu';
  /** The command line that made the weights, recorded in the file. */
  command?: string;
  onProgress?: (message: string) => void;
}

interface Checkpoint {
  seed: number;
  priorVersion: number;
  step: number;
  steps: number;
  batch: number;
  hidden: number[];
  lr: number;
  curvesSeen: number;
  seconds: number;
  backends: string[];
  history: { step: number; train: number; validation: number; seconds: number }[];
  /** Each invocation: the step it started at, the schedule's total steps then, and its command. */
  invocations: { from: number; steps: number; command: string }[];
  layers: { inputs: number; outputs: number; kernel: string; bias: string }[];
  moments: { m: string; v: string }[];
}

const VALIDATION = 4096;

function nll(model: PfnModel, x: Float32Array, labels: Int32Array): tf.Scalar {
  return tf.tidy(() => {
    const logits = model.logits(tf.tensor2d(x, [labels.length, PFN_FEATURES]));
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), PFN_OUTPUT_BINS);
    return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
  });
}

/** Trains (or resumes) and writes the weights file; returns the checkpoint's record. */
export async function trainPfn(options: PfnTrainOptions): Promise<Omit<Checkpoint, 'layers' | 'moments'>> {
  const { dir, out, steps = 20000, minutes = Infinity, batch = 512, hidden = [256, 256, 256], lr = 1e-3, seed = 0, every = 500, workers = 0, backend = 'wasm', onProgress } = options;
  for (const [name, v] of [
    ['steps', steps],
    ['batch', batch],
    ['every', every],
  ] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new InputError(`${name}: must be a positive integer, got ${show(v)}`, name);
  }
  if (!(Number.isInteger(workers) && workers >= 0)) throw new InputError(`workers: must be a whole number >= 0, got ${show(workers)}`, 'workers');
  hidden.forEach((h) => {
    if (!(Number.isInteger(h) && h > 0)) throw new InputError(`hidden: each width must be a positive integer, got ${show(h)} in ${show(hidden)}`, 'hidden');
  });
  if (!(minutes > 0)) throw new InputError(`minutes: must be positive, got ${show(minutes)}`, 'minutes');
  const used = await useBackend(backend);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'checkpoint.json');
  const model = pfnModel(hidden, seed);
  const m = model.variables.flatMap((v) => [tf.variable(tf.zerosLike(v.kernel)), tf.variable(tf.zerosLike(v.bias))]);
  const vv = model.variables.flatMap((v) => [tf.variable(tf.zerosLike(v.kernel)), tf.variable(tf.zerosLike(v.bias))]);
  const params = model.variables.flatMap((v) => [v.kernel, v.bias]);
  let state: Checkpoint = {
    seed,
    priorVersion: PFN_PRIOR_VERSION,
    step: 0,
    steps,
    batch,
    hidden: [...hidden],
    lr,
    curvesSeen: 0,
    seconds: 0,
    backends: [],
    history: [],
    invocations: [],
    layers: [],
    moments: [],
  };
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
    // The total steps may change on resume (the cosine schedule is then re-planned from the step
    // reached, which each invocation records); everything else must match.
    for (const key of ['seed', 'priorVersion', 'batch', 'lr'] as const) {
      const want = key === 'priorVersion' ? PFN_PRIOR_VERSION : { seed, batch, lr }[key];
      if (saved[key] !== want) throw new InputError(`${path}: the checkpoint was made with ${key} ${show(saved[key])}, not ${show(want)}; use another --dir`, key);
    }
    if (saved.hidden.join(',') !== hidden.join(',')) throw new InputError(`${path}: the checkpoint has hidden widths ${saved.hidden.join(',')}, not ${hidden.join(',')}`, 'hidden');
    setLayers(
      model,
      saved.layers.map((l, i) => ({
        ...l,
        activation: i < saved.layers.length - 1 ? 'relu' : 'linear',
        kernel: decodeFloat32(l.kernel, l.inputs * l.outputs, 'kernel'),
        bias: decodeFloat32(l.bias, l.outputs, 'bias'),
      })),
    );
    saved.moments.forEach((mo, i) => {
      const n = params[i]!.size;
      m[i]!.assign(tf.tensor(decodeFloat32(mo.m, n, 'moment'), params[i]!.shape));
      vv[i]!.assign(tf.tensor(decodeFloat32(mo.v, n, 'moment'), params[i]!.shape));
    });
    if (steps < saved.step) throw new InputError(`steps: the checkpoint is at step ${saved.step}, beyond ${show(steps)}`, 'steps');
    state = { ...saved, steps, invocations: saved.invocations ?? [{ from: 0, steps: saved.steps, command: '(not recorded)' }] };
    onProgress?.(`resumed at step ${saved.step} (${saved.curvesSeen} curves, ${saved.seconds.toFixed(0)} s)`);
  }
  if (!state.backends.includes(used)) state.backends.push(used);
  state.invocations.push({ from: state.step, steps, command: options.command ?? 'trainPfn' });
  const validation = priorBatch(VALIDATION, batchSeed(seed, -2));
  // Every read from the backend is asynchronous: WebGPU cannot read synchronously in Node.
  const save = async () => {
    const layers = await layersOf(model);
    state.layers = layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, kernel: encodeFloat32(l.kernel), bias: encodeFloat32(l.bias) }));
    state.moments = await Promise.all(m.map(async (mi, i) => ({ m: encodeFloat32((await mi.data()) as Float32Array), v: encodeFloat32((await vv[i]!.data()) as Float32Array) })));
    writeFileAtomic(path, JSON.stringify(state));
    writeWeights(out, layers, state, options.command);
  };
  const b1 = 0.9,
    b2 = 0.999,
    eps = 1e-8;
  const t0 = performance.now();
  const start = state.seconds;
  // The training loss is summed on the device and read at each checkpoint, so the steps between
  // checkpoints need no round trip (which on a GPU would stall it every step).
  const lossSum = tf.variable(tf.scalar(0));
  let count = 0;
  const until = Math.min(steps, options.until ?? steps);
  const sampler = workers > 0 ? new PriorSampler(workers) : undefined;
  const ahead = new Map<number, Promise<PriorBatch>>();
  const draw = (k: number): Promise<PriorBatch> => {
    let p = ahead.get(k);
    if (!p) {
      p = sampler ? sampler.batch(batch, batchSeed(seed, k)) : Promise.resolve(chunkedBatch(batch, batchSeed(seed, k)));
      ahead.set(k, p);
    }
    return p;
  };
  try {
    while (state.step < until && (performance.now() - t0) / 60000 < minutes) {
      const k = state.step;
      // With workers, the next two batches are drawn while this step trains.
      if (sampler) for (let j = 1; j <= 2 && k + j < until; j++) draw(k + j).catch(() => undefined); // awaited (and its failure thrown) at its step
      const { x, labels } = await draw(k);
      ahead.delete(k);
      // Cosine decay to 1% of the peak after a 2% warm-up.
      const warm = Math.max(1, Math.round(0.02 * steps));
      const rate = k < warm ? (lr * (k + 1)) / warm : lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * (k - warm)) / Math.max(1, steps - warm))));
      const t = k + 1;
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => nll(model, x, labels), params);
        lossSum.assign(tf.add(lossSum, value));
        params.forEach((p, i) => {
          const g = grads[p.name]!;
          m[i]!.assign(tf.add(tf.mul(m[i]!, b1), tf.mul(g, 1 - b1)));
          vv[i]!.assign(tf.add(tf.mul(vv[i]!, b2), tf.mul(tf.square(g), 1 - b2)));
          const mh = tf.div(m[i]!, 1 - b1 ** t);
          const vh = tf.div(vv[i]!, 1 - b2 ** t);
          p.assign(tf.sub(p, tf.mul(rate, tf.div(mh, tf.add(tf.sqrt(vh), eps)))));
        });
      });
      count++;
      state.step++;
      state.curvesSeen += batch;
      if (state.step % every === 0 || state.step === steps) {
        const train = ((await lossSum.data())[0] ?? 0) / count;
        const valLoss = nll(model, validation.x, validation.labels);
        const val = (await valLoss.data())[0]!;
        valLoss.dispose();
        state.seconds = start + (performance.now() - t0) / 1000;
        state.history.push({ step: state.step, train, validation: val, seconds: Math.round(state.seconds * 100) / 100 });
        onProgress?.(`step ${state.step}/${steps}: train ${train.toFixed(4)}, validation ${val.toFixed(4)}, ${state.seconds.toFixed(0)} s`);
        lossSum.assign(tf.scalar(0));
        count = 0;
        await save();
      }
    }
  } finally {
    await sampler?.close();
    await Promise.allSettled(ahead.values());
    lossSum.dispose();
  }
  state.seconds = start + (performance.now() - t0) / 1000;
  await save();
  const { layers: _l, moments: _m, ...record } = state;
  return record;
}

function writeWeights(out: string, layers: PfnLayer[], state: Checkpoint, command: string | undefined): void {
  const file: PfnWeightsFile = {
    format: 'scalelaw-pfn',
    formatVersion: 1,
    priorVersion: PFN_PRIOR_VERSION,
    features: PFN_FEATURES,
    outputBins: PFN_OUTPUT_BINS,
    layers: layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, activation: l.activation, kernel: encodeFloat32(l.kernel), bias: encodeFloat32(l.bias) })),
    training: {
      command: command ?? 'npm run train:pfn',
      invocations: state.invocations,
      seed: state.seed,
      prior: PFN_PRIOR,
      step: state.step,
      steps: state.steps,
      batch: state.batch,
      hidden: state.hidden,
      lr: state.lr,
      curvesSeen: state.curvesSeen,
      seconds: Math.round(state.seconds),
      backends: state.backends,
      date: new Date().toISOString().slice(0, 10),
      history: state.history,
    },
  };
  writeFileAtomic(out, JSON.stringify(file) + '\n');
}

/**
 * Writes the ensemble of the networks in `files` (weights files of `trainPfn`, one network each)
 * to `out`: every member keeps the record of how it was made. The members must be trained on this
 * code's prior version from distinct seeds (the same seed twice is the same network, not a second
 * opinion).
 */
export function combinePfn(files: readonly string[], out: string, command: string): PfnEnsembleFile {
  if (files.length < 2) throw new InputError(`combine: an ensemble needs two or more weights files, got ${files.length}`, 'combine');
  const seeds = new Map<unknown, string>();
  const members = files.map((file) => {
    let json: PfnWeightsFile;
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as PfnWeightsFile;
    } catch (error) {
      throw new InputError(`combine: cannot read ${file}: ${(error as Error).message}`, 'combine');
    }
    if (json.format !== 'scalelaw-pfn' || json.formatVersion !== 1) throw new InputError(`combine: ${file} is not the weights file of one network (format 1): ${show(json.formatVersion)}`, 'combine');
    if (json.priorVersion !== PFN_PRIOR_VERSION)
      throw new InputError(`combine: ${file} was trained on prior version ${show(json.priorVersion)}, this code's prior is version ${PFN_PRIOR_VERSION}`, 'combine');
    const seed = json.training.seed;
    const twin = seeds.get(seed);
    if (twin !== undefined) throw new InputError(`combine: ${file} and ${twin} were both trained from seed ${show(seed)}`, 'combine');
    seeds.set(seed, file);
    return { layers: json.layers, training: json.training };
  });
  const file: PfnEnsembleFile = { format: 'scalelaw-pfn', formatVersion: 2, priorVersion: PFN_PRIOR_VERSION, features: PFN_FEATURES, outputBins: PFN_OUTPUT_BINS, members, combined: command };
  parsePfnWeights(file);
  writeFileAtomic(out, JSON.stringify(file) + '\n');
  return file;
}
