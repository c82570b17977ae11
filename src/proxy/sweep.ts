import type { Worker } from 'node:worker_threads';
import { InputError, show } from '../core/errors.js';
import type { RunStatus } from '../core/run.js';
import { startWorker } from '../core/worker.js';
import { openStore } from '../io/store.js';
import { backendNames } from './backend-names.js';
import { expandSweep, type SweepSpec } from './sweep-spec.js';
import type { ResolvedRun } from './train-config.js';
import { train } from './lazy.js';

/** Options of `runSweep`. */
export interface SweepOptions {
  /** Directory of the run store, shared by every shard. */
  store: string;
  /** Runs trained at once, each in its own worker thread with its own backend; 1 trains in this thread. @default 1 */
  workers?: number;
  /** Train only the runs with index % count === index (runs in spec order). */
  shard?: { index: number; count: number };
  /** Forces a backend in every run ('auto', 'wasm', 'cpu', ...). @default each run's own, else 'auto' */
  backend?: string;
  /** Called as runs progress (at most every few steps per run). */
  onProgress?: (progress: SweepProgress) => void;
}

export interface SweepProgress {
  /** Runs of this shard, and those already ended before this call (skipped). */
  total: number;
  skipped: number;
  /** Runs ended during this call. */
  done: number;
  running: number;
  /** Fraction of this call's work done (FLOPs plus a per-step overhead), in [0, 1]. */
  fraction: number;
  elapsedSeconds: number;
  /** Remaining time at the rate so far; undefined until something has been measured. */
  etaSeconds?: number;
}

/** The result of `runSweep`: the run ids of the sweep, by what became of them. */
export interface SweepResult {
  ids: string[];
  skipped: string[];
  finished: string[];
  diverged: string[];
  failed: { id: string; reason: string }[];
}

const ENDED: readonly (RunStatus | 'missing')[] = ['finished', 'diverged'];

/**
 * Trains every run of a sweep into one store, resumably: runs that have finished or diverged are
 * skipped, unfinished or failed ones start again from scratch, and ids derived from the configs
 * mean nothing is ever trained twice. All runs are validated before the first starts.
 *
 * @example const result = await runSweep(exampleSweep, { store: 'runs', workers: 2 });
 */
export async function runSweep(spec: SweepSpec, options: SweepOptions): Promise<SweepResult> {
  const { store: dir, workers = 1, shard, backend, onProgress } = options;
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`workers: expected a positive integer, got ${show(workers)}`, 'workers');
  if (backend !== undefined && backend !== 'auto' && !backendNames.includes(backend as never)) {
    throw new InputError(`backend: expected auto, ${backendNames.join(', ')}, got ${show(backend)}`, 'backend');
  }
  let runs = expandSweep(spec);
  if (shard) runs = runs.filter((_, i) => i % shard.count === shard.index);
  if (backend !== undefined) for (const r of runs) r.config.backend = backend;
  const store = openStore(dir);
  const result: SweepResult = { ids: runs.map((r) => r.run.id), skipped: [], finished: [], diverged: [], failed: [] };
  const todo: ResolvedRun[] = [];
  for (const r of runs) {
    if (ENDED.includes(store.status(r.run.id))) result.skipped.push(r.run.id);
    else todo.push(r);
  }
  // Largest first, so the last runs to finish are short ones and workers end together.
  // Work of a run for the ETA: its FLOPs plus a fixed cost per step, since small models spend
  // most of a step on per-operation overhead (about 5e7 FLOPs' worth on WASM, measured here).
  const cost = (r: ResolvedRun) => r.steps * (r.perStep * r.flopsPerToken + 5e7);
  todo.sort((a, b) => cost(b) - cost(a));
  const totalCost = todo.reduce((a, r) => a + cost(r), 0) || 1;
  const progressOf = new Map<string, number>();
  const started = performance.now();
  let done = 0;
  const report = () => {
    if (!onProgress) return;
    let work = 0;
    for (const r of todo) work += (progressOf.get(r.run.id) ?? 0) * cost(r);
    const fraction = todo.length === 0 ? 1 : work / totalCost;
    const elapsedSeconds = (performance.now() - started) / 1000;
    const running = [...progressOf.values()].filter((f) => f < 1).length;
    onProgress({
      total: runs.length,
      skipped: result.skipped.length,
      done,
      running,
      fraction,
      elapsedSeconds,
      ...(fraction > 0.002 ? { etaSeconds: (elapsedSeconds * (1 - fraction)) / fraction } : {}),
    });
  };
  const record = (id: string, status: RunStatus, reason?: string) => {
    done++;
    progressOf.set(id, 1);
    if (status === 'finished') result.finished.push(id);
    else if (status === 'diverged') result.diverged.push(id);
    else result.failed.push({ id, reason: reason ?? status });
    report();
  };
  report();

  if (workers === 1 || todo.length <= 1) {
    for (const r of todo) {
      try {
        const { summary } = await train(r.config, {
          store,
          overwrite: true,
          onStep: (step, steps) => {
            if (step % 5 === 0 || step === steps) {
              progressOf.set(r.run.id, step / steps);
              report();
            }
          },
        });
        record(r.run.id, summary.status, summary.reason);
      } catch (error) {
        if (error instanceof InputError) throw error;
        record(r.run.id, 'failed', error instanceof Error ? error.message : String(error));
      }
    }
    return result;
  }

  const queue = [...todo];
  await Promise.all(
    Array.from(
      { length: Math.min(workers, todo.length) },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker: Worker = startWorker(new URL('./sweep-worker.js', import.meta.url), { store: store.dir });
          let current: ResolvedRun | undefined;
          const next = () => {
            current = queue.shift();
            if (current) worker.postMessage({ config: current.config });
            else void worker.terminate().then(() => resolve());
          };
          worker.on('message', (m: { type: 'ready' } | { type: 'step'; step: number; steps: number } | { type: 'done'; status: RunStatus; reason?: string } | { type: 'error'; message: string }) => {
            if (m.type === 'ready') return next();
            if (!current) return;
            if (m.type === 'step') {
              progressOf.set(current.run.id, m.step / m.steps);
              report();
              return;
            }
            if (m.type === 'done') record(current.run.id, m.status, m.reason);
            else record(current.run.id, 'failed', m.message);
            next();
          });
          worker.on('error', (error) => {
            if (current) record(current.run.id, 'failed', error.message);
            reject(error);
          });
        }),
    ),
  );
  return result;
}
