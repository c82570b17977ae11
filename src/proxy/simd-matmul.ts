/**
 * A batched float32 matrix product in WebAssembly SIMD, assembled here from its instructions (no
 * compiler, no binary blob): C[b] = A[b] B[b] for row-major A (M x K) and B (K x N), each output
 * tile of 4 rows x 8 columns held in eight f32x4 accumulators while k runs. TensorFlow.js's WASM
 * backend sends only un-transposed products of batch 1 to XNNPACK and every other product (all of
 * attention, and every transposed product of backpropagation) to a scalar loop at ~1.2 GFLOP/s;
 * wasm-kernels.ts routes those here.
 */

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned and signed LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

// Instructions (WebAssembly core spec 5.4 and the fixed-width SIMD proposal).
const get = (l: number) => [0x20, ...uleb(l)];
const set = (l: number) => [0x21, ...uleb(l)];
const i32 = (v: number) => [0x41, ...sleb(v)];
const add = [0x6a];
const mul = [0x6c];
const ltU = [0x49];
const loop = (body: number[]) => [0x03, 0x40, ...body, 0x0b];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const f32Load = (offset: number) => [0x2a, 2, ...uleb(offset)];
const v128Load = (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)];
const v128Store = (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)];
const f32x4Splat = [0xfd, 0x13];
const f32x4Add = [0xfd, ...uleb(228)];
const f32x4Mul = [0xfd, ...uleb(230)];
const v128Zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const incr = (l: number, by: number[]) => [...get(l), ...by, ...add, ...set(l)];

/**
 * mm(a, b, c, batch, M, K, N, strideA, strideB): byte offsets of A, B, C; batch products; strides
 * in bytes between successive A and B matrices (0 broadcasts one matrix). C is dense. Needs
 * M % 4 == 0, N % 8 == 0, K >= 1.
 */
function kernelBody(): number[] {
  // params 0..8: a b c batch M K N sa sb
  const [a, b, c, batch, M, K, N, sa, sb] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  // i32 locals
  const [bi, i, j, k, pa, pb, pc, rowK, rowN, k2, k3, n2, n3, aBase, bBase] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const i32Locals = 15;
  // v128 locals: 8 accumulators acc[r * 2 + v], two B vectors, one splat
  const acc = (r: number, v: number) => 24 + r * 2 + v;
  const bv = (v: number) => 32 + v;
  const s = 34;
  const v128Locals = 11;

  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  // rowK = K * 4; rowN = N * 4; multiples for rows 2 and 3
  emit(get(K), i32(4), mul, set(rowK), get(N), i32(4), mul, set(rowN));
  emit(get(rowK), i32(2), mul, set(k2), get(rowK), i32(3), mul, set(k3));
  emit(get(rowN), i32(2), mul, set(n2), get(rowN), i32(3), mul, set(n3));
  emit(i32(0), set(bi));
  const tile: number[] = [];
  const t = (...parts: number[][]) => parts.forEach((p) => tile.push(...p));
  for (let r = 0; r < 4; r++) for (let v = 0; v < 2; v++) t(v128Zero, set(acc(r, v)));
  // pa = aBase + i * rowK ; pb = bBase + j * 4
  t(get(aBase), get(i), get(rowK), mul, add, set(pa));
  t(get(bBase), get(j), i32(4), mul, add, set(pb));
  t(i32(0), set(k));
  const inner: number[] = [];
  const n = (...parts: number[][]) => parts.forEach((p) => inner.push(...p));
  n(get(pb), v128Load(0), set(bv(0)), get(pb), v128Load(16), set(bv(1)));
  const rowOffset = [null, rowK, k2, k3];
  for (let r = 0; r < 4; r++) {
    n(get(pa));
    if (r > 0) n(get(rowOffset[r]!), add);
    n(f32Load(0), f32x4Splat, set(s));
    for (let v = 0; v < 2; v++) n(get(acc(r, v)), get(s), get(bv(v)), f32x4Mul, f32x4Add, set(acc(r, v)));
  }
  n(incr(pa, i32(4)), incr(pb, get(rowN)), incr(k, i32(1)), get(k), get(K), ltU, brIf(0));
  t(loop(inner));
  // pc = c + (i * N + j) * 4
  t(get(c), get(i), get(rowN), mul, add, get(j), i32(4), mul, add, set(pc));
  const rowStore = [null, rowN, n2, n3];
  for (let r = 0; r < 4; r++) {
    for (let v = 0; v < 2; v++) {
      t(get(pc));
      if (r > 0) t(get(rowStore[r]!), add);
      t(get(acc(r, v)), v128Store(16 * v));
    }
  }
  t(incr(j, i32(8)), get(j), get(N), ltU, brIf(0));
  const rows = [...i32(0), ...set(j), ...loop(tile), ...incr(i, i32(4)), ...get(i), ...get(M), ...ltU, ...brIf(0)];
  const batches = [
    ...get(a),
    ...get(bi),
    ...get(sa),
    ...mul,
    ...add,
    ...set(aBase),
    ...get(b),
    ...get(bi),
    ...get(sb),
    ...mul,
    ...add,
    ...set(bBase),
    ...i32(0),
    ...set(i),
    ...loop(rows),
    // c += M * N * 4
    ...get(c),
    ...get(M),
    ...get(rowN),
    ...mul,
    ...add,
    ...set(c),
    ...incr(bi, i32(1)),
    ...get(bi),
    ...get(batch),
    ...ltU,
    ...brIf(0),
  ];
  emit(loop(batches));
  const locals = vec([
    [...uleb(i32Locals), I32],
    [...uleb(v128Locals), V128],
  ]);
  const body = [...locals, ...code, 0x0b];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: one exported memory and the exported function `mm`. */
export function simdMatmulModule(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec(new Array<number[]>(9).fill([I32])), 0]]));
  const func = section(3, vec([[0]]));
  const memory = section(5, vec([[0x00, 1]]));
  const name = (text: string) => [...uleb(text.length), ...[...text].map((ch) => ch.charCodeAt(0))];
  const exports = section(
    7,
    vec([
      [...name('mm'), 0x00, 0],
      [...name('memory'), 0x02, 0],
    ]),
  );
  const code = section(10, vec([kernelBody()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0, ...type, ...func, ...memory, ...exports, ...code]);
}

export interface SimdMatmul {
  /**
   * C = A B for `batch` products, A: batch (or 1) x M x K, B: batch (or 1) x K x N, row-major;
   * any M, K, N (padded inside to the kernel's tile). Returns batch x M x N.
   */
  matmul(a: Float32Array, b: Float32Array, batch: number, M: number, K: number, N: number, aBatched: boolean, bBatched: boolean, out?: Float32Array): Float32Array;
}

let instance: SimdMatmul | null | undefined;

/** The SIMD kernel, or null where this JavaScript engine has no WebAssembly SIMD. Built once. */
export function simdMatmul(): SimdMatmul | null {
  if (instance !== undefined) return instance;
  try {
    const module = new WebAssembly.Module(simdMatmulModule());
    const wasm = new WebAssembly.Instance(module, {});
    const memory = wasm.exports.memory as WebAssembly.Memory;
    const mm = wasm.exports.mm as (...args: number[]) => void;
    instance = {
      matmul(a, b, batch, M, K, N, aBatched, bBatched, out) {
        const Mp = Math.ceil(M / 4) * 4;
        const Np = Math.ceil(N / 8) * 8;
        const aCount = aBatched ? batch : 1;
        const bCount = bBatched ? batch : 1;
        const aBytes = aCount * Mp * K * 4;
        const bBytes = bCount * K * Np * 4;
        const cBytes = batch * Mp * Np * 4;
        const need = aBytes + bBytes + cBytes;
        if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
        const heap = new Float32Array(memory.buffer);
        const aOff = 0;
        const bOff = aBytes / 4;
        const cOff = (aBytes + bBytes) / 4;
        if (Mp === M) heap.set(a.subarray(0, aCount * M * K), aOff);
        else for (let m = 0; m < aCount; m++) heap.fill(0, aOff + m * Mp * K + M * K, aOff + (m + 1) * Mp * K).set(a.subarray(m * M * K, (m + 1) * M * K), aOff + m * Mp * K);
        if (Np === N) heap.set(b.subarray(0, bCount * K * N), bOff);
        else {
          heap.fill(0, bOff, bOff + bCount * K * Np);
          for (let row = 0; row < bCount * K; row++) heap.set(b.subarray(row * N, (row + 1) * N), bOff + row * Np);
        }
        mm(aOff * 4, bOff * 4, cOff * 4, batch, Mp, K, Np, aBatched ? Mp * K * 4 : 0, bBatched ? K * Np * 4 : 0);
        const result = out ?? new Float32Array(batch * M * N);
        if (Mp === M && Np === N) result.set(heap.subarray(cOff, cOff + batch * M * N));
        else for (let m = 0; m < batch; m++) for (let row = 0; row < M; row++) result.set(heap.subarray(cOff + (m * Mp + row) * Np, cOff + (m * Mp + row) * Np + N), (m * M + row) * N);
        return result;
      },
    };
  } catch {
    instance = null;
  }
  return instance;
}
