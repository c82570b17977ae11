/**
 * A caller's mistake: bad input, an unknown name, an impossible option. Thrown at once, before any
 * work starts, with a message that names the field (and file and row where there is one) and
 * echoes the offending value.
 */
export class InputError extends Error {
  /** The option, column or field at fault, when there is one. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'InputError';
    this.field = field;
  }
}

/**
 * A fit that failed in a way the caller asked to be strict about (for example `strict: true`), or
 * that could not produce any finite result at all. Ordinary non-convergence is reported on the
 * result instead (`converged: false`).
 */
export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FitError';
  }
}

/** Formats a value for an error message: numbers as written, strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? text.slice(0, 77) + '...' : text;
  } catch {
    return String(value);
  }
}
