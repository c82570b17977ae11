import { readFileSync, writeFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';
import { CurveFit, Fit, ScalingFit } from './result.js';

/** The kinds of fit `loadFit` reads, and what each gives. */
interface Kinds {
  'scaling-fit': ScalingFit;
  'curve-fit': CurveFit;
  any: ScalingFit | CurveFit;
}

/**
 * Reads a saved fit (`toJSON` output) from a file; errors name the file. The one reader of fit files:
 * it dispatches on the file's `kind` ('scaling-fit' or 'curve-fit'), and with `kind` refuses the other.
 *
 * @example loadFit('fits/chinchilla-epoch2024.json').predict({ N: 7e10, D: 1.4e12 })
 * @example loadFit('fits/mpl-25m.json', 'curve-fit').predict(schedule)
 */
export function loadFit<K extends keyof Kinds = 'scaling-fit'>(path: string, kind?: K): Kinds[K] {
  const wanted = kind ?? 'scaling-fit';
  if (wanted !== 'scaling-fit' && wanted !== 'curve-fit' && wanted !== 'any') throw new InputError(`kind: not "scaling-fit", "curve-fit" or "any": ${show(kind)}`, 'kind');
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
  if (wanted === 'scaling-fit') return ScalingFit.fromJSON(json, path) as Kinds[K];
  if (wanted === 'curve-fit') return CurveFit.fromJSON(json, path) as Kinds[K];
  return Fit.fromJSON(json, path) as Kinds[K];
}

/** Writes a fit of either kind as JSON (bounds of ±Infinity are written as null and read back as such). */
export function saveFit(fit: ScalingFit | CurveFit, path: string): void {
  if (!(fit instanceof Fit)) throw new InputError(`saveFit: not a ScalingFit or CurveFit: ${show(fit)}`, 'fit');
  writeFileSync(path, JSON.stringify(fit, null, 1) + '\n');
}
