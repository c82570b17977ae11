import { describe, expect, it } from 'vitest';
import { bestSchedule, bestWsdCooldown, rankSchedules } from '../../src/plan/schedule-choice.js';
import { savedFit } from './published-25m-fit.js';
import { finalLossGradient, optimizeSchedule } from '../../src/plan/optimize-schedule.js';
import { finalLosses } from '../../src/fit/predict-curve.js';
import { lrSchedule } from '../../src/schedules/schedule.js';

const fit = savedFit();
const budget = { steps: 24000, peak: 3e-4, warmup: 2160, final: 3e-5 };

describe('schedule decisions', () => {
  it('ranks an annealed schedule below a constant one', () => {
    const ranked = rankSchedules(fit, [
      { name: 'constant', schedule: { type: 'constant', peak: 3e-4, warmup: 2160, steps: 24000 } },
      { name: 'cosine', schedule: { type: 'cosine', peak: 3e-4, final: 3e-5, warmup: 2160, steps: 24000 } },
    ]);
    expect(ranked.map((r) => r.name)).toEqual(['cosine', 'constant']);
    expect(ranked[0]!.final).toBeLessThan(ranked[1]!.final);
  });

  it('finds the WSD cooldown fraction with the lowest final loss on its grid', () => {
    const best = bestWsdCooldown(fit, budget, { fractions: [0.05, 0.1, 0.2, 0.3, 0.5] });
    expect(best.final).toBe(Math.min(...best.table.map((r) => r.final)));
    expect(best.fraction).toBeGreaterThan(0.05);
    expect(best.fraction).toBeLessThan(0.5);
  });

  it("returns each family's best member, best first", () => {
    const rows = bestSchedule(fit, budget);
    expect(rows.length).toBe(10);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.final).toBeGreaterThanOrEqual(rows[i - 1]!.final);
    expect(rows[rows.length - 1]!.family).toBe('constant');
  });

  it('has an exact final-loss gradient (central differences)', () => {
    const lr = lrSchedule({ type: 'wsd', peak: 3e-4, warmup: 100, steps: 1000, cooldownFraction: 0.3, final: 3e-5, shape: 'linear' });
    const grad = new Float64Array(1000);
    const f = finalLossGradient(fit, lr, grad);
    expect(f).toBeCloseTo(finalLosses(fit, [lr])[0]!, 5);
    for (const s of [1, 50, 99, 100, 500, 700, 701, 850, 999]) {
      const h = 1e-9;
      const up = Float64Array.from(lr);
      const down = Float64Array.from(lr);
      up[s]! += h;
      down[s]! -= h;
      const fd = (finalLossGradient(fit, up, new Float64Array(1000)) - finalLossGradient(fit, down, new Float64Array(1000))) / (2 * h);
      expect(Math.abs(fd - grad[s]!)).toBeLessThan(1e-4 * Math.abs(fd) + 1e-3);
    }
  });

  it('optimises a free-form non-increasing schedule that beats cosine', () => {
    const result = optimizeSchedule(fit, budget, { blocks: 100 });
    expect(result.gain).toBeGreaterThan(0.01);
    const v = (result.schedule as { values: number[] }).values;
    for (let s = 2161; s < v.length; s++) expect(v[s]).toBeLessThanOrEqual(v[s - 1]!);
    expect(Math.max(...v)).toBeLessThanOrEqual(3e-4);
  });
});
