import { InputError, show } from '../core/errors.js';
import { better, bestOf, checkView, type RunView, type StopRule } from './rule.js';

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020): rungs at grace * eta^k points (k = 0, 1,
 * ...); a run that has reached a rung continues only if its best value up to that rung is in the top
 * 1/eta of the runs that reached it (its peers and itself).
 *
 * The grace period (`minPoints`, Li et al.'s minimum resource r, Optuna's `min_resource`, Ray Tune's
 * `grace_period`) is the number of points before the first rung: no run is stopped earlier. Its
 * default is derived from the horizon: `ceil(H / eta^2)`, where H is the number of points a run has
 * at the horizon (from its own logging interval), so every run gets two decisions, at about 1/eta^2
 * and 1/eta of its length (11% and 33% at eta = 3, near the 10% a learning-curve protocol first
 * decides at), whatever the curve length; with a grace period of one point, a 20-epoch curve would
 * be cut on its first, noisiest point.
 *
 * A rule sees a snapshot, not the study's history, so a run is judged at the highest rung it has
 * reached (not only on the point that reaches it exactly, which a run checked at arbitrary times
 * rarely hits); a rung at or past the horizon is the end of training, not a decision.
 */
export function asha(options: { minPoints?: number; eta?: number } = {}): StopRule {
  const { minPoints, eta = 3 } = options;
  if (minPoints !== undefined && !(Number.isInteger(minPoints) && minPoints >= 1)) throw new InputError(`asha: minPoints: must be a positive integer, got ${show(minPoints)}`, 'minPoints');
  if (!(Number.isFinite(eta) && eta > 1)) throw new InputError(`asha: eta: must be a finite number > 1, got ${show(eta)}`, 'eta');
  const name = `asha(grace=${minPoints ?? 'auto'}, eta=${eta})`;
  return {
    name,
    decide(view) {
      checkView(view, 'asha');
      const t = view.values.length;
      const total = pointsAtHorizon(view);
      const grace = minPoints ?? ashaGrace(total, eta);
      let rung = 0;
      for (let k = 0; ; k++) {
        const r = Math.round(grace * eta ** k);
        if (r > t || r >= total) break;
        rung = r;
      }
      if (rung === 0) return { stop: false, reason: `${name}: before the first rung (grace ${grace} of ${total} points)` };
      const mine = bestOf(view.goal, view.values, rung);
      const at = (view.peers ?? []).filter((p) => p.values.length >= rung).map((p) => bestOf(view.goal, p.values, rung));
      const all = [...at, mine].sort((a, b) => (view.goal === 'max' ? b - a : a - b));
      const keepCount = Math.floor(all.length / eta);
      if (keepCount === 0) return { stop: false, reason: `${name}: too few runs at rung ${rung} (${all.length})` };
      const cut = all[keepCount - 1]!;
      return { stop: better(view.goal, cut, mine), reason: `${name}: rung ${rung}, value ${mine}, top-1/${eta} cut ${cut} of ${all.length} runs` };
    },
  };
}

/** ASHA's default grace period for runs of `points` points at the horizon: ceil(points / eta^2), at least 1. */
export function ashaGrace(points: number, eta = 3): number {
  return Math.max(1, Math.ceil(points / eta ** 2));
}

/** Points the run will have at the horizon, at its own logging interval (at least the points it has). */
function pointsAtHorizon(view: RunView): number {
  const { steps, horizon } = view;
  const n = steps.length;
  if (n === 0) return 1;
  const last = steps[n - 1]!;
  const interval = n >= 2 ? (last - steps[0]!) / (n - 1) : last;
  if (!(interval > 0) || horizon <= last) return n;
  return n + Math.floor((horizon - last) / interval + 1e-9);
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
