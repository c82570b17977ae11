import { InputError, show } from '../core/errors.js';
import type { Inputs, Law, ParamSpec } from './law.js';
import { addLaw } from './registry.js';
import { column } from './columns.js';

/** One parameter of a user-defined law: everything of ParamSpec but the name, which is the key. */
export type ParamDefinition = Omit<ParamSpec, 'name'>;

/** What `defineLaw` takes: a law written as names, bounds and a formula over named inputs. */
export interface LawDefinition<P extends string, I extends string> {
  /** Registry name, e.g. 'my-power-law'. */
  name: string;
  /** One line for reports. @default the formula, or the name */
  description?: string;
  /** Input columns, e.g. ['N'] or ['N', 'D']. */
  inputs: readonly I[];
  /** Parameters in order, keyed by name, with bounds, grid and scale. */
  params: Record<P, ParamDefinition>;
  formula?: string;
  /** The law at one row, parameters and inputs by name. */
  evaluate(p: Readonly<Record<P, number>>, x: Readonly<Record<I, number>>): number;
  /**
   * Partial derivatives at one row, in the order of `params` (natural units). Optional: central
   * finite differences otherwise.
   */
  gradient?(p: Readonly<Record<P, number>>, x: Readonly<Record<I, number>>): ArrayLike<number>;
  /** Register the law so `getLaw(name)` and the CLI find it. @default true */
  register?: boolean;
}

/**
 * Defines a row-wise law in a few lines and (by default) registers it.
 *
 * @example
 * defineLaw({
 *   name: 'offset-power-N',
 *   inputs: ['N'],
 *   params: { E: { min: 0, grid: [1, 2] }, A: { scale: 'log', grid: [1e2, 1e4] }, alpha: { min: 0, max: 2, grid: [0.2, 0.5] } },
 *   evaluate: ({ E, A, alpha }, { N }) => E + A * N ** -alpha,
 * });
 */
export function defineLaw<P extends string, I extends string>(definition: LawDefinition<P, I>): Law<Inputs> {
  const { name, inputs, formula, evaluate, gradient, register = true } = definition;
  if (typeof name !== 'string' || name.length === 0) throw new InputError(`law name: must be a non-empty string, got ${show(name)}`, 'name');
  const names = Object.keys(definition.params) as P[];
  if (names.length === 0) throw new InputError(`law ${show(name)}: no parameters`, 'params');
  const params: ParamSpec[] = names.map((key) => ({ name: key, ...definition.params[key] }));
  for (const spec of params) {
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
      throw new InputError(`law ${show(name)}, parameter ${spec.name}: bounds with min > max: [${show(spec.min)}, ${show(spec.max)}]`, spec.name);
    }
  }
  // One parameter object and one row object, reused across rows: no allocation per row.
  const pObj = {} as Record<P, number>;
  const xObj = {} as Record<I, number>;
  const fill = (p: Float64Array) => {
    for (let j = 0; j < names.length; j++) pObj[names[j]!] = p[j]!;
  };
  const law: Law<Inputs> = {
    name,
    description: definition.description ?? formula ?? name,
    inputs,
    params,
    formula,
    size: (x) => column(x, inputs[0]!, name).length,
    evaluate(p, x, out) {
      fill(p);
      const cols = inputs.map((input) => column(x, input, name));
      for (let i = 0; i < out.length; i++) {
        for (let k = 0; k < inputs.length; k++) xObj[inputs[k]!] = cols[k]![i]!;
        out[i] = evaluate(pObj, xObj);
      }
    },
  };
  if (gradient) {
    law.jacobian = (p, x, jac) => {
      fill(p);
      const cols = inputs.map((input) => column(x, input, name));
      const rows = cols[0]!.length,
        np = names.length;
      for (let i = 0; i < rows; i++) {
        for (let k = 0; k < inputs.length; k++) xObj[inputs[k]!] = cols[k]![i]!;
        const g = gradient(pObj, xObj);
        for (let j = 0; j < np; j++) jac[i * np + j] = g[j]!;
      }
    };
  }
  if (register) addLaw(law);
  return law;
}
