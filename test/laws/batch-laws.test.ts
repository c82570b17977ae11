import { describe, expect, it } from 'vitest';
import { kaplanBcrit, kaplanLossSteps, minCompute, minSteps } from '../../src/laws/kaplan-batch.js';
import { batchOptInC, bcritInD, bcritInN, lrOptInC, lrOptInN, powerLawStart } from '../../src/laws/batch-power.js';
import { stepsVsBatch } from '../../src/laws/steps-vs-batch.js';
import type { Inputs, Law } from '../../src/laws/law.js';
import { getLaw } from '../../src/laws/registry.js';

/** Analytic Jacobian against central differences at p. */
function checkJacobian(law: Law<Inputs>, p: number[], x: Inputs) {
  const rows = Object.values(x)[0]!.length;
  const np = p.length;
  const jac = new Float64Array(rows * np);
  law.jacobian!(Float64Array.from(p), x, jac);
  const up = new Float64Array(rows),
    down = new Float64Array(rows);
  for (let j = 0; j < np; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(p[j]!));
    const pu = Float64Array.from(p),
      pd = Float64Array.from(p);
    pu[j]! += h;
    pd[j]! -= h;
    law.evaluate(pu, x, up);
    law.evaluate(pd, x, down);
    for (let i = 0; i < rows; i++) {
      const fd = (up[i]! - down[i]!) / (2 * h);
      expect(Math.abs(jac[i * np + j]! - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  }
}

describe('batch laws', () => {
  it('are registered under their names', () => {
    for (const law of [stepsVsBatch, kaplanBcrit, kaplanLossSteps, bcritInN, bcritInD, batchOptInC, lrOptInC, lrOptInN]) expect(getLaw(law.name)).toBe(law);
  });

  it('evaluate their formulas', () => {
    const out = new Float64Array(2);
    stepsVsBatch.evaluate(Float64Array.of(100, 6400), { B: Float64Array.of(64, 640) }, out);
    expect(Array.from(out)).toEqual([200, 110]);
    kaplanBcrit.evaluate(Float64Array.of(2e8, 0.21), { L: Float64Array.of(1, 3) }, out);
    expect(out[0]).toBe(2e8);
    expect(out[1]).toBeCloseTo(2e8 / Math.pow(3, 1 / 0.21), 0);
    kaplanLossSteps.evaluate(Float64Array.of(6.5e13, 0.077, 2.1e3, 0.76), { N: Float64Array.of(1e9, 1e8), Smin: Float64Array.of(1e5, 1e4) }, out);
    expect(out[0]).toBeCloseTo(Math.pow(6.5e4, 0.077) + Math.pow(2.1e-2, 0.76), 12);
    batchOptInC.evaluate(Float64Array.of(0.292, 0.3271), { C: Float64Array.of(1e20, 1e22) }, out);
    expect(out[1]).toBeCloseTo(0.292 * Math.pow(1e22, 0.3271), 6);
  });

  it('have analytic Jacobians that match central differences', () => {
    checkJacobian(stepsVsBatch, [300, 5e4], { B: Float64Array.of(16, 128, 1024) });
    checkJacobian(kaplanBcrit, [2e3, 0.3], { L: Float64Array.of(2.5, 3.1, 4) });
    checkJacobian(kaplanLossSteps, [1e10, 0.2, 50, 0.6], { N: Float64Array.of(1e6, 3e7), Smin: Float64Array.of(100, 5000) });
    checkJacobian(lrOptInN, [3, -0.4], { N: Float64Array.of(1e5, 1e7) });
  });

  it('reject non-positive inputs with exact messages', () => {
    expect(() => stepsVsBatch.validate!({ B: Float64Array.of(64, 0) })).toThrow('steps-vs-batch: row 2, column B: must be positive, got 0');
    expect(() => kaplanBcrit.validate!({ L: Float64Array.of(-3) })).toThrow('kaplan-bcrit: row 1, column L: must be positive, got -3');
    expect(() => bcritInN.validate!({})).toThrow('bcrit-n: missing input column N');
  });

  it('powerLawStart is the least-squares line in log-log', () => {
    const [k, e] = powerLawStart([1, 10, 100], [2, 2 * Math.pow(10, 0.5), 20]);
    expect(k).toBeCloseTo(2, 12);
    expect(e).toBeCloseTo(0.5, 12);
  });

  it("Kaplan's S_min and C_min adjustments (eqs. 5.4, 5.5)", () => {
    expect(minSteps(3000, 100, 200)).toBe(1000);
    expect(minCompute(3000, 200, 100)).toBe(1000);
    // At B = B_crit both are halved: twice the minimum steps and twice the minimum compute.
    expect(minSteps(10, 64, 64)).toBe(5);
    expect(minCompute(10, 64, 64)).toBe(5);
  });
});

describe('saved batch fits', () => {
  it('a fit of a batch law survives toJSON / fromJSON and predicts the same', async () => {
    const { fitBcritVsLoss } = await import('../../src/batch/critical-batch.js');
    const { ScalingFit } = await import('../../src/fit/result.js');
    const L = [2.5, 3, 3.5];
    const fit = await fitBcritVsLoss({ loss: L, bcrit: L.map((l) => 2e8 * Math.pow(l, -1 / 0.21)) });
    const again = ScalingFit.fromJSON(JSON.parse(JSON.stringify(fit)));
    expect(again.law).toBe('kaplan-bcrit');
    expect(again.predict({ L: 2.8 })[0]).toBe(fit.predict({ L: 2.8 })[0]);
  });
});
