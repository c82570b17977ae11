import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
// node:timers, not the globals: Deno's (the notebook kernel) global setInterval returns a number, without unref.
import { clearInterval, setInterval } from 'node:timers';
import { InputError, show } from '../core/errors.js';
import type { Run, RunConfig, RunStatus, RunSummary, TrajectoryPoint } from '../core/run.js';
import { writeFileAtomic } from './atomic.js';
import { acquireLease, alive, readLease, type Lease, type LeaseState } from './lease.js';
import { decodeNonFinite, encodeLine, parseJsonLines } from './jsonl.js';
import { runsTable } from './runs-table.js';

/** Options for `store.begin`. */
export interface BeginOptions {
  /** Start again a run that has already ended (its trajectory and summary are discarded). @default false */
  overwrite?: boolean;
  /**
   * fsync the trajectory after every line. Without it a line survives a killed process (it is in the
   * operating system's cache once `append` returns) but not a power cut. @default false
   */
  fsync?: boolean;
  /** Names the claimer in the run's lease (`<run>/lease.json`), e.g. a Slurm job id. @default 'scalelaw' */
  owner?: string;
  /**
   * Seconds after the last heartbeat at which the lease is stale and another process may take the
   * run over. The writer beats on every append, and every quarter of this while it is open.
   * @default 120
   */
  leaseSeconds?: number;
}

/** Options for `store.claim`: those of `begin`, and which ended runs to run again. */
export interface ClaimOptions extends Omit<BeginOptions, 'overwrite'> {
  /** Ended runs with these statuses are claimed again (their files kept apart as an attempt). @default ['failed'] */
  retry?: readonly RunStatus[];
}

/**
 * What `store.claim` got: the run to write, or why not: it has ended ('ended'), or another live
 * process holds its lease ('busy').
 */
export type Claim =
  { claimed: true; writer: RunWriter; reclaimed?: LeaseState; previous?: string } | { claimed: false; reason: 'ended'; status: RunStatus } | { claimed: false; reason: 'busy'; holder: LeaseState };

/**
 * A run's state as seen from outside: its summary's status once it has ended; before that 'running'
 * while a live process holds its lease and 'interrupted' when none does (the lease is stale, or
 * there is none: the writer was killed or closed without a summary).
 */
export type RunState = RunStatus | 'interrupted';

/** Appends one run's trajectory while it trains. */
export interface RunWriter {
  readonly id: string;
  /** Directory holding this run's files. */
  readonly dir: string;
  /**
   * Appends one point as one complete JSONL line, synchronously. Steps must increase strictly;
   * NaN and infinities (a diverging run) are kept.
   */
  append(point: TrajectoryPoint): void;
  /**
   * Writes the summary atomically and closes the trajectory; the run has then ended. A `config`
   * (with the same id) replaces the stored one first, for what is only known at the end, such as
   * the parameter count an external trainer reports.
   */
  finish(summary: RunSummary, config?: RunConfig): void;
  /** Closes the trajectory without a summary and releases the lease (the run is then 'interrupted'). */
  close(): void;
  /** Records a process started for this run (an external trainer), so a reclaimer on this host can stop it. */
  setChild(pid: number): void;
  /**
   * Renews the lease if a quarter of its TTL has passed since the last renewal (cheap to call every
   * step); throws if another process has taken the run over.
   */
  heartbeat(): void;
}

/**
 * A directory of runs: `<dir>/<runId>/config.json` (written atomically), `trajectory.jsonl` (one
 * TrajectoryPoint per line, appended as the run trains) and `summary.json` (written atomically when
 * the run ends; its status 'finished' | 'diverged' | 'failed' marks the run as ended).
 */
export interface RunStore {
  readonly dir: string;
  /**
   * Claims the run's lease, writes the config and opens the trajectory. A run that exists but has not
   * ended restarts from scratch, its earlier files kept apart under `<run>/attempts/<k>/`. Throws an
   * InputError if the run has ended (without `overwrite`) or another live process holds it.
   */
  begin(config: RunConfig, options?: BeginOptions): RunWriter;
  /**
   * Like `begin`, but for many writers: never throws for a run that has ended or is held by a live
   * lease, and says so instead. A stale lease (heartbeat older than its TTL, or a dead pid on this
   * host) is reclaimed, and a trainer process it recorded on this host is stopped.
   */
  claim(config: RunConfig, options?: ClaimOptions): Claim;
  /** The run's state, with 'interrupted' told apart from 'running' by its lease; 'missing' if absent. */
  state(id: string): RunState | 'missing';
  /** The run's lease as on disk (with whether it is stale), if it has one. */
  lease(id: string): LeaseState | undefined;
  /** Earlier attempts kept apart when the run was started again (directories under `<run>/attempts/`), oldest first. */
  attempts(id: string): string[];
  /** Ids of all runs (directories with a config.json), sorted. */
  ids(): string[];
  /** 'running' for a run without a summary (still training, or interrupted); 'missing' if absent. */
  status(id: string): RunStatus | 'missing';
  /** Every run's id and status, read from the summaries only (no trajectories). */
  list(): { id: string; status: RunStatus }[];
  /** Ids of the runs whose summary says 'finished'. */
  finished(): string[];
  /** One run. A torn last trajectory line (a crash mid-write) is skipped with a warning. */
  load(id: string): Run;
  runs(): Run[];
  /** All runs' trajectories as one arquero table with the config columns joined (see `runsTable`). */
  table(): ReturnType<typeof runsTable>;
}

const CONFIG = 'config.json';
const TRAJECTORY = 'trajectory.jsonl';
const SUMMARY = 'summary.json';
const LEASE = 'lease.json';
const ATTEMPTS = 'attempts';
const ENDED: readonly RunStatus[] = ['finished', 'diverged', 'failed'];

/**
 * Opens (and creates) a run store.
 *
 * @example
 * const store = openStore('runs');
 * const w = store.begin({ id: 'mlp-n1e5-s0', family: 'mlp', N: 1e5 });
 * w.append({ step: 0, trainLoss: 2.3 });
 * w.finish({ status: 'finished', steps: 1 });
 */
export function openStore(dir: string): RunStore {
  if (typeof dir !== 'string' || dir === '') throw new InputError(`store: directory must be a non-empty path, got ${show(dir)}`, 'dir');
  if (existsSync(dir) && !isDirectory(dir)) throw new InputError(`store ${dir}: not a directory`, 'dir');
  mkdirSync(dir, { recursive: true });
  return new Store(resolve(dir), dir);
}

function isDirectory(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

// A run id becomes a directory name, so it must not escape the store or need quoting.
const ID = /^[A-Za-z0-9_][A-Za-z0-9_.,=+@-]*$/;

function checkId(store: string, id: unknown): string {
  if (typeof id !== 'string' || !ID.test(id) || id.length > 200) {
    throw new InputError(`store ${store}: run id must be 1-200 characters of letters, digits and _.,=+@- (not starting with . or -), got ${show(id)}`, 'id');
  }
  return id;
}

class Store implements RunStore {
  constructor(
    readonly dir: string,
    private readonly label: string,
  ) {}

  begin(config: RunConfig, options: BeginOptions = {}): RunWriter {
    const { overwrite = false, ...rest } = options;
    const claim = this.claim(config, { ...rest, retry: overwrite ? ENDED : [] });
    if (claim.claimed) return claim.writer;
    if (claim.reason === 'ended') {
      throw new InputError(`store ${this.label}: run ${show(config.id)} has already ended (${claim.status}); pass { overwrite: true } to run it again (scalelaw train: --overwrite)`, 'id');
    }
    const h = claim.holder;
    throw new InputError(`store ${this.label}: run ${show(config.id)} is held by ${h.owner} (pid ${h.pid} on ${h.host}, heartbeat ${Math.round((Date.now() - h.heartbeat) / 1000)} s ago)`, 'id');
  }

  claim(config: RunConfig, options: ClaimOptions = {}): Claim {
    const { fsync = false, owner = 'scalelaw', leaseSeconds = 120, retry = ['failed'] } = options;
    if (config === null || typeof config !== 'object') throw new InputError(`store ${this.label}: config must be an object, got ${show(config)}`, 'config');
    const id = checkId(this.label, config.id);
    if (typeof config.family !== 'string' || config.family === '') {
      throw new InputError(`store ${this.label}: run ${show(id)}: config.family must be a non-empty string, got ${show(config.family)}`, 'family');
    }
    if (!(typeof leaseSeconds === 'number' && leaseSeconds > 0)) throw new InputError(`store ${this.label}: leaseSeconds must be a positive number, got ${show(leaseSeconds)}`, 'leaseSeconds');
    const ended = (): RunStatus | undefined => {
      const status = this.status(id);
      return status !== 'missing' && status !== 'running' && !retry.includes(status) ? status : undefined;
    };
    const before = ended();
    if (before) return { claimed: false, reason: 'ended', status: before };
    const runDir = join(this.dir, id);
    mkdirSync(runDir, { recursive: true });
    const got = acquireLease(join(runDir, LEASE), { owner, ttlMs: leaseSeconds * 1000 });
    if (!got.acquired) return { claimed: false, reason: 'busy', holder: got.holder };
    const { lease, reclaimed } = got;
    // Another process may have finished the run between our first look and our lease.
    const after = ended();
    if (after) {
      lease.release();
      return { claimed: false, reason: 'ended', status: after };
    }
    if (reclaimed?.child !== undefined && reclaimed.host === lease.info.host && alive(reclaimed.child)) {
      // The trainer of a dead sweep process would keep writing into files we are about to reuse.
      try {
        process.kill(reclaimed.child, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    const previous = this.keepApart(runDir, reclaimed);
    // The summary goes first: a crash between these steps leaves an unfinished run, never a finished
    // run with a new config.
    rmSync(join(runDir, SUMMARY), { force: true });
    writeFileAtomic(join(runDir, CONFIG), JSON.stringify(config, null, 2) + '\n');
    // Truncate, then append with O_APPEND: every write lands at the end of the file, so even a stale
    // writer of an earlier attempt cannot leave a hole or overwrite the new lines.
    const trajectory = join(runDir, TRAJECTORY);
    writeFileSync(trajectory, '');
    const writer = new Writer(id, runDir, openSync(trajectory, 'a'), fsync, `store ${this.label}: run ${show(id)}`, lease);
    const claim: Claim = { claimed: true, writer };
    if (reclaimed) claim.reclaimed = reclaimed;
    if (previous) claim.previous = previous;
    return claim;
  }

  /**
   * Moves the files of an earlier attempt (a partial trajectory, a failed or overwritten summary)
   * to `<run>/attempts/<k>/`, so that a retry starts clean and nothing measured is lost. The
   * trajectory is renamed, not copied: a stale writer still holding it open writes there, not into
   * the new attempt.
   */
  private keepApart(runDir: string, reclaimed: LeaseState | undefined): string | undefined {
    const trajectory = join(runDir, TRAJECTORY);
    const summary = join(runDir, SUMMARY);
    const hasLines = existsSync(trajectory) && statSync(trajectory).size > 0;
    if (!hasLines && !existsSync(summary)) return undefined;
    const root = join(runDir, ATTEMPTS);
    mkdirSync(root, { recursive: true });
    const k = readdirSync(root).filter((n) => /^\d+$/.test(n)).length + 1;
    const target = join(root, String(k));
    mkdirSync(target);
    if (existsSync(join(runDir, CONFIG))) copyFileSync(join(runDir, CONFIG), join(target, CONFIG));
    if (existsSync(trajectory)) renameSync(trajectory, join(target, TRAJECTORY));
    if (existsSync(summary)) renameSync(summary, join(target, SUMMARY));
    const why = existsSync(join(target, SUMMARY))
      ? 'ended, run again'
      : reclaimed
        ? `interrupted: lease of ${reclaimed.owner} (pid ${reclaimed.pid} on ${reclaimed.host}) was stale: ${reclaimed.stale}`
        : 'interrupted: no summary and no live lease';
    writeFileAtomic(join(target, 'attempt.json'), JSON.stringify({ movedAt: new Date().toISOString(), why }, null, 2) + '\n');
    return target;
  }

  state(id: string): RunState | 'missing' {
    const status = this.status(id);
    if (status !== 'running') return status;
    const lease = this.lease(id);
    return lease && !lease.stale ? 'running' : 'interrupted';
  }

  lease(id: string): LeaseState | undefined {
    checkId(this.label, id);
    return readLease(join(this.dir, id, LEASE));
  }

  attempts(id: string): string[] {
    checkId(this.label, id);
    const root = join(this.dir, id, ATTEMPTS);
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((n) => /^\d+$/.test(n))
      .sort((a, b) => Number(a) - Number(b))
      .map((n) => join(root, n));
  }

  ids(): string[] {
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && ID.test(e.name) && existsSync(join(this.dir, e.name, CONFIG)))
      .map((e) => e.name)
      .sort();
  }

  status(id: string): RunStatus | 'missing' {
    checkId(this.label, id);
    if (!existsSync(join(this.dir, id, CONFIG))) return 'missing';
    const summary = this.summary(id);
    return summary && ENDED.includes(summary.status) ? summary.status : 'running';
  }

  list(): { id: string; status: RunStatus }[] {
    return this.ids().map((id) => ({ id, status: this.status(id) as RunStatus }));
  }

  finished(): string[] {
    return this.ids().filter((id) => this.status(id) === 'finished');
  }

  load(id: string): Run {
    checkId(this.label, id);
    const runDir = join(this.dir, id);
    const configPath = join(runDir, CONFIG);
    if (!existsSync(configPath)) throw new InputError(`store ${this.label}: no run ${show(id)}`, 'id');
    const config = readJson(configPath) as RunConfig;
    const trajectoryPath = join(runDir, TRAJECTORY);
    const text = existsSync(trajectoryPath) ? readFileSync(trajectoryPath, 'utf8') : '';
    const trajectory = parseJsonLines(text, trajectoryPath, { tolerateTornTail: true }).map((r) => decodeNonFinite(r) as TrajectoryPoint);
    const summary = this.summary(id);
    return summary ? { config, trajectory, summary } : { config, trajectory };
  }

  runs(): Run[] {
    return this.ids().map((id) => this.load(id));
  }

  table(): ReturnType<typeof runsTable> {
    return runsTable(this.runs());
  }

  private summary(id: string): RunSummary | undefined {
    const path = join(this.dir, id, SUMMARY);
    return existsSync(path) ? (decodeNonFinite(readJson(path) as Record<string, unknown>) as RunSummary) : undefined;
  }
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${path}: not valid JSON: ${show(text)}`);
  }
}

class Writer implements RunWriter {
  private lastStep = -Infinity;
  private open = true;
  private lastBeat = Date.now();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    readonly id: string,
    readonly dir: string,
    private readonly fd: number,
    private readonly fsync: boolean,
    private readonly label: string,
    private readonly lease: Lease,
  ) {
    // Beats while the event loop is free (an external trainer, a slow step on another thread);
    // append beats too, for training loops that never yield. unref: it keeps no process alive.
    this.timer = setInterval(() => this.beat(), lease.info.ttlMs / 4);
    this.timer.unref();
  }

  private beat(): void {
    if (!this.open) return;
    this.lastBeat = Date.now();
    if (!this.lease.beat()) {
      clearInterval(this.timer);
      this.lost = true;
    }
  }

  private lost = false;

  private checkLease(): void {
    if (Date.now() - this.lastBeat > this.lease.info.ttlMs / 4) this.beat();
    if (this.lost) {
      const holder = readLease(this.lease.path);
      const by = holder ? ` to ${holder.owner} (pid ${holder.pid} on ${holder.host})` : '';
      throw new Error(`${this.label}: lease lost${by}: another process has taken this run over; stopping without writing`);
    }
  }

  setChild(pid: number): void {
    this.lease.setChild(pid);
  }

  heartbeat(): void {
    if (this.open) this.checkLease();
  }

  append(point: TrajectoryPoint): void {
    if (!this.open) throw new InputError(`${this.label}: append after the run was finished or closed`, 'append');
    this.checkLease();
    if (point === null || typeof point !== 'object') throw new InputError(`${this.label}: a trajectory point must be an object, got ${show(point)}`, 'point');
    const { step } = point;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
      throw new InputError(`${this.label}: step must be a non-negative integer, got ${show(step)}`, 'step');
    }
    if (step <= this.lastStep) {
      throw new InputError(`${this.label}: steps must increase, got step ${step} after step ${this.lastStep}`, 'step');
    }
    for (const [key, value] of Object.entries(point)) {
      if (value !== undefined && typeof value !== 'number') {
        throw new InputError(`${this.label}: step ${step}: ${key} must be a number, got ${show(value)}`, key);
      }
    }
    // One write(2) of one complete line: a kill can lose at most this line, never an earlier one.
    writeSync(this.fd, encodeLine(point) + '\n');
    if (this.fsync) fsyncSync(this.fd);
    this.lastStep = step;
  }

  finish(summary: RunSummary, config?: RunConfig): void {
    if (!this.open) throw new InputError(`${this.label}: finish after the run was finished or closed`, 'finish');
    if (summary === null || typeof summary !== 'object' || !ENDED.includes(summary.status)) {
      throw new InputError(`${this.label}: summary.status must be one of ${ENDED.join(', ')}, got ${show(summary?.status)}`, 'status');
    }
    this.lost ||= !this.lease.held();
    if (this.lost) {
      this.shut();
      this.checkLease();
    }
    if (config !== undefined && config?.id !== this.id) throw new InputError(`${this.label}: finish: config.id must be ${show(this.id)}, got ${show(config?.id)}`, 'config');
    fsyncSync(this.fd);
    this.shut();
    if (config) writeFileAtomic(join(this.dir, CONFIG), JSON.stringify(config, null, 2) + '\n');
    writeFileAtomic(join(this.dir, SUMMARY), encodeLine(summary) + '\n');
    this.lease.release();
  }

  close(): void {
    if (!this.open) return;
    this.shut();
    this.lease.release();
  }

  private shut(): void {
    if (!this.open) return;
    this.open = false;
    clearInterval(this.timer);
    closeSync(this.fd);
  }
}
