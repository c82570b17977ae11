import * as tf from '@tensorflow/tfjs';
import { simdMatmul } from './simd-matmul.js';

// The parts of the WASM backend's kernel interface used here (its classes are not exported as types).
interface Info {
  dataId: object;
  shape: number[];
  dtype: string;
}
interface WasmBackend {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: string): Info;
  disposeData(id: object): boolean;
}
type KernelArgs = { inputs: Record<string, Info>; backend: WasmBackend; attrs: Record<string, unknown> };
type Kernel = (args: KernelArgs) => Info;

let installed = false;

/** Whether installWasmKernels has replaced the kernel in this thread. */
export const wasmKernelsInstalled = (): boolean => installed;

/**
 * Replaces the WASM backend's BatchMatMul kernel (STACK.md, profile in BENCHMARKS.md): TensorFlow.js
 * runs only un-transposed, un-batched products through XNNPACK and everything else (attention's
 * batched products, and the transposed products that every matmul's gradient needs) through a
 * scalar loop ~10x slower. Here a transposed operand is first transposed by the backend's own
 * Transpose kernel; single products then go to XNNPACK, batched ones to the SIMD kernel of
 * simd-matmul.ts. Numerics are plain float32 sums either way. Returns whether it is installed.
 */
export function installWasmKernels(): boolean {
  if (installed) return true;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  const simd = simdMatmul();
  if (!original || !transposeKernel || !simd) return false;
  const base = original.kernelFunc as unknown as Kernel;
  const transpose = transposeKernel.kernelFunc as unknown as Kernel;
  const kernelFunc: Kernel = (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: Info; b: Info };
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = outerA.reduce((x, y) => x * y, 1);
    const batchB = outerB.reduce((x, y) => x * y, 1);
    const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !(sameOuter || batchA === 1 || batchB === 1)) return base(args);
    const temps: Info[] = [];
    const swapLast = (x: Info): Info => {
      const perm = x.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      const t = transpose({ inputs: { x }, backend, attrs: { perm } });
      temps.push(t);
      return t;
    };
    const A = attrs.transposeA ? swapLast(a) : a;
    const B = attrs.transposeB ? swapLast(b) : b;
    let out: Info;
    if (batchA === 1 && batchB === 1) {
      out = base({ inputs: { a: A, b: B }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } else {
      const M = A.shape.at(-2)!;
      const K = A.shape.at(-1)!;
      const N = B.shape.at(-1)!;
      const batch = Math.max(batchA, batchB);
      const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
      out = backend.makeOutput([...outer, M, N], 'float32');
      // Views are taken after makeOutput, which may grow (and so replace) the WASM memory.
      const view = (x: Info, size: number) => new Float32Array(backend.wasm.HEAPU8.buffer, backend.dataIdMap.get(x.dataId)!.memoryOffset, size);
      simd.matmul(view(A, batchA * M * K), view(B, batchB * K * N), batch, M, K, N, batchA > 1, batchB > 1, view(out, batch * M * N));
    }
    temps.forEach((t) => backend.disposeData(t.dataId));
    return out;
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  installed = true;
  return true;
}
