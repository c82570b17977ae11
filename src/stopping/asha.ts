import { InputError, show } from '../core/errors.js';
import { better, bestOf, checkView, type StopRule } from './rule.js';

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020): rungs at minPoints * eta^k points; a run
 * at a rung continues only if its value there is in the top 1/eta of the peers that reached it.
 */
export function asha(options: { minPoints?: number; eta?: number } = {}): StopRule {
  const { minPoints = 1, eta = 3 } = options;
  if (!(Number.isInteger(minPoints) && minPoints >= 1)) throw new InputError(`asha: minPoints: must be a positive integer, got ${show(minPoints)}`, 'minPoints');
  if (!(eta > 1)) throw new InputError(`asha: eta: must be > 1, got ${show(eta)}`, 'eta');
  const name = `asha(min=${minPoints}, eta=${eta})`;
  return {
    name,
    decide(view) {
      checkView(view, 'asha');
      const t = view.values.length;
      const k = Math.log(t / minPoints) / Math.log(eta);
      if (Math.abs(k - Math.round(k)) > 1e-9 || t >= view.horizon) return { stop: false, reason: `${name}: not at a rung` };
      const mine = bestOf(view.goal, view.values);
      const at = (view.peers ?? []).filter((p) => p.values.length >= t).map((p) => bestOf(view.goal, p.values, t));
      const all = [...at, mine].sort((a, b) => (view.goal === 'max' ? b - a : a - b));
      const keepCount = Math.floor(all.length / eta);
      if (keepCount === 0) return { stop: false, reason: `${name}: too few runs at rung ${t}` };
      const cut = all[keepCount - 1]!;
      return { stop: better(view.goal, cut, mine), reason: `${name}: rung ${t}, value ${mine}, top-1/${eta} cut ${cut}` };
    },
  };
}

/**
 * Synchronous successive halving (Jamieson & Talwalkar 2016) over complete curves: which runs
 * survive each rung. Returns, per run, the points it was trained for.
 */
export function successiveHalving(curves: readonly Float64Array[], options: { goal: 'min' | 'max'; minPoints?: number; eta?: number }): number[] {
  const { goal, minPoints = 1, eta = 3 } = options;
  if (curves.length === 0) throw new InputError('successiveHalving: no runs', 'curves');
  const length = Math.min(...curves.map((c) => c.length));
  const trained = curves.map(() => 0);
  let alive = curves.map((_, i) => i);
  for (let r = minPoints; alive.length > 0; r = Math.min(length, Math.ceil(r * eta))) {
    for (const i of alive) trained[i] = r;
    if (r >= length || alive.length === 1) break;
    const ranked = [...alive].sort((a, b) => (goal === 'max' ? curves[b]![r - 1]! - curves[a]![r - 1]! : curves[a]![r - 1]! - curves[b]![r - 1]!));
    alive = ranked.slice(0, Math.max(1, Math.floor(alive.length / eta)));
  }
  return trained;
}
