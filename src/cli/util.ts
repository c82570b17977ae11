import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, FitError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';

// The table of terminal reports is core's formatTable, so that results' own reports share it.
export { formatNumber, formatTable as table };

/** Options every command accepts. */
export interface CommonOptions {
  json?: boolean;
}

/** Thrown by `action` to end a command with an exit code once its message is printed; `runCli` returns the code. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}

/** What a file-system error code means, for a one-line message; codes not listed are bugs. */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
};

/**
 * A file-system error (a path that is missing, a folder, unwritable) as the one-line InputError a
 * user gets, naming the path; undefined for anything else.
 */
export function fileErrorAsInput(error: unknown): InputError | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (!(e instanceof Error) || typeof e.code !== 'string' || !(e.code in FILE_ERRORS)) return undefined;
  const path = typeof e.path === 'string' ? e.path : undefined;
  return new InputError(`${path ?? e.syscall ?? 'file'}: ${FILE_ERRORS[e.code]} (${e.code})`, 'path');
}

/**
 * Wraps a command's action: a caller's mistake (InputError, or a file the system cannot read or
 * write) prints one line and exits 2; a FitError exits 3; anything else is a bug and keeps its
 * stack trace (exit 1).
 */
export function action<A extends unknown[]>(fn: (...args: A) => unknown | Promise<unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (caught) {
      const error = fileErrorAsInput(caught) ?? caught;
      if (error instanceof InputError) {
        process.stderr.write(`scalelaw: ${error.message}\n`);
        throw new CliExit(2);
      }
      if (error instanceof FitError) {
        process.stderr.write(`scalelaw: fit failed: ${error.message}\n`);
        throw new CliExit(3);
      }
      throw error;
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** What a number option must be beyond finite: an integer, at least `min`, above `above`, at most `max`. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  above?: number;
  max?: number;
}

/**
 * Parses a number option, naming the option in the error. Accepts 1e23, 5.76e+23, 1_000; with a
 * `rule`, also checks that it is an integer or lies in a range (`--threads 0`, `--every -1`).
 */
export function numberOption(name: string, text: string | undefined, rule: NumberRule = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(String(text).replaceAll('_', ''));
  if (String(text).trim() === '' || !Number.isFinite(value)) throw new InputError(`--${name}: not a number: ${JSON.stringify(text)}`, name);
  const bad = (what: string) => new InputError(`--${name}: must be ${what}, got ${show(text)}`, name);
  if (rule.integer && !Number.isInteger(value)) throw bad('a whole number');
  if (rule.above !== undefined && !(value > rule.above)) throw bad(rule.above === 0 ? 'positive' : `above ${rule.above}`);
  if (rule.min !== undefined && !(value >= rule.min)) throw bad(`at least ${rule.min}`);
  if (rule.max !== undefined && !(value <= rule.max)) throw bad(`at most ${rule.max}`);
  return value;
}

/** A count option: a whole number at least `min` (1 unless given), e.g. --threads, --resamples. */
export function countOption(name: string, text: string | undefined, min = 1): number | undefined {
  return numberOption(name, text, { integer: true, min });
}

/** A probability-like level strictly between 0 and 1 (--level 0.9). */
export function levelOption(name: string, text: string | undefined): number | undefined {
  const value = numberOption(name, text);
  if (value !== undefined && !(value > 0 && value < 1)) throw new InputError(`--${name}: must lie strictly between 0 and 1, got ${show(text)}`, name);
  return value;
}

/**
 * Checks, before any work starts, that `path` can be written by `--<name>`: its folder exists and is
 * a folder, and the path itself is not a folder. A fit that runs for minutes and then cannot save
 * its result is the failure this prevents.
 */
export function checkOutputPath(name: string, path: string | undefined): void {
  if (path === undefined) return;
  if (path.trim() === '') throw new InputError(`--${name}: empty path`, name);
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new InputError(`--${name}: ${show(path)}: folder ${show(dirname(path))} does not exist`, name);
  if (!statSync(folder).isDirectory()) throw new InputError(`--${name}: ${show(path)}: ${show(dirname(path))} is not a folder`, name);
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(`--${name}: ${show(path)} is a folder; give a file name`, name);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new InputError(`--${name}: ${show(path)}: folder ${show(dirname(path))} is not writable`, name);
  }
}

/**
 * The text of an input file, or of standard input for `-`; a missing path, a folder or an
 * unreadable file is an InputError naming `what` (e.g. "curve") and the path.
 */
export function readInputText(path: string, what: string): string {
  if (path === '-') {
    try {
      return readFileSync(0, 'utf8');
    } catch {
      throw new InputError(`${what} -: cannot read standard input`, what);
    }
  }
  if (!existsSync(path)) throw new InputError(`${what} ${path}: no such file`, what);
  if (statSync(path).isDirectory()) throw new InputError(`${what} ${path}: is a folder, not a file`, what);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`${what} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, what);
  }
}

/**
 * Refuses a file given twice in a list of inputs (`stop a.csv a.csv` would count one run twice).
 */
export function checkDistinctPaths(name: string, paths: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const path of paths) {
    const key = path === '-' ? '-' : resolve(path);
    if (seen.has(key)) throw new InputError(`${name}: ${show(path)} is given twice; each file is one run`, name);
    seen.set(key, path);
  }
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
