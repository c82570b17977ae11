import { InputError, show } from '../core/errors.js';
import type { Inputs } from './law.js';

const logs = new WeakMap<Float64Array, Float64Array>();

/**
 * log(column), computed once per array and cached: laws evaluate N^-alpha as exp(-alpha log N) on
 * every objective call, so the logs are worth keeping (the column must not be mutated afterwards).
 */
export function logColumn(values: Float64Array): Float64Array {
  let out = logs.get(values);
  if (!out) {
    out = values.map(Math.log);
    logs.set(values, out);
  }
  return out;
}

/** The input column `name`, checked to be present. */
export function column(x: Inputs, name: string, law: string): Float64Array {
  const values = x[name];
  if (!values) throw new InputError(`law ${show(law)} needs input column ${name}; got columns: ${Object.keys(x).join(', ') || '(none)'}`, name);
  return values;
}

/** Throws unless every value of the column is finite and positive. */
export function requirePositive(x: Inputs, name: string, law: string): void {
  const values = column(x, name, law);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`law ${show(law)}: row ${i + 1}, column ${name}: must be positive and finite, got ${show(v)}`, name);
  }
}
