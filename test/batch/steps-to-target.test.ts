import { describe, expect, it } from 'vitest';
import { stepsToTarget } from '../../src/batch/steps-to-target.js';
import type { Run } from '../../src/core/run.js';

const run = (id: string, batchSize: number | undefined, losses: number[], every = 10): Run => ({
  config: { id, family: 'x', batchSize },
  trajectory: losses.map((l, i) => ({ step: i * every, tokens: i * every * 100, evalLoss: l, trainLoss: l + 0.1 })),
});

describe('stepsToTarget', () => {
  it('interpolates steps and tokens linearly between the points around the first crossing', () => {
    const { reached, unreached } = stepsToTarget([run('a', 32, [5, 4, 3, 3.5, 2])], [4.5, 3, 2.5]);
    expect(unreached).toEqual([]);
    expect(reached).toEqual([
      { runId: 'a', batchSize: 32, target: 4.5, steps: 5, tokens: 500 },
      { runId: 'a', batchSize: 32, target: 3, steps: 20, tokens: 2000 },
      // First crossing of 2.5 lies between step 30 (3.5) and 40 (2): 30 + 10 * (1 / 1.5).
      { runId: 'a', batchSize: 32, target: 2.5, steps: 30 + 10 / 1.5, tokens: (30 + 10 / 1.5) * 100 },
    ]);
  });

  it('uses trainLoss on request and takes the first point when it is already below', () => {
    const { reached } = stepsToTarget([run('a', 32, [5, 4])], [6], { metric: 'trainLoss' });
    expect(reached[0]!.steps).toBe(0);
  });

  it('names each run that misses a target, with its best loss', () => {
    const runs = [run('a', 32, [5, 4, 3]), run('b', 64, [5, 4.5, 4.2]), run('c', 128, [5, 4.8])];
    expect(() => stepsToTarget(runs, [4.4, 3])).toThrow(
      'target 4.4 not reached by run "c" (batch 128, best evalLoss 4.8); target 3 not reached by run "b" (batch 64, best evalLoss 4.2), run "c" (batch 128, best evalLoss 4.8); choose a higher target or pass unreached: \'exclude\'',
    );
    const { unreached } = stepsToTarget(runs, [3], { unreached: 'exclude' });
    expect(unreached.map((u) => u.runId)).toEqual(['b', 'c']);
  });

  it('rejects bad runs and targets with exact messages', () => {
    expect(() => stepsToTarget([run('a', undefined, [5, 4])], [4])).toThrow('run "a": config.batchSize must be a positive number, got undefined');
    expect(() => stepsToTarget([run('a', 32, [5, 4])], [])).toThrow('targets: no target losses given');
    expect(() => stepsToTarget([run('a', 32, [5, 4])], [-1])).toThrow('targets: target loss must be a positive number, got -1');
    expect(() => stepsToTarget([], [4])).toThrow('runs: no runs given');
    const bad: Run = {
      config: { id: 'a', family: 'x', batchSize: 8 },
      trajectory: [
        { step: 10, evalLoss: 5 },
        { step: 5, evalLoss: 4 },
      ],
    };
    expect(() => stepsToTarget([bad], [4])).toThrow('run "a": trajectory steps must increase, got 10 then 5');
    const empty: Run = { config: { id: 'a', family: 'x', batchSize: 8 }, trajectory: [{ step: 1, trainLoss: 5 }] };
    expect(() => stepsToTarget([empty], [4])).toThrow('run "a": trajectory has no evalLoss values');
  });
});
