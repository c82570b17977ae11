import { InputError, show } from '../core/errors.js';
import { learningCurve } from '../curves/curve.js';
import { extrapolate, type ExtrapolateOptions } from '../curves/extrapolate.js';
import { better, bestOf, checkView, nonNegative, positiveNumber, type RunView, type StopRule } from './rule.js';

/** The part of a predictive a rule needs: P(value at the horizon better than a threshold). */
export interface FinalPredictor {
  (view: RunView): { probBetter(threshold: number): number };
}

export interface PredictiveOptions {
  /** Stop when P(final better than the best finished run) < delta. @default 0.05 */
  delta?: number;
  /** Points needed before the rule decides. @default 3 */
  minPoints?: number;
  /**
   * How the final value is predicted. @default the fast extrapolator, `extrapolate(curve,
   * { to: horizon, method: 'fast' })`
   */
  predict?: FinalPredictor;
  /** Passed to `extrapolate` by the default predictor (method, seed, ...). */
  extrapolate?: Partial<ExtrapolateOptions>;
}

/** The default predictor: the curve's predictive at its horizon. */
export function extrapolatingPredictor(options: Partial<ExtrapolateOptions> = {}): FinalPredictor {
  return (view) => {
    const curve = learningCurve(view.steps, view.values, { goal: view.goal, range: view.range, source: 'run' });
    return extrapolate(curve, { method: 'fast', ...options, to: view.horizon }).at(view.horizon);
  };
}

/**
 * Predictive termination (Domhan et al. 2015, §4): stop a run when the probability that its final
 * value beats the best final value so far falls below delta. Never stops before a run has
 * finished (no best yet).
 */
export function predictive(options: PredictiveOptions = {}): StopRule {
  const { delta = 0.05, minPoints = 3 } = options;
  if (!(delta > 0 && delta < 1)) throw new InputError(`predictive: delta: must be in (0, 1), got ${show(delta)}`, 'delta');
  const predict = options.predict ?? extrapolatingPredictor(options.extrapolate);
  const name = `predictive(delta=${delta})`;
  return {
    name,
    decide(view) {
      checkView(view, 'predictive');
      if (view.bestFinal === undefined || view.values.length < minPoints) return { stop: false, reason: `${name}: nothing to compare with yet` };
      const last = view.steps[view.steps.length - 1]!;
      if (last >= view.horizon) return { stop: false, reason: `${name}: at the horizon` };
      const p = predict(view).probBetter(view.bestFinal);
      return { stop: p < delta, reason: `${name}: P(final better than ${view.bestFinal}) = ${p.toPrecision(3)}` };
    },
  };
}

export interface PatienceOptions {
  /** Steps (logged points) without improvement before stopping. @default 5 */
  patience?: number;
  /** An improvement must exceed this to count. @default 0 */
  minDelta?: number;
}

/** Patience with min-delta (as Keras' EarlyStopping): stop after `patience` points without an improvement > minDelta. */
export function patience(options: PatienceOptions = {}): StopRule {
  const { patience: wait = 5, minDelta = 0 } = options;
  if (!(Number.isInteger(wait) && wait >= 1)) throw new InputError(`patience: patience: must be a positive integer, got ${show(wait)}`, 'patience');
  nonNegative('patience', 'minDelta', minDelta);
  const name = `patience(${wait}, minDelta=${minDelta})`;
  return {
    name,
    decide(view) {
      checkView(view, 'patience');
      const { values, goal } = view;
      const sign = goal === 'max' ? 1 : -1;
      let best = sign * values[0]!, since = 0;
      for (let i = 1; i < values.length; i++) {
        if (sign * values[i]! > best + minDelta) { best = sign * values[i]!; since = 0; } else since++;
      }
      return { stop: since >= wait, reason: `${name}: ${since} points without improvement` };
    },
  };
}

/**
 * Prechelt 1998's error E(t): the metric itself for 'min', the distance to the top of the range for
 * 'max' (accuracy: E = 1 - acc), so that GL and PQ are ratios of errors as in the paper.
 */
function errors(view: RunView, rule: string): Float64Array {
  if (view.goal === 'min') return view.values;
  const top = view.range?.[1];
  if (top === undefined || !Number.isFinite(top)) {
    throw new InputError(`${rule}: a metric to maximise needs a finite range (e.g. [0, 1] for accuracy), got ${show(view.range)}`, 'range');
  }
  return view.values.map((v) => top - v);
}

/** Prechelt 1998, GL(t) = 100 (E(t) / E_opt(t) - 1): stop when GL > alpha. */
export function gl(options: { alpha?: number } = {}): StopRule {
  const { alpha = 5 } = options;
  positiveNumber('gl', 'alpha', alpha);
  const name = `GL(${alpha})`;
  return {
    name,
    decide(view) {
      checkView(view, 'gl');
      const e = errors(view, 'gl');
      const opt = Math.min(...e);
      const g = 100 * (e[e.length - 1]! / opt - 1);
      return { stop: g > alpha, reason: `${name}: GL = ${g.toPrecision(3)}` };
    },
  };
}

/**
 * Prechelt 1998, PQ(t) = GL(t) / P_k(t) with training progress P_k(t) = 1000 (sum of the last k
 * errors / (k min of them) - 1): stop when PQ > alpha, checked at the end of each strip of k points.
 * Only validation curves are at hand here, so P_k is computed on the same curve (its recent
 * flattening stands in for the training error's).
 */
export function pq(options: { alpha?: number; strip?: number } = {}): StopRule {
  const { alpha = 0.5, strip = 5 } = options;
  positiveNumber('pq', 'alpha', alpha);
  if (!(Number.isInteger(strip) && strip >= 2)) throw new InputError(`pq: strip: must be an integer >= 2, got ${show(strip)}`, 'strip');
  const name = `PQ(${alpha}, k=${strip})`;
  return {
    name,
    decide(view) {
      checkView(view, 'pq');
      const e = errors(view, 'pq');
      const t = e.length;
      if (t < strip || t % strip !== 0) return { stop: false, reason: `${name}: not at the end of a strip` };
      const g = 100 * (e[t - 1]! / Math.min(...e) - 1);
      const last = e.subarray(t - strip);
      const progress = 1000 * (last.reduce((a, b) => a + b, 0) / (strip * Math.min(...last)) - 1);
      const q = progress > 0 ? g / progress : g > 0 ? Infinity : 0;
      return { stop: q > alpha, reason: `${name}: PQ = ${q.toPrecision(3)}` };
    },
  };
}

/**
 * Median stopping (Golovin et al. 2017, Google Vizier): stop when the run's best value so far is
 * worse than the median of the other runs' running averages at the same step.
 */
export function median(options: { minPoints?: number; minPeers?: number } = {}): StopRule {
  const { minPoints = 3, minPeers = 3 } = options;
  const name = 'median';
  return {
    name,
    decide(view) {
      checkView(view, 'median');
      const t = view.values.length;
      const peers = (view.peers ?? []).filter((p) => p.values.length >= t);
      if (t < minPoints || peers.length < minPeers) return { stop: false, reason: `${name}: too few peers or points` };
      const means = peers.map((p) => p.values.subarray(0, t).reduce((a, b) => a + b, 0) / t).sort((a, b) => a - b);
      const mid = means.length % 2 ? means[(means.length - 1) / 2]! : (means[means.length / 2 - 1]! + means[means.length / 2]!) / 2;
      const best = bestOf(view.goal, view.values);
      return { stop: better(view.goal, mid, best), reason: `${name}: best ${best} vs median of running means ${mid}` };
    },
  };
}

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
