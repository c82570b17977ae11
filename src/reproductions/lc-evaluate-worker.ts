import { parentPort, workerData } from 'node:worker_threads';
import { predictCutoffs, type PredictJob } from './lc-evaluate.js';

// Runs one slice of an evaluation (see `evaluateCurves`) and posts the predictions back.
const job = workerData as PredictJob;
parentPort!.postMessage(predictCutoffs(job));
