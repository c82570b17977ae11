import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/core/run.js';
import { runObservations, stabilityFromRuns, unusedRuns } from '../../src/plan/from-runs.js';

const run = (id: string, summary: Run['summary'], config: Partial<Run['config']> = {}): Run =>
  ({ config: { id, N: 1e6, D: 2e7, batchSize: 32, ...config }, summary, trajectory: [] }) as unknown as Run;

describe('runObservations and unusedRuns', () => {
  const runs = [
    run('a', { status: 'finished', finalEvalLoss: 3.1, tokens: 2e7 } as Run['summary']),
    run('b', { status: 'diverged' } as Run['summary']),
    run('c', undefined),
    run('d', { status: 'finished' } as Run['summary']),
    run('e', { status: 'finished', finalEvalLoss: 3 } as Run['summary'], { N: undefined, D: undefined }),
  ];

  it('uses finished runs with N, tokens and a final loss', () => {
    expect(runObservations(runs)).toEqual([{ id: 'a', N: 1e6, D: 2e7, loss: 3.1, batchSize: 32 }]);
  });

  it('lists every other run with the reason it was left out', () => {
    expect(unusedRuns(runs)).toEqual([
      { id: 'b', reason: 'diverged' },
      { id: 'c', reason: 'no summary (unfinished or interrupted)' },
      { id: 'd', reason: 'no final loss' },
      { id: 'e', reason: 'no N, tokens' },
    ]);
  });
});

describe('stabilityFromRuns', () => {
  // A run at size N and rate lr that trains below lr* = 0.1 (N / 1e6)^-0.5 and diverges above it.
  const sweepRun = (N: number, lr: number): Run =>
    ({
      config: { id: `${N}-${lr}`, family: 'synthetic', N, tags: { lr } },
      trajectory:
        lr < 0.1 * (N / 1e6) ** -0.5
          ? [
              { step: 1, evalLoss: 5 },
              { step: 9, evalLoss: 3 },
            ]
          : [
              { step: 1, evalLoss: 5 },
              { step: 9, evalLoss: NaN },
            ],
    }) as unknown as Run;
  const rates = [0.01, 0.02, 0.04, 0.08, 0.16];

  it('forecasts from sizes swept over 3 or more rates, leaving out runs with no rate or no size', () => {
    const runs = [...[1e6, 4e6].flatMap((N) => rates.map((lr) => sweepRun(N, lr))), run('scaling', undefined), run('no-size', undefined, { N: undefined })];
    const s = stabilityFromRuns(runs, 1.6e7)!;
    expect(s.sizes.map((z) => [z.N, z.runs, z.stableLr, z.divergedLr])).toEqual([
      [1e6, 5, 0.08, 0.16],
      [4e6, 5, 0.04, 0.08],
    ]);
    // Thresholds sqrt(0.08 * 0.16) and sqrt(0.04 * 0.08): a slope of -0.5 in log N, continued to 1.6e7.
    expect(s.trend!.e).toBeCloseTo(-0.5, 12);
    expect(s.forecast!.threshold).toBeCloseTo(Math.sqrt(0.02 * 0.04), 12);
    expect(s.sentence).toMatch(/^At N = 16000000, LR above 0\.0283 is predicted to diverge/);
  });

  it('is undefined without LR sweeps at two sizes', () => {
    // A scaling sweep: one rate per size.
    expect(
      stabilityFromRuns(
        [1e6, 4e6, 1.6e7].map((N, i) => sweepRun(N, rates[i]!)),
        1e8,
      ),
    ).toBeUndefined();
    // One size swept, the other at two rates only.
    expect(stabilityFromRuns([...rates.map((lr) => sweepRun(1e6, lr)), sweepRun(4e6, 0.01), sweepRun(4e6, 0.02)], 1e8)).toBeUndefined();
    expect(stabilityFromRuns([], 1e8)).toBeUndefined();
  });
});
