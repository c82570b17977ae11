import { InputError } from '../core/errors.js';
import { tf } from './backend.js';
import type { Batch, LossOptions, ModelParts } from './model-types.js';

const NEG = -1e9;
const masks = new Map<number, tf.Tensor2D>();

/** Additive causal mask [T, T]: 0 on and below the diagonal, -1e9 above. Cached per length. */
function causalMask(T: number): tf.Tensor2D {
  let mask = masks.get(T);
  if (!mask || mask.isDisposed) {
    const values = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = NEG;
    mask = tf.keep(tf.tensor2d(values, [T, T]));
    masks.set(T, mask);
  }
  return mask;
}

/**
 * LayerNorm over the last axis with its gradient written out (Ba et al. 2016): forward and backward
 * in a dozen kernels instead of the ~30 (with copies) that differentiating moments() produces.
 * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy g; dg = sum(dy xhat), db = sum(dy).
 */
function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const norm = tf.customGrad((...args: unknown[]) => {
    const [xi, gi, bi, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const mean = xi.mean(-1, true);
    const centred = xi.sub(mean);
    const rstd = tf.rsqrt(centred.square().mean(-1, true).add(1e-5));
    const xhat = centred.mul(rstd);
    save([xhat, rstd, gi]);
    return {
      value: xhat.mul(gi).add(bi),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const d = dy as tf.Tensor;
        const [xh, rs, gs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const lead = d.shape.slice(0, -1).map((_, i) => i);
        const dxhat = d.mul(gs);
        const dx = dxhat
          .sub(dxhat.mean(-1, true))
          .sub(xh.mul(dxhat.mul(xh).mean(-1, true)))
          .mul(rs);
        return [dx, d.mul(xh).sum(lead), d.sum(lead)];
      },
    };
  });
  return norm(x, g, b);
}

/**
 * Token embedding as a row lookup (gather) whose gradient is a scatter-add of the output gradient
 * into the rows looked up (scatterND sums duplicate indices). The WASM backend has no gradient for
 * gather (STACK.md), and the one-hot product used before costs 2 V d FLOPs and a [tokens, V]
 * tensor per token, which rules out BPE vocabularies.
 */
function embed(table: tf.Tensor, ids: tf.Tensor1D): tf.Tensor {
  const lookup = tf.customGrad((...args: unknown[]) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([ids]);
    return {
      value: tf.gather(t, ids),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [tf.scatterND(saved[0]!.reshape([-1, 1]), dy as tf.Tensor, t.shape)],
    };
  });
  return lookup(table);
}

/**
 * Decoder-only transformer language model, pre-norm (Xiong et al. 2020): x += Attn(LN(x));
 * x += MLP(LN(x)); logits = LN(x) W_U. Embeddings are a lookup with a scatter-add gradient (`embed`).
 * Returns the mean next-token cross-entropy in nats over
 * positions >= lossStart, plus the z-loss when asked.
 */
export function transformerLoss(parts: ModelParts, batch: Batch, options: LossOptions): tf.Scalar {
  const { config, p, widthMult } = parts;
  if (batch.kind !== 'tokens' || config.family !== 'transformer') throw new InputError('model.family: a transformer needs token data (markov, text or tokens)', 'model.family');
  const { zLoss = 0, lossStart = 0, stats } = options;
  const B = batch.batch;
  const T = batch.seqLen;
  const d = config.width;
  const H = config.heads;
  const dh = d / H;
  const V = p.embed!.shape[0]!;
  if (T > config.context) throw new InputError(`model.context: batch windows of ${T} tokens exceed the context ${config.context}`, 'model.context');
  // muP uses 1/d_head attention scaling (Yang et al. 2022, section 4); the constant makes it equal
  // the standard 1/sqrt(d_head) at the base width.
  const scale = config.parameterization === 'mup' ? Math.sqrt(config.baseWidth / H) / dh : 1 / Math.sqrt(dh);

  const windows = tf.tensor2d(batch.tokens, [B, T + 1], 'int32');
  const input = windows.slice([0, 0], [B, T]);
  const target = windows.slice([0, 1], [B, T]);
  let x: tf.Tensor = embed(p.embed!, input.reshape([B * T]) as tf.Tensor1D);
  x = x
    .reshape([B, T, d])
    .add(p.pos!.slice([0, 0], [T, d]))
    .reshape([B * T, d]);
  const mask = causalMask(T);
  let maxLogit: tf.Tensor | undefined;
  for (let l = 0; l < config.depth; l++) {
    const q0 = `b${l}.`;
    const h = layerNorm(x, p[q0 + 'ln1.g']!, p[q0 + 'ln1.b']!);
    const heads = (w: tf.Tensor) =>
      h
        .matMul(w as tf.Tensor2D)
        .reshape([B, T, H, dh])
        .transpose([0, 2, 1, 3]);
    let q = heads(p[q0 + 'wq']!);
    let k = heads(p[q0 + 'wk']!);
    const v = heads(p[q0 + 'wv']!);
    if (config.qkNorm) {
      // Wortsman et al. 2023, section 3.1.1: LayerNorm on queries and keys bounds attention logits.
      q = layerNorm(q, p[q0 + 'qn.g']!, p[q0 + 'qn.b']!);
      k = layerNorm(k, p[q0 + 'kn.g']!, p[q0 + 'kn.b']!);
    }
    // Scaling q [B, H, T, dh] costs T / dh times less than scaling the scores [B, H, T, T].
    const scores = tf.matMul(q.mul(scale), k, false, true).add(mask);
    if (stats) {
      const m = scores.max();
      maxLogit = maxLogit ? tf.maximum(maxLogit, m) : m;
    }
    const attn = tf
      .matMul(tf.softmax(scores), v)
      .transpose([0, 2, 1, 3])
      .reshape([B * T, d]);
    x = x.add(attn.matMul(p[q0 + 'wo']! as tf.Tensor2D));
    const h2 = layerNorm(x, p[q0 + 'ln2.g']!, p[q0 + 'ln2.b']!);
    const ff = tf.relu(h2.matMul(p[q0 + 'w1']! as tf.Tensor2D).add(p[q0 + 'b1']!));
    x = x.add(ff.matMul(p[q0 + 'w2']! as tf.Tensor2D).add(p[q0 + 'b2']!));
  }
  let logits = layerNorm(x, p['lnf.g']!, p['lnf.b']!).matMul(p.unembed! as tf.Tensor2D);
  // MuReadout: logits divided by the width multiplier (Yang et al. 2022, Table 8).
  if (widthMult !== 1) logits = logits.div(widthMult);
  return tokenLoss(logits, target.reshape([B * T]), B, T, V, { zLoss, lossStart, stats, maxLogit });
}

/** Next-token cross-entropy (and z-loss) over positions >= lossStart. Exported for the MLP too. */
export function tokenLoss(
  logits: tf.Tensor,
  target: tf.Tensor,
  B: number,
  T: number,
  V: number,
  o: { zLoss: number; lossStart: number; stats: LossOptions['stats']; maxLogit?: tf.Tensor | undefined },
): tf.Scalar {
  const weights = new Float32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = o.lossStart; t < T; t++) weights[b * T + t] = 1;
  const count = B * Math.max(0, T - o.lossStart);
  if (count === 0) throw new InputError(`model.context: ${T} leaves no position at or after ${o.lossStart} to score`, 'model.context');
  const w = tf.tensor1d(weights);
  // Picking the target logit by a one-hot product keeps the gradient free of gather (WASM).
  const onehot = tf.oneHot(target, V);
  const ce = crossEntropy(logits, onehot, w, count);
  if (o.stats) {
    o.stats.taskLoss = tf.keep(ce);
    o.stats.outputLogitRms = tf.keep(logits.square().mean().sqrt() as tf.Scalar);
    if (o.maxLogit) o.stats.maxAttentionLogit = tf.keep(o.maxLogit as tf.Scalar);
  }
  if (!(o.zLoss > 0) && !o.stats) return ce;
  const logZ = tf.logSumExp(logits, -1);
  if (o.stats) o.stats.outputLogZ = tf.keep(logZ.mul(w).sum().div(count) as tf.Scalar);
  if (!(o.zLoss > 0)) return ce;
  return ce.add(logZ.square().mul(w).sum().div(count).mul(o.zLoss)) as tf.Scalar;
}

/**
 * Mean cross-entropy sum(w (logsumexp(z) - z_target)) / count with its gradient written out:
 * d/dz = (softmax(z) - onehot) w / count, so backpropagation costs two kernels instead of the
 * max / equal / exp chain that differentiating logSumExp builds.
 */
function crossEntropy(logits: tf.Tensor, onehot: tf.Tensor, w: tf.Tensor, count: number): tf.Scalar {
  const f = tf.customGrad((...args: unknown[]) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const shifted = z.sub(z.max(-1, true));
    const e = shifted.exp();
    const sumExp = e.sum(-1, true);
    const perToken = sumExp.log().reshape([-1]).sub(shifted.mul(onehot).sum(-1));
    // Saved, not captured: the forward scope disposes everything it neither returns nor saves.
    save([e, sumExp, onehot, w]);
    return {
      value: perToken.mul(w).sum().div(count) as tf.Scalar,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [es, se, oh, ws] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const scale = ws.reshape([-1, 1]).mul((dy as tf.Tensor).div(count));
        return [es.div(se).sub(oh).mul(scale)];
      },
    };
  });
  return f(logits) as tf.Scalar;
}
