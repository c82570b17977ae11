import { InputError, show } from '../core/errors.js';
import { rng, type Rng } from '../core/rng.js';
import { markovLanguage, type MarkovOptions } from './markov.js';
import { teacherTask, type TeacherOptions } from './teacher.js';
import { textTokens, tokenFile, type TextOptions, type TokenFileOptions, type TokenSource } from './tokens.js';
import type { DataShape } from './model-config.js';

/** The data of a proxy run, plain JSON. Training draws from a stream seeded by the run's seed;
 * evaluation uses a fixed set drawn from the data's own seed, the same for every run of a sweep. */
export type DataSpec = ({ type: 'markov' } & MarkovOptions) | ({ type: 'teacher' } & TeacherOptions) | ({ type: 'text' } & TextOptions) | ({ type: 'tokens' } & TokenFileOptions);

export const dataTypes = ['markov', 'teacher', 'text', 'tokens'] as const;

export interface TokenData extends DataShape {
  kind: 'tokens';
  vocab: number;
  /** Known irreducible loss in nats per token, where there is one (the Markov source's entropy rate). */
  floor?: number;
  /**
   * Loss is averaged over positions >= lossStart only. For the Markov source of order k this is k:
   * from there the whole context is visible, so the Bayes-optimal loss equals the entropy rate.
   */
  lossStart: number;
  /** A finite corpus: its file and sizes, to check a context against before training. */
  corpus?: { path: string; train: number; eval: number };
  /** `batch` windows of seqLen + 1 tokens, row-major. */
  train(random: Rng, batch: number, seqLen: number): Int32Array;
  /** The fixed evaluation windows, `count` rows of seqLen + 1 tokens (fewer if the data are short). */
  evaluation(seqLen: number, count: number): Int32Array;
}

export interface RegressionData extends DataShape {
  kind: 'regression';
  inputDim: number;
  outputDim: number;
  /** Irreducible mean squared error. */
  floor: number;
  train(random: Rng, batch: number): { x: Float32Array; y: Float32Array };
  evaluation(count: number): { x: Float32Array; y: Float32Array };
}

/** A generated data set: token streams for language models or inputs and targets for regression. */
export type Dataset = TokenData | RegressionData;

// Distinct streams for evaluation data, so it never shares random draws with training data.
const EVAL_STREAM = 0x6576616c;

/** Generates the data set a `DataSpec` describes (the same spec and seed give the same data). */
export function createDataset(spec: DataSpec): Dataset {
  if (spec === null || typeof spec !== 'object') throw new InputError(`data: expected an object, got ${show(spec)}`, 'data');
  switch (spec.type) {
    case 'markov': {
      const language = markovLanguage(spec);
      const seed = spec.seed ?? 0;
      return {
        kind: 'tokens',
        vocab: language.vocab,
        floor: language.entropyRate,
        lossStart: language.order,
        train(random, batch, seqLen) {
          const out = new Int32Array(batch * (seqLen + 1));
          for (let b = 0; b < batch; b++) language.sample(random, seqLen + 1, out, b * (seqLen + 1));
          return out;
        },
        evaluation(seqLen, count) {
          const random = rng(seed ^ EVAL_STREAM);
          const out = new Int32Array(count * (seqLen + 1));
          for (let b = 0; b < count; b++) language.sample(random, seqLen + 1, out, b * (seqLen + 1));
          return out;
        },
      };
    }
    case 'teacher': {
      const task = teacherTask(spec);
      const seed = spec.seed ?? 0;
      return {
        kind: 'regression',
        inputDim: task.inputDim,
        outputDim: task.outputDim,
        floor: task.floor,
        train: (random, batch) => task.sample(random, batch),
        evaluation: (count) => task.sample(rng(seed ^ EVAL_STREAM), count),
      };
    }
    case 'text':
      return corpusData(textTokens(spec));
    case 'tokens':
      return corpusData(tokenFile(spec));
    default:
      throw new InputError(`data.type: unknown data type ${show((spec as { type?: unknown }).type)}; expected one of ${dataTypes.join(', ')}`, 'data.type');
  }
}

function checkLength(available: number, seqLen: number, part: string, path: string): void {
  if (seqLen + 1 > available) {
    throw new InputError(`model.context: ${seqLen} is longer than the data: ${show(path)} has ${available} ${part} tokens`, 'model.context');
  }
}

/**
 * Windows of seqLen + 1 tokens from a finite corpus: training windows start anywhere in the
 * training part (drawn from the run's stream); evaluation uses consecutive windows from the start
 * of the held-out part, the same for every run.
 */
function corpusData(source: TokenSource): TokenData {
  return {
    kind: 'tokens',
    vocab: source.vocab,
    lossStart: 0,
    corpus: { path: source.path, train: source.trainLength, eval: source.evalLength },
    train(random, batch, seqLen) {
      checkLength(source.trainLength, seqLen, 'training', source.path);
      const out = new Int32Array(batch * (seqLen + 1));
      for (let b = 0; b < batch; b++) source.read('train', random.int(source.trainLength - seqLen), seqLen + 1, out, b * (seqLen + 1));
      return out;
    },
    evaluation(seqLen, count) {
      checkLength(source.evalLength, seqLen, 'evaluation', source.path);
      const rows = Math.min(count, Math.floor((source.evalLength - 1) / seqLen));
      const out = new Int32Array(rows * (seqLen + 1));
      for (let b = 0; b < rows; b++) source.read('eval', b * seqLen, seqLen + 1, out, b * (seqLen + 1));
      return out;
    },
  };
}

/** Checks up front that the data can feed a model of this context (text files may be short). */
export function checkContext(data: Dataset, seqLen: number): void {
  if (data.kind !== 'tokens' || !data.corpus) return;
  checkLength(data.corpus.train, seqLen, 'training', data.corpus.path);
  checkLength(data.corpus.eval, seqLen, 'evaluation', data.corpus.path);
}
