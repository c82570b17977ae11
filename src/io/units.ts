/** Multipliers for the suffixes in sizes such as `7B`, `1.4T`, `125M`, `350k` (B and G both mean 1e9). */
const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9, g: 1e9, G: 1e9, t: 1e12, T: 1e12 };
const NUMBER = /^[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SIZE = /^([+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKmMbBgGtT])$/;
const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

/**
 * A cell as a number: numbers as they are, bigints converted, strings parsed (`1e9`, `1_000`,
 * `NaN`, `inf`; with `units`, also `7B`, `1.4T`, `125M`). Returns `null` for an empty cell and
 * `undefined` for text that is not a number. Non-finite numbers are returned as such: deciding
 * whether they are allowed is the caller's business.
 *
 * @example parseNumber('1.4T', { units: true }) // 1.4e12
 */
export function parseNumber(value: unknown, options: { units?: boolean } = {}): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return null;
  // Fast path for the common case; Number() also takes hex, octal and binary literals, which are not data.
  const plain = Number(text);
  if (!Number.isNaN(plain) && !/[xXoObB]/.test(text)) return plain;
  if (NUMBER.test(text)) return Number(text.replaceAll('_', ''));
  const special = NON_FINITE[text.toLowerCase()];
  if (special !== undefined) return special;
  if (options.units) {
    const match = SIZE.exec(text);
    if (match) return Number(match[1]!.replaceAll('_', '')) * SUFFIX[match[2]!]!;
  }
  return undefined;
}

/**
 * A size such as `7B` or `1.4T` as a number (see `parseNumber`); `undefined` when it is not one.
 *
 * @example parseSize('70B') // 7e10
 */
export function parseSize(text: string): number | undefined {
  const value = parseNumber(text, { units: true });
  return value === null ? undefined : value;
}
