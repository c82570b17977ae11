import { InputError, show } from '../core/errors.js';

/** How an axis is scaled. 'auto' picks 'log' when every value is positive and they span a decade or more. */
export type AxisScale = 'auto' | 'log' | 'linear';

/** A Vega-Lite scale as `axisScale` gives it: a log scale carries its data's extent as its domain. */
export interface AxisScaleSpec {
  type: 'log' | 'linear';
  zero?: boolean;
  domain?: [number, number];
  nice?: boolean;
  padding?: number;
}

/**
 * The Vega-Lite scale for an axis over `values`. Scaling laws are power laws, so a log axis is the
 * honest view once data span a decade; below that a linear axis reads better. A log scale is fitted
 * to the data (no rounding out to whole decades, which flattens a curve spanning 2.0 to 3.4 into a
 * sliver of a 1-10 axis), with a few pixels of padding.
 */
export function axisScale(values: Iterable<number>, scale: AxisScale = 'auto', zero = false): AxisScaleSpec {
  if (scale === 'linear') return { type: 'linear', zero };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const log = (): AxisScaleSpec => (max > min ? { type: 'log', domain: [min, max], nice: false, padding: 8 } : { type: 'log' });
  if (scale === 'log') {
    if (!(min > 0)) throw new InputError(`log axis needs positive values; smallest is ${show(min)}`, 'scale');
    return log();
  }
  return min > 0 && max / min >= 10 ? log() : { type: 'linear', zero };
}

/**
 * Tick values for a log axis over [min, max]: 1-2-5 in each decade over up to 3 decades, the powers
 * of ten up to 8, every k-th power beyond (at most about 8 ticks); within less than a decade, finer
 * steps (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8) so that there are at least 3 ticks.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const decades = Math.log10(max / min);
  const within = (mantissas: readonly number[], every = 1) => {
    const out: number[] = [];
    for (let e = lo; e <= hi; e++) {
      if ((e - lo) % every !== 0) continue;
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  };
  if (decades <= 1) {
    const fine = within([1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8]);
    if (fine.length <= 8) return fine.length >= 3 ? fine : within([1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2, 2.2, 2.5, 2.8, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9]);
    return within([1, 2, 5]).length >= 3 ? within([1, 2, 5]) : within([1, 1.5, 2, 3, 5, 7]);
  }
  if (decades <= 3) return within([1, 2, 5]);
  if (decades <= 8) return within([1]);
  return within([1], Math.ceil((hi - lo) / 8));
}

/**
 * A tick label: plain below 1e4 and from 1e-3 (0.5, 2, 250, 2048), otherwise mantissa-exponent
 * without a plus sign (2e21, 1.5e-5): readable, and no label like "5e0".
 */
const LABEL = "abs(datum.value) >= 10000 || (abs(datum.value) < 0.001 && datum.value != 0) ? replace(format(datum.value, '.2~e'), 'e+', 'e') : format(datum.value, '~g')";

/**
 * Axis settings for a scale from `axisScale` (or just its type): readable labels on every axis and,
 * on a log axis with a known domain, 1-2-5 ticks (see `logTicks`) with their grid lines only; labels
 * that would overlap are dropped.
 */
export function axisFormat(scale: 'log' | 'linear' | { type: 'log' | 'linear'; domain?: readonly number[] }): Record<string, unknown> {
  const spec = typeof scale === 'string' ? { type: scale } : scale;
  const axis: Record<string, unknown> = { labelExpr: LABEL, labelOverlap: 'greedy', labelFlush: false };
  if (spec.type === 'log' && 'domain' in spec && spec.domain && spec.domain.length === 2) {
    const ticks = logTicks(spec.domain[0]!, spec.domain[1]!);
    if (ticks.length >= 2) axis.values = ticks;
  }
  return axis;
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
