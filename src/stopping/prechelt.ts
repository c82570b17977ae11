import { InputError, show } from '../core/errors.js';
import { checkView, positiveNumber, type RunView, type StopRule } from './rule.js';

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
