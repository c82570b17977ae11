import { InputError } from '../core/errors.js';
import { selectPoints, type CurvePoints } from './curve-points.js';
import { lossDropTerms } from './loss-drop.js';
import type { Law } from './law.js';

export interface MultiPowerOptions {
  /**
   * Merge the loss-drop sum's far-away rate changes into blocks whose width in S1 is at most this
   * fraction of their distance (see `lossDropTerms`); 0 sums every change exactly. The default keeps
   * predictions within 4e-7 of the exact sum on Luo et al.'s curves at a small fraction of its cost.
   * @default 0.03
   */
  tolerance?: number;
  /**
   * The name saved fits refer to; predictions rebuild the law from the registry by this name, so a
   * variant needs its own. @default 'mpl', or 'mpl-no-warmup' without `increases`
   */
  name?: string;
  /** Count rising rates (a warmup) in the loss-drop sum, as Luo et al.'s code does. @default true */
  increases?: boolean;
}

/**
 * The multi-power law of Luo et al. 2025 (eq. 5, with their code's conventions):
 *
 *   L(t) = L0 + A S1(t)^-alpha - B LD(t),
 *   LD(t) = sum_{k=1..t} (lr[k-1] - lr[k]) (1 - (C lr[k]^-gamma S_k(t) + 1)^-beta),
 *   S1(t) = lr[0] + ... + lr[t],  S_k(t) = lr[k] + ... + lr[t].
 *
 * The warmup is part of S1 (their code's S_W is folded in) and its rising rates enter LD with
 * negative drops, as in their code. Parameters in that code's order; analytic Jacobian.
 *
 * gamma is bounded to [0, 1]. After a drop to a rate lr held for n steps, S_k = lr n and the loss
 * drop's argument is C lr^(1 - gamma) n: with gamma > 1 the loss would settle after a drop in fewer
 * steps the lower the new rate, the opposite of SGD's relaxation (on a quadratic of curvature h it
 * takes about 1 / (lr h) steps). Luo et al.'s fitted gammas are 0.5-0.66. With a loose bound (5)
 * and curves whose rates fall smoothly (constant and cosine runs), the converged fit slides into a
 * corner where gamma and B grow while beta and C vanish; there it fits the training curves slightly
 * better and predicts sharp cooldowns worse (Luo et al.'s 100M curves: test PredE 0.00160 -> 0.00148,
 * WorstE 0.00511 -> 0.00464 with the bound; a 124M cooldown sweep: BENCHMARKS.md). A fit that ends
 * on the bound says so in its warnings.
 */
export function multiPowerLaw(options: MultiPowerOptions = {}): Law<CurvePoints> {
  const { tolerance = 0.03, increases = true } = options;
  const { name = increases ? 'mpl' : 'mpl-no-warmup' } = options;
  if (!(tolerance >= 0 && tolerance < 1)) throw new InputError(`tolerance: not in [0, 1): ${tolerance}`, 'tolerance');

  // evaluate and jacobian share one pass; keep the last one.
  let last: { p: Float64Array; x: CurvePoints; out: Float64Array; jac: Float64Array | undefined } | undefined;
  const compute = (p: Float64Array, x: CurvePoints, wantJacobian: boolean): { out: Float64Array; jac: Float64Array | undefined } => {
    if (last && last.x === x && (last.jac || !wantJacobian) && last.p.every((v, i) => v === p[i])) return last;
    const [L0, A, alpha, B, C, beta, gamma] = p as unknown as number[] as [number, number, number, number, number, number, number];
    const { start, W, d, lnlr } = lossDropTerms(x, tolerance, increases);
    const n = x.length;
    const out = new Float64Array(n);
    const jac = wantJacobian ? new Float64Array(n * 7) : undefined;
    for (let i = 0; i < n; i++) {
      const S1 = x.curves[x.curve[i]!]!.prefix[x.step[i]!]!;
      const lnS1 = Math.log(S1);
      const power = Math.exp(-alpha * lnS1);
      let LD = 0;
      if (!jac) {
        for (let j = start[i]!; j < start[i + 1]!; j++) {
          const z = C * Math.exp(-gamma * lnlr[j]!) * d[j]!;
          LD -= W[j]! * Math.expm1(-beta * Math.log1p(z)); // W (1 - (1 + z)^-beta)
        }
        out[i] = L0 + A * power - B * LD;
        continue;
      }
      let dC = 0;
      let dBeta = 0;
      let dGamma = 0;
      for (let j = start[i]!; j < start[i + 1]!; j++) {
        const w = W[j]!;
        const a = Math.exp(-gamma * lnlr[j]!);
        const z = C * a * d[j]!;
        const lu = Math.log1p(z);
        const g = -Math.expm1(-beta * lu); // 1 - (1 + z)^-beta, accurate for small z
        const v = 1 - g;
        const slope = (beta * v) / (1 + z); // d g / d z
        LD += w * g;
        dC += w * slope * a * d[j]!;
        dBeta += w * v * lu;
        dGamma -= w * slope * z * lnlr[j]!;
      }
      out[i] = L0 + A * power - B * LD;
      const r = i * 7;
      jac[r] = 1;
      jac[r + 1] = power;
      jac[r + 2] = -A * power * lnS1;
      jac[r + 3] = -LD;
      jac[r + 4] = -B * dC;
      jac[r + 5] = -B * dBeta;
      jac[r + 6] = -B * dGamma;
    }
    last = { p: Float64Array.from(p), x, out, jac };
    return last;
  };

  return {
    name,
    description: 'multi-power law: loss along any learning-rate schedule (Luo et al. 2025)',
    inputs: ['schedule', 'step'],
    formula: 'L(t) = L0 + A S1(t)^-alpha - B sum_k (lr[k-1] - lr[k]) (1 - (C lr[k]^-gamma S_k(t) + 1)^-beta)',
    params: [
      { name: 'L0', min: 0, init: 3, description: 'loss floor' },
      { name: 'A', min: 1e-8, init: 0.5, scale: 'log', description: 'amplitude of the power law in S1' },
      { name: 'alpha', min: 0, max: 5, init: 0.5, description: 'exponent of S1' },
      { name: 'B', min: 1e-8, init: 300, scale: 'log', description: 'amplitude of the loss drop' },
      { name: 'C', min: 1e-8, init: 1, scale: 'log', description: 'scale inside the loss-drop power' },
      { name: 'beta', min: 0, max: 5, init: 0.5, description: 'exponent of the loss-drop power' },
      // At most 1: see the law's TSDoc.
      { name: 'gamma', min: 0, max: 1, init: 0.5, description: 'exponent of the rate in the loss drop (at most 1: the loss does not settle sooner, in steps, after a drop to a lower rate)' },
    ],
    size: (x) => x.length,
    evaluate(p, x, out) {
      out.set(compute(p, x, false).out);
    },
    jacobian(p, x, jac) {
      jac.set(compute(p, x, true).jac!);
    },
    valueAndJacobian(p, x, out, jac) {
      const both = compute(p, x, true);
      out.set(both.out);
      jac.set(both.jac!);
    },
    validate(x) {
      validateS1(x, 'multi-power');
      lossDropTerms(x, tolerance, increases);
    },
    select: selectPoints,
  };
}

/** S1 must be positive wherever a law raises it to the power -alpha. */
export function validateS1(x: CurvePoints, law: string): void {
  for (let i = 0; i < x.length; i++) {
    const curve = x.curves[x.curve[i]!]!;
    const s = x.step[i]!;
    if (!(curve.prefix[s]! > 0)) {
      throw new InputError(`${curve.name}: S1 (the sum of rates up to step ${s}) is ${curve.prefix[s]}; the ${law} law raises it to the power -alpha, so it must be positive`, 'step');
    }
  }
}

/** The multi-power law with the default tolerance, as registered under 'mpl'. */
export const multiPower: Law<CurvePoints> = multiPowerLaw();
/** The multi-power law with warmup rises left out of the loss-drop sum (`increases: false`). */
export const multiPowerNoWarmup: Law<CurvePoints> = multiPowerLaw({ increases: false });
