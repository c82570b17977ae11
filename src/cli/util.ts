import { InputError, FitError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';

// The table of terminal reports is core's formatTable, so that results' own reports share it.
export { formatNumber, formatTable as table };

/** Options every command accepts. */
export interface CommonOptions {
  json?: boolean;
}

/**
 * Wraps a command's action: a caller's mistake (InputError) prints one line and exits 2; a FitError
 * exits 3; anything else is a bug and keeps its stack trace (exit 1).
 */
export function action<A extends unknown[]>(fn: (...args: A) => unknown | Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      if (error instanceof InputError) {
        process.stderr.write(`scalelaw: ${error.message}\n`);
        process.exit(2);
      }
      if (error instanceof FitError) {
        process.stderr.write(`scalelaw: fit failed: ${error.message}\n`);
        process.exit(3);
      }
      throw error;
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Parses a number option, naming the option in the error. Accepts 1e23, 5.76e+23, 1_000. */
export function numberOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(String(text).replaceAll('_', ''));
  if (!Number.isFinite(value)) throw new InputError(`--${name}: not a number: ${JSON.stringify(text)}`, name);
  return value;
}

/**
 * `--weighting`, checked with the `--method` it goes with (extrapolate, stop): evidence or equal,
 * and only with the ensemble, whose families it weights (the library refuses it with 'fast' too).
 */
export function weightingFlag(weighting: string | undefined, method: string | undefined): 'evidence' | 'equal' | undefined {
  if (weighting === undefined) return undefined;
  if (weighting !== 'evidence' && weighting !== 'equal') throw new InputError(`--weighting: must be evidence or equal, got ${show(weighting)}`, 'weighting');
  if (method !== 'ensemble') throw new InputError("--weighting: weights the ensemble's families; give it with --method ensemble", 'weighting');
  return weighting;
}

/** Parses `--fix E=1.7` pairs. */
export function parseFixed(pairs: string[] | undefined): Record<string, number> {
  const fixed: Record<string, number> = {};
  for (const pair of pairs ?? []) {
    const match = /^([A-Za-z_]\w*)=(.+)$/.exec(pair);
    if (!match) throw new InputError(`--fix: expected NAME=VALUE, got ${show(pair)}`, 'fix');
    fixed[match[1]!] = numberOption('fix', match[2])!;
  }
  return fixed;
}
