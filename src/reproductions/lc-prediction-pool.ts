import type { Worker } from 'node:worker_threads';
import { defaultThreads, startWorker } from '../core/worker.js';
import type { Goal } from '../extrapolation/curve.js';
import { predictCutoffs, type PredictJob, type Predictor, type StoredPrediction } from './lc-evaluate.js';
import type { ExtrapolateOptions } from '../extrapolation/extrapolate.js';

/**
 * Memoised predictions of one file's curves from any prefix, computed by persistent worker threads.
 * A prefix's prediction does not depend on who asks (curve i is always seeded with seed + i), so a
 * replay over many orderings computes each (curve, prefix) once, and only those actually reached.
 */
export interface PredictionPool {
  /** The prediction of curve `index` from its first `points` values (cached). */
  predict(index: number, points: number): Promise<StoredPrediction>;
  /** The cached prediction, if it has been computed. */
  cached(index: number, points: number): StoredPrediction | undefined;
  /** Stores a prediction computed elsewhere (e.g. by `predictFinalValues` with the same seeds). */
  put(index: number, points: number, prediction: StoredPrediction): void;
  /** Predictions held (computed or put). */
  readonly size: number;
  /** Stops the workers. */
  close(): Promise<void>;
}

export interface PredictionPoolOptions {
  curves: readonly Float64Array[];
  goal: Goal;
  range: readonly [number, number];
  predictor: Predictor;
  /** Curve i is seeded with seed + index[i] (its index in the file), as in `predictFinalValues`. @default 0 */
  seed?: number;
  /** Index of each curve in its file. @default 0, 1, 2, ... */
  index?: readonly number[];
  /** Worker threads; 0 computes in this thread. @default every core */
  threads?: number;
  extrapolate?: Partial<ExtrapolateOptions>;
}

export function predictionPool(options: PredictionPoolOptions): PredictionPool {
  const { curves, goal, range, predictor, seed = 0, index = curves.map((_, i) => i), threads = defaultThreads(), extrapolate } = options;
  const done = new Map<number, StoredPrediction>();
  const pending = new Map<number, Promise<StoredPrediction>>();
  const key = (i: number, m: number) => i * 100_000 + m;
  const job = (i: number, m: number): PredictJob => ({ curves: [curves[i]!], goal, range, cutoffs: [m], predictor, seed, index: [index[i]!], options: extrapolate });
  const queue: { i: number; m: number; resolve: (p: StoredPrediction) => void; reject: (e: unknown) => void }[] = [];
  const idle: Worker[] = [];
  const workers: Worker[] = [];
  const callbacks = new Map<Worker, (r: StoredPrediction | { error: string }) => void>();
  for (let t = 0; t < threads; t++) {
    const worker = startWorker(new URL('./lc-prediction-pool-worker.js', import.meta.url));
    worker.on('message', (r: StoredPrediction | { error: string }) => callbacks.get(worker)?.(r));
    workers.push(worker);
    idle.push(worker);
  }
  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const { i, m, resolve, reject } = queue.shift()!;
      callbacks.set(worker, (r) => {
        idle.push(worker);
        if ('error' in r) reject(new Error(r.error));
        else resolve(r);
        pump();
      });
      worker.postMessage(job(i, m));
    }
  };
  return {
    predict(i, m) {
      const k = key(i, m);
      const hit = done.get(k);
      if (hit) return Promise.resolve(hit);
      let p = pending.get(k);
      if (!p) {
        p =
          threads === 0
            ? Promise.resolve(predictCutoffs(job(i, m))[0]![0]!)
            : new Promise<StoredPrediction>((resolve, reject) => {
                queue.push({ i, m, resolve, reject });
                pump();
              });
        p = p.then((r) => {
          done.set(k, r);
          pending.delete(k);
          return r;
        });
        pending.set(k, p);
      }
      return p;
    },
    cached: (i, m) => done.get(key(i, m)),
    put: (i, m, p) => {
      done.set(key(i, m), p);
    },
    get size() {
      return done.size;
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
