import { describe, expect, it } from 'vitest';
import { customSchedule, scheduleFromCsv } from '../../src/schedules/custom.js';
import { lrSchedule } from '../../src/schedules/schedule.js';

describe('custom schedules', () => {
  it('reads a column of per-step rates', () => {
    const spec = scheduleFromCsv('lr\n0\n1e-4\n2e-4\n');
    expect(Array.from(lrSchedule(spec))).toEqual([0, 1e-4, 2e-4]);
  });

  it('holds each rate until the next listed step', () => {
    const spec = scheduleFromCsv('step,lr\n0,0\n1,1e-4\n3,3e-4\n', { source: 'lr.csv' });
    expect(Array.from(lrSchedule(spec))).toEqual([0, 1e-4, 1e-4, 3e-4]);
  });

  it('round-trips through JSON', () => {
    const spec = customSchedule([1, 0.5, 0.25]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('names the file, row and column of bad input', () => {
    expect(() => scheduleFromCsv('step,lr\n0,1\n1,x\n', { source: 'lr.csv' })).toThrow('lr.csv: row 2, column lr: not a number: "x"');
    expect(() => scheduleFromCsv('step,rate\n0,1\n', { source: 'lr.csv' })).toThrow('lr.csv: no column "lr"; columns: step, rate');
    expect(() => scheduleFromCsv('step,lr\n1,1\n', { source: 'lr.csv' })).toThrow('lr.csv: row 1, column step: the first step must be 0, got 1');
    expect(() => scheduleFromCsv('step,lr\n0,1\n5,1\n5,2\n', { source: 'lr.csv' })).toThrow('lr.csv: row 3, column step: steps must be strictly increasing integers, got 5 after 5');
  });
});
