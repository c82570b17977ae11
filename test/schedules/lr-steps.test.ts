import { describe, expect, it } from 'vitest';
import { readLrStepsCsv } from '../../src/schedules/lr-steps.js';
import { useTempDir } from '../io/tmp.js';

const { file } = useTempDir();

describe('lr-steps: piecewise-constant learning-rate schedules from CSV', () => {
  it('reads a learning-rate schedule of steps and rates', () => {
    const lr = file('lr.csv', 'step,lr\n0,1\n5,0.2\n');
    expect(readLrStepsCsv(lr)).toEqual({ step: [0, 5], lr: [1, 0.2] });
    const rate = file('rate.csv', 'step,rate\n0,1\n');
    expect(() => readLrStepsCsv(rate)).toThrow(`${rate}: no column "lr"; columns: step, rate`);
    const gap = file('gap.csv', 'step,lr\n0,1\n5,\n');
    expect(() => readLrStepsCsv(gap)).toThrow(`${gap}: row 2, column lr: not a finite number: ""`);
  });
});
