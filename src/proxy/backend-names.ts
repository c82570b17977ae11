/** TensorFlow.js backends, fastest first; kept apart from `backend.ts` so validating a config never loads TensorFlow.js. */
export const backendNames = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
/** A TensorFlow.js backend scalelaw can train on. */
export type BackendName = (typeof backendNames)[number];
export type BackendChoice = BackendName | 'auto';
