import { InputError, show } from '../core/errors.js';
import { builtinLaws } from './builtins.js';
import type { Law } from './law.js';

let registry: Map<string, Law<any>> | undefined;

// Built lazily, so a law module may import the registry's types without a load-order cycle.
function laws(): Map<string, Law<any>> {
  if (!registry) {
    registry = new Map();
    for (const law of builtinLaws) {
      if (registry.has(law.name)) throw new Error(`builtin law ${law.name} is listed twice`);
      registry.set(law.name, law);
    }
  }
  return registry;
}

/**
 * Registers a law under its name. Refuses to replace an existing law unless `{ override: true }`.
 */
export function addLaw<X>(law: Law<X>, options: { override?: boolean } = {}): Law<X> {
  const { override = false } = options;
  if (laws().has(law.name) && !override) {
    throw new InputError(`law ${show(law.name)} is already registered; pass { override: true } to replace it`, 'name');
  }
  laws().set(law.name, law);
  return law;
}

/** The law registered under `name`; an InputError listing the known names otherwise. */
export function getLaw<X = any>(name: string): Law<X> {
  const law = laws().get(name);
  if (!law) throw new InputError(`unknown law: ${show(name)}; known laws: ${[...laws().keys()].sort().join(', ')}`, 'law');
  return law as Law<X>;
}

export function hasLaw(name: string): boolean {
  return laws().has(name);
}

/** The names of every registered law, sorted. */
export function listLaws(): string[] {
  return [...laws().keys()].sort();
}
