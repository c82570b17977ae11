import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetWarnings, setWarn } from '../../src/core/warn.js';
import { readRuns } from '../../src/io/read-runs.js';
import { writeRuns } from '../../src/io/write.js';
import { useTempDir } from './tmp.js';
import { referenceData } from '../reference-data.js';

const { dir, file } = useTempDir();
let warnings: string[] = [];
let previous: (m: string) => void;
beforeEach(() => {
  warnings = [];
  resetWarnings();
  previous = setWarn((m) => warnings.push(m));
});
afterEach(() => void setWarn(previous));

describe('readRuns', () => {
  it('reads a published loss curve as one run named after the file; a lone `loss` is the evaluated loss', () => {
    const [run, ...rest] = readRuns(referenceData('multipowerlaw/csv_25/cosine_24000.csv'));
    expect(rest).toEqual([]);
    expect(run!.config).toEqual({ id: 'cosine_24000', family: 'imported' });
    expect(run!.trajectory.length).toBe(171);
    expect(run!.trajectory[0]).toEqual({ step: 2160, lr: 0.0003, evalLoss: 4.1114 });
  });

  it('splits a long-format file into runs, with per-run constants in the config and text columns as tags', () => {
    const path = file(
      'sweep.csv',
      [
        'run_id,step,n_params,batch_size,optimizer,train_loss,eval_loss,lr,grad_norm',
        'a,0,1M,32,adam,5.0,,0.001,1.5',
        'b,0,2M,32,sgd,5.1,,0.01,',
        'a,10,1M,32,adam,4.0,4.2,0.001,1.2',
        'b,10,2M,32,sgd,4.5,4.6,0.01,0.9',
      ].join('\n'),
    );
    const runs = readRuns(path, { family: 'mlp' });
    expect(runs).toEqual([
      {
        config: { id: 'a', family: 'mlp', N: 1e6, batchSize: 32, tags: { optimizer: 'adam' } },
        trajectory: [
          { step: 0, trainLoss: 5, lr: 0.001, grad_norm: 1.5 },
          { step: 10, trainLoss: 4, evalLoss: 4.2, lr: 0.001, grad_norm: 1.2 },
        ],
      },
      {
        config: { id: 'b', family: 'mlp', N: 2e6, batchSize: 32, tags: { optimizer: 'sgd' } },
        trajectory: [
          { step: 0, trainLoss: 5.1, lr: 0.01 },
          { step: 10, trainLoss: 4.5, evalLoss: 4.6, lr: 0.01, grad_norm: 0.9 },
        ],
      },
    ]);
  });

  it('names the file, row and column of duplicate or unsorted steps and other bad values', () => {
    const bad = (name: string, text: string) => () => readRuns(file(name, text));
    const p = (name: string) => join(dir(), name);
    expect(bad('dup.csv', 'run,step,loss\na,0,3\nb,0,3\na,0,2\n')).toThrow(`${p('dup.csv')}: row 3, column "step": duplicate step 0 in run "a" (also at row 1)`);
    expect(bad('uns.csv', 'step,loss\n0,3\n20,2\n10,2.5\n')).toThrow(`${p('uns.csv')}: row 3, column "step": step 10 comes after step 20; steps must increase`);
    expect(bad('neg.csv', 'step,loss\n-1,3\n')).toThrow(`${p('neg.csv')}: row 1, column "step": must not be negative, got -1`);
    expect(bad('frac.csv', 'step,loss\n1.5,3\n')).toThrow(`${p('frac.csv')}: row 1, column "step": must be an integer, got 1.5`);
    expect(bad('nostep.csv', 'step,loss\n0,3\n,2\n')).toThrow(`${p('nostep.csv')}: row 2, column "step": missing value`);
    expect(bad('text.csv', 'step,loss\n0,3\n1,high\n')).toThrow(`${p('text.csv')}: row 2, column "loss" (evalLoss): not a number: "high"`);
    expect(bad('nan.csv', 'step,train_loss\n0,3\n1,nan\n')).toThrow(`${p('nan.csv')}: row 2, column "train_loss" (trainLoss): not a finite number: "nan"`);
    expect(bad('n.csv', 'run,step,params,loss\na,0,1e6,3\na,1,2e6,2\n')).toThrow(
      `${p('n.csv')}: row 2, column "params" (N): run "a" has N 2000000 here but 1000000 at row 1; it must be constant within a run`,
    );
    expect(bad('negn.csv', 'step,params,loss\n0,-3,3\n')).toThrow(`${p('negn.csv')}: row 1, column "params" (N): must be positive, got -3`);
    expect(bad('none.csv', 'time,loss\n0,3\n')).toThrow(
      `${p('none.csv')}: no step column (looked for step, _step, Step, iteration, iter, global_step, trainer/global_step, epoch); columns: "time", "loss"; name it with columns: { step: ... }`,
    );
    expect(bad('empty.csv', '\n\n')).toThrow(`${p('empty.csv')}: empty file`);
  });

  it('keeps the NaN of a diverged run when asked to', () => {
    const [run] = readRuns(file('d.csv', 'step,train_loss\n0,3\n1,NaN\n'), { nonFinite: 'keep' });
    expect(run!.trajectory[1]!.trainLoss).toBeNaN();
  });

  it('warns about a text column that varies within a run instead of dropping it silently', () => {
    const [run] = readRuns(file('w.csv', 'step,loss,note\n0,3,start\n1,2,end\n'));
    expect(run!.config.tags).toBeUndefined();
    expect(warnings).toEqual([`${join(dir(), 'w.csv')}: column "note" is neither numeric nor constant within each run; not read`]);
  });

  it('writes runs in long format that read back to the same runs, in every format', () => {
    const runs = [
      {
        config: { id: 'r1', family: 'mlp', N: 1e5, tags: { opt: 'adam' } },
        trajectory: [
          { step: 0, trainLoss: 2.5, lr: 0 },
          { step: 5, trainLoss: 2, evalLoss: 2.1, lr: 1e-3 },
        ],
      },
      { config: { id: 'r2', family: 'mlp', N: 4e5, tags: { opt: 'sgd' } }, trajectory: [{ step: 0, trainLoss: 2.4, lr: 0 }] },
    ];
    for (const ext of ['csv', 'tsv', 'json', 'jsonl', 'arrow']) {
      const path = join(dir(), `runs.${ext}`);
      writeRuns(runs, path);
      expect(readRuns(path), ext).toEqual(runs);
    }
  });
});
