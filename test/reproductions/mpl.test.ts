import { describe, expect, it } from 'vitest';
import { mplProtocol } from '../../src/reproductions/mpl.js';
import { referenceData } from '../reference-data.js';

const dir = referenceData('multipowerlaw');

// Published bars (Luo et al. 2025: repository README for the multi-power law, Table 1 for the momentum law).
describe("Luo et al.'s protocol: fit 3 curves, predict 6", () => {
  // The published multi-power-law figures come from Luo et al.'s early-stopped AdamW fit.
  const optimizer = 'adamw-early-stopped';
  it("multi-power law, Luo et al.'s early-stopped fit, 100M: no worse than the published 0.00142 / 0.00583", () => {
    const r = mplProtocol('100', 'mpl', { dir, optimizer });
    expect(r.predE).toBeLessThanOrEqual(0.00142);
    expect(r.worstE).toBeLessThanOrEqual(0.00583);
  });

  it("multi-power law, Luo et al.'s early-stopped fit, 25M: no worse than the published 0.00110 / 0.00409", () => {
    const r = mplProtocol('25', 'mpl', { dir, optimizer });
    expect(r.predE).toBeLessThanOrEqual(0.0011);
    expect(r.worstE).toBeLessThanOrEqual(0.00409);
  });

  // The default fit is the optimum of the objective; on Luo et al.'s curves it extrapolates worse than
  // their early stop (measured 2026-12-03, see src/fit/fit-curves.ts), and on the 100M curves the
  // optimum runs off along beta -> 0, B -> infinity (B beta ~ 52), which the fit reports.
  it('multi-power law, default converged fit, 25M: converges, PredE / WorstE as measured', () => {
    const r = mplProtocol('25', 'mpl', { dir });
    expect(r.fit.converged).toBe(true);
    expect(r.fit.warnings).toEqual([]);
    expect(r.predE).toBeCloseTo(0.001371, 5);
    expect(r.worstE).toBeCloseTo(0.003603, 5);
  });

  it('multi-power law, default converged fit, 100M: converges, and says gamma ended on its bound', () => {
    const r = mplProtocol('100', 'mpl', { dir });
    expect(r.fit.converged).toBe(true);
    expect(r.fit.warnings!.map((w) => [w.code, w.parameter])).toEqual([['at-bound', 'gamma']]);
    expect(r.predE).toBeCloseTo(0.001476, 5);
    expect(r.worstE).toBeCloseTo(0.004636, 5);
  }, 300_000);

  it('momentum law, 100M: no worse than the published 0.0022 / 0.0094', () => {
    const r = mplProtocol('100', 'momentum', { dir });
    expect(r.predE).toBeLessThanOrEqual(0.0022);
    expect(r.worstE).toBeLessThanOrEqual(0.0094);
  });

  it('momentum law, 25M: no worse than the published 0.0014 / 0.0047 at the published precision', () => {
    const r = mplProtocol('25', 'momentum', { dir });
    expect(r.predE).toBeLessThanOrEqual(0.0014);
    // 0.004738: equal to the published 0.0047 at the two digits published, 0.8% above it read as
    // exact. The worst points are a noisy first point of cosine_72000 and the first logged step
    // after wsdcon_3's abrupt drop, which the momentum's ~500-step lag cannot follow.
    expect(r.worstE).toBeLessThanOrEqual(0.00475);
  });
});
