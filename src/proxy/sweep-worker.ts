import { parentPort, workerData } from 'node:worker_threads';
import type { RunConfig } from '../core/run.js';
import { openStore } from '../io/store.js';
import { trainClaimed, type ClaimSettings } from './sweep-run.js';
import type { TrainConfig } from './train-config.js';

// One sweep worker: claims and trains the runs its parent sends, one at a time, on its own backend.
const { store: dir, settings } = workerData as { store: string; settings: ClaimSettings };
const store = openStore(dir);
const port = parentPort!;
let lastPost = 0;
port.on('message', async ({ run, config }: { run: RunConfig; config: TrainConfig }) => {
  try {
    const outcome = await trainClaimed(store, run, config, settings, (step, steps) => {
      const now = performance.now();
      if (now - lastPost > 250 || step === steps) {
        lastPost = now;
        port.postMessage({ type: 'step', step, steps });
      }
    });
    port.postMessage({ type: 'outcome', outcome });
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ type: 'ready' });
