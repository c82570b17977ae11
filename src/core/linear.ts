import { inverse, Matrix, solve } from 'ml-matrix';

/**
 * Small dense linear algebra through ml-matrix (LU with partial pivoting), for the few places that
 * solve a system of a handful of unknowns; undefined when the matrix is singular or the answer is
 * not finite.
 */
export function solveLinear(M: readonly (readonly number[])[], v: readonly number[]): number[] | undefined {
  try {
    const x = solve(new Matrix(M.map((row) => [...row])), Matrix.columnVector([...v])).to1DArray();
    return x.every(Number.isFinite) ? x : undefined;
  } catch {
    return undefined; // ml-matrix throws on an exactly singular matrix
  }
}

/** The inverse of a square matrix given row-major in `A` (d x d), row-major; undefined if singular. */
export function inverseOf(A: ArrayLike<number>, d: number): Float64Array | undefined {
  try {
    const rows = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => A[a * d + b]!));
    const inv = Float64Array.from(inverse(new Matrix(rows)).to1DArray());
    return inv.every(Number.isFinite) ? inv : undefined;
  } catch {
    return undefined;
  }
}
