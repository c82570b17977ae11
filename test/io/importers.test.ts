import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTensorBoard } from '../../src/io/import-tensorboard.js';
import { importWandb, metricKey } from '../../src/io/import-wandb.js';
import { useTempDir } from './tmp.js';

const { dir, file } = useTempDir();

describe('Weights & Biases CSV export', () => {
  it('gives one run per run name, skips the __MIN/__MAX envelope and the steps a run did not log', () => {
    const path = file(
      'wandb_export.csv',
      [
        '"Step","lr=1e-3 seed 0 - train/loss","lr=1e-3 seed 0 - train/loss__MIN","lr=1e-3 seed 0 - train/loss__MAX","tiny-2 - train/loss","tiny-2 - train/loss__MIN","tiny-2 - train/loss__MAX"',
        '0,5.2,5.1,5.3,5.5,5.5,5.5',
        '100,4.1,4.0,4.2,,,',
        '200,3.6,3.5,3.7,4.0,3.9,4.1',
      ].join('\n'),
    );
    expect(importWandb(path)).toEqual([
      {
        config: { id: 'lr=1e-3_seed_0', family: 'imported', tags: { name: 'lr=1e-3 seed 0', source: 'wandb_export.csv' } },
        trajectory: [
          { step: 0, trainLoss: 5.2 },
          { step: 100, trainLoss: 4.1 },
          { step: 200, trainLoss: 3.6 },
        ],
      },
      {
        config: { id: 'tiny-2', family: 'imported', tags: { name: 'tiny-2', source: 'wandb_export.csv' } },
        trajectory: [
          { step: 0, trainLoss: 5.5 },
          { step: 200, trainLoss: 4 },
        ],
      },
    ]);
  });

  it('rejects a file that is not an export, and bad steps or values, naming row and column', () => {
    const p = (n: string) => join(dir(), n);
    expect(() => importWandb(file('a.csv', 'Step,loss\n0,1\n'))).toThrow(`${p('a.csv')}: not a W&B export: no "<run> - <metric>" columns; columns: "Step", "loss"`);
    expect(() => importWandb(file('b.csv', 'x,r - loss\n0,1\n'))).toThrow(
      `${p('b.csv')}: not a W&B export: no step column (looked for step, _step, Step, iteration, iter, global_step, trainer/global_step, epoch); columns: "x", "r - loss"`,
    );
    expect(() => importWandb(file('c.csv', 'Step,r - loss\n0,1\n0,2\n'))).toThrow(`${p('c.csv')}: row 2, column "Step" (step): duplicate step 0`);
    expect(() => importWandb(file('d.csv', 'Step,r - loss\n5,1\n2,2\n'))).toThrow(`${p('d.csv')}: row 2, column "Step" (step): step 2 comes after step 5; steps must increase`);
    expect(() => importWandb(file('e.csv', 'Step,r - loss\n0,1\n1,Infinity\n'))).toThrow(`${p('e.csv')}: row 2, column "r - loss": not a finite number: "Infinity"`);
  });
});

describe('TensorBoard scalars CSV', () => {
  it('reads Wall time, Step, Value and merges the tags of one run', () => {
    const a = file('run-base-tag-train_loss.csv', 'Wall time,Step,Value\n1700000000.5,0,4.5\n1700000010.5,50,3.5\n');
    const b = file('run-base-tag-eval_loss.csv', 'Wall time,Step,Value\n1700000011.0,50,3.7\n');
    const other = file('run-big-tag-loss.csv', 'Wall time,Step,Value\n1700000000,0,6\n');
    expect(importTensorBoard([a, b, other])).toEqual([
      {
        config: { id: 'base', family: 'imported', tags: { name: 'base' } },
        trajectory: [
          { step: 0, trainLoss: 4.5, wallTime: 1700000000.5 },
          { step: 50, trainLoss: 3.5, evalLoss: 3.7, wallTime: 1700000011.0 },
        ],
      },
      { config: { id: 'big', family: 'imported', tags: { name: 'big' } }, trajectory: [{ step: 0, trainLoss: 6, wallTime: 1700000000 }] },
    ]);
    const [named] = importTensorBoard(file('export.csv', 'Wall time,Step,Value\n1,0,0.5\n'), { run: 'mine', metric: 'accuracy' });
    expect(named!.trajectory).toEqual([{ step: 0, accuracy: 0.5, wallTime: 1 }]);
    expect(named!.config.id).toBe('mine');
  });

  it('rejects other files and bad rows with row and column', () => {
    const p = (n: string) => join(dir(), n);
    expect(() => importTensorBoard(file('x.csv', 'step,loss\n0,1\n'))).toThrow(
      `${p('x.csv')}: not a TensorBoard scalars export: expected columns "Wall time", "Step", "Value"; columns: "step", "loss"`,
    );
    expect(() => importTensorBoard(file('y.csv', 'Wall time,Step,Value\n1,0,2\n2,0,1\n'))).toThrow(`${p('y.csv')}: row 2, column "Step" (step): duplicate step 0`);
    expect(() => importTensorBoard(file('z.csv', 'Wall time,Step,Value\n1,0,oops\n'))).toThrow(`${p('z.csv')}: row 1, column "Value" (value): not a number: "oops"`);
  });

  it('maps the usual metric names to trajectory keys', () => {
    expect(['loss', 'train/loss', 'eval_loss', 'val/loss', 'learning_rate', 'accuracy'].map(metricKey)).toEqual(['trainLoss', 'trainLoss', 'evalLoss', 'evalLoss', 'lr', 'accuracy']);
  });
});
