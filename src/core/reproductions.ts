import { InputError, show } from './errors.js';

/** One published figure next to ours. */
export interface ReproducedMetric {
  metric: string;
  published: number;
  ours: number;
  /** Optional note (units, protocol detail). */
  note?: string;
}

/**
 * A published protocol that runs on bundled data (`scalelaw reproduce <id>`).
 */
export interface Reproduction {
  id: string;
  /** One line: the paper, the data and what is compared. */
  description: string;
  run(options?: { seed?: number; onProgress?: (message: string) => void }): Promise<ReproducedMetric[]>;
}

const registry = new Map<string, Reproduction>();

export function addReproduction(reproduction: Reproduction, options: { override?: boolean } = {}): Reproduction {
  if (registry.has(reproduction.id) && !options.override) {
    throw new InputError(`reproduction ${show(reproduction.id)} is already registered; pass { override: true } to replace it`, 'id');
  }
  registry.set(reproduction.id, reproduction);
  return reproduction;
}

export function getReproduction(id: string): Reproduction {
  const r = registry.get(id);
  if (!r) throw new InputError(`unknown reproduction: ${show(id)}; known: ${[...registry.keys()].sort().join(', ') || '(none)'}`, 'id');
  return r;
}

export function listReproductions(): Reproduction[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));
}
