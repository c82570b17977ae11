import { describe, expect, it } from 'vitest';
import { fitLaw } from '../../src/fit/fit.js';
import { predictWith } from '../../src/fit/result.js';
import { dataConstrained, dataConstrainedLoss, effectiveSize, parametersForUniqueTokens, type DataConstrainedValues } from '../../src/laws/data-constrained.js';
import { getLaw } from '../../src/laws/registry.js';
import { rng } from '../../src/core/rng.js';

// huggingface/datablations README, "Parametric Fit": a, b, e in log space, alpha = beta, R_D*, R_N*.
const RELEASED: DataConstrainedValues = { A: Math.exp(6.255414), B: Math.exp(7.3049974), E: Math.exp(0.6254804), alpha: 0.3526596, beta: 0.3526596, RD: 15.387756, RN: 5.309743 };
const chinchilla = (v: DataConstrainedValues, N: number, D: number) => v.E + v.A / N ** v.alpha + v.B / D ** v.beta;

describe('data-constrained law (Muennighoff et al. 2023)', () => {
  it('is registered', () => {
    expect(getLaw('data-constrained')).toBe(dataConstrained);
    expect(dataConstrained.inputs).toEqual(['N', 'D', 'U']);
  });

  it("gives the README's two losses at the released constants to 1e-12", () => {
    // scaling_law(6.34e9, 242e9, 25e9) = 2.2256440889984477; scaling_law(8.67e9, 178e9, 25e9) = 2.2269634075087867
    expect(Math.abs(dataConstrainedLoss(RELEASED, 6.34e9, 242e9, 25e9) / 2.2256440889984477 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(dataConstrainedLoss(RELEASED, 8.67e9, 178e9, 25e9) / 2.2269634075087867 - 1)).toBeLessThan(1e-12);
    const p = Float64Array.of(RELEASED.A, RELEASED.B, RELEASED.E, RELEASED.alpha, RELEASED.beta, RELEASED.RD, RELEASED.RN);
    const out = predictWith(dataConstrained, p, { N: [6.34e9, 8.67e9], D: [242e9, 178e9], U: 25e9 });
    expect(out[0]).toBeCloseTo(2.2256440889984477, 12);
    expect(out[1]).toBeCloseTo(2.2269634075087867, 12);
  });

  it("is Chinchilla's law without repetition and excess parameters, and above it otherwise", () => {
    const U = 1e11;
    const UN = parametersForUniqueTokens(RELEASED, U);
    // A run of D < U tokens sees D unique ones (the README passes U = min(U, D)): no excess below N_opt(D).
    const small = parametersForUniqueTokens(RELEASED, U / 3) / 2;
    expect(dataConstrainedLoss(RELEASED, small, U / 3, U)).toBeCloseTo(chinchilla(RELEASED, small, U / 3), 12);
    expect(dataConstrainedLoss(RELEASED, UN, U, U)).toBeCloseTo(chinchilla(RELEASED, UN, U), 12);
    const r = rng(3);
    const random = () => r.next();
    for (let k = 0; k < 200; k++) {
      const N = 10 ** (7 + 4 * random()),
        D = 10 ** (9 + 4 * random()),
        u = 10 ** (8 + 4 * random());
      expect(dataConstrainedLoss(RELEASED, N, D, u)).toBeGreaterThanOrEqual(chinchilla(RELEASED, N, D) - 1e-12);
    }
  });

  it('counts repeated tokens and excess parameters at a decaying rate (eqs. 5 and 6)', () => {
    const U = 1e10;
    const e = effectiveSize(RELEASED, 1e12, 4 * U, U);
    expect(e.RD).toBe(3);
    expect(e.Dprime).toBeCloseTo(U * (1 + RELEASED.RD * (1 - Math.exp(-3 / RELEASED.RD))), 0);
    expect(e.Dprime).toBeLessThan(4 * U);
    expect(e.Dprime).toBeGreaterThan(3.5 * U); // four epochs are worth almost four fresh ones
    expect(e.UN).toBeCloseTo(parametersForUniqueTokens(RELEASED, U), 0);
    expect(e.Nprime).toBeLessThan(1e12);
    // A run shorter than the unique tokens sees only D of them: no repetition.
    expect(effectiveSize(RELEASED, 1e8, 1e9, 1e10)).toMatchObject({ UD: 1e9, RD: 0, Dprime: 1e9 });
  });

  it('refuses missing or non-positive unique tokens, naming the column', () => {
    const p = Float64Array.of(RELEASED.A, RELEASED.B, RELEASED.E, RELEASED.alpha, RELEASED.beta, RELEASED.RD, RELEASED.RN);
    expect(() => predictWith(dataConstrained, p, { N: 1e9, D: 1e10 })).toThrow('predict: law "data-constrained" needs input U; got N, D');
    expect(() => predictWith(dataConstrained, p, { N: 1e9, D: 1e10, U: 0 })).toThrow('law "data-constrained": row 1, column U: must be positive and finite, got 0');
  });

  it('recovers known R_D* and R_N* from noise-free repeated-epoch runs, Chinchilla constants fixed', async () => {
    const truth = { ...RELEASED, RD: 8, RN: 3 };
    const rows: { N: number; D: number; U: number }[] = [];
    for (const U of [1e8, 1e9, 1e10])
      for (const epochs of [1, 2, 4, 8, 16, 40, 100]) for (const size of [0.5, 2, 8, 32]) rows.push({ N: parametersForUniqueTokens(truth, U) * size, D: U * epochs, U });
    const data = {
      inputs: { N: rows.map((r) => r.N), D: rows.map((r) => r.D), U: rows.map((r) => r.U) },
      loss: rows.map((r) => dataConstrainedLoss(truth, r.N, r.D, r.U)),
      source: 'synthetic',
    };
    const { A, B, E, alpha, beta } = truth;
    const fit = await fitLaw('data-constrained', data, { fixed: { A, B, E, alpha, beta }, threads: 1 });
    expect(fit.values.RD).toBeCloseTo(8, 3);
    expect(fit.values.RN).toBeCloseTo(3, 3);
  });
});
