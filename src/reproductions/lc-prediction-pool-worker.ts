import { parentPort } from 'node:worker_threads';
import { predictCutoffs, type PredictJob } from './lc-evaluate.js';

// A persistent worker of `predictionPool`: one prediction per message.
parentPort!.on('message', (job: PredictJob) => {
  try {
    parentPort!.postMessage(predictCutoffs(job)[0]![0]!);
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
