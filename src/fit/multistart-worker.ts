// Runs a chunk of multistart starts in a worker thread (see runStartsParallel).
import { parentPort, workerData } from 'node:worker_threads';
import '../laws/index.js';
import { hasLaw } from '../laws/registry.js';
import { encodeStatuses, problemFromRequest, runStarts, type WorkerRequest } from './multistart.js';

// Built-in laws load fast; everything else registered by the package only when needed.
const request = workerData as WorkerRequest;
if (!hasLaw(request.law)) await import('../builtins.js');
const runs = runStarts(problemFromRequest(request), request.starts, request.lbfgsb);
const status = encodeStatuses(runs.status);
parentPort!.postMessage({ ...runs, status }, [runs.f.buffer, runs.theta.buffer, runs.iterations.buffer, runs.evaluations.buffer, status.buffer] as ArrayBuffer[]);
