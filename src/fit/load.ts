import { readFileSync, writeFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';
import { ScalingFit } from './result.js';

/** Reads a saved fit (`toJSON` output) from a file; errors name the file. */
export function loadFit(path: string): ScalingFit {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`${path}: cannot read fit file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'fit');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${path}: not JSON`, 'fit');
  }
  return ScalingFit.fromJSON(json, path);
}

/** Writes a fit as JSON (bounds of ±Infinity are written as null and read back as such). */
export function saveFit(fit: ScalingFit, path: string): void {
  if (!(fit instanceof ScalingFit)) throw new InputError(`saveFit: not a ScalingFit: ${show(fit)}`, 'fit');
  writeFileSync(path, JSON.stringify(fit, null, 1) + '\n');
}
