import { rng } from '../core/rng.js';
import { tf } from './backend.js';
import { parameterShapes, resolveModel, type DataShape, type ModelConfig } from './model-config.js';
import type { Model, ModelParts } from './model-types.js';
import { transformerLoss } from './transformer.js';
import { mlpLoss } from './mlp.js';

export type { Batch, ForwardStats, LossOptions, Model, ModelParts } from './model-types.js';

const isNorm = (name: string) => /(^|\.)(ln\w*|qn|kn|lnf)\.[gb]$/.test(name);
const isBias = (name: string) => /\.b\d?$/.test(name) && !isNorm(name);
// Matrices whose fan-in grows with width: muP scales their Adam learning rate by 1 / m.
const isHidden = (name: string) => /\.(wq|wk|wv|wo|w1|w2)$/.test(name) || /^h[1-9]\d*\.w$/.test(name);

/**
 * Builds a model with its variables initialised from `seed` (the same seed gives the same weights
 * on every backend). Initialisation: hidden matrices N(0, 1/fan_in) (the muP and standard choice
 * for Adam), residual projections further divided by sqrt(2 depth) (Radford et al. 2019), token
 * and position embeddings N(0, 1), norms gain 1 bias 0, biases 0, readout N(0, 1/fan_in).
 */
export function createModel(model: ModelConfig, data: DataShape, seed: number): Model {
  const config = resolveModel(model);
  const random = rng(seed);
  const shapes = parameterShapes(config, data);
  const mup = config.parameterization === 'mup';
  const widthMult = mup ? config.width / config.baseWidth : 1;
  const names: string[] = [];
  const variables: tf.Variable[] = [];
  const lrScale: number[] = [];
  const decay: boolean[] = [];
  const p: Record<string, tf.Variable> = {};
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (isNorm(name)) {
      if (name.endsWith('.g')) values.fill(1);
    } else if (!isBias(name)) {
      let std = name === 'embed' || name === 'pos' ? 1 : 1 / Math.sqrt(shape[0]!);
      if (config.family === 'mlp' && name !== 'out.w') std *= Math.SQRT2; // He init for ReLU layers
      if (config.family === 'transformer' && /\.(wo|w2)$/.test(name)) std /= Math.sqrt(2 * config.depth);
      for (let i = 0; i < size; i++) values[i] = std * random.normal();
    }
    const v = tf.variable(tf.tensor(values, shape, 'float32'), true, name);
    names.push(name);
    variables.push(v);
    p[name] = v;
    lrScale.push(mup && isHidden(name) ? 1 / widthMult : 1);
    decay.push(!isNorm(name) && !isBias(name));
  }
  const parts: ModelParts = { config, p, widthMult };
  return {
    config,
    names,
    variables,
    lrScale,
    decay,
    loss: (batch, options = {}) => (config.family === 'transformer' ? transformerLoss(parts, batch, options) : mlpLoss(parts, batch, options)),
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}
