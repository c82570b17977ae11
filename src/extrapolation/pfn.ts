import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, show } from '../core/errors.js';
import { warn } from '../core/warn.js';
import { learningCurve, type Goal, type LearningCurve } from './curve.js';
import { PFN_EDGES, PFN_FEATURES, PFN_OUTPUT_BINS, pfnFeatures, type PfnScale } from './pfn-features.js';
import { parsePfnWeights, pfnProbabilities, type PfnEnsemble, type PfnEnsembleFile, type PfnNetwork, type PfnWeightsFile } from './pfn-network.js';
import { PFN_PRIOR, PFN_PRIOR_VERSION } from './pfn-prior.js';
import { fromDistribution, predictive, type PointPredictive, type Predictive } from './predictive.js';

/**
 * The amortised learning-curve extrapolator (LC-PFN style, Adriaensen et al. 2023): a network
 * trained on curves drawn from a prior (`samplePriorCurve`: the eleven Domhan families under
 * learning-rate schedules, plateaus, overfitting, noise) returns the posterior predictive of the value at a later
 * step in one forward pass, as a distribution over `PFN_OUTPUT_BINS` bins. No fit, no sampling,
 * no finished curves: its intervals are calibrated only as far as the prior describes the curve.
 *
 * The weights ship in fits/pfn-lc.json (made by `npm run train:pfn`: one network, or an ensemble
 * of networks trained from different seeds whose predictive is the mixture of theirs) and are read
 * on first use.
 */

/** The networks in fits/pfn-lc.json, read once on first use, and other files read, by path (while unchanged on disk). */
let shipped: PfnEnsemble | undefined;
const others = new Map<string, { mtimeMs: number; net: PfnEnsemble }>();

/** Where the shipped weights are. */
export const PFN_WEIGHTS_PATH = fileURLToPath(new URL('../../fits/pfn-lc.json', import.meta.url));

/** Reads a weights file, of one network or an ensemble (the shipped one by default; cached). */
export function loadPfn(path?: string): PfnEnsemble {
  if (path === undefined && shipped) return shipped;
  const file = path ?? PFN_WEIGHTS_PATH;
  const mtimeMs = path === undefined ? 0 : modified(path);
  const known = path === undefined ? undefined : others.get(path);
  if (known && known.mtimeMs === mtimeMs) return known.net;
  let json: PfnWeightsFile | PfnEnsembleFile;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as PfnWeightsFile | PfnEnsembleFile;
  } catch (error) {
    throw new InputError(`pfn weights: cannot read ${file}: ${(error as Error).message}`, 'weights');
  }
  const net = parsePfnWeights(json);
  if (net.priorVersion !== PFN_PRIOR_VERSION) warn(`pfn weights ${file}: trained on prior version ${net.priorVersion}, this code's prior is version ${PFN_PRIOR_VERSION}`);
  if (path === undefined) shipped = net;
  else others.set(path, { mtimeMs, net });
  return net;
}

function modified(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch (error) {
    throw new InputError(`pfn weights: cannot read ${path}: ${(error as Error).message}`, 'weights');
  }
}

/** One curve to predict at one step. */
export interface PfnQuery {
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
  goal: Goal;
  /** @default [-Infinity, Infinity] */
  range?: readonly [number, number];
  /** The step to predict, beyond the last seen one. */
  target: number;
  /**
   * The step the run is planned to end at (where its learning-rate schedule ends), at or beyond
   * `target`, when known: the prior ties schedules to a run's length, so a drop or a decay still to
   * come is judged by it. @default unknown
   */
  horizon?: number;
  /** Names the curve in warnings. @default 'curve' */
  source?: string;
}

/**
 * A predictive that is piecewise uniform over bins (a Riemann distribution, as in LC-PFN), with
 * half of each edge bin's mass spread as an exponential tail beyond it, so that the density is
 * positive everywhere. `edges` increase; `probs[j]` is the mass between edges j and j + 1.
 */
export function binnedPredictive(step: number, goal: Goal, edges: Float64Array, probs: Float64Array, range: readonly [number, number] = [-Infinity, Infinity]): PointPredictive {
  const B = probs.length;
  if (edges.length !== B + 1) throw new InputError(`binnedPredictive: ${B} bins need ${B + 1} edges, got ${edges.length}`, 'edges');
  const cum = new Float64Array(B + 1);
  for (let j = 0; j < B; j++) cum[j + 1] = cum[j]! + probs[j]!;
  const total = cum[B]!;
  const w0 = edges[1]! - edges[0]!,
    wB = edges[B]! - edges[B - 1]!;
  const cdf = (y: number): number => {
    if (y <= edges[0]!) return 0.5 * (probs[0]! / total) * Math.exp(-(edges[0]! - y) / w0);
    if (y >= edges[B]!) return 1 - 0.5 * (probs[B - 1]! / total) * Math.exp(-(y - edges[B]!) / wB);
    let a = 0,
      b = B;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (edges[m]! <= y) a = m;
      else b = m;
    }
    const frac = (y - edges[a]!) / (edges[a + 1]! - edges[a]!);
    // Edge bins hold half their mass inside (the other half is the tail).
    if (a === 0) return (0.5 * probs[0]! * (1 + frac)) / total;
    if (a === B - 1) return (cum[B - 1]! + 0.5 * probs[B - 1]! * frac) / total;
    return (cum[a]! + probs[a]! * frac) / total;
  };
  // In logs: far in a tail exp(-dist / w) underflows long before its log does, and a bin whose
  // logit underflowed still gets a (tiny) positive mass.
  const logMass = (j: number) => Math.log(Math.max(probs[j]! / total, 1e-300));
  const logDensity = (y: number): number => {
    if (y < edges[0]!) return Math.log(0.5) + logMass(0) - Math.log(w0) - (edges[0]! - y) / w0;
    if (y > edges[B]!) return Math.log(0.5) + logMass(B - 1) - Math.log(wB) - (y - edges[B]!) / wB;
    let a = 0,
      b = B;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (edges[m]! <= y) a = m;
      else b = m;
    }
    const inside = a === 0 || a === B - 1 ? Math.log(0.5) : 0;
    return inside + logMass(a) - Math.log(edges[a + 1]! - edges[a]!);
  };
  const clamp = (y: number) => Math.min(range[1], Math.max(range[0], y));
  const quantile = (q: number): number => {
    if (!(q > 0 && q < 1)) throw new InputError(`quantile: q must be in (0, 1), got ${show(q)}`, 'q');
    const p0 = (0.5 * probs[0]!) / total,
      pB = (0.5 * probs[B - 1]!) / total;
    if (q < p0) return clamp(edges[0]! + w0 * Math.log(q / p0));
    if (q > 1 - pB) return clamp(edges[B]! - wB * Math.log((1 - q) / pB));
    // The inverse of the piecewise-linear cdf: bisection over bins.
    let a = 0,
      b = B;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (cdf(edges[m]!) <= q) a = m;
      else b = m;
    }
    const lo = cdf(edges[a]!),
      hi = cdf(edges[a + 1]!);
    const frac = hi > lo ? (q - lo) / (hi - lo) : 0.5;
    return clamp(edges[a]! + frac * (edges[a + 1]! - edges[a]!));
  };
  let mean = 0,
    second = 0;
  for (let j = 0; j < B; j++) {
    const mid = clamp(0.5 * (edges[j]! + edges[j + 1]!));
    mean += (probs[j]! / total) * mid;
    second += (probs[j]! / total) * mid * mid;
  }
  const sd = Math.sqrt(Math.max(0, second - mean * mean));
  return fromDistribution({ step, goal, mean, median: quantile(0.5), sd, cdf, quantile, logDensity });
}

/** The predictive in original units from a row of bin probabilities and the curve's scale. */
function toPoint(rows: Float64Array, at: number, scale: PfnScale, step: number, goal: Goal, range: readonly [number, number]): PointPredictive {
  const probs = rows.slice(at, at + PFN_OUTPUT_BINS);
  const edges = PFN_EDGES.map((d) => scale.sign * (scale.lo + scale.width * d));
  // For 'min' the value falls as d rises: reverse so that edges increase.
  if (scale.sign < 0) {
    edges.reverse();
    probs.reverse();
  }
  return binnedPredictive(step, goal, edges, probs, range);
}

/** Warns, once per message, where a query lies outside what the prior covers. */
function checkInPrior(q: PfnQuery): void {
  const n = q.values.length;
  const last = q.steps[n - 1]!;
  const source = q.source ?? 'curve';
  if (last / q.target < PFN_PRIOR.seen[0]) {
    warn(
      `${source}: pfn: step ${show(q.target)} is ${(q.target / last).toFixed(0)}x the last seen step; the prior was trained up to ${(1 / PFN_PRIOR.seen[0]).toFixed(0)}x, the prediction is an extrapolation of the network`,
    );
  }
  if (n > PFN_PRIOR.length[1]) warn(`${source}: pfn: ${n} points; the prior's curves have at most ${PFN_PRIOR.length[1]} (dense curves are averaged in the network's input grid)`);
}

/**
 * The PFN's predictive for many curves, each at its own target step, in one batched forward pass.
 * Each curve needs 3 or more points, increasing positive steps, finite values and a target beyond
 * its last step; a constant curve is predicted as that constant (a point mass).
 *
 * @example pfnPredictMany([{ steps: [1, 2, 3, 4], values: [0.3, 0.5, 0.6, 0.65], goal: 'max', range: [0, 1], target: 20 }])
 */
export function pfnPredictMany(queries: readonly PfnQuery[], options: { network?: PfnNetwork | PfnEnsemble } = {}): PointPredictive[] {
  const net = options.network ?? loadPfn();
  const rows = queries.length;
  const x = new Float32Array(rows * PFN_FEATURES);
  const scales: (PfnScale | undefined)[] = queries.map((q, i) => {
    const curve = learningCurve(q.steps, q.values, { goal: q.goal, range: q.range, source: q.source ?? `curve ${i + 1}` });
    const last = curve.step[curve.step.length - 1]!;
    if (!(Number.isFinite(q.target) && q.target > last)) throw new InputError(`to: step ${show(q.target)} is not beyond the curve's last step ${show(last)}`, 'to');
    if (q.horizon !== undefined && !(Number.isFinite(q.horizon) && q.horizon >= q.target)) {
      throw new InputError(`horizon: the run's planned end ${show(q.horizon)} must be a step at or beyond the predicted step ${show(q.target)}`, 'horizon');
    }
    if (curve.constant) return undefined;
    checkInPrior(q);
    return pfnFeatures(curve.step, curve.value, q.goal, q.range ?? [-Infinity, Infinity], q.target, q.horizon, x, i * PFN_FEATURES);
  });
  const probs = pfnProbabilities(net, x, rows);
  return queries.map((q, i) => {
    const scale = scales[i];
    const range = q.range ?? [-Infinity, Infinity];
    if (!scale) {
      const v = q.values[0]!;
      return binnedPredictive(q.target, q.goal, Float64Array.of(v, v + 1e-12 * Math.max(1, Math.abs(v))), Float64Array.of(1), range);
    }
    return toPoint(probs, i * PFN_OUTPUT_BINS, scale, q.target, q.goal, range);
  });
}

/** `extrapolate` with method 'pfn': the PFN's predictive at each step (one batched pass). */
export function pfnExtrapolate(curve: LearningCurve, steps: Float64Array, options: { network?: PfnNetwork | PfnEnsemble; horizon?: number } = {}): Predictive {
  const { horizon } = options;
  const points = pfnPredictMany(
    Array.from(steps, (target) => ({ steps: curve.step, values: curve.value, goal: curve.goal, range: curve.range, target, horizon, source: curve.source })),
    options,
  );
  return predictive('pfn', curve.goal, points, { pfn: 1 });
}
