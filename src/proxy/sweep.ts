import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { InputError, show } from '../core/errors.js';
import type { RunStatus } from '../core/run.js';
import { startWorker } from '../core/worker.js';
import { openStore, type RunStore } from '../io/store.js';
import { backendNames } from './backend-names.js';
import { expandExternal, runExternal } from './sweep-external.js';
import { importRuns } from './sweep-import.js';
import { trainClaimed, type ClaimSettings, type RunOutcome } from './sweep-run.js';
import { expandSweep, type SweepSpec } from './sweep-spec.js';

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
  /** Names this process in the leases it takes (`<run>/lease.json`), e.g. a Slurm job. @default 'scalelaw sweep' */
  owner?: string;
  /**
   * A lease whose heartbeat is older than this many seconds is stale: its run is taken over by the
   * next sweep that reaches it (sooner when its holder is a dead process on the same host).
   * @default 120
   */
  leaseSeconds?: number;
  /** Directory that relative paths of the spec (trainer.cwd, imports) are taken from. @default the current directory */
  cwd?: string;
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
  /** Runs left to another live process that held their lease. */
  busy: { id: string; holder: string }[];
  /** Runs taken over from a stale lease (an interrupted process); their partial trajectories are kept apart. */
  reclaimed: string[];
  /** Runs read into the store from the spec's `import` (those already there are not read again). */
  imported: string[];
}

const ENDED: readonly (RunStatus | 'missing')[] = ['finished', 'diverged'];

/** One run to do, whichever trainer does it. */
interface Job {
  id: string;
  /** Relative work, for progress and ordering. */
  cost: number;
}

/**
 * Trains every run of a sweep into one store, resumably and safely with other processes doing the
 * same: each run is claimed with a lease first, so runs that have finished or diverged are skipped,
 * runs another live process holds are left to it, interrupted or failed ones are started again
 * (their partial trajectories kept apart under `<run>/attempts/`), and ids derived from the configs
 * mean nothing is trained twice. Runs go to the built-in trainer, or to an external command when
 * the spec has `trainer`. All runs are validated before the first starts.
 *
 * @example const result = await runSweep(exampleSweep, { store: 'runs', workers: 2 });
 */
export async function runSweep(spec: SweepSpec, options: SweepOptions): Promise<SweepResult> {
  const { store: dir, workers = 1, shard, backend, onProgress, owner = 'scalelaw sweep', leaseSeconds = 120, cwd = process.cwd() } = options;
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`workers: expected a positive integer, got ${show(workers)}`, 'workers');
  if (backend !== undefined && backend !== 'auto' && !backendNames.includes(backend as never)) {
    throw new InputError(`backend: expected auto, ${backendNames.join(', ')}, got ${show(backend)}`, 'backend');
  }
  if (!(typeof leaseSeconds === 'number' && leaseSeconds > 0)) throw new InputError(`leaseSeconds: expected a positive number, got ${show(leaseSeconds)}`, 'leaseSeconds');
  const settings: ClaimSettings = { owner, leaseSeconds };
  const external = spec !== null && typeof spec === 'object' && spec.trainer !== undefined;
  // Validate everything (every run, every template field, every import) before touching the store.
  const builtin = external ? [] : expandSweep(spec);
  const ext = external ? expandExternal(spec) : [];
  let jobs: (Job & ({ kind: 'builtin'; r: (typeof builtin)[number] } | { kind: 'external'; e: (typeof ext)[number] }))[] = external
    ? ext.map((e) => ({ kind: 'external' as const, id: e.run.id, cost: e.steps ?? 1, e }))
    : builtin.map((r) => ({ kind: 'builtin' as const, id: r.run.id, cost: r.steps * (r.perStep * r.flopsPerToken + 5e7), r }));
  if (shard) jobs = jobs.filter((_, i) => i % shard.count === shard.index);
  if (backend !== undefined) for (const j of jobs) if (j.kind === 'builtin') j.r.config.backend = backend;
  const store = openStore(dir);
  const result: SweepResult = { ids: jobs.map((j) => j.id), skipped: [], finished: [], diverged: [], failed: [], busy: [], reclaimed: [], imported: [] };
  if (spec.import !== undefined) result.imported = importRuns(store, spec.import, { cwd, owner, leaseSeconds });
  const todo: typeof jobs = [];
  for (const j of jobs) {
    if (ENDED.includes(store.status(j.id))) result.skipped.push(j.id);
    else todo.push(j);
  }
  // Largest first, so the last runs to finish are short ones and workers end together.
  // Work of a built-in run for the ETA: its FLOPs plus a fixed cost per step, since small models
  // spend most of a step on per-operation overhead (about 5e7 FLOPs' worth on WASM, measured here).
  todo.sort((a, b) => b.cost - a.cost);
  const totalCost = todo.reduce((a, j) => a + j.cost, 0) || 1;
  const progressOf = new Map<string, number>();
  const started = performance.now();
  let done = 0;
  const report = () => {
    if (!onProgress) return;
    let work = 0;
    for (const j of todo) work += (progressOf.get(j.id) ?? 0) * j.cost;
    const fraction = todo.length === 0 ? 1 : work / totalCost;
    const elapsedSeconds = (performance.now() - started) / 1000;
    const running = [...progressOf.values()].filter((f) => f < 1).length;
    onProgress({
      total: jobs.length,
      skipped: result.skipped.length,
      done,
      running,
      fraction,
      elapsedSeconds,
      ...(fraction > 0.002 ? { etaSeconds: (elapsedSeconds * (1 - fraction)) / fraction } : {}),
    });
  };
  const record = (id: string, outcome: RunOutcome | { type: 'error'; message: string }) => {
    done++;
    progressOf.set(id, 1);
    if (outcome.type === 'error') result.failed.push({ id, reason: outcome.message });
    else if (outcome.type === 'skip') {
      if (outcome.reason === 'ended') result.skipped.push(id);
      else result.busy.push({ id, holder: `${outcome.holder.owner} (pid ${outcome.holder.pid} on ${outcome.holder.host})` });
    } else {
      if (outcome.reclaimed) result.reclaimed.push(id);
      if (outcome.status === 'finished') result.finished.push(id);
      else if (outcome.status === 'diverged') result.diverged.push(id);
      else result.failed.push({ id, reason: outcome.reason ?? outcome.status });
    }
    report();
  };
  const onStepOf = (id: string) => (step: number, steps: number) => {
    progressOf.set(id, Math.min(1, step / steps));
    report();
  };
  report();

  const inline = (j: (typeof todo)[number]): Promise<RunOutcome> =>
    j.kind === 'external' ? runExternal(store, j.e, spec.trainer!, { ...settings, cwd: resolve(cwd), onStep: onStepOf(j.id) }) : trainClaimed(store, j.r.run, j.r.config, settings, onStepOf(j.id));
  const slots = Math.min(workers, todo.length);
  const queue = [...todo];
  if (external || slots <= 1) {
    // External trainers are processes of their own: `workers` of them run at once from this thread.
    await Promise.all(
      Array.from({ length: Math.max(1, slots) }, async () => {
        for (let j = queue.shift(); j; j = queue.shift()) {
          try {
            record(j.id, await inline(j));
          } catch (error) {
            if (error instanceof InputError) throw error;
            record(j.id, { type: 'error', message: error instanceof Error ? error.message : String(error) });
          }
        }
      }),
    );
    return result;
  }
  await Promise.all(Array.from({ length: slots }, () => workerSlot(store, settings, queue as { id: string; kind: 'builtin'; r: (typeof builtin)[number] }[], record, onStepOf)));
  return result;
}

type Outcomeish = RunOutcome | { type: 'error'; message: string };

/** One worker thread with its own backend, training queued runs until the queue is empty. */
function workerSlot(
  store: RunStore,
  settings: ClaimSettings,
  queue: { id: string; r: ReturnType<typeof expandSweep>[number] }[],
  record: (id: string, outcome: Outcomeish) => void,
  onStepOf: (id: string) => (step: number, steps: number) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const worker: Worker = startWorker(new URL('./sweep-worker.js', import.meta.url), { store: store.dir, settings });
    let current: (typeof queue)[number] | undefined;
    const next = () => {
      current = queue.shift();
      if (current) worker.postMessage({ run: current.r.run, config: current.r.config });
      else void worker.terminate().then(() => resolve());
    };
    worker.on('message', (m: { type: 'ready' } | { type: 'step'; step: number; steps: number } | { type: 'outcome'; outcome: RunOutcome } | { type: 'error'; message: string }) => {
      if (m.type === 'ready') return next();
      if (!current) return;
      if (m.type === 'step') return onStepOf(current.id)(m.step, m.steps);
      record(current.id, m.type === 'outcome' ? m.outcome : m);
      next();
    });
    worker.on('error', (error) => {
      if (current) record(current.id, { type: 'error', message: error.message });
      reject(error);
    });
  });
}
