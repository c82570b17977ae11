import { InputError, show } from '../core/errors.js';
import type { Inputs, Law } from './law.js';

function positiveColumn(law: string, x: Inputs, name: string): void {
  const v = x[name];
  if (!v) throw new InputError(`${law}: missing input column ${name}`, name);
  v.forEach((value, i) => {
    if (!(value > 0) || !Number.isFinite(value)) throw new InputError(`${law}: row ${i + 1}, column ${name}: must be positive, got ${show(value)}`, name);
  });
}

/**
 * Critical batch size against loss, Kaplan et al. 2020, eq. 5.3: B_crit(L) = B* / L^(1 / alpha_B)
 * (their fit: B* = 2e8 tokens, alpha_B = 0.21). Input column `L` (the target loss).
 */
export const kaplanBcrit: Law<Inputs> = {
  name: 'kaplan-bcrit',
  description: 'critical batch size vs loss (Kaplan et al. 2020)',
  formula: 'B_crit = B* / L^(1 / alpha_B)',
  inputs: ['L'],
  params: [
    { name: 'Bstar', min: 0, scale: 'log', init: 1e3, grid: [1, 1e3, 1e6, 1e9], description: 'B_crit at loss 1' },
    { name: 'alphaB', min: 1e-3, max: 100, init: 0.21, grid: [0.05, 0.2, 0.5, 2], description: 'B_crit doubles when L falls by 2^alpha_B' },
  ],
  evaluate(p, x, out) {
    const L = x.L!;
    for (let i = 0; i < L.length; i++) out[i] = p[0]! * Math.pow(L[i]!, -1 / p[1]!);
  },
  jacobian(p, x, jac) {
    const L = x.L!;
    const [Bstar, a] = [p[0]!, p[1]!];
    for (let i = 0; i < L.length; i++) {
      const pw = Math.pow(L[i]!, -1 / a);
      jac[2 * i] = pw;
      jac[2 * i + 1] = (Bstar * pw * Math.log(L[i]!)) / (a * a);
    }
  },
  validate: (x) => positiveColumn('kaplan-bcrit', x, 'L'),
};

/**
 * Loss against model size and minimum steps, Kaplan et al. 2020, eq. 5.6 (Su et al. 2024, eq. 6):
 * L(N, S_min) = (N_c / N)^alpha_N + (S_c / S_min)^alpha_S (their fit: alpha_N = 0.077,
 * alpha_S = 0.76, N_c = 6.5e13, S_c = 2.1e3). Inputs `N` and `Smin`.
 */
export const kaplanLossSteps: Law<Inputs> = {
  name: 'kaplan-n-smin',
  description: 'loss vs parameters and minimum steps (Kaplan et al. 2020)',
  formula: 'L = (N_c / N)^alpha_N + (S_c / S_min)^alpha_S',
  inputs: ['N', 'Smin'],
  params: [
    { name: 'Nc', min: 0, scale: 'log', init: 6.5e13, grid: [1e6, 1e10, 1e14], description: 'parameter scale' },
    { name: 'alphaN', min: 1e-3, max: 5, init: 0.077, grid: [0.05, 0.2, 0.6], description: 'parameter exponent' },
    { name: 'Sc', min: 0, scale: 'log', init: 2.1e3, grid: [1, 1e2, 1e4], description: 'step scale' },
    { name: 'alphaS', min: 1e-3, max: 5, init: 0.76, grid: [0.1, 0.4, 1], description: 'step exponent' },
  ],
  evaluate(p, x, out) {
    const N = x.N!,
      S = x.Smin!;
    for (let i = 0; i < N.length; i++) out[i] = Math.pow(p[0]! / N[i]!, p[1]!) + Math.pow(p[2]! / S[i]!, p[3]!);
  },
  jacobian(p, x, jac) {
    const N = x.N!,
      S = x.Smin!;
    for (let i = 0; i < N.length; i++) {
      const tn = Math.pow(p[0]! / N[i]!, p[1]!),
        ts = Math.pow(p[2]! / S[i]!, p[3]!);
      jac[4 * i] = (p[1]! * tn) / p[0]!;
      jac[4 * i + 1] = tn * Math.log(p[0]! / N[i]!);
      jac[4 * i + 2] = (p[3]! * ts) / p[2]!;
      jac[4 * i + 3] = ts * Math.log(p[2]! / S[i]!);
    }
  },
  validate(x) {
    positiveColumn('kaplan-n-smin', x, 'N');
    positiveColumn('kaplan-n-smin', x, 'Smin');
  },
};

/**
 * Kaplan et al. 2020, eq. 5.4: the steps a run at batch size B would have needed at a batch size far
 * below the critical one, S_min = S / (1 + B_crit / B). B and B_crit in the same unit.
 */
export function minSteps(steps: number, batchSize: number, bcrit: number): number {
  return steps / (1 + bcrit / batchSize);
}

/**
 * Kaplan et al. 2020, eq. 5.5: the compute the run would have needed at a batch size far below the
 * critical one, C_min = C / (1 + B / B_crit).
 */
export function minCompute(compute: number, batchSize: number, bcrit: number): number {
  return compute / (1 + batchSize / bcrit);
}
