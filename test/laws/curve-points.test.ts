import { describe, expect, it } from 'vitest';
import { curvePoints, curveRows, prepareCurve, selectPoints } from '../../src/laws/curve-points.js';

describe('curve inputs', () => {
  it('keeps prefix sums and the steps where the rate changes', () => {
    const c = prepareCurve([0, 1, 1, 0.5, 0.5, 0.25]);
    expect(Array.from(c.prefix)).toEqual([0, 1, 2, 2.5, 3, 3.25]);
    expect(Array.from(c.changes)).toEqual([1, 3, 5]);
  });

  it('selects rows and whole curves for the bootstrap', () => {
    const { x } = curvePoints([
      { schedule: [1, 1, 1], steps: [0, 2] },
      { schedule: [1, 0.5], steps: [1] },
    ]);
    expect(Array.from(selectPoints(x, [2, 0]).step)).toEqual([1, 0]);
    expect(Array.from(curveRows(x, [1, 1, 0]))).toEqual([2, 2, 0, 1]);
  });

  it('rejects negative rates, steps past the schedule and non-positive losses', () => {
    expect(() => prepareCurve([0, 1e-4, -1e-4], { name: 'neg' })).toThrow('neg: schedule: rate at step 2 is not a non-negative number: -0.0001');
    expect(() => curvePoints([{ name: 'short', schedule: [1, 1], steps: [0, 2] }])).toThrow('short: row 2: step 2 runs past the schedule, which has 2 steps (0..1)');
    expect(() => curvePoints([{ name: 'c', schedule: [1, 1], steps: [1], loss: [0] }])).toThrow('c: row 1: loss is not a positive number: 0');
    expect(() => curvePoints([{ name: 'c', schedule: [1, 1], steps: [1.5] }])).toThrow('c: row 1: step is not a non-negative integer: 1.5');
  });
});
