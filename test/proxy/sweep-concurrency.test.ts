import { describe, expect, it } from 'vitest';
import type { SweepSpec } from '../../src/proxy/sweep-spec.js';
import { crashSweeps } from './crash-harness.js';

// Tiny seeded runs (a few hundred parameters, 20 steps), so that several processes and kills fit in seconds.
const spec: SweepSpec = {
  base: { model: { family: 'transformer', width: 4, depth: 1, heads: 1, context: 8 }, data: { type: 'markov' }, batchSize: 4, lr: 1e-2, steps: 20, evalTokens: 64, backend: 'wasm' },
  grid: { width: [4, 8], seed: [0, 1, 2] },
};

describe('many sweep processes on one store', () => {
  for (const [processes, kills] of [
    [2, 2],
    [4, 3],
  ] as const) {
    it(`${processes} processes, ${kills} SIGKILLs: every run finished once, no repeated step, the union equal to an uninterrupted sweep`, async () => {
      const r = await crashSweeps({ spec, processes, kills });
      expect(r.killed).toHaveLength(kills);
      expect(r.dirs).toEqual(r.expected);
      expect(r.finished).toEqual(r.expected);
      expect(r.trainedTwice).toEqual([]);
      expect(r.finishedAttempts).toEqual([]);
      expect(r.badSteps).toEqual([]);
      // bit for bit: config.json and trajectory.jsonl bytes, and the summary but for its timings
      expect(r.differ).toEqual([]);
      // every run a killed process held was retried, its partial trajectory kept apart
      for (const { held } of r.killed) for (const id of held) expect(r.attempts[id]).toBeGreaterThanOrEqual(1);
    }, 300_000);
  }
});
