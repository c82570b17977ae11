import { InputError, show } from '../core/errors.js';
import { warn } from '../core/warn.js';

/**
 * JSON has no NaN or Infinity, and a diverged run logs them. They are stored as the strings
 * "NaN", "Infinity" and "-Infinity" and read back as numbers, so a trajectory round-trips exactly.
 */
export function encodeLine(value: object): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

const nonFinite: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Undoes `encodeLine`'s encoding of non-finite numbers in the top-level fields of a record. */
export function decodeNonFinite(record: Record<string, unknown>): Record<string, unknown> {
  for (const [key, v] of Object.entries(record)) if (typeof v === 'string' && v in nonFinite) record[key] = nonFinite[v];
  return record;
}

export interface JsonLinesOptions {
  /**
   * A last line without its newline that does not parse is what a crash mid-write leaves behind:
   * when true it is skipped with a warning instead of being an error. @default false
   */
  tolerateTornTail?: boolean;
}

/**
 * Parses JSON Lines text into objects, one per non-blank line. Errors name the file and the 1-based
 * line. Each line must hold a JSON object.
 */
export function parseJsonLines(text: string, file: string, options: JsonLinesOptions = {}): Record<string, unknown>[] {
  const { tolerateTornTail = false } = options;
  const lines = text.split('\n');
  // A file that ends with a newline splits into a last empty piece; anything else is an unterminated tail.
  const tail = lines.pop()!;
  const out: Record<string, unknown>[] = [];
  const parse = (line: string, index: number, torn: boolean): void => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (torn && tolerateTornTail) {
        warn(`${file}: line ${index + 1}: ignoring an incomplete last line (${line.length} bytes), left by an interrupted write`);
        return;
      }
      throw new InputError(`${file}: line ${index + 1}: not valid JSON: ${show(line)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${file}: line ${index + 1}: expected a JSON object, got ${show(value)}`);
    }
    out.push(value as Record<string, unknown>);
  };
  lines.forEach((line, i) => parse(line, i, false));
  parse(tail, lines.length, true);
  return out;
}
