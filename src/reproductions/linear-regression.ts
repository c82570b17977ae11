import { InputError, show } from '../core/errors.js';
import { rng as makeRng } from '../core/rng.js';
import type { Run, TrajectoryPoint } from '../core/run.js';
import type { GnsEstimate } from '../batch/gns.js';
import { gnsTracker, type GnsTrackerOptions } from '../batch/gns.js';

/**
 * A problem whose gradient noise is known in closed form, for checking the noise-scale estimator and
 * the steps-versus-examples fit against the truth: linear regression y = w*.x + sigma eps with
 * Gaussian inputs x ~ N(0, H), H = diag(lambda), and squared loss l = (w.x - y)^2 / 2.
 * With e = w - w*, the loss is L = (e'He + sigma^2) / 2, the mean gradient G = He, and the per-example
 * gradient g = (e.x - sigma eps) x has, by Isserlis' theorem,
 *   E[g g'] = (e'He) H + 2 H e e' H + sigma^2 H,  so  tr(Sigma) = (e'He + sigma^2) tr H + |He|^2.
 */
export interface LinearRegressionProblem {
  /** Eigenvalues of the input covariance H. */
  lambda: Float64Array;
  /** Label noise standard deviation. */
  sigma: number;
}

export interface LinearRegressionOptions {
  /** Input dimension. @default 16 */
  dim?: number;
  /** Smallest and largest eigenvalue of H, spaced geometrically. @default [0.1, 1] */
  spectrum?: [number, number];
  /** Label noise standard deviation. @default 1 */
  sigma?: number;
}

export function linearRegressionProblem(options: LinearRegressionOptions = {}): LinearRegressionProblem {
  const { dim = 16, spectrum = [0.1, 1], sigma = 1 } = options;
  if (!Number.isInteger(dim) || dim < 1) throw new InputError(`dim: must be a positive integer, got ${show(dim)}`, 'dim');
  if (!(spectrum[0] > 0 && spectrum[1] >= spectrum[0])) throw new InputError(`spectrum: must be 0 < min <= max, got ${show(spectrum)}`, 'spectrum');
  if (!(sigma >= 0)) throw new InputError(`sigma: must be non-negative, got ${show(sigma)}`, 'sigma');
  const lambda = Float64Array.from({ length: dim }, (_, i) => (dim === 1 ? spectrum[0] : spectrum[0] * Math.pow(spectrum[1] / spectrum[0], i / (dim - 1))));
  return { lambda, sigma };
}

/** The loss (e'He + sigma^2) / 2 at error e = w - w*. */
export function regressionLoss(problem: LinearRegressionProblem, e: ArrayLike<number>): number {
  let q = 0;
  for (let i = 0; i < e.length; i++) q += problem.lambda[i]! * e[i]! * e[i]!;
  return 0.5 * (q + problem.sigma * problem.sigma);
}

/** The exact |G|^2, tr(Sigma) and B_simple at error e (formulas above). */
export function trueNoiseScale(problem: LinearRegressionProblem, e: ArrayLike<number>): GnsEstimate {
  const { lambda, sigma } = problem;
  let q = 0,
    G2 = 0,
    trH = 0;
  for (let i = 0; i < lambda.length; i++) {
    q += lambda[i]! * e[i]! * e[i]!;
    G2 += (lambda[i]! * e[i]!) ** 2;
    trH += lambda[i]!;
  }
  const trSigma = (q + sigma * sigma) * trH + G2;
  return { G2, trSigma, bSimple: trSigma / G2 };
}

/**
 * The mean gradient over `batch` fresh examples at error e, written into `out`; returns its squared
 * norm. `z` is scratch space of length dim.
 */
export function sampleGradient(problem: LinearRegressionProblem, e: ArrayLike<number>, batch: number, random: { normal(): number }, out: Float64Array, z: Float64Array): number {
  const { lambda, sigma } = problem;
  const d = lambda.length;
  out.fill(0);
  for (let b = 0; b < batch; b++) {
    let r = 0;
    for (let i = 0; i < d; i++) {
      z[i] = Math.sqrt(lambda[i]!) * random.normal();
      r += e[i]! * z[i]!;
    }
    r -= sigma * random.normal();
    for (let i = 0; i < d; i++) out[i]! += r * z[i]!;
  }
  let n2 = 0;
  for (let i = 0; i < d; i++) {
    out[i]! /= batch;
    n2 += out[i]! * out[i]!;
  }
  return n2;
}

export interface RegressionRunOptions {
  batchSize: number;
  /** Constant learning rate of plain SGD. */
  lr: number;
  /** Stop after this many steps. */
  maxSteps: number;
  /** Stop once the loss is at or below this. */
  stopAt?: number;
  /** Initial error e0 = w0 - w*. @default e0_i = 2 / sqrt(lambda_i), so each direction starts with loss 2 */
  e0?: ArrayLike<number>;
  seed: number;
  /**
   * Also measure the gradient noise scale as a trainer would: each step draws a second, independent
   * batch of `gns.bSmall` examples (the step's own gradient is the big batch, so bSmall < batchSize)
   * and logs gradSqSmall, gradSqBig, bSmall, bBig, the tracker's B_simple as `bSimple`, and the
   * exact |G|^2 and tr(Sigma) at the step's parameters as `trueG2` and `trueTrSigma`.
   */
  gns?: { bSmall: number } & GnsTrackerOptions;
}

/**
 * Trains linear regression with SGD and returns it as a Run (exact loss logged as evalLoss every
 * step, tokens = examples seen), for the steps-versus-examples check.
 */
export function trainRegression(problem: LinearRegressionProblem, options: RegressionRunOptions): Run {
  const { batchSize, lr, maxSteps, stopAt, seed, gns } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InputError(`batchSize: must be a positive integer, got ${show(batchSize)}`, 'batchSize');
  if (gns && !(gns.bSmall >= 1 && gns.bSmall < batchSize)) throw new InputError(`gns.bSmall must be in [1, batchSize), got ${show(gns.bSmall)}`, 'bSmall');
  const d = problem.lambda.length;
  const e = Float64Array.from(options.e0 ?? Array.from(problem.lambda, (l) => 2 / Math.sqrt(l)));
  const random = makeRng(seed);
  const g = new Float64Array(d),
    gSmall = new Float64Array(d),
    z = new Float64Array(d);
  const tracker = gns ? gnsTracker(gns) : undefined;
  const trajectory: TrajectoryPoint[] = [{ step: 0, tokens: 0, evalLoss: regressionLoss(problem, e), lr }];
  let status: 'finished' | 'diverged' = 'finished';
  for (let step = 1; step <= maxSteps; step++) {
    const point: TrajectoryPoint = { step, tokens: step * batchSize, lr };
    const gBigSq = sampleGradient(problem, e, batchSize, random, g, z);
    if (gns) {
      const gSmallSq = sampleGradient(problem, e, gns.bSmall, random, gSmall, z);
      const truth = trueNoiseScale(problem, e);
      Object.assign(point, { gradSqSmall: gSmallSq, gradSqBig: gBigSq, bSmall: gns.bSmall, bBig: batchSize, trueG2: truth.G2, trueTrSigma: truth.trSigma });
      point.bSimple = tracker!.update(gSmallSq, gBigSq, gns.bSmall, batchSize).bSimple;
    }
    for (let i = 0; i < d; i++) e[i]! -= lr * g[i]!;
    point.evalLoss = regressionLoss(problem, e);
    trajectory.push(point);
    if (!Number.isFinite(point.evalLoss) || point.evalLoss > 1e6 * trajectory[0]!.evalLoss!) {
      status = 'diverged';
      break;
    }
    if (stopAt !== undefined && point.evalLoss <= stopAt) break;
  }
  const last = trajectory[trajectory.length - 1]!;
  return {
    config: { id: `linreg-b${batchSize}-lr${lr}-s${seed}`, family: 'linear-regression', N: d, batchSize, seed, tags: { lr } },
    trajectory,
    summary: { status, steps: last.step, tokens: last.tokens, finalEvalLoss: last.evalLoss },
  };
}

export interface RegressionSweepOptions {
  /** Batch sizes to train at (at least 2; McCandlish et al. use many). */
  batchSizes: readonly number[];
  /** Learning rates tried at every batch size; the fewest mean steps wins (McCandlish et al. tune per batch size). */
  lrs: readonly number[];
  /** Seeds per (batch size, learning rate); steps to the target are averaged over them. */
  seeds: readonly number[];
  /** Target loss, above the noise floor sigma^2 / 2. */
  target: number;
  /** Step limit per run. @default 20000 */
  maxSteps?: number;
  e0?: ArrayLike<number>;
}

export interface RegressionSweepPoint {
  batchSize: number;
  /** Learning rate with the fewest mean steps. */
  lr: number;
  /** Mean steps to the target over the seeds, interpolated on each run's trajectory. */
  steps: number;
}

/**
 * Trains every (batch size, learning rate, seed) and returns, per batch size, the learning rate
 * with the fewest steps to the target (averaged over seeds; a (batch, lr) pair where any seed misses
 * the target is out). The input to `fitStepsVsBatch` for the steps-versus-examples check.
 */
export function regressionStepsSweep(problem: LinearRegressionProblem, options: RegressionSweepOptions): RegressionSweepPoint[] {
  const { batchSizes, lrs, seeds, target, maxSteps = 20000, e0 } = options;
  if (!(target > 0.5 * problem.sigma * problem.sigma)) {
    throw new InputError(`target: must be above the noise floor ${show(0.5 * problem.sigma * problem.sigma)}, got ${show(target)}`, 'target');
  }
  const out: RegressionSweepPoint[] = [];
  for (const batchSize of batchSizes) {
    let best: RegressionSweepPoint | undefined;
    for (const lr of lrs) {
      let total = 0;
      let reached = true;
      for (const seed of seeds) {
        const run = trainRegression(problem, { batchSize, lr, maxSteps, stopAt: target, seed: seed * 1_000_003 + batchSize, ...(e0 ? { e0 } : {}) });
        const t = run.trajectory;
        const j = t.findIndex((p) => p.evalLoss! <= target);
        if (j < 0) {
          reached = false;
          break;
        }
        const [a, b] = [t[j - 1] ?? t[j]!, t[j]!];
        total += a === b ? b.step : a.step + ((a.evalLoss! - target) / (a.evalLoss! - b.evalLoss!)) * (b.step - a.step);
      }
      if (!reached) continue;
      const steps = total / seeds.length;
      if (!best || steps < best.steps) best = { batchSize, lr, steps };
    }
    if (!best) throw new InputError(`batch size ${show(batchSize)}: no learning rate reached the target ${show(target)} within ${show(maxSteps)} steps`, 'lrs');
    out.push(best);
  }
  return out;
}
