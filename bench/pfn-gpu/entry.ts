// Entry of the bundle that runs `npm run train:pfn` on a machine with a GPU but no npm install
// (bench/pfn-gpu/build.sh). TensorFlow.js's WebGPU backend registers itself only if
// `navigator.gpu` exists when it is imported, so Dawn's globals are installed first; the backend
// and the WASM backend are bundled, sharing the bundle's one copy of tfjs-core. Then the ordinary training command runs.
const webgpu = 'webgpu';
const { create, globals } = (await import(webgpu)) as { create: (flags: string[]) => unknown; globals: object };
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true, writable: true });
await import('@tensorflow/tfjs-backend-webgpu');
// The WASM backend too (for a side-by-side step time on the same machine), its binaries beside the bundle.
const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as { setWasmPaths?: (p: string) => void; default?: { setWasmPaths: (p: string) => void } };
(wasm.setWasmPaths ?? wasm.default!.setWasmPaths)(new URL('./', import.meta.url).pathname);
await import('../../src/proxy/pfn/main.js');
