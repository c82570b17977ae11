import { describe, expect, it } from 'vitest';
import { inverseOf, solveLinear } from '../../src/core/linear.js';

describe('solveLinear / inverseOf', () => {
  it('solves a small system and inverts a matrix', () => {
    const x = solveLinear(
      [
        [4, 1, 0],
        [1, 3, 1],
        [0, 1, 2],
      ],
      [1, 2, 3],
    )!;
    // Residual of the solution, checked against the system itself.
    expect(4 * x[0]! + x[1]!).toBeCloseTo(1, 12);
    expect(x[0]! + 3 * x[1]! + x[2]!).toBeCloseTo(2, 12);
    expect(x[1]! + 2 * x[2]!).toBeCloseTo(3, 12);
    expect(Array.from(inverseOf([2, 1, 1, 1], 2)!)).toEqual([1, -1, -1, 2].map((v) => expect.closeTo(v, 12)));
  });

  it('returns undefined for a singular matrix', () => {
    expect(
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeUndefined();
    expect(inverseOf([1, 2, 2, 4], 2)).toBeUndefined();
  });
});
