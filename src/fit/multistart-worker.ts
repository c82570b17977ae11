// Runs a chunk of multistart starts in a worker thread (see runStartsParallel).
import { parentPort, workerData } from 'node:worker_threads';
import { encodeStatuses, problemFromRequest, runStarts, type WorkerRequest } from './multistart.js';

const request = workerData as WorkerRequest;

const runs = runStarts(problemFromRequest(request), request.starts, request.lbfgsb);
const status = encodeStatuses(runs.status);
parentPort!.postMessage({ ...runs, status }, [runs.f.buffer, runs.theta.buffer, runs.iterations.buffer, runs.evaluations.buffer, status.buffer] as ArrayBuffer[]);
