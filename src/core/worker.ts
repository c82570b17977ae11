import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread from a module next to the caller, written as
 * `startWorker(new URL('./x-worker.js', import.meta.url), data)`. From the built package the `.js`
 * file runs as is. From source (tests, tsx, notebooks) the `.ts` sibling is loaded through tsx's
 * ESM API inside the worker: on Node 20.20 a Worker's `execArgv: ['--import', 'tsx']` is not
 * applied to the worker's own entry module (ERR_UNKNOWN_FILE_EXTENSION).
 */
export function startWorker(url: URL, workerData?: unknown): Worker {
  const path = fileURLToPath(url);
  if (existsSync(path)) return new Worker(url, { workerData });
  const ts = path.endsWith('.js') ? path.slice(0, -3) + '.ts' : path;
  // Deno (the notebook kernel) runs TypeScript itself; tsx's loader hooks do not exist there.
  if ('Deno' in globalThis) return new Worker(pathToFileURL(ts), { workerData });
  const href = pathToFileURL(ts).href;
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** Worker threads to use by default: every core. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}
