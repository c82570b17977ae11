import { tf } from './backend.js';

/** AdamW settings. */
export interface AdamWOptions {
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.95 */
  beta2?: number;
  /** @default 1e-8 */
  eps?: number;
  /** Decoupled weight decay lambda: p -= lr * lambda * p (Loshchilov & Hutter 2019, Alg. 2). @default 0.1 */
  weightDecay?: number;
  /** Clip the global gradient norm to this value (0 or Infinity: no clipping). @default 1 */
  clip?: number;
}

export interface AdamW {
  /** Applies one update with rate `lr` to gradients already scaled by the clipping factor. */
  step(grads: tf.Tensor[], lr: number, gradScale: number): void;
  dispose(): void;
}

/**
 * AdamW with per-variable learning-rate multipliers (muP) and decay flags. Bias-corrected moments
 * (Kingma & Ba 2015, Alg. 1); weight decay decoupled from the gradient and scaled by the same rate.
 */
export function adamW(variables: tf.Variable[], lrScale: number[], decay: boolean[], options: AdamWOptions = {}): AdamW {
  const { beta1 = 0.9, beta2 = 0.95, eps = 1e-8, weightDecay = 0.1 } = options;
  let m: tf.Tensor[] = variables.map((v) => tf.keep(tf.zerosLike(v)));
  let s: tf.Tensor[] = variables.map((v) => tf.keep(tf.zerosLike(v)));
  let t = 0;
  return {
    step(grads, lr, gradScale) {
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      const nextM: tf.Tensor[] = [];
      const nextS: tf.Tensor[] = [];
      tf.tidy(() => {
        variables.forEach((v, i) => {
          const g = gradScale === 1 ? grads[i]! : grads[i]!.mul(gradScale);
          const mi = tf.keep(m[i]!.mul(beta1).add(g.mul(1 - beta1)));
          const si = tf.keep(s[i]!.mul(beta2).add(g.square().mul(1 - beta2)));
          nextM.push(mi);
          nextS.push(si);
          const rate = lr * lrScale[i]!;
          let update = mi.div(c1).div(si.div(c2).sqrt().add(eps));
          if (decay[i] && weightDecay > 0) update = update.add(v.mul(weightDecay));
          v.assign(v.sub(update.mul(rate)));
        });
      });
      m.forEach((x) => x.dispose());
      s.forEach((x) => x.dispose());
      m = nextM;
      s = nextS;
    },
    dispose() {
      m.forEach((x) => x.dispose());
      s.forEach((x) => x.dispose());
    },
  };
}
