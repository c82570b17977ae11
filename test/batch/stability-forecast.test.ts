import { describe, expect, it } from 'vitest';
import { stabilityForecast } from '../../src/batch/stability-forecast.js';
import type { Run } from '../../src/core/run.js';

// Synthetic sweeps with a known divergence threshold lr* = 0.1 (N / 1e6)^-0.35: a run trains (loss 5
// to 3) below it and diverges above it; the largest attention logit grows as lr^0.5.
const threshold = (N: number) => 0.1 * (N / 1e6) ** -0.35;
const rates = Array.from({ length: 13 }, (_, k) => 10 ** (-3 + k / 4));
function sweep(N: number): Run[] {
  return rates.map((lr, k) => {
    const trained = lr < threshold(N);
    return {
      config: { id: `N${N}-lr${k}`, family: 'synthetic', N, schedule: { type: 'constant', peak: lr, steps: 100 } },
      trajectory: trained
        ? [
            { step: 0, trainLoss: 5, maxAttentionLogit: 10 * Math.sqrt(lr / 1e-3) },
            { step: 100, trainLoss: 3, maxAttentionLogit: 20 * Math.sqrt(lr / 1e-3) },
          ]
        : [{ step: 0, trainLoss: 5 }],
      summary: trained ? { status: 'finished', steps: 100, finalTrainLoss: 3 } : { status: 'diverged', steps: 40, reason: 'loss not finite' },
    };
  });
}

describe('stabilityForecast', () => {
  const sizes = [1e6, 4e6, 1.6e7];
  const next = 6.4e7;
  const f = stabilityForecast(sizes.flatMap(sweep), { metric: 'trainLoss', at: next });

  it('brackets each size’s threshold by its sweep and recovers the trend', () => {
    for (const s of f.sizes) {
      expect(s.stableLr!).toBeLessThan(threshold(s.N));
      expect(s.divergedLr!).toBeGreaterThanOrEqual(threshold(s.N));
      expect(s.divergedLr! / s.stableLr!).toBeCloseTo(10 ** 0.25, 10);
      expect(s.attentionGrowth!).toBeCloseTo(0.5, 10);
    }
    expect(f.trend!.e).toBeLessThan(-0.2);
    expect(f.trend!.e).toBeGreaterThan(-0.5);
  });

  it('predicts the next size’s threshold within a factor 1.5 of the one its own sweep measures', () => {
    const measured = stabilityForecast(sweep(next), { metric: 'trainLoss' }).sizes[0]!.threshold!;
    const ratio = f.forecast!.threshold / measured;
    expect(ratio).toBeLessThan(1.5);
    expect(ratio).toBeGreaterThan(1 / 1.5);
    const [lo, hi] = f.forecast!.interval;
    expect(lo).toBeLessThanOrEqual(threshold(next));
    expect(hi).toBeGreaterThanOrEqual(threshold(next));
    expect(f.sentence).toMatch(/^At N = 64000000, LR above [0-9.e+-]+ is predicted to diverge \(90% interval [0-9.e+-]+-[0-9.e+-]+; threshold = [0-9.e+-]+ N\^-0\.[0-9]+ from 3 proxy sizes\)\.$/);
  });

  it('says when a sweep never diverged or never trained, and needs two bracketed sizes for a trend', () => {
    const open = sweep(1e6).filter((r) => r.summary!.status !== 'diverged');
    const g = stabilityForecast(open, { metric: 'trainLoss', at: 1e7 });
    expect(g.trend).toBeUndefined();
    const top = Math.max(...open.map((r) => (r.config.schedule as { peak: number }).peak));
    expect(g.notes).toContain(`N = 1000000: no run above ${top} diverged; the threshold is above the sweep`);
    expect(g.notes).toContain('0 size(s) with a bracketed threshold: a trend needs 2');
    expect(() => stabilityForecast([], {})).toThrow('runs: no runs given');
  });
});
