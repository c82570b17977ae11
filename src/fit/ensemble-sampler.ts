import { InputError, show } from '../core/errors.js';
import { rng as makeRng, type Rng } from '../core/rng.js';

/**
 * Options of the affine-invariant ensemble sampler.
 */
export interface EnsembleSamplerOptions {
  /** Iterations of the whole ensemble, burn-in included. @default 1000 */
  steps?: number;
  /** Iterations dropped from the start of every chain. @default Math.floor(steps / 2) */
  burn?: number;
  /** Keep every `thin`-th iteration after burn-in. @default 1 */
  thin?: number;
  /**
   * Scale of the stretch move: z is drawn from g(z) ∝ 1 / sqrt(z) on [1 / a, a]
   * (Goodman & Weare 2010, eq. 9). @default 2
   */
  a?: number;
  /** Seed of the sampler's generator. @default 0 */
  seed?: number;
}

/** Draws kept after burn-in and thinning, walker-major within each kept iteration. */
export interface EnsembleSamples {
  /** Dimension of the target. */
  dim: number;
  /** Number of kept draws (kept iterations x walkers). */
  count: number;
  /** draws[s * dim + j] = coordinate j of draw s. */
  draws: Float64Array;
  /** Log density of each kept draw. */
  logProb: Float64Array;
  /** Fraction of accepted proposals over all iterations (burn-in included). */
  acceptance: number;
  walkers: number;
  steps: number;
}

/**
 * Affine-invariant ensemble MCMC with the stretch move (Goodman & Weare 2010; the parallel
 * "red-blue" update of Foreman-Mackey et al. 2013, emcee, Algorithm 3): the walkers are split in two
 * halves and each walker of one half moves along the line to a random walker of the other half.
 *
 * `start` gives one starting point per walker (at least 2 * dim walkers, an even number); every
 * start must have a finite log density. `logProb` returns -Infinity outside the support.
 *
 * @example ensembleSampler((x) => -0.5 * x[0] ** 2, ball([0], [1], 16, rng(1)), { seed: 1 })
 */
export function ensembleSampler(logProb: (x: Float64Array) => number, start: readonly ArrayLike<number>[], options: EnsembleSamplerOptions = {}): EnsembleSamples {
  const { steps = 1000, thin = 1, a = 2, seed = 0 } = options;
  const burn = options.burn ?? Math.floor(steps / 2);
  const walkers = start.length;
  if (walkers === 0) throw new InputError('ensembleSampler: start: no walkers', 'start');
  const dim = start[0]!.length;
  if (dim === 0) throw new InputError('ensembleSampler: start: walkers have dimension 0', 'start');
  if (walkers < 2 * dim || walkers % 2 !== 0) {
    throw new InputError(`ensembleSampler: start: need an even number of walkers >= 2 * dim = ${2 * dim}, got ${show(walkers)}`, 'start');
  }
  if (!Number.isInteger(steps) || steps < 1) throw new InputError(`ensembleSampler: steps: must be a positive integer, got ${show(steps)}`, 'steps');
  if (!Number.isInteger(burn) || burn < 0 || burn >= steps) {
    throw new InputError(`ensembleSampler: burn: must be an integer in [0, steps), got ${show(burn)}`, 'burn');
  }
  if (!Number.isInteger(thin) || thin < 1) throw new InputError(`ensembleSampler: thin: must be a positive integer, got ${show(thin)}`, 'thin');
  if (!(a > 1)) throw new InputError(`ensembleSampler: a: must be > 1, got ${show(a)}`, 'a');

  const random: Rng = makeRng(seed);
  const pos = new Float64Array(walkers * dim);
  const lp = new Float64Array(walkers);
  const scratch = new Float64Array(dim);
  for (let k = 0; k < walkers; k++) {
    const s = start[k]!;
    if (s.length !== dim) throw new InputError(`ensembleSampler: start[${k}]: dimension ${s.length}, expected ${dim}`, 'start');
    for (let j = 0; j < dim; j++) pos[k * dim + j] = s[j]!;
    scratch.set(pos.subarray(k * dim, (k + 1) * dim));
    lp[k] = logProb(scratch);
    if (!Number.isFinite(lp[k]!)) {
      throw new InputError(`ensembleSampler: start[${k}]: log density is not finite at ${show(Array.from(s))}`, 'start');
    }
  }

  const kept = Math.floor((steps - burn - 1) / thin) + 1;
  const draws = new Float64Array(kept * walkers * dim);
  const keptLp = new Float64Array(kept * walkers);
  const half = walkers / 2;
  let accepted = 0;
  let out = 0;
  for (let t = 0; t < steps; t++) {
    for (let side = 0; side < 2; side++) {
      const first = side * half;
      const other = (1 - side) * half;
      for (let i = 0; i < half; i++) {
        const k = first + i;
        const jw = other + random.int(half);
        // z = ((a - 1) u + 1)^2 / a has density ∝ 1 / sqrt(z) on [1/a, a] (Goodman & Weare 2010, eq. 9).
        const u = random.next();
        const z = ((a - 1) * u + 1) ** 2 / a;
        for (let j = 0; j < dim; j++) {
          const xj = pos[jw * dim + j]!;
          scratch[j] = xj + z * (pos[k * dim + j]! - xj);
        }
        const proposed = logProb(scratch);
        // Acceptance min(1, z^(d-1) p(Y) / p(X_k)) (Goodman & Weare 2010, eq. 7).
        const logRatio = (dim - 1) * Math.log(z) + proposed - lp[k]!;
        if (Number.isFinite(proposed) && Math.log(random.next()) < logRatio) {
          pos.set(scratch, k * dim);
          lp[k] = proposed;
          accepted++;
        }
      }
    }
    if (t >= burn && (t - burn) % thin === 0) {
      draws.set(pos, out * walkers * dim);
      keptLp.set(lp, out * walkers);
      out++;
    }
  }
  return { dim, count: kept * walkers, draws, logProb: keptLp, acceptance: accepted / (steps * walkers), walkers, steps };
}

/**
 * `walkers` starting points drawn around `center`: center + scale * N(0, 1) per coordinate. When
 * `logProb` is given, points with a non-finite density are redrawn (up to 100 times, then the
 * center itself is used).
 */
export function ball(center: ArrayLike<number>, scale: ArrayLike<number>, walkers: number, random: Rng, logProb?: (x: Float64Array) => number): Float64Array[] {
  const dim = center.length;
  const starts: Float64Array[] = [];
  for (let k = 0; k < walkers; k++) {
    let x = new Float64Array(dim);
    let ok = false;
    for (let attempt = 0; attempt < 100 && !ok; attempt++) {
      for (let j = 0; j < dim; j++) x[j] = center[j]! + scale[j]! * random.normal();
      ok = !logProb || Number.isFinite(logProb(x));
    }
    if (!ok) x = Float64Array.from(center);
    starts.push(x);
  }
  return starts;
}
