import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { backendDevice, tf, useBackend } from '../../src/proxy/backend.js';

const installed = (pkg: string) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

describe('useBackend', () => {
  it("'auto' takes the first backend that loads, in the documented order, and names its device", async () => {
    const name = await useBackend('auto');
    expect(tf.getBackend()).toBe(name);
    // Without tfjs-node(-gpu) and without a hardware WebGPU adapter (this machine), auto is WASM.
    if (!installed('@tensorflow/tfjs-node-gpu') && !installed('@tensorflow/tfjs-node')) expect(['webgpu', 'wasm']).toContain(name);
    if (name === 'wasm') expect(backendDevice(name)).toBe('CPU, WebAssembly SIMD, 1 thread (XNNPACK and the SIMD batched matmul)');
    if (name === 'webgpu') expect(backendDevice(name)).toMatch(/^WebGPU: /);
  });

  it('refuses a forced backend that cannot load instead of falling back', async () => {
    if (installed('@tensorflow/tfjs-node-gpu') || installed('@tensorflow/tfjs-node')) return;
    await expect(useBackend('tensorflow')).rejects.toThrow('backend: "tensorflow" is not available here (its package is not installed or found no device)');
    expect(backendDevice('cpu')).toBe('CPU, JavaScript');
    expect(backendDevice('tensorflow')).toBe('libtensorflow on CPU (@tensorflow/tfjs-node)');
  });
});
