import { readFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';

/**
 * Byte-level tokens from a user's text file: vocabulary 256, one token per byte. The first
 * (1 - evalFraction) of the file is for training and the rest for evaluation, so no evaluation
 * window overlaps a training window.
 */
export interface TextOptions {
  path: string;
  /** Fraction of the file, at its end, held out for evaluation. @default 0.1 */
  evalFraction?: number;
}

export interface TextCorpus {
  path: string;
  train: Uint8Array;
  eval: Uint8Array;
}

export function textCorpus(options: TextOptions): TextCorpus {
  const { path, evalFraction = 0.1 } = options;
  if (typeof path !== 'string' || path === '') throw new InputError(`data.path: expected a file name, got ${show(path)}`, 'data.path');
  if (!(evalFraction > 0 && evalFraction < 1)) throw new InputError(`data.evalFraction: expected a number in (0, 1), got ${show(evalFraction)}`, 'data.evalFraction');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new InputError(`data.path: cannot read ${show(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'data.path');
  }
  const cut = Math.floor(bytes.length * (1 - evalFraction));
  return { path, train: bytes.subarray(0, cut), eval: bytes.subarray(cut) };
}
