import { defaultThreads, startWorker } from '../core/worker.js';
import type { Inputs, Law } from '../laws/law.js';
import { hasLaw, getLaw } from '../laws/registry.js';
import { Lbfgsb, type LbfgsbOptions, type LbfgsbStatus } from './lbfgsb.js';
import { lossFromJSON, objective, type Loss, type ObjectiveOptions, type ResidualSpace } from './objective.js';

/** What a multistart needs to rebuild the objective anywhere, a worker thread included. */
export interface Problem {
  law: Law<Inputs>;
  inputs: Inputs;
  y: Float64Array;
  weights?: Float64Array;
  loss: Loss;
  space: ResidualSpace;
  fixed: Readonly<Record<string, number>>;
  bounds: Readonly<Record<string, readonly [number, number]>>;
}

/** Outcome of every start: values, internal optima (dimension per start), statuses. */
export interface MultistartRuns {
  dimension: number;
  f: Float64Array;
  theta: Float64Array;
  status: LbfgsbStatus[];
  iterations: Int32Array;
  evaluations: Int32Array;
}

const STATUSES: LbfgsbStatus[] = ['gradient', 'reduction', 'max-iterations', 'max-evaluations', 'line-search', 'non-finite'];

export function problemObjective(problem: Problem) {
  const { law, inputs, y, weights, loss, space, fixed, bounds } = problem;
  const options: ObjectiveOptions = { loss, space, fixed, bounds };
  if (weights) options.weights = weights;
  return objective(law, inputs, y, options);
}

/**
 * Runs L-BFGS-B from every start (internal units, `dimension` values each, flattened) on one thread,
 * reusing one optimiser's storage for all of them.
 */
export function runStarts(problem: Problem, starts: Float64Array, lbfgsbOptions: LbfgsbOptions = {}): MultistartRuns {
  const obj = problemObjective(problem);
  const dim = obj.dimension;
  const count = starts.length / dim;
  const { memory = 10, factr = 1e7, pgtol = 1e-5, maxIterations = 15000, maxEvaluations = 15000, maxLineSearch = 20 } = lbfgsbOptions;
  const solver = new Lbfgsb(dim, memory, obj.lower, obj.upper);
  const out = emptyRuns(dim, count);
  for (let s = 0; s < count; s++) {
    const x0 = starts.subarray(s * dim, (s + 1) * dim);
    const result = solver.run(obj.valueAndGradient, x0, factr * 2.220446049250313e-16, pgtol, maxIterations, maxEvaluations, maxLineSearch);
    out.f[s] = result.status === 'non-finite' ? NaN : result.f;
    out.theta.set(result.x, s * dim);
    out.status[s] = result.status;
    out.iterations[s] = result.iterations;
    out.evaluations[s] = result.evaluations;
  }
  return out;
}

/** The message a multistart worker receives. */
export interface WorkerRequest {
  law: string;
  inputs: Record<string, Float64Array>;
  y: Float64Array;
  weights?: Float64Array;
  loss: { name: string; settings: Record<string, number> };
  space: ResidualSpace;
  fixed: Record<string, number>;
  bounds: Record<string, [number, number]>;
  starts: Float64Array;
  lbfgsb: LbfgsbOptions;
}

export function problemFromRequest(request: WorkerRequest): Problem {
  const problem: Problem = {
    law: getLaw(request.law),
    inputs: request.inputs,
    y: request.y,
    loss: lossFromJSON(request.loss),
    space: request.space,
    fixed: request.fixed,
    bounds: request.bounds,
  };
  if (request.weights) problem.weights = request.weights;
  return problem;
}

/** A worker can rebuild the law only when it is the registered built-in of that name. */
function canUseWorkers(law: Law<any>): boolean {
  return hasLaw(law.name) && getLaw(law.name) === law;
}

/**
 * Runs the starts spread over `threads` worker threads (results in start order).
 * Falls back to the calling thread for one thread, few starts, or a law a worker cannot load by name.
 */
export async function runStartsParallel(problem: Problem, starts: Float64Array, dim: number, lbfgsbOptions: LbfgsbOptions = {}, threads = defaultThreads()): Promise<MultistartRuns> {
  const count = starts.length / dim;
  const workers = Math.max(1, Math.min(threads, Math.floor(count / 16)));
  if (workers <= 1 || !canUseWorkers(problem.law)) return runStarts(problem, starts, lbfgsbOptions);
  // Interleaved assignment (start s to worker s mod W): neighbouring grid points cost alike, so
  // every worker gets a similar mix and none sits idle at the end.
  const assigned = Array.from({ length: workers }, (_, w) => {
    const ids: number[] = [];
    for (let s = w; s < count; s += workers) ids.push(s);
    return ids;
  });
  const parts = await Promise.all(
    assigned.map((ids) => {
      const chunk = new Float64Array(ids.length * dim);
      ids.forEach((s, k) => chunk.set(starts.subarray(s * dim, (s + 1) * dim), k * dim));
      const request: WorkerRequest = {
        law: problem.law.name,
        inputs: { ...problem.inputs },
        y: problem.y,
        loss: { name: problem.loss.name, settings: { ...problem.loss.settings } },
        space: problem.space,
        fixed: { ...problem.fixed },
        bounds: Object.fromEntries(Object.entries(problem.bounds).map(([k, v]) => [k, [v[0], v[1]]])),
        starts: chunk,
        lbfgsb: lbfgsbOptions,
      };
      if (problem.weights) request.weights = problem.weights;
      return new Promise<Omit<MultistartRuns, 'status'> & { status: Uint8Array }>((resolve, reject) => {
        const worker = startWorker(new URL('./multistart-worker.js', import.meta.url), request);
        worker.once('message', (message) => {
          resolve(message);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`multistart worker exited with code ${code}`));
        });
      });
    }),
  );
  const out = emptyRuns(dim, count);
  parts.forEach((part, w) => {
    assigned[w]!.forEach((s, k) => {
      out.f[s] = part.f[k]!;
      out.theta.set(part.theta.subarray(k * dim, (k + 1) * dim), s * dim);
      out.iterations[s] = part.iterations[k]!;
      out.evaluations[s] = part.evaluations[k]!;
      out.status[s] = STATUSES[part.status[k]!]!;
    });
  });
  return out;
}

/** Status codes travel between threads as bytes. */
export function encodeStatuses(statuses: LbfgsbStatus[]): Uint8Array {
  return Uint8Array.from(statuses, (s) => STATUSES.indexOf(s));
}

/** Storage for the results of `count` starts in `dim` parameters. */
function emptyRuns(dim: number, count: number): MultistartRuns {
  return {
    dimension: dim,
    f: new Float64Array(count),
    theta: new Float64Array(count * dim),
    status: new Array(count),
    iterations: new Int32Array(count),
    evaluations: new Int32Array(count),
  };
}
