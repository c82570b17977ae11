import { describe, expect, it } from 'vitest';
import { fitDownstream, predictDownstream } from '../../src/plan/downstream.js';
import { getReproduction } from '../../src/reproductions/index.js';
import { LADDER_TARGET, LADDER_TASKS, LADDER_TOLERANCE, ladderTaskData, readLadder } from '../../src/reproductions/olmo-ladder.js';

describe('reproduce olmo-ladder-13b (Bhagia et al. 2024)', () => {
  const rows = readLadder();

  it('is registered', () => {
    expect(getReproduction('olmo-ladder-13b').description).toContain('Bhagia et al. 2024');
  });

  it("predicts OLMo 2 13B's accuracy on the 8 tasks of chained_main.csv within the paper's rounding", async () => {
    for (const task of LADDER_TASKS) {
      const { step1, step2, actual } = ladderTaskData(rows, task);
      expect(step1).toHaveLength(16);
      expect(Math.abs(actual - task.actual)).toBeLessThan(1e-12);
      const p = predictDownstream(await fitDownstream(step1, step2, { chance: task.chance, bootstrap: 0 }), LADDER_TARGET);
      expect(Math.abs(p.accuracy.value - task.predicted) / task.actual, task.id).toBeLessThan(LADDER_TOLERANCE);
    }
  }, 60_000);

  it('gives HellaSwag an interval around its prediction', async () => {
    const task = LADDER_TASKS.find((t) => t.id === 'hellaswag_val')!;
    const { step1, step2 } = ladderTaskData(rows, task);
    const p = predictDownstream(await fitDownstream(step1, step2, { chance: task.chance, bootstrap: 40, seed: 0 }), LADDER_TARGET);
    expect(p.accuracy.lower).toBeLessThan(p.accuracy.value);
    expect(p.accuracy.upper).toBeGreaterThan(p.accuracy.value);
    expect(p.warnings.join('\n')).toContain('step 1 extrapolates');
  }, 60_000);
});
