import { describe, expect, it } from 'vitest';
import { filterObservations, flopsFromND, observations, paramsFromCD, selectRows, tokensFromCN } from '../../src/core/observations.js';

describe('observations', () => {
  it('derives the missing one of N, D, C from C = 6 N D', () => {
    const t = observations({ N: [1e8, 4e8], D: [2e9, 8e9], loss: [3.1, 2.8] }, { source: 'runs.csv' });
    expect(Array.from(t.C!)).toEqual([1.2e18, 1.92e19]);
    const fromC = observations({ N: [1e8], C: [1.2e18], loss: [3] });
    expect(fromC.D![0]).toBeCloseTo(2e9, 0);
    const noN = observations({ D: [2e9], C: [1.2e18], loss: [3] });
    expect(noN.N![0]).toBeCloseTo(1e8, 0);
    expect(observations({ N: [1e8], C: [1.2e18], loss: [3] }, { derive: false }).D).toBeUndefined();
    expect(flopsFromND(1e8, 2e9)).toBe(1.2e18);
    expect(tokensFromCN(1.2e18, 1e8)).toBeCloseTo(2e9, 0);
    expect(paramsFromCD(1.2e18, 2e9)).toBeCloseTo(1e8, 0);
  });

  it('rejects empty, non-finite, non-positive and ragged columns, naming source, row and column', () => {
    expect(() => observations({ loss: [] }, { source: 'a.csv' })).toThrow('a.csv: no rows');
    expect(() => observations({ N: [1, NaN], loss: [1, 2] }, { source: 'a.csv' })).toThrow('a.csv: row 2, column N: not a finite number: NaN');
    expect(() => observations({ D: [1, -2], loss: [1, 2] })).toThrow('observations: row 2, column D: must be positive, got -2');
    expect(() => observations({ C: [1], loss: [1, 2] })).toThrow('observations: column C has 1 values, expected 2');
    expect(() => observations({ loss: [1, 2], extra: { seed: [1] } })).toThrow('observations: column seed has 1 values, expected 2');
  });

  it('filters and resamples rows, reporting the excluded ones', () => {
    const t = observations({ N: [1, 2, 3, 4], loss: [4, 3, 2, 1], extra: { tag: ['a', 'b', 'c', 'd'] } }, { excluded: [{ row: 9, reason: 'upstream' }] });
    const kept = filterObservations(t, (i) => t.loss[i]! < 4, 'highest loss');
    expect(Array.from(kept.N!)).toEqual([2, 3, 4]);
    expect(kept.extra.tag).toEqual(['b', 'c', 'd']);
    expect(kept.excluded).toEqual([
      { row: 9, reason: 'upstream' },
      { row: 1, reason: 'highest loss' },
    ]);
    const boot = selectRows(t, [3, 3, 0]);
    expect(Array.from(boot.loss)).toEqual([1, 1, 4]);
    expect(boot.length).toBe(3);
    expect(Object.isFrozen(t)).toBe(true);
  });
});
