import { describe, expect, it } from 'vitest';
import type { Run } from '../../src/core/run.js';
import { runObservations, unusedRuns } from '../../src/plan/from-runs.js';

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
