import { InputError, show } from '../core/errors.js';

/**
 * AdamW settings, as `torch.optim.AdamW` names them (Loshchilov & Hutter 2019), plus the stopping
 * rule of Luo et al. 2025's fitting code: at most `maxSteps` steps, stop once the objective has not
 * improved for `patience` steps or the gradient norm falls below `gradientTolerance`.
 */
export interface AdamWOptions {
  /** Step size per coordinate (one number for all). @default 1e-3 */
  rate?: number | ArrayLike<number>;
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.999 */
  beta2?: number;
  /** @default 1e-8 */
  epsilon?: number;
  /** Decoupled weight decay: every step multiplies x by 1 - rate * weightDecay (torch's default). @default 0.01 */
  weightDecay?: number;
  /** @default 200 */
  maxSteps?: number;
  /** Stop after this many steps without a new lowest objective (counted once `patience` steps have run). @default 20 */
  patience?: number;
  /** Stop when the Euclidean norm of the gradient falls below this. @default 1e-5 */
  gradientTolerance?: number;
  /** Box constraints: after each step x is clipped to [lower, upper]. @default unbounded */
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
}

export interface AdamWResult {
  /** The iterate with the lowest objective seen. */
  readonly x: Float64Array;
  readonly f: number;
  /** Objective evaluations (one per step). */
  readonly steps: number;
  readonly message: string;
  /** Why it stopped: no improvement for `patience` steps, a small gradient, the step limit, or a non-finite objective. */
  readonly stop: 'patience' | 'gradient' | 'max-steps' | 'not-finite';
  /** Objective at every evaluated iterate, in order. */
  readonly trace: Float64Array;
}

/**
 * Minimises f by AdamW and returns the best iterate seen. Used where an early-stopped first-order
 * fit is the published procedure (Luo et al. 2025 fit the multi-power law with 200 AdamW steps);
 * for a converged fit use `lbfgsb`.
 *
 * `fg(x, grad)` returns f(x) and writes its gradient into grad. The update is torch's:
 * x <- x (1 - lr wd); m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
 * x <- x - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 */
export function adamw(fg: (x: Float64Array, grad: Float64Array) => number, x0: ArrayLike<number>, options: AdamWOptions = {}): AdamWResult {
  const n = x0.length;
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0.01, maxSteps = 200, patience = 20, gradientTolerance = 1e-5 } = options;
  const rateOption = options.rate ?? 1e-3;
  const rate = typeof rateOption === 'number' ? new Float64Array(n).fill(rateOption) : Float64Array.from(rateOption);
  if (rate.length !== n) throw new InputError(`adamw rate: expected ${n} values, got ${rate.length}`, 'rate');
  rate.forEach((r, j) => {
    if (!(r > 0) || !Number.isFinite(r)) throw new InputError(`adamw rate[${j}]: not a positive number: ${show(r)}`, 'rate');
  });
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new InputError(`adamw maxSteps: not a positive integer: ${show(maxSteps)}`, 'maxSteps');
  if (!Number.isInteger(patience) || patience < 1) throw new InputError(`adamw patience: not a positive integer: ${show(patience)}`, 'patience');
  const lower = options.lower,
    upper = options.upper;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n),
    m = new Float64Array(n),
    v = new Float64Array(n);
  let best = x.slice(),
    bestF = Infinity,
    sinceBest = 0;
  const trace: number[] = [];
  let message = `reached the maximum of ${maxSteps} steps`;
  let stop: AdamWResult['stop'] = 'max-steps';
  for (let t = 1; t <= maxSteps; t++) {
    const f = fg(x, g);
    trace.push(f);
    if (!Number.isFinite(f)) {
      message = `objective not finite at step ${t}`;
      stop = 'not-finite';
      break;
    }
    if (f < bestF) {
      bestF = f;
      best = x.slice();
      sinceBest = 0;
    } else sinceBest++;
    if (t - 1 > patience && sinceBest >= patience) {
      message = `no improvement in ${patience} steps`;
      stop = 'patience';
      break;
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += g[j]! * g[j]!;
    if (Math.sqrt(norm) < gradientTolerance) {
      message = `gradient norm below ${gradientTolerance}`;
      stop = 'gradient';
      break;
    }
    const c1 = 1 - beta1 ** t,
      c2 = 1 - beta2 ** t;
    for (let j = 0; j < n; j++) {
      const gj = g[j]!;
      m[j] = beta1 * m[j]! + (1 - beta1) * gj;
      v[j] = beta2 * v[j]! + (1 - beta2) * gj * gj;
      let xj = x[j]! * (1 - rate[j]! * weightDecay);
      xj -= (rate[j]! * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + epsilon);
      if (lower && xj < lower[j]!) xj = lower[j]!;
      if (upper && xj > upper[j]!) xj = upper[j]!;
      x[j] = xj;
    }
  }
  return { x: best, f: bestF, steps: trace.length, message, stop, trace: Float64Array.from(trace) };
}
