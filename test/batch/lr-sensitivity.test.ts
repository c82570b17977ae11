import { describe, expect, it } from 'vitest';
import { lrSensitivity } from '../../src/batch/lr-sensitivity.js';
import type { Run } from '../../src/core/run.js';

// Final loss against learning rate per size: L = Lbest (1 + c (ln lr - ln lr*)^2), lr* = 0.02 (N / 1e6)^-0.5.
const lrStar = (N: number) => 0.02 * Math.pow(N / 1e6, -0.5);
// Eight rates per decade, so linear interpolation resolves the near-optimal band.
const lrs = Array.from({ length: 25 }, (_, i) => 1e-4 * Math.pow(10, i / 8));
function runs(sizes: number[], c = 0.05): Run[] {
  return sizes.flatMap((N) =>
    lrs.map((lr) => ({
      config: { id: `N${N}-lr${lr}`, family: 'x', N, tags: { lr } },
      trajectory: [
        { step: 0, evalLoss: 10 },
        { step: 1000, evalLoss: 3 * (1 + c * Math.log(lr / lrStar(N)) ** 2) },
      ],
    })),
  );
}

describe('lrSensitivity (Wortsman et al. 2023)', () => {
  it('finds the optimal rate per size (exact for a parabola in log lr), its trend in N and the band', async () => {
    const r = await lrSensitivity(runs([1e6, 4e6, 16e6]));
    expect(r.edgeSizes).toEqual([]);
    for (const s of r.sizes) {
      expect(s.atEdge).toBe(false);
      expect(s.optimalLr / lrStar(s.N)).toBeCloseTo(1, 10);
      // Band where c (ln lr - ln lr*)^2 <= 0.01 is ln lr* +/- sqrt(0.2). The sweep's best point is
      // not exactly at lr* (up to half a step, ln(10) / 16, away: its loss is up to 0.1% above the
      // minimum, which widens the band by up to 5%), and interpolation between points is a chord.
      const exact = (2 * Math.sqrt(0.01 / 0.05)) / Math.LN10;
      expect(Math.abs(s.bandDecades / exact - 1)).toBeLessThan(0.08);
      expect(s.bandOpen).toEqual([]);
      expect(s.sensitivity).toBeGreaterThan(0);
    }
    expect(r.trend!.values.e).toBeCloseTo(-0.5, 8);
    expect(r.trend!.values.k! * Math.pow(1e6, -0.5)).toBeCloseTo(0.02, 8);
  });

  it('flags sizes whose best rate is at the edge and leaves them out of the trend', async () => {
    const r = await lrSensitivity(runs([1e6, 4e6, 1e12]));
    expect(r.sizes[2]!.atEdge).toBe('low');
    expect(r.edgeSizes).toEqual([1e12]);
    expect(r.trend!.data.rows).toBe(2);
  });

  it('a flatter curve gives a wider band and lower sensitivity', async () => {
    const sharp = (await lrSensitivity(runs([1e6], 0.05))).sizes[0]!;
    const flat = (await lrSensitivity(runs([1e6], 0.01))).sizes[0]!;
    expect(flat.bandDecades).toBeGreaterThan(sharp.bandDecades);
    expect(flat.sensitivity).toBeLessThan(sharp.sensitivity);
  });

  it('rejects missing sizes and too few rates with exact messages', async () => {
    await expect(lrSensitivity([{ config: { id: 'a', family: 'x', tags: { lr: 1 } }, trajectory: [] }])).rejects.toThrow('run "a": config.N must be a positive number, got undefined');
    await expect(lrSensitivity(runs([1e6]).slice(0, 2))).rejects.toThrow(`size N=1000000: needs at least 3 distinct learning rates, got ${JSON.stringify(lrs.slice(0, 2))}`);
  });
});
