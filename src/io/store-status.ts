import { InputError } from '../core/errors.js';
import { quantile } from '../core/stats.js';
import type { RunConfig } from '../core/run.js';
import { openStore, type RunState } from './store.js';

/** One run in `storeStatus`. */
export interface RunStatusLine {
  id: string;
  /** 'done' (finished or diverged), 'running' (a live lease), 'interrupted' (no summary, no live lease), 'failed', or 'pending' (in the spec, not started). */
  state: 'done' | 'running' | 'interrupted' | 'failed' | 'pending';
  /** The store's own word: finished, diverged, failed, running, interrupted (absent when pending). */
  detail?: RunState;
  /** Last logged step, and the planned steps where the config says. */
  step?: number;
  steps?: number;
  wallSeconds?: number;
  /** Who holds or last held the lease, e.g. 'scalelaw sweep (pid 4242 on node7), heartbeat 3 s ago'. */
  lease?: string;
  /** Earlier attempts kept apart. */
  attempts: number;
  /** Why it failed or diverged. */
  reason?: string;
}

/** The result of `storeStatus`. */
export interface StoreStatus {
  path: string;
  runs: RunStatusLine[];
  counts: Record<RunStatusLine['state'], number>;
  /**
   * Seconds until every run not yet done is done, at the pace of the finished runs (seconds per
   * FLOP where the configs give FLOPs, else per run), shared over the runs running now (at least
   * one); absent with no finished run to learn the pace from or nothing left.
   */
  etaSeconds?: number;
  /** How the ETA was made. */
  etaBasis?: string;
}

/**
 * Progress of a sweep from its store alone, while shards run elsewhere: each run's state, who
 * holds it, and an ETA from the finished runs. `expected` (the spec's run ids) adds the runs not
 * yet started as 'pending'.
 */
export function storeStatus(dir: string, options: { expected?: readonly string[]; now?: number } = {}): StoreStatus {
  const { expected = [], now = Date.now() } = options;
  const store = openStore(dir);
  const ids = store.ids();
  if (ids.length === 0 && expected.length === 0) throw new InputError(`${dir}: a directory with no runs in it (no <run>/config.json)`, 'store');
  const runs: RunStatusLine[] = [];
  const flopsOf = new Map<string, number>();
  for (const id of ids) {
    const state = store.state(id) as RunState;
    const run = store.load(id);
    const planned = plannedSteps(run.config);
    const lease = store.lease(id);
    const line: RunStatusLine = {
      id,
      state: state === 'finished' || state === 'diverged' ? 'done' : state === 'failed' ? 'failed' : state,
      detail: state,
      attempts: store.attempts(id).length,
    };
    const last = run.trajectory.at(-1)?.step;
    if (last !== undefined) line.step = last;
    if (planned !== undefined) line.steps = planned;
    if (typeof run.summary?.wallSeconds === 'number') line.wallSeconds = run.summary.wallSeconds;
    if (run.summary?.reason) line.reason = run.summary.reason;
    if (lease && line.state !== 'done' && line.state !== 'failed') {
      line.lease = `${lease.owner} (pid ${lease.pid} on ${lease.host}), heartbeat ${Math.round((now - lease.heartbeat) / 1000)} s ago${lease.stale ? `, stale: ${lease.stale}` : ''}`;
    }
    const flops = (run.config.extra as { flops?: unknown } | undefined)?.flops;
    if (typeof flops === 'number' && flops > 0) flopsOf.set(id, flops);
    runs.push(line);
  }
  const known = new Set(ids);
  for (const id of expected) if (!known.has(id)) runs.push({ id, state: 'pending', attempts: 0 });
  const counts = { done: 0, running: 0, interrupted: 0, failed: 0, pending: 0 };
  for (const r of runs) counts[r.state]++;
  const status: StoreStatus = { path: dir, runs, counts };
  const finished = runs.filter((r) => r.detail === 'finished' && r.wallSeconds !== undefined);
  const left = runs.filter((r) => r.state !== 'done' && r.state !== 'failed');
  if (finished.length > 0 && left.length > 0) {
    const useFlops = finished.every((r) => flopsOf.has(r.id)) && left.every((r) => flopsOf.has(r.id) || r.state === 'pending');
    const perFlop = quantile(Float64Array.from(finished, (r) => r.wallSeconds! / (flopsOf.get(r.id) ?? 1)).sort(), 0.5);
    const perRun = quantile(Float64Array.from(finished, (r) => r.wallSeconds!).sort(), 0.5);
    const median = quantile(Float64Array.from(flopsOf.values()).sort(), 0.5);
    let seconds = 0;
    for (const r of left) {
      const whole = useFlops ? perFlop * (flopsOf.get(r.id) ?? median) : perRun;
      const fraction = r.state === 'running' && r.step !== undefined && r.steps ? Math.min(1, r.step / r.steps) : 0;
      seconds += whole * (1 - fraction);
    }
    const parallel = Math.max(1, counts.running);
    status.etaSeconds = seconds / parallel;
    status.etaBasis = `${useFlops ? 'median seconds per FLOP' : 'median seconds per run'} of ${finished.length} finished runs, over ${parallel} run${parallel > 1 ? 's' : ''} at once`;
  }
  return status;
}

function plannedSteps(config: RunConfig): number | undefined {
  const extra = config.extra as { steps?: unknown; config?: { steps?: unknown; max_iters?: unknown } } | undefined;
  for (const v of [extra?.steps, extra?.config?.steps, extra?.config?.max_iters]) if (typeof v === 'number' && v > 0) return v;
  return undefined;
}
