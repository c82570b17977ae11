import { describe, expect, it } from 'vitest';
import { batchRamp, rampGrid, scheduleCost } from '../../src/batch/batch-ramp.js';

// Kaplan et al. 2020's published fits (WebText2, batches in tokens): L(N, S_min) eq. 5.6 / Table 2,
// B_crit(L) eq. 5.3.
const loss = { Nc: 8.8e13, alphaN: 0.076, Sc: 2.1e3, alphaS: 0.76 };
const bcrit = { Bstar: 2e8, alphaB: 0.21 };
const plan = { N: 1e9, target: 2.6 };

describe('batchRamp', () => {
  it('matches the constant batch in examples (or steps) and saves the other', () => {
    const g = rampGrid(loss, bcrit, plan.N, plan.target, 400);
    const B0 = Math.max(...g.bcrit);
    const r = batchRamp(loss, bcrit, { ...plan, constantBatch: B0 });
    expect(r.sameExamples.examples / r.constant.examples).toBeCloseTo(1, 9);
    expect(r.sameSteps.steps / r.constant.steps).toBeCloseTo(1, 9);
    expect(r.sameExamples.stepSaving).toBeGreaterThan(0.01);
    expect(r.sameSteps.exampleSaving).toBeGreaterThan(0.01);
    // The ramp grows with B_crit as the loss falls.
    const batches = r.sameExamples.stages.map((s) => s.batch);
    for (let i = 1; i < batches.length; i++) expect(batches[i]!).toBeGreaterThanOrEqual(batches[i - 1]!);
    const total = r.sameExamples.stages.reduce((a, s) => a + s.steps, 0);
    expect(total / r.sameExamples.steps).toBeCloseTo(1, 9);
  });

  it('saves nothing when B_crit does not change along the run', () => {
    const flat = { Bstar: 2e6, alphaB: 1e9 };
    const r = batchRamp(loss, flat, { ...plan, constantBatch: 5e6 });
    expect(Math.abs(r.sameExamples.stepSaving)).toBeLessThan(1e-9);
    expect(Math.abs(r.sameSteps.exampleSaving)).toBeLessThan(1e-9);
  });

  it('is no worse than the best two-stage schedule with the same examples (brute force)', () => {
    const g = rampGrid(loss, bcrit, plan.N, plan.target, 2);
    const B0 = 3e6;
    const r = batchRamp(loss, bcrit, { ...plan, constantBatch: B0, intervals: 2 });
    const E0 = scheduleCost(g, () => B0).examples;
    let best = Infinity;
    for (let i = 1; i < 20000; i++) {
      const B1 = (i / 20000) * (E0 / g.dSmin[0]! - g.bcrit[0]!);
      const B2 = (E0 - g.dSmin[0]! * (B1 + g.bcrit[0]!)) / g.dSmin[1]! - g.bcrit[1]!;
      if (!(B2 > 0)) continue;
      best = Math.min(best, scheduleCost(g, (k) => (k === 0 ? B1 : B2)).steps);
    }
    expect(r.sameExamples.steps).toBeLessThanOrEqual(best * (1 + 1e-9));
    expect(r.sameExamples.steps / best).toBeGreaterThan(1 - 1e-4);
  });

  it('gives intervals over paired parameter draws, and rejects bad input', () => {
    const draws = [0.19, 0.2, 0.21, 0.22, 0.23].map((alphaB) => ({ Bstar: 2e8, alphaB }));
    const r = batchRamp(loss, bcrit, { ...plan, constantBatch: 3e6, samples: { bcrit: draws, loss: draws.map(() => loss) } });
    expect(r.intervals!.draws).toBe(5);
    expect(r.intervals!.stepSaving[0]).toBeLessThanOrEqual(r.sameExamples.stepSaving);
    expect(r.intervals!.stepSaving[1]).toBeGreaterThanOrEqual(r.sameExamples.stepSaving);
    expect(() => batchRamp(loss, bcrit, { ...plan, constantBatch: 0 })).toThrow('constantBatch: not a positive number: 0');
    expect(() => batchRamp(loss, bcrit, { ...plan, target: 1, constantBatch: 1e6 })).toThrow("target loss 1 is not above the model's limit");
  });
});
