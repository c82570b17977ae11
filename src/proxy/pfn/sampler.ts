import type { Worker } from 'node:worker_threads';
import { rng } from '../../core/rng.js';
import { startWorker } from '../../core/worker.js';
import { pfnBin, pfnFeatures, PFN_FEATURES, type PfnScale } from '../../extrapolation/pfn-features.js';
import { samplePriorCurve, type PriorSample } from '../../extrapolation/pfn-prior.js';

/**
 * Prior curves for training the learning-curve PFN, drawn in the training process or in worker
 * threads. A batch of B curves is made of chunks of at most `PFN_CHUNK` curves, chunk c drawn from
 * its own seed (`chunkSeed`), so the curves of a batch depend on the seed, the step and B alone:
 * never on how many workers drew them. A batch of up to `PFN_CHUNK` curves is one chunk drawn from
 * `batchSeed(seed, k)`, as before chunks existed.
 */

/** Curves per chunk: the unit of work of a sampling worker. */
export const PFN_CHUNK = 512;

/** Batch k's seed: distinct streams for training batches (k >= 0) and the validation set (k = -2). */
export const batchSeed = (seed: number, k: number) => (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0;

/** Seed of chunk c of the batch whose seed is `base`; chunk 0 keeps the batch's seed. */
export const chunkSeed = (base: number, c: number) => (c === 0 ? base : (base ^ Math.imul(c, 0x27d4eb2f) ^ 0x165667b1) >>> 0);

/** Features and bin labels of a set of prior curves. */
export interface PriorBatch {
  x: Float32Array;
  labels: Int32Array;
}

/**
 * Features and bin labels of `count` prior curves drawn from `seed`; `each` also sees every curve
 * with its scale (for inputs of another architecture, built from the same draws).
 */
export function priorBatch(count: number, seed: number, each?: (sample: PriorSample, scale: PfnScale, i: number) => void): PriorBatch {
  const r = rng(seed);
  const x = new Float32Array(count * PFN_FEATURES);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = samplePriorCurve(r);
    const scale = pfnFeatures(s.steps, s.values, s.goal, s.range, s.target, s.horizon, x, i * PFN_FEATURES);
    labels[i] = pfnBin((scale.sign * s.truth - scale.lo) / scale.width);
    each?.(s, scale, i);
  }
  return { x, labels };
}

/** The chunks of a batch of `count` curves whose seed is `base`: their sizes and seeds, in order. */
export function batchChunks(count: number, base: number): { count: number; seed: number }[] {
  const chunks = [];
  for (let c = 0; c * PFN_CHUNK < count; c++) chunks.push({ count: Math.min(PFN_CHUNK, count - c * PFN_CHUNK), seed: chunkSeed(base, c) });
  return chunks;
}

/** The chunks' curves joined in order. */
function join(parts: PriorBatch[], count: number): PriorBatch {
  if (parts.length === 1) return parts[0]!;
  const x = new Float32Array(count * PFN_FEATURES);
  const labels = new Int32Array(count);
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at * PFN_FEATURES);
    labels.set(p.labels, at);
    at += p.labels.length;
  }
  return { x, labels };
}

/** A batch of `count` curves whose seed is `base`, drawn here, chunk by chunk. */
export function chunkedBatch(count: number, base: number): PriorBatch {
  return join(
    batchChunks(count, base).map((c) => priorBatch(c.count, c.seed)),
    count,
  );
}

/**
 * Draws batches in `threads` worker threads: `batch(count, base)` resolves to exactly what
 * `chunkedBatch(count, base)` returns here. Ask for the next batches before the current step
 * runs and the drawing overlaps the training. `close()` ends the workers.
 */
export class PriorSampler {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { count: number; seed: number; resolve: (b: PriorBatch) => void; reject: (e: Error) => void }[] = [];
  private readonly pending = new Map<Worker, { resolve: (b: PriorBatch) => void; reject: (e: Error) => void }>();
  private failed: Error | undefined;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const w = startWorker(new URL('./sampler-worker.js', import.meta.url));
      w.on('message', (m: { x: Float32Array; labels: Int32Array } | { error: string }) => {
        const job = this.pending.get(w)!;
        this.pending.delete(w);
        if ('error' in m) job.reject(new Error(m.error));
        else job.resolve({ x: m.x, labels: m.labels });
        this.idle.push(w);
        this.pump();
      });
      w.on('error', (e) => this.fail(e));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const job of [...this.pending.values(), ...this.queue.splice(0)]) job.reject(e);
    this.pending.clear();
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.pending.set(w, job);
      w.postMessage({ count: job.count, seed: job.seed });
    }
  }

  private chunk(count: number, seed: number): Promise<PriorBatch> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ count, seed, resolve, reject });
      this.pump();
    });
  }

  async batch(count: number, base: number): Promise<PriorBatch> {
    const parts = await Promise.all(batchChunks(count, base).map((c) => this.chunk(c.count, c.seed)));
    return join(parts, count);
  }

  /** Ends the workers; batches still being drawn are rejected, never left pending. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.fail(new Error('the prior sampler was closed'));
  }
}
