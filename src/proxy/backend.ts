import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { InputError, show } from '../core/errors.js';
import { backendNames, type BackendChoice, type BackendName } from './backend-names.js';
import { installWasmKernels, wasmKernelsInstalled } from './wasm-kernels.js';

// Optional packages (tfjs-node, webgpu) are loaded with a dynamic import whose name is in a
// variable, so neither type-checking nor `npm ci` needs them.
export { backendNames, type BackendChoice, type BackendName };

// Silences TensorFlow.js's console notes ("install our node backend"): runs record their backend instead.
tf.enableProdMode();

export { tf };

const tried = new Map<BackendName, boolean>();

async function optionalImport(name: string): Promise<unknown | undefined> {
  try {
    return await import(name);
  } catch {
    return undefined;
  }
}

const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
const TFJS_NODE = '@tensorflow/tfjs-node';
/** Which tfjs-node package provided the 'tensorflow' backend (both register under that name). */
let tensorflowPackage: string | undefined;
const tensorflowTried = new Map<string, boolean>();

/** Loads the first of `packages` that is installed and registers 'tensorflow'; true when it can be selected. */
async function registerTensorflow(packages: readonly string[]): Promise<boolean> {
  for (const pkg of packages) {
    if (tensorflowPackage === pkg) return true;
    // A second tfjs-node package would register 'tensorflow' again over the first: keep the first.
    if (tensorflowPackage !== undefined) continue;
    let ok = tensorflowTried.get(pkg);
    if (ok === undefined) {
      ok = (await optionalImport(pkg)) !== undefined && tf.findBackendFactory('tensorflow') !== null;
      tensorflowTried.set(pkg, ok);
      if (ok) tensorflowPackage = pkg;
    }
    if (ok) return true;
  }
  return false;
}

/** Registers a backend if its packages are present; true when it can be selected. */
async function register(name: BackendName, tensorflowPackages: readonly string[] = [TFJS_NODE_GPU, TFJS_NODE]): Promise<boolean> {
  if (name === 'tensorflow') return registerTensorflow(tensorflowPackages);
  const known = tried.get(name);
  if (known !== undefined) return known;
  let ok = false;
  switch (name) {
    case 'webgpu':
      ok = await registerWebgpu();
      break;
    case 'wasm':
      ok = (await optionalImport('@tensorflow/tfjs-backend-wasm')) !== undefined;
      break;
    case 'cpu':
      ok = true;
      break;
  }
  tried.set(name, ok);
  return ok;
}

/**
 * WebGPU in Node through the `webgpu` package (Dawn): install its globals and a `navigator.gpu`,
 * then ask for an adapter. A software (CPU) adapter is slower than WASM, so `auto` skips it.
 */
let webgpuAdapterType: string | undefined;
let webgpuAdapter: string | undefined;
async function registerWebgpu(): Promise<boolean> {
  if (!vulkanLoader()) return false;
  const pkg = 'webgpu';
  const mod = (await optionalImport(pkg)) as { create?: (flags: string[]) => unknown; globals?: object } | undefined;
  if (!mod?.create || !mod.globals) return false;
  try {
    const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
    Object.assign(globalThis, mod.globals);
    type Info = { adapterType?: string; vendor?: string; architecture?: string; device?: string; description?: string };
    const gpu = mod.create([]) as { requestAdapter(): Promise<{ info?: Info; requestAdapterInfo?: () => Promise<Info> } | null> };
    const adapter = await gpu.requestAdapter();
    if (!adapter) return false;
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    webgpuAdapterType = info.adapterType;
    webgpuAdapter = [info.vendor, info.architecture, info.device, info.description, info.adapterType].filter((x) => x).join(' / ') || 'unnamed adapter';
    Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu }, configurable: true, writable: true });
    return (await optionalImport('@tensorflow/tfjs-backend-webgpu')) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Dawn needs the Vulkan loader; without it, it prints a warning from native code and finds no
 * adapter. On Linux look it up in the dynamic linker's cache first and skip Dawn quietly.
 */
function vulkanLoader(): boolean {
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    return true;
  }
}

/**
 * Selects a backend and returns its name as TensorFlow.js reports it (`tf.getBackend()`), which
 * every run records (with `backendDevice`). 'auto' tries, in order: tfjs-node-gpu (CUDA), WebGPU
 * on a hardware adapter (Dawn over the driver's Vulkan ICD), tfjs-node (libtensorflow on CPU),
 * WASM, then the pure-JS CPU backend. A forced backend that cannot load is an InputError, never a
 * silent fallback ('tensorflow' takes either tfjs-node package).
 */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<string> {
  if (choice !== 'auto' && !backendNames.includes(choice)) {
    throw new InputError(`backend: unknown backend ${show(choice)}; expected auto, ${backendNames.join(', ')}`, 'backend');
  }
  const order: [BackendName, string[]?][] = choice === 'auto' ? [['tensorflow', [TFJS_NODE_GPU]], ['webgpu'], ['tensorflow', [TFJS_NODE_GPU, TFJS_NODE]], ['wasm'], ['cpu']] : [[choice]];
  for (const [name, packages] of order) {
    if (!(await register(name, packages))) continue;
    if (choice === 'auto' && name === 'webgpu' && webgpuAdapterType !== undefined && /cpu/i.test(webgpuAdapterType)) continue;
    if (tf.getBackend() === name) {
      if (name === 'wasm') installWasmKernels();
      return name;
    }
    if (await quietly(() => tf.setBackend(name))) {
      await tf.ready();
      // setBackend can report success and still leave another backend active (STACK.md: WASM
      // with threads forced); trust only what TensorFlow.js says is running.
      if (tf.getBackend() === name) {
        if (name === 'wasm') installWasmKernels();
        return name;
      }
    }
  }
  if (choice !== 'auto') throw new InputError(`backend: ${show(choice)} is not available here (its package is not installed or found no device)`, 'backend');
  throw new Error('no TensorFlow.js backend could be initialised');
}

/**
 * The device behind a backend, as far as TensorFlow.js lets one see it: the WebGPU adapter's
 * vendor / architecture / device / description / type (Dawn's names, e.g. an NVIDIA GPU or a
 * software Vulkan driver), the tfjs-node package (GPU through CUDA, or CPU), or the CPU for wasm
 * and cpu. Runs record it beside the backend.
 */
export function backendDevice(name: string): string {
  switch (name) {
    case 'webgpu':
      return `WebGPU: ${webgpuAdapter ?? 'adapter not described'}`;
    case 'tensorflow':
      return tensorflowPackage === TFJS_NODE_GPU ? 'libtensorflow with CUDA (@tensorflow/tfjs-node-gpu)' : 'libtensorflow on CPU (@tensorflow/tfjs-node)';
    case 'wasm':
      return `CPU, WebAssembly SIMD, 1 thread (XNNPACK${wasmKernelsInstalled() ? ' and the SIMD batched matmul' : ''})`;
    default:
      return 'CPU, JavaScript';
  }
}

async function quietly<T>(fn: () => Promise<T>): Promise<T | false> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await fn();
  } catch {
    return false;
  } finally {
    console.warn = warn;
  }
}
