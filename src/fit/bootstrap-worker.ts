// Fits a chunk of bootstrap resamples in a worker thread (see bootstrap()).
import { parentPort, workerData } from 'node:worker_threads';
import { fitResamples, type BootstrapRequest } from './bootstrap.js';
import { problemFromRequest, problemObjective } from './multistart.js';

const request = workerData as BootstrapRequest;

const problem = problemFromRequest(request);
const count = request.indices.length / request.y.length;
const out = new Float64Array(count * (problemObjective(problem).dimension + 2));
let reported = 0;
fitResamples(problem, request.indices, 0, count, request.starts, out, request.lbfgsb, (done) => {
  parentPort!.postMessage({ progress: done - reported });
  reported = done;
});
parentPort!.postMessage({ results: out }, [out.buffer]);
