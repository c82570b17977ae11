// Is the shipped MLP over a summary of the curve as good as a small transformer over its points
// (LC-PFN's architecture) at the same training time on this machine? Trains the transformer on the
// same prior, batches and held-out validation curves as `npm run train:pfn` (seed 0), on one WASM
// thread, and prints its validation cross-entropy against wall time beside the MLP's, read from the
// history recorded in a weights file. Not a timing of the library: a comparison of architectures
// at equal compute.
//   npx tsx bench/pfn-architecture.ts [--minutes 30] [--weights fits/pfn-lc.json] [--every 250] [--width 64] [--layers 2]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rng } from '../src/core/rng.js';
import { PFN_FEATURES, PFN_OUTPUT_BINS } from '../src/extrapolation/pfn-features.js';
import { tf, useBackend } from '../src/proxy/backend.js';
import { batchSeed, priorBatch } from '../src/proxy/pfn/sampler.js';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string' },
    weights: { type: 'string' },
    every: { type: 'string' },
    width: { type: 'string' },
    layers: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
  },
});
const minutes = Number(flags.minutes ?? 30);
const every = Number(flags.every ?? 250);
const D = Number(flags.width ?? 64);
const LAYERS = Number(flags.layers ?? 2);
const BATCH = Number(flags.batch ?? 512);
const LR = Number(flags.lr ?? 1e-3);
const HEADS = 4;
const TOKENS = 48;
const LAST = 16;
const LOG_SPAN = Math.log(1000);

// The same streams as `npm run train:pfn`: batch k from seed and k, validation from k = -2.

/** Tokens (u, z, valid) of up to TOKENS points (the last LAST and an even spread of the rest), the summary features, the bin labels. */
function batchOf(count: number, seed: number) {
  const tokens = new Float32Array(count * TOKENS * 3);
  const mask = new Float32Array(count * (TOKENS + 1));
  // The same draws, summary features and labels as the MLP's training batches.
  const { x: summary, labels } = priorBatch(count, seed, (s, scale, b) => {
    const n = s.values.length;
    const pick: number[] = [];
    if (n <= TOKENS) for (let i = 0; i < n; i++) pick.push(i);
    else {
      const head = n - LAST;
      for (let j = 0; j < TOKENS - LAST; j++) pick.push(Math.floor((j * head) / (TOKENS - LAST)));
      for (let i = head; i < n; i++) pick.push(i);
    }
    mask[b * (TOKENS + 1)] = 1;
    pick.forEach((i, t) => {
      const o = (b * TOKENS + t) * 3;
      tokens[o] = Math.max(-1, Math.log(s.steps[i]! / s.target) / LOG_SPAN) + 1;
      tokens[o + 1] = (scale.sign * s.values[i]! - scale.lo) / scale.width;
      tokens[o + 2] = 1;
      mask[b * (TOKENS + 1) + 1 + t] = 1;
    });
  });
  return { tokens, mask, summary, labels, count };
}

await useBackend('wasm');
const r0 = rng(7);
const glorot = (i: number, o: number) => tf.variable(tf.randomNormal([i, o], 0, Math.sqrt(2 / (i + o)), 'float32', Math.floor(r0.next() * 1e9)));
const zeros = (n: number) => tf.variable(tf.zeros([n]));
const ones = (n: number) => tf.variable(tf.ones([n]));
const embedPoint = { w: glorot(3, D), b: zeros(D) };
const embedSummary = { w: glorot(PFN_FEATURES, D), b: zeros(D) };
const blocks = Array.from({ length: LAYERS }, () => ({
  g1: ones(D),
  b1: zeros(D),
  wq: glorot(D, D),
  wk: glorot(D, D),
  wv: glorot(D, D),
  wo: glorot(D, D),
  g2: ones(D),
  b2: zeros(D),
  f1: glorot(D, 2 * D),
  c1: zeros(2 * D),
  f2: glorot(2 * D, D),
  c2: zeros(D),
}));
const out = { g: ones(D), b: zeros(D), w: glorot(D, PFN_OUTPUT_BINS), c: zeros(PFN_OUTPUT_BINS) };
const variables = [embedPoint.w, embedPoint.b, embedSummary.w, embedSummary.b, ...blocks.flatMap((k) => Object.values(k)), ...Object.values(out)];
const parameters = variables.reduce((a, v) => a + v.size, 0);

const layerNorm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
};
const dense = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(x.reshape([-1, w.shape[0]!]), w).reshape([...x.shape.slice(0, -1), w.shape[1]!]), b);

/** Logits [B, bins]: the summary token and the point tokens through pre-norm attention blocks; read out at the summary token. */
function logits(batch: ReturnType<typeof batchOf>): tf.Tensor2D {
  const B = batch.count,
    L = TOKENS + 1,
    dh = D / HEADS;
  const pts = dense(tf.tensor3d(batch.tokens, [B, TOKENS, 3]), embedPoint.w, embedPoint.b);
  const sum = dense(tf.tensor2d(batch.summary, [B, PFN_FEATURES]), embedSummary.w, embedSummary.b).reshape([B, 1, D]);
  let h: tf.Tensor = tf.concat([sum, pts], 1);
  // Keys that are padding get -1e9 before the softmax.
  const keyBias = tf.mul(tf.sub(tf.tensor2d(batch.mask, [B, L]), 1), 1e9).reshape([B, 1, 1, L]);
  for (const k of blocks) {
    const x = layerNorm(h, k.g1, k.b1);
    const split = (t: tf.Tensor) => t.reshape([B, L, HEADS, dh]).transpose([0, 2, 1, 3]);
    const q = split(dense(x, k.wq, tf.zeros([D])));
    const kk = split(dense(x, k.wk, tf.zeros([D])));
    const v = split(dense(x, k.wv, tf.zeros([D])));
    const att = tf.softmax(tf.add(tf.div(tf.matMul(q, kk, false, true), Math.sqrt(dh)), keyBias));
    const mixed = tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([B, L, D]);
    h = tf.add(h, dense(mixed, k.wo, tf.zeros([D])));
    const y = layerNorm(h, k.g2, k.b2);
    h = tf.add(h, dense(tf.relu(dense(y, k.f1, k.c1)), k.f2, k.c2));
  }
  const first = h.slice([0, 0, 0], [B, 1, D]).reshape([B, D]);
  return dense(layerNorm(first, out.g, out.b), out.w, out.c) as tf.Tensor2D;
}
const nll = (batch: ReturnType<typeof batchOf>) => tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(batch.labels, 'int32'), PFN_OUTPUT_BINS), logits(batch)) as tf.Scalar);

const validation = batchOf(4096, batchSeed(0, -2));
const validate = () => {
  // In chunks, to keep the attention tensors small.
  let total = 0;
  for (let i = 0; i < 4096; i += 512) {
    const part = {
      tokens: validation.tokens.subarray(i * TOKENS * 3, (i + 512) * TOKENS * 3),
      mask: validation.mask.subarray(i * (TOKENS + 1), (i + 512) * (TOKENS + 1)),
      summary: validation.summary.subarray(i * PFN_FEATURES, (i + 512) * PFN_FEATURES),
      labels: validation.labels.subarray(i, i + 512),
      count: 512,
    };
    total += tf.tidy(() => nll(part).dataSync()[0]!) / 8;
  }
  return total;
};
const optimizer = tf.train.adam(LR);
const history: { step: number; seconds: number; validation: number }[] = [];
const t0 = performance.now();
let step = 0;
console.log(`transformer: ${LAYERS} blocks, width ${D}, ${HEADS} heads, ${TOKENS} point tokens + 1 summary token, ${parameters} parameters; batch ${BATCH}, Adam ${LR}`);
while ((performance.now() - t0) / 60000 < minutes) {
  const batch = batchOf(BATCH, batchSeed(0, step));
  optimizer.minimize(() => nll(batch), false, variables);
  step++;
  if (step % every === 0) {
    const v = validate();
    const seconds = (performance.now() - t0) / 1000;
    history.push({ step, seconds, validation: v });
    console.log(`step ${step}: validation ${v.toFixed(4)}, ${seconds.toFixed(0)} s (${((1000 * seconds) / step).toFixed(0)} ms/step)`);
  }
}
const weights = JSON.parse(readFileSync(flags.weights ?? new URL('../fits/pfn-lc.json', import.meta.url).pathname, 'utf8')) as {
  training: { history: { step: number; validation: number; seconds: number }[] };
};
const mlp = weights.training.history;
console.log('\nseconds  transformer (step, validation)  mlp (step, validation)');
for (const h of history) {
  const m = [...mlp].reverse().find((x) => x.seconds <= h.seconds);
  console.log(`${h.seconds.toFixed(0).padStart(7)}  ${String(h.step).padStart(6)} ${h.validation.toFixed(4)}              ${m ? `${String(m.step).padStart(6)} ${m.validation.toFixed(4)}` : '-'}`);
}
