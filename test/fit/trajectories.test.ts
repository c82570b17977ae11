import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/core/run.js';
import { observationsFromRuns } from '../../src/fit/trajectories.js';

function run(id: string, N: number, seed: number, offset = 0): Run {
  const trajectory = Array.from({ length: 10 }, (_, k) => ({ step: (k + 1) * 100, evalLoss: 3 + 100 / ((k + 1) * 100) + offset }));
  return { config: { id, family: 'mlp', N, D: 1000 * 64, batchSize: 64, seed }, trajectory, summary: { status: 'finished', steps: 1000 } };
}

describe('observationsFromRuns', () => {
  it('turns checkpoints into (N, D seen, loss) rows, dropping the first part of training', () => {
    const table = observationsFromRuns([run('a', 1e6, 0), run('b', 4e6, 0)], { from: 0.25 });
    // Steps 300..1000 of each run are at or after 25% of 64,000 tokens.
    expect(table.length).toBe(16);
    expect(Array.from(table.D!.slice(0, 2))).toEqual([300 * 64, 400 * 64]);
    expect(table.extra.run!.slice(0, 1)).toEqual(['a']);
    expect(table.extra.weight![0]).toBeCloseTo(1 / 8, 12);
  });

  it('pools seeds by averaging the loss at each step', () => {
    const table = observationsFromRuns([run('a0', 1e6, 0, 0), run('a1', 1e6, 1, 0.2), run('b', 4e6, 0)], { poolSeeds: true, from: 0 });
    expect(table.length).toBe(20);
    expect(table.extra.run![0]).toBe('a0+a1');
    expect(table.loss[0]).toBeCloseTo(3 + 1 + 0.1, 12);
    expect(table.extra.pooled![0]).toBe(2);
  });

  it('skips diverged runs unless asked', () => {
    const bad = { ...run('x', 2e6, 0), summary: { status: 'diverged' as const, steps: 10 } };
    expect(observationsFromRuns([run('a', 1e6, 0), bad]).extra.run!.includes('x')).toBe(false);
    expect(observationsFromRuns([run('a', 1e6, 0), bad], { includeFailed: true }).extra.run!.includes('x')).toBe(true);
  });

  it('says what is missing', () => {
    const noN = { ...run('a', 1e6, 0), config: { id: 'a', family: 'mlp' } };
    expect(() => observationsFromRuns([noN])).toThrow('run "a": config.N is missing; checkpoints need a parameter count');
    const noBatch = { config: { id: 'c', family: 'mlp', N: 1e6 }, trajectory: [{ step: 5, evalLoss: 3 }] };
    expect(() => observationsFromRuns([noBatch])).toThrow('run "c", step 5: no tokens logged and no config.batchSize to count them');
    expect(() => observationsFromRuns([run('a', 1e6, 0)], { from: 1 })).toThrow('from: must be in [0, 1), got 1');
  });
});
