import { parentPort } from 'node:worker_threads';
import { priorBatch } from './sampler.js';

// One sampling worker of `PriorSampler`: draws the chunks of prior curves its parent asks for.
const port = parentPort!;
port.on('message', ({ count, seed }: { count: number; seed: number }) => {
  try {
    const { x, labels } = priorBatch(count, seed);
    port.postMessage({ x, labels }, [x.buffer as ArrayBuffer, labels.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
