import { InputError } from '../core/errors.js';
import { tf } from './backend.js';
import type { Batch, LossOptions, ModelParts } from './model-types.js';

/**
 * Multi-layer perceptron for regression: ReLU hidden layers, a linear output, mean squared error
 * (whose Bayes floor is the noise variance of the teacher-student task). In muP the output is
 * divided by the width multiplier, as the transformer's readout is.
 */
export function mlpLoss(parts: ModelParts, batch: Batch, options: LossOptions): tf.Scalar {
  const { config, p, widthMult } = parts;
  if (batch.kind !== 'regression' || config.family !== 'mlp') throw new InputError('model.family: an mlp needs regression data (teacher)', 'model.family');
  const inputDim = p['h0.w'] ? p['h0.w'].shape[0]! : p['out.w']!.shape[0]!;
  const outputDim = p['out.w']!.shape[1]!;
  let h: tf.Tensor = tf.tensor2d(batch.x, [batch.batch, inputDim]);
  for (let l = 0; l < config.depth; l++) h = tf.relu(h.matMul(p[`h${l}.w`]! as tf.Tensor2D).add(p[`h${l}.b`]!));
  let out = h.matMul(p['out.w']! as tf.Tensor2D).add(p['out.b']!);
  if (widthMult !== 1) out = out.div(widthMult);
  const y = tf.tensor2d(batch.y, [batch.batch, outputDim]);
  const loss = out.sub(y).square().mean() as tf.Scalar;
  if (options.stats) {
    options.stats.taskLoss = tf.keep(loss);
    options.stats.outputLogitRms = tf.keep(out.square().mean().sqrt() as tf.Scalar);
  }
  return loss;
}
