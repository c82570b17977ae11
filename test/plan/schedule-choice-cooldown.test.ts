import { describe, expect, it } from 'vitest';
import { bestSchedule, bestWsdCooldown, chooseCooldown } from '../../src/plan/schedule-choice.js';
import { CurveFit } from '../../src/fit/result.js';
import { savedFit, values } from './published-25m-fit.js';
import { finalLosses } from '../../src/fit/predict-curve.js';
import { finalLossGradient, optimizeSchedule } from '../../src/plan/optimize-schedule.js';
import { lrSchedule } from '../../src/schedules/schedule.js';

/** Samples that move only the floor: every decision is the fit's own. */
const floors = Array.from({ length: 20 }, (_, r) => values.map((v, j) => (j === 0 ? v + 0.001 * (r - 10) : v)));
/** Samples from nearly no loss drop (B small: the longest cooldown is best) to a strong one (B large). */
const spread = Array.from({ length: 20 }, (_, r) => values.map((v, j) => (j === 3 ? v * Math.exp(0.6 * (r - 10)) : j === 5 ? v * Math.exp(-0.15 * (r - 10)) : v)));
const budget = { steps: 24000, peak: 3e-4, warmup: 2160, final: 3e-5 };
const fractions = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

describe('cooldown choice with its uncertainty', () => {
  it('picks the (shape, fraction) with the lowest predicted final loss and the gap to the best other shape', () => {
    const c = chooseCooldown(savedFit(), budget, { fractions });
    const all = c.shapes.flatMap((shape) => fractions.map((f) => ({ shape, f })));
    const finals = finalLosses(
      savedFit(),
      all.map(({ shape, f }) => ({ type: 'wsd', ...budget, cooldownFraction: f, shape })),
    );
    const min = Math.min(...finals);
    expect(c.best.final).toBe(min);
    expect(all[finals.indexOf(min)]).toEqual({ shape: c.best.shape, f: c.best.fraction });
    expect(c.runnerUp!.shape).not.toBe(c.best.shape);
    expect(c.gap).toBeCloseTo(c.runnerUp!.final - c.best.final, 15);
    expect(c.byShape.map((s) => s.final)).toEqual([...c.byShape.map((s) => s.final)].sort((a, b) => a - b));
    expect(c.bootstrap).toBeUndefined();
    expect(c.identified).toBeUndefined();
    expect(c.report()).toContain('no bootstrap samples in the fit: refit with resamples for intervals');
  });

  it('gives bootstrap intervals, narrow when the samples agree', () => {
    const c = chooseCooldown(savedFit(floors), budget, { fractions, level: 0.9 });
    expect(c.bootstrap!.resamples).toBe(20);
    expect(c.bootstrap!.fraction).toEqual([c.best.fraction, c.best.fraction]);
    expect(c.bootstrap!.gap![0]).toBeCloseTo(c.gap!, 12);
    expect(c.bootstrap!.shapeWins[c.best.shape]).toBeCloseTo(1, 12);
    expect(c.identified).toBe(true);
    expect(c.shapeIdentified).toBe(true);
    expect(c.report()).toContain(`fraction ${c.best.fraction} (90% interval ${c.best.fraction}-${c.best.fraction})`);
  });

  it('says "not identified by these curves" when the interval spans the searched range', () => {
    const c = chooseCooldown(savedFit(spread), budget, { fractions, shapes: ['linear', 'sqrt'] });
    expect(c.bootstrap!.fraction).toEqual([0.1, 0.8]);
    expect(c.identified).toBe(false);
    expect(c.report()).toContain('cooldown fraction: not identified by these curves (the 90% bootstrap interval 0.1-0.8 spans the searched 0.1-0.8)');
    const wsd = bestWsdCooldown(savedFit(spread), budget, { fractions, shape: 'linear' });
    expect(wsd.interval).toEqual([0.1, 0.8]);
    expect(wsd.identified).toBe(false);
  });

  it('accepts a decay to final 0 for every family searched, leaving out the exponential cooldown with a note', () => {
    const zero = { ...budget, final: 0 };
    const c = chooseCooldown(savedFit(), zero, { fractions });
    expect(c.shapes).toEqual(['linear', 'sqrt', 'cosine']);
    expect(c.notes).toContain('exponential cooldown not searched: it cannot decay to final 0');
    expect(Number.isFinite(c.best.final)).toBe(true);
    expect(() => chooseCooldown(savedFit(), zero, { shapes: ['exponential'] })).toThrow('shapes: an exponential cooldown cannot decay to final 0; leave it out or give a positive final');
    const wsd = bestWsdCooldown(savedFit(), zero, { fractions });
    expect(wsd.shape).toBe('linear');
    const rows = bestSchedule(savedFit(floors), zero);
    expect(rows.map((r) => r.family)).not.toContain('wsd exponential (cooldown fraction)');
    for (const r of rows) expect(r.interval![0]).toBeLessThanOrEqual(r.interval![1]);
  });

  it('refuses a bad level and a budget that leaves no cooldown after warmup', () => {
    expect(() => chooseCooldown(savedFit(), budget, { level: 1 })).toThrow('level: not in (0, 1): 1');
    expect(() => chooseCooldown(savedFit(), { ...budget, warmup: 23000 }, { fractions: [0.1, 0.5] })).toThrow('fractions: none in (0, 1) leaves the 23000-step warmup before the cooldown');
  });

  it('has the exact final-loss gradient of the convex bound, and optimises a schedule under it', () => {
    const fit = CurveFit.fromJSON({
      kind: 'curve-fit',
      version: 1,
      law: 'convex-bound',
      params: { L0: 2.8, D2: 3, G2: 45 },
      values: [2.8, 3, 45],
      fixed: [],
      objective: 0,
      converged: true,
      message: '',
      atBound: [],
      loss: { name: 'huber', settings: { delta: 1e-3 } },
      curves: [],
      date: '2026-12-03',
    });
    const lr = lrSchedule({ type: 'wsd', peak: 1e-3, warmup: 30, steps: 600, cooldownFraction: 0.4, final: 1e-5, shape: 'sqrt' });
    const grad = new Float64Array(lr.length);
    const f = finalLossGradient(fit, lr, grad);
    expect(Math.abs(f - finalLosses(fit, [lr])[0]!) / f).toBeLessThan(1e-5);
    for (const s of [0, 1, 29, 30, 200, 359, 360, 500, 598, 599]) {
      const h = 1e-9;
      const up = Float64Array.from(lr);
      const down = Float64Array.from(lr);
      up[s]! += h;
      down[s]! -= h;
      const fd = (finalLossGradient(fit, up, new Float64Array(lr.length)) - finalLossGradient(fit, down, new Float64Array(lr.length))) / (2 * h);
      expect(Math.abs(grad[s]! - fd), `step ${s}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
    const optimized = optimizeSchedule(fit, { steps: 600, peak: 1e-3, warmup: 30, final: 1e-5 }, { blocks: 20 });
    expect(optimized.final).toBeLessThanOrEqual(optimized.cosine);
  });
});
