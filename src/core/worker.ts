import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module next to the caller, written as
 * `startWorker(new URL('./x-worker.js', import.meta.url), data)`. From the built package the `.js`
 * file runs as is; from source (tests, tsx, notebooks) the `.ts` sibling runs through tsx.
 */
export function startWorker(url: URL, workerData?: unknown, options: WorkerOptions = {}): Worker {
  let path = fileURLToPath(url);
  const execArgv = [...(options.execArgv ?? [])];
  if (!existsSync(path) && path.endsWith('.js')) {
    const ts = path.slice(0, -3) + '.ts';
    if (existsSync(ts)) {
      path = ts;
      execArgv.push('--import', 'tsx');
    }
  } else if (path.endsWith('.ts')) {
    execArgv.push('--import', 'tsx');
  }
  return new Worker(path, { ...options, workerData, execArgv });
}

/** Worker threads to use by default: every core. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}
