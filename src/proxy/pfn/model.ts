import { tf } from '../backend.js';
import { PFN_FEATURES, PFN_OUTPUT_BINS } from '../../extrapolation/pfn-features.js';
import type { PfnLayer } from '../../extrapolation/pfn-network.js';

/**
 * The learning-curve PFN in TensorFlow.js, for training: dense layers with ReLU from the features
 * of `pfnFeatures` to the logits of the output bins. `layersOf` reads its weights out in the layout
 * `pfnLogits` runs (src/extrapolation/pfn-network.ts) and `setLayers` writes them back.
 */

export interface PfnModel {
  /** One [kernel, bias] pair per layer. */
  variables: { kernel: tf.Variable; bias: tf.Variable }[];
  logits(x: tf.Tensor2D): tf.Tensor2D;
}

/** A fresh network with `hidden` widths between the features and the bins, He-initialised from `seed`. */
export function pfnModel(hidden: readonly number[], seed: number): PfnModel {
  const widths = [PFN_FEATURES, ...hidden, PFN_OUTPUT_BINS];
  const variables = widths.slice(1).map((out, i) => {
    const inp = widths[i]!;
    return {
      kernel: tf.variable(tf.randomNormal([inp, out], 0, Math.sqrt(2 / inp), 'float32', seed + i)),
      bias: tf.variable(tf.zeros([out])),
    };
  });
  return {
    variables,
    logits: (x) =>
      tf.tidy(() => {
        let h: tf.Tensor2D = x;
        variables.forEach((v, i) => {
          h = tf.add(tf.matMul(h, v.kernel), v.bias);
          if (i < variables.length - 1) h = tf.relu(h);
        });
        return h;
      }),
  };
}

/**
 * The model's weights as plain layers (kernel row-major [inputs x outputs]), read asynchronously:
 * a GPU backend (WebGPU) cannot read synchronously in Node.
 */
export async function layersOf(model: PfnModel): Promise<PfnLayer[]> {
  return Promise.all(
    model.variables.map(async (v, i) => {
      const [inputs, outputs] = v.kernel.shape as [number, number];
      return {
        inputs,
        outputs,
        activation: i < model.variables.length - 1 ? ('relu' as const) : ('linear' as const),
        kernel: Float32Array.from(await v.kernel.data()),
        bias: Float32Array.from(await v.bias.data()),
      };
    }),
  );
}

/** Overwrites the model's weights with `layers` (as read from a checkpoint). */
export function setLayers(model: PfnModel, layers: readonly PfnLayer[]): void {
  model.variables.forEach((v, i) => {
    const l = layers[i]!;
    v.kernel.assign(tf.tensor2d(l.kernel, [l.inputs, l.outputs]));
    v.bias.assign(tf.tensor1d(l.bias));
  });
}
