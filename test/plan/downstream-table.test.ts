// Reading ladder evaluations into the two steps' data: the OLMo ladder's protocol, as the
// reproduction (src/reproductions/olmo-ladder.ts) applies it by hand.
import { describe, expect, it } from 'vitest';
import { readTable } from '../../src/io/table-file.js';
import { downstreamTasks, movingAverage, selectTasks } from '../../src/plan/downstream-table.js';
import { LADDER_TASKS, ladderPath, ladderTaskData, readLadder } from '../../src/reproductions/olmo-ladder.js';

describe('downstreamTasks on the bundled OLMo ladder', () => {
  const table = downstreamTasks(readTable(ladderPath()), { source: 'ladder.csv' });
  it('pairs each bpb:<task> column with its acc:<task> column', () => {
    expect(table.layout).toBe('wide');
    expect(table.columns).toEqual({ N: 'N', D: 'tokens', run: 'run' });
    expect(table.tasks).toHaveLength(11);
    expect(table.tasks.find((t) => t.task === 'hellaswag_val_rc_5shot')!.columns).toEqual({
      taskLoss: 'bpb:hellaswag_val_rc_5shot_bpb',
      accuracy: 'acc:hellaswag_val_rc_5shot_len_norm',
    });
    expect(table.runs).toBe(16);
  });
  it("gives the reproduction's step 1 and step 2 data for every single-key task", () => {
    const rows = readLadder();
    for (const task of LADDER_TASKS.filter((t) => t.keys.length === 1)) {
      const expected = ladderTaskData(rows, task);
      const [ours] = selectTasks(table.tasks, [task.keys[0]!]);
      expect(ours!.step1, task.id).toEqual(expected.step1);
      expect(ours!.step2, task.id).toEqual(expected.step2);
    }
  });
});

describe('selectTasks', () => {
  const tasks = [{ task: 'mmlu_stem' }, { task: 'mmlu_other' }, { task: 'piqa_val' }];
  it('takes an exact name or the start of exactly one', () => {
    expect(selectTasks(tasks, ['piqa']).map((t) => t.task)).toEqual(['piqa_val']);
    expect(selectTasks(tasks, ['mmlu_stem']).map((t) => t.task)).toEqual(['mmlu_stem']);
    expect(() => selectTasks(tasks, ['mmlu'])).toThrow('--task: "mmlu" matches 2 tasks (mmlu_stem, mmlu_other); give one');
    expect(() => selectTasks(tasks, ['hella'])).toThrow('--task: no task "hella"; tasks: mmlu_stem, mmlu_other, piqa_val');
  });
});

describe('movingAverage', () => {
  it('averages over a window that grows at the start', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 3)).toEqual([1, 1.5, 2, 3, 4]);
  });
});
