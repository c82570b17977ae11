// The types shared by the model builder (model.ts) and the forward passes (mlp.ts, transformer.ts),
// in a file of their own so that neither forward pass imports the builder that calls it.
import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig, resolveModel } from './model-config.js';

/** One batch: token windows [batch, seqLen + 1] or regression inputs and targets. */
export type Batch = { kind: 'tokens'; tokens: Int32Array; batch: number; seqLen: number } | { kind: 'regression'; x: Float32Array; y: Float32Array; batch: number };

/**
 * Scalars measured during a forward pass, kept out of the tape's disposal so the trainer can read
 * them after the step: the largest attention logit (before softmax, over all layers and heads) and
 * the root-mean-square of the output logits (Wortsman et al. 2023 watch both for instabilities).
 */
export interface ForwardStats {
  maxAttentionLogit?: tf.Scalar;
  outputLogitRms?: tf.Scalar;
  /**
   * Mean log Z = logsumexp of the output logits over the scored positions: 0 when the logits are
   * log-probabilities; its drift is Wortsman et al.'s output-logit divergence, which z-loss holds back.
   */
  outputLogZ?: tf.Scalar;
  /** The task loss without auxiliary terms (z-loss), which is what a scaling law fits. */
  taskLoss?: tf.Scalar;
}

/** Options of one loss evaluation. */
export interface LossOptions {
  /** z-loss coefficient: adds z * mean(log Z^2) (Chowdhery et al. 2022; Wortsman et al. 2023). @default 0 */
  zLoss?: number;
  /** First position whose loss counts (see TokenData.lossStart). @default 0 */
  lossStart?: number;
  /** Fills in the forward statistics when given. */
  stats?: ForwardStats;
}

/** A built model: its variables with their per-variable optimiser settings, and its loss. */
export interface Model {
  config: ModelConfig;
  names: string[];
  variables: tf.Variable[];
  /** Per-variable learning-rate multiplier (muP scales hidden matrices by baseWidth / width). */
  lrScale: number[];
  /** Whether weight decay applies (matrices yes; norms and biases no). */
  decay: boolean[];
  /** The training loss of a batch (a scalar to differentiate). */
  loss(batch: Batch, options?: LossOptions): tf.Scalar;
  dispose(): void;
}

/** What the forward functions need: parameters by name and the resolved config. */
export interface ModelParts {
  config: ReturnType<typeof resolveModel>;
  p: Record<string, tf.Variable>;
  /** muP width multiplier m = width / baseWidth; 1 in standard parameterisation. */
  widthMult: number;
}
