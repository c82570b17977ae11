import { InputError, show } from '../core/errors.js';

/**
 * Model settings, plain JSON (kept verbatim in a run's config). Counting parameters and FLOPs needs
 * no TensorFlow.js, so planners and sweeps can size models without loading it.
 */
export type Parameterization = 'standard' | 'mup';

export interface TransformerConfig {
  family: 'transformer';
  /** Residual width d_model. */
  width: number;
  /** Number of blocks n_layer. */
  depth: number;
  /** Attention heads; must divide `width`. @default max(1, width / 16) rounded down to a divisor */
  heads?: number;
  /** Context length n_ctx in tokens. */
  context: number;
  /** Feed-forward width as a multiple of `width`. @default 4 */
  mlpRatio?: number;
  /**
   * 'mup': maximal update parameterisation (Yang et al. 2022, Tensor Programs V, Table 3 with the
   * MuReadout multiplier of their Table 8), so a learning rate tuned at `baseWidth` transfers.
   * @default 'standard'
   */
  parameterization?: Parameterization;
  /** Width at which muP and standard parameterisation coincide. @default 64 */
  baseWidth?: number;
  /** LayerNorm on queries and keys (Wortsman et al. 2023, section 3.1.1). @default false */
  qkNorm?: boolean;
}

export interface MlpConfig {
  family: 'mlp';
  /** Hidden width. */
  width: number;
  /** Number of hidden layers. */
  depth: number;
  /** @default 'standard' */
  parameterization?: Parameterization;
  /** @default 64 */
  baseWidth?: number;
}

/** A proxy model: a transformer or an MLP, by `family`. */
export type ModelConfig = TransformerConfig | MlpConfig;

/** The model families this module builds. */
export const families = ['transformer', 'mlp'] as const;

/** Shapes the data impose on a model: vocabulary for token data, dimensions for regression. */
export interface DataShape {
  kind: 'tokens' | 'regression';
  /** Token data: vocabulary size. */
  vocab?: number;
  /** Regression data: input and output dimensions. */
  inputDim?: number;
  outputDim?: number;
}

export interface ParameterCount {
  /** Every trainable scalar, counted from the tensors' shapes. */
  total: number;
  /** Token and position embeddings and the unembedding (readout) matrix; 0 for an MLP. */
  embedding: number;
  /** total - embedding, as Kaplan et al. 2020 count N (section 2.1), biases and norms included. */
  nonEmbedding: number;
}

function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(`${field}: expected a positive integer, got ${show(value)}`, field);
  }
  return value;
}

/** Validates a model config and fills in defaults. Throws InputError naming the field. */
export function resolveModel(config: unknown, field = 'model'): Required<TransformerConfig> | Required<MlpConfig> {
  if (config === null || typeof config !== 'object') throw new InputError(`${field}: expected an object, got ${show(config)}`, field);
  const c = config as Record<string, unknown>;
  const family = c.family;
  if (family !== 'transformer' && family !== 'mlp') {
    throw new InputError(`${field}.family: unknown model family ${show(family)}; expected one of ${families.join(', ')}`, `${field}.family`);
  }
  const width = positiveInt(c.width, `${field}.width`);
  const depth = positiveInt(c.depth, `${field}.depth`);
  const parameterization = (c.parameterization ?? 'standard') as Parameterization;
  if (parameterization !== 'standard' && parameterization !== 'mup') {
    throw new InputError(`${field}.parameterization: expected "standard" or "mup", got ${show(c.parameterization)}`, `${field}.parameterization`);
  }
  const baseWidth = positiveInt(c.baseWidth ?? 64, `${field}.baseWidth`);
  if (family === 'mlp') return { family, width, depth, parameterization, baseWidth };
  const context = positiveInt(c.context, `${field}.context`);
  const heads = positiveInt(c.heads ?? defaultHeads(width), `${field}.heads`);
  if (width % heads !== 0) throw new InputError(`${field}.heads: ${heads} does not divide width ${width}`, `${field}.heads`);
  const mlpRatio = c.mlpRatio ?? 4;
  if (typeof mlpRatio !== 'number' || !(mlpRatio > 0) || !Number.isInteger(mlpRatio * width)) {
    throw new InputError(`${field}.mlpRatio: expected a positive number with mlpRatio * width an integer, got ${show(c.mlpRatio)}`, `${field}.mlpRatio`);
  }
  const qkNorm = c.qkNorm ?? false;
  if (typeof qkNorm !== 'boolean') throw new InputError(`${field}.qkNorm: expected true or false, got ${show(c.qkNorm)}`, `${field}.qkNorm`);
  return { family, width, depth, heads, context, mlpRatio, parameterization, baseWidth, qkNorm };
}

function defaultHeads(width: number): number {
  let h = Math.max(1, Math.floor(width / 16));
  while (width % h !== 0) h--;
  return h;
}

/**
 * The shapes of every trainable tensor, by name, in creation order. The models build exactly these
 * tensors, and tests check that they do, so the counts below are exact.
 */
export function parameterShapes(model: ModelConfig, data: DataShape): [string, number[]][] {
  const m = resolveModel(model);
  const shapes: [string, number[]][] = [];
  if (m.family === 'mlp') {
    const inputDim = data.inputDim ?? 0;
    const outputDim = data.outputDim ?? 1;
    let fanIn = inputDim;
    for (let l = 0; l < m.depth; l++) {
      shapes.push([`h${l}.w`, [fanIn, m.width]], [`h${l}.b`, [m.width]]);
      fanIn = m.width;
    }
    shapes.push(['out.w', [fanIn, outputDim]], ['out.b', [outputDim]]);
    return shapes;
  }
  const d = m.width;
  const vocab = data.vocab ?? 0;
  const ff = m.mlpRatio * d;
  const dHead = d / m.heads;
  shapes.push(['embed', [vocab, d]], ['pos', [m.context, d]]);
  for (let l = 0; l < m.depth; l++) {
    const p = `b${l}.`;
    shapes.push([p + 'ln1.g', [d]], [p + 'ln1.b', [d]], [p + 'wq', [d, d]], [p + 'wk', [d, d]], [p + 'wv', [d, d]]);
    if (m.qkNorm) shapes.push([p + 'qn.g', [dHead]], [p + 'qn.b', [dHead]], [p + 'kn.g', [dHead]], [p + 'kn.b', [dHead]]);
    shapes.push([p + 'wo', [d, d]], [p + 'ln2.g', [d]], [p + 'ln2.b', [d]], [p + 'w1', [d, ff]], [p + 'b1', [ff]], [p + 'w2', [ff, d]], [p + 'b2', [d]]);
  }
  shapes.push(['lnf.g', [d]], ['lnf.b', [d]], ['unembed', [d, vocab]]);
  return shapes;
}

const embeddingNames = new Set(['embed', 'pos', 'unembed']);

/** Exact parameter counts. */
export function parameterCount(model: ModelConfig, data: DataShape): ParameterCount {
  let total = 0;
  let embedding = 0;
  for (const [name, shape] of parameterShapes(model, data)) {
    const size = shape.reduce((a, b) => a * b, 1);
    total += size;
    if (embeddingNames.has(name)) embedding += size;
  }
  return { total, embedding, nonEmbedding: total - embedding };
}

/**
 * Training FLOPs per token (or per sample for an MLP): three times the forward pass, which is
 * 2 x (every weight the token multiplies through: non-embedding weights and the unembedding; the
 * input embedding is a lookup) + 2 n_layer n_ctx d_model for attention scores and their use
 * (Kaplan et al. 2020, Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn, with the de-embedding's
 * 2 d_model n_vocab kept here because proxy vocabularies make it matter).
 */
export function trainingFlopsPerToken(model: ModelConfig, data: DataShape): number {
  const m = resolveModel(model);
  const count = parameterCount(m, data);
  if (m.family === 'mlp') return 6 * count.total;
  const readout = m.width * (data.vocab ?? 0);
  return 6 * (count.nonEmbedding + readout) + 6 * m.depth * m.context * m.width;
}

/**
 * Training FLOPs per token without the embedding and readout matrices: 6 x non-embedding
 * parameters + the attention term (Kaplan et al. 2020's C = 6N with N non-embedding). Runs record
 * both this and `trainingFlopsPerToken`, which counts the readout; at proxy sizes they differ a lot.
 */
export function trainingFlopsPerTokenNonEmbedding(model: ModelConfig, data: DataShape): number {
  const m = resolveModel(model);
  const count = parameterCount(m, data);
  if (m.family === 'mlp') return 6 * count.total;
  return 6 * count.nonEmbedding + 6 * m.depth * m.context * m.width;
}
