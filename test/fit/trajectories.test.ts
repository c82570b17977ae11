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

describe('fitting whole trajectories', () => {
  it('fits Chinchilla to checkpoints with per-run weights and a bootstrap grouped by run', async () => {
    const { fitLaw } = await import('../../src/fit/fit.js');
    const { bootstrap } = await import('../../src/fit/bootstrap.js');
    const truth = { A: 400, B: 1000, E: 1.7, alpha: 0.34, beta: 0.3 };
    const runs: Run[] = [1e7, 3e7, 1e8, 3e8].map((N) => ({
      config: { id: `n${N}`, family: 'mlp', N, D: 2e10, batchSize: 1e6 },
      trajectory: Array.from({ length: 20 }, (_, k) => {
        const tokens = (k + 1) * 1e9;
        return { step: (k + 1) * 1000, tokens, evalLoss: truth.E + truth.A / N ** truth.alpha + truth.B / tokens ** truth.beta };
      }),
    }));
    const table = observationsFromRuns(runs, { from: 0.1 });
    const grid = { A: [Math.exp(5), Math.exp(7)], B: [Math.exp(6), Math.exp(8)], E: [1, 2], alpha: [0.2, 0.5], beta: [0.2, 0.5] };
    const fit = await fitLaw('chinchilla', table, { weights: table.extra.weight as number[], grid, threads: 1, lbfgsb: { factr: 1, pgtol: 1e-12 } });
    expect(fit.values.alpha!).toBeCloseTo(truth.alpha, 3);
    expect(fit.values.beta!).toBeCloseTo(truth.beta, 3);
    const grouped = await bootstrap(fit, table, { resamples: 10, seed: 1, threads: 1, groups: table.extra.run as string[], weights: table.extra.weight as number[] });
    expect(grouped.bootstrap!.resamples).toBe(10);
  });
});
