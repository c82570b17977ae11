import { InputError } from '../core/errors.js';
import { selectPoints, type CurvePoints } from './curve-points.js';
import { type Law, fromPass } from './law.js';
import { momentumTables } from './momentum.js';
import { validateS1 } from './multipower.js';

/**
 * Tissue et al. 2024's size-aware momentum law (their §6 extension to model size):
 *
 *   L(s, N) = L0 + A S1(s)^-alpha + B N^-beta - C S2(s) N^gamma,
 *
 * with S1 and S2 as in the momentum law (rises of the rate add no momentum) and N in millions of
 * parameters (N / 1e6), so the constants stay of order one. Fit curves of several model sizes
 * together; every curve must carry its N. With only two sizes L0, B and beta trade off along a flat
 * direction that leaves predictions at those sizes unchanged; and gamma is identified only when
 * annealed curves of more than one size are given, so otherwise fix it (`fixed: { gamma: 0 }`).
 */
export function sizeAwareLaw(options: { name?: string } = {}): Law<CurvePoints> {
  const { name = 'size-aware' } = options;
  const s2Tables = momentumTables(false);
  const pass = (p: Float64Array, x: CurvePoints, out: Float64Array | undefined, jac: Float64Array | undefined) => {
    const [L0, A, alpha, B, beta, C, gamma, lambda] = p as unknown as [number, number, number, number, number, number, number, number];
    const tables = s2Tables(x, lambda);
    for (let i = 0; i < x.length; i++) {
      const c = x.curve[i]!;
      const curve = x.curves[c]!;
      const s = x.step[i]!;
      const lnS1 = Math.log(curve.prefix[s]!);
      const lnN = Math.log(curve.N! / 1e6);
      const power = Math.exp(-alpha * lnS1);
      const size = Math.exp(-beta * lnN);
      const growth = Math.exp(gamma * lnN);
      const S2 = tables[c]!.S2[s]!;
      if (out) out[i] = L0 + A * power + B * size - C * S2 * growth;
      if (jac) {
        const r = i * 8;
        jac[r] = 1;
        jac[r + 1] = power;
        jac[r + 2] = -A * power * lnS1;
        jac[r + 3] = size;
        jac[r + 4] = -B * size * lnN;
        jac[r + 5] = -S2 * growth;
        jac[r + 6] = -C * S2 * growth * lnN;
        jac[r + 7] = -C * tables[c]!.dS2[s]! * growth;
      }
    }
  };
  return {
    name,
    description: 'size-aware momentum law: loss along any schedule at any model size (Tissue et al. 2024)',
    inputs: ['schedule', 'step', 'N'],
    formula: 'L(s, N) = L0 + A S1^-alpha + B N^-beta - C S2 N^gamma, N in millions',
    params: [
      { name: 'L0', min: 0, init: 2, description: 'loss floor' },
      { name: 'A', min: 1e-8, init: 0.5, scale: 'log', description: 'amplitude of the power law in S1' },
      { name: 'alpha', min: 0, max: 5, init: 0.5, description: 'exponent of S1' },
      { name: 'B', min: 1e-8, init: 1, scale: 'log', description: 'amplitude of the model-size term' },
      { name: 'beta', min: 0, max: 3, init: 0.3, description: 'exponent of N' },
      { name: 'C', min: 0, init: 0.5, description: 'weight of the annealing area S2' },
      { name: 'gamma', min: -2, max: 2, init: 0, description: 'growth of the annealing benefit with N' },
      { name: 'lambda', min: 0.9, max: 0.99999, init: 0.999, description: 'decay of the annealing momentum' },
    ],
    size: (x) => x.length,
    ...fromPass(pass),
    validate(x) {
      for (const curve of x.curves) {
        if (curve.N === undefined) throw new InputError(`${curve.name}: no model size N; the size-aware law needs N for every curve`, 'N');
      }
      validateS1(x, 'size-aware');
    },
    select: selectPoints,
  };
}

/** The size-aware law as registered under 'size-aware'. */
export const sizeAware: Law<CurvePoints> = sizeAwareLaw();
