import { InputError, show } from '../core/errors.js';

/** How an axis is scaled. 'auto' picks 'log' when every value is positive and they span a decade or more. */
export type AxisScale = 'auto' | 'log' | 'linear';

/**
 * The Vega-Lite scale for an axis over `values`. Scaling laws are power laws, so a log axis is the
 * honest view once data span a decade; below that a linear axis reads better.
 */
export function axisScale(values: Iterable<number>, scale: AxisScale = 'auto', zero = false): { type: 'log' | 'linear'; zero?: boolean } {
  if (scale === 'linear') return { type: 'linear', zero };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (scale === 'log') {
    if (!(min > 0)) throw new InputError(`log axis needs positive values; smallest is ${show(min)}`, 'scale');
    return { type: 'log' };
  }
  return min > 0 && max / min >= 10 ? { type: 'log' } : { type: 'linear', zero };
}

/** Checks that `rows[i][field]` is a finite number for every row; names the chart, field and row otherwise. */
export function requireFinite<T>(chart: string, list: string, rows: readonly T[], fields: readonly (keyof T & string)[]): void {
  if (!Array.isArray(rows)) throw new InputError(`${chart}: ${list} must be an array; got ${show(rows)}`, list);
  rows.forEach((row, i) => {
    for (const f of fields) {
      const v = (row as Record<string, unknown>)[f];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InputError(`${chart}: ${list}[${i}].${f} must be a finite number; got ${show(v)}`, `${list}.${f}`);
      }
    }
  });
}

/** Axis labels: d3 format, with exponents written 1e21 rather than 1e+21 on log axes. */
export function axisFormat(type: 'log' | 'linear'): Record<string, unknown> {
  return type === 'log' ? { format: '.0e', labelExpr: "replace(datum.label, 'e+', 'e')" } : { format: '~s' };
}
