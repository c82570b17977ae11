import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '../../src/proxy/backend.js';
import { installWasmKernels } from '../../src/proxy/wasm-kernels.js';

// Products of every kind the transformer and its gradients make, on the WASM backend with the
// replacement kernel against the pure-JS CPU backend.
const cases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
  { a: [6, 5], b: [5, 7], ta: false, tb: false },
  { a: [6, 5], b: [7, 5], ta: false, tb: true },
  { a: [5, 6], b: [5, 7], ta: true, tb: false },
  { a: [5, 6], b: [7, 5], ta: true, tb: true },
  { a: [2, 3, 6, 5], b: [2, 3, 5, 8], ta: false, tb: false },
  { a: [2, 3, 6, 5], b: [2, 3, 8, 5], ta: false, tb: true },
  { a: [2, 3, 5, 6], b: [2, 3, 5, 8], ta: true, tb: false },
  { a: [4, 6, 5], b: [5, 3], ta: false, tb: false },
  { a: [6, 5], b: [4, 5, 3], ta: false, tb: false },
];

function product(backend: string, c: (typeof cases)[number]): Float32Array {
  return tf.tidy(() => {
    const count = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const a = tf.tensor(
      Float32Array.from({ length: count(c.a) }, (_, i) => Math.sin(i + 1)),
      c.a,
    );
    const b = tf.tensor(
      Float32Array.from({ length: count(c.b) }, (_, i) => Math.cos(2 * i)),
      c.b,
    );
    const out = tf.matMul(a, b, c.ta, c.tb);
    expect(tf.getBackend()).toBe(backend);
    return out.dataSync() as Float32Array;
  });
}

describe('installWasmKernels', () => {
  it("gives the CPU backend's products, shapes and gradients for transposed, batched and broadcast operands", async () => {
    await useBackend('cpu');
    const want = cases.map((c) => product('cpu', c));
    const wantGrad = tf.tidy(() =>
      tf
        .grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, false, true).square().sum())([tf.ones([2, 6, 5]), tf.linspace(0, 1, 2 * 4 * 5).reshape([2, 4, 5])])
        .map((g) => g.dataSync()),
    );
    await useBackend('wasm');
    expect(installWasmKernels()).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc.name).toBe('kernelFunc');
    cases.forEach((c, i) => {
      const got = product('wasm', c);
      expect(got.length).toBe(want[i]!.length);
      got.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 4));
    });
    const gotGrad = tf.tidy(() =>
      tf
        .grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, false, true).square().sum())([tf.ones([2, 6, 5]), tf.linspace(0, 1, 2 * 4 * 5).reshape([2, 4, 5])])
        .map((g) => g.dataSync()),
    );
    gotGrad.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(wantGrad[i]![j]!, 3)));
  });

  it('frees its temporaries: no tensors and no WASM buffers left behind', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (const c of cases) product('wasm', c);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytes);
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });
});
