import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../io/store.js';
import type { TrainConfig } from './train-config.js';
import { train } from './trainer.js';

// One sweep worker: trains the runs its parent sends, one at a time, on its own backend.
const store = openStore((workerData as { store: string }).store);
const port = parentPort!;
let lastPost = 0;
port.on('message', async ({ config }: { config: TrainConfig }) => {
  try {
    const { summary } = await train(config, {
      store,
      overwrite: true,
      onStep: (step, steps) => {
        const now = performance.now();
        if (now - lastPost > 250 || step === steps) {
          lastPost = now;
          port.postMessage({ type: 'step', step, steps });
        }
      },
    });
    port.postMessage({ type: 'done', status: summary.status, ...(summary.reason ? { reason: summary.reason } : {}) });
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ type: 'ready' });
