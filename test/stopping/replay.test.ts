import { describe, expect, it } from 'vitest';
import { replay, replayAsync } from '../../src/stopping/replay.js';
import { predictive } from '../../src/stopping/rules.js';

// Twelve curves that end at their index (lower is better); a noisy predictor that knows the finals.
const curves = Array.from({ length: 12 }, (_, k) => Float64Array.from({ length: 12 }, (_, i) => k + 5 / (i + 1)));
const finals = curves.map((c) => c[11]!);
const every = Array.from({ length: 11 }, (_, i) => i + 1);

describe('replayAsync', () => {
  it('gives the result of replay, asking prefetch before each decision', async () => {
    // The predicted P(better) falls as the run goes on, so later epochs decide differently.
    const rule = predictive({ delta: 0.2, minPoints: 2, predict: (v) => ({ probBetter: (t) => (finals[v.id as number]! < t ? 1 : 0.5 / v.values.length) }) });
    const options = { goal: 'min' as const, checkpoints: every, orderings: 7, budget: 6, seed: 5 };
    const sync = replay(curves, rule, options);
    const asked: string[] = [];
    const async = await replayAsync(curves, rule, {
      ...options,
      prefetch: async (v) => {
        asked.push(`${v.id}@${v.values.length}`);
      },
    });
    expect(async).toEqual(sync);
    expect(sync.speedup).toBeGreaterThan(1);
    expect(asked.length).toBeGreaterThan(6 * 7);
  });

  it('waits for prefetch to fill what the rule reads', async () => {
    const cache = new Map<string, number>();
    const rule = predictive({
      delta: 0.5,
      predict: (v) => {
        const p = cache.get(`${v.id}@${v.values.length}`);
        if (p === undefined) throw new Error(`not prefetched: ${v.id}@${v.values.length}`);
        return { probBetter: (t) => (p < t ? 1 : 0) };
      },
    });
    const r = await replayAsync(curves, rule, {
      goal: 'min',
      checkpoints: [3, 6],
      orderings: 4,
      budget: 12,
      seed: 2,
      prefetch: async (v) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        cache.set(`${v.id}@${v.values.length}`, finals[v.id as number]!);
      },
    });
    expect(r.regret).toBe(0);
    expect(r.speedup).toBeGreaterThan(1);
  });
});
