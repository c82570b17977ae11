import { describe, expect, it } from 'vitest';
import { bestSchedule, refinedFamily, scheduleFamilies } from '../../src/plan/schedule-choice.js';
import { getLaw, listLaws } from '../../src/laws/registry.js';
import { makePoints, prepareCurve, type CurvePoints } from '../../src/laws/curve-points.js';
import type { ScheduleSpec } from '../../src/core/schedule-spec.js';
import { savedFit } from './published-25m-fit.js';

const literature: Record<string, ScheduleSpec> = {
  'linear to zero': { type: 'linear', peak: 3e-4, final: 0, warmup: 100, steps: 2000 },
  power: { type: 'power', peak: 3e-4, warmup: 100, steps: 2000 },
  'power + cooldown': { type: 'power', peak: 3e-4, warmup: 100, steps: 2000, cooldownFraction: 0.2 },
  refined: { type: 'refined', peak: 3e-4, warmup: 100, steps: 2000, gradNorms: Array.from({ length: 50 }, (_, i) => 2 - i / 40), smoothing: 0.1 },
};

describe('schedules from the literature', () => {
  const curveLaws = listLaws().filter((name) => getLaw(name).inputs.includes('schedule'));

  it('are predicted by every whole-curve law', () => {
    expect(curveLaws.length).toBeGreaterThanOrEqual(5);
    for (const name of curveLaws) {
      const law = getLaw<CurvePoints>(name);
      const p = Float64Array.from(law.params, (s) => s.init ?? s.grid?.[0] ?? 1);
      const curves = Object.values(literature).map((spec, i) => prepareCurve(spec, { name: `c${i}`, N: 1e8 }));
      const x = makePoints(
        curves,
        Int32Array.from(curves, (_, i) => i),
        Int32Array.from(curves, (c) => c.lr.length - 1),
      );
      const out = new Float64Array(curves.length);
      law.evaluate(p, x, out);
      for (const v of out) expect(Number.isFinite(v), `${name}`).toBe(true);
    }
  });

  it('are ranked by bestSchedule, the refined family when given gradient norms', () => {
    const fit = savedFit();
    const budget = { steps: 24000, peak: 3e-4, warmup: 2160, final: 3e-5 };
    const norms = Array.from({ length: 240 }, (_, i) => 1 + 0.5 * Math.exp(-i / 30));
    const rows = bestSchedule(fit, budget, [...scheduleFamilies, refinedFamily(norms)]);
    const names = rows.map((r) => r.family);
    for (const family of ['linear to zero', 'power (exponent)', 'power + linear cooldown (fraction)', 'refined from grad norms (smoothing)']) expect(names).toContain(family);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.final).toBeGreaterThanOrEqual(rows[i - 1]!.final);
    // Under Luo et al.'s 25M fit, annealing to zero beats the horizon-free power decay without cooldown.
    const final = (family: string) => rows.find((r) => r.family === family)!.final;
    expect(final('linear to zero')).toBeLessThan(final('power (exponent)'));
  });
});
