import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { simdMatmul, simdMatmulModule } from '../../src/proxy/simd-matmul.js';

function reference(a: Float32Array, b: Float32Array, batch: number, M: number, K: number, N: number, aBatched: boolean, bBatched: boolean): Float64Array {
  const out = new Float64Array(batch * M * N);
  for (let q = 0; q < batch; q++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[(aBatched ? q : 0) * M * K + i * K + k]! * b[(bBatched ? q : 0) * K * N + k * N + j]!;
        out[q * M * N + i * N + j] = s;
      }
  return out;
}

describe('simdMatmul', () => {
  it('assembles a module that WebAssembly validates', () => {
    expect(WebAssembly.validate(simdMatmulModule())).toBe(true);
  });

  // Tile-aligned shapes, ragged ones (padded inside), K = 1, and broadcasting of either side.
  const cases: [number, number, number, number, boolean, boolean][] = [
    [2, 8, 16, 16, true, true],
    [3, 5, 7, 9, true, true],
    [4, 4, 1, 8, false, true],
    [2, 13, 3, 16, true, false],
    [1, 1, 33, 3, true, true],
  ];
  it.each(cases)('batch %i, %i x %i times %i x n, batched A %s, batched B %s, matches a float64 reference', (batch, M, K, N, aBatched, bBatched) => {
    const random = rng(7);
    const a = Float32Array.from({ length: (aBatched ? batch : 1) * M * K }, () => random.normal());
    const b = Float32Array.from({ length: (bBatched ? batch : 1) * K * N }, () => random.normal());
    const got = simdMatmul()!.matmul(a, b, batch, M, K, N, aBatched, bBatched);
    const want = reference(a, b, batch, M, K, N, aBatched, bBatched);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5 * Math.sqrt(K) * 4);
  });

  it('writes into a given output and grows its memory for large products', () => {
    const K = 300;
    const M = 200;
    const N = 120;
    const a = new Float32Array(M * K).fill(0.5);
    const b = new Float32Array(K * N).fill(2);
    const out = new Float32Array(3 * M * N);
    simdMatmul()!.matmul(a, b, 3, M, K, N, false, false, out);
    expect(out.every((v) => v === K)).toBe(true);
  });
});
