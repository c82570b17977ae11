import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, show } from '../core/errors.js';
import type { Run, RunConfig, RunStatus, RunSummary, TrajectoryPoint } from '../core/run.js';
import { writeFileAtomic } from './atomic.js';
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
}

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
  /** Writes the summary atomically and closes the trajectory; the run has then ended. */
  finish(summary: RunSummary): void;
  /** Closes the trajectory without a summary (the run stays 'running', i.e. interrupted). */
  close(): void;
}

/**
 * A directory of runs: `<dir>/<runId>/config.json` (written atomically), `trajectory.jsonl` (one
 * TrajectoryPoint per line, appended as the run trains) and `summary.json` (written atomically when
 * the run ends; its status 'finished' | 'diverged' | 'failed' marks the run as ended).
 */
export interface RunStore {
  readonly dir: string;
  /** Writes the config and opens the trajectory. A run that exists but has not ended restarts from scratch. */
  begin(config: RunConfig, options?: BeginOptions): RunWriter;
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
    const { overwrite = false, fsync = false } = options;
    if (config === null || typeof config !== 'object') throw new InputError(`store ${this.label}: config must be an object, got ${show(config)}`, 'config');
    const id = checkId(this.label, config.id);
    if (typeof config.family !== 'string' || config.family === '') {
      throw new InputError(`store ${this.label}: run ${show(id)}: config.family must be a non-empty string, got ${show(config.family)}`, 'family');
    }
    const status = this.status(id);
    if (status !== 'missing' && status !== 'running' && !overwrite) {
      throw new InputError(`store ${this.label}: run ${show(id)} has already ended (${status}); pass { overwrite: true } to run it again (scalelaw train: --overwrite)`, 'id');
    }
    const runDir = join(this.dir, id);
    mkdirSync(runDir, { recursive: true });
    // The summary goes first: a crash between these steps leaves an unfinished run, never a finished
    // run with a new config.
    rmSync(join(runDir, SUMMARY), { force: true });
    writeFileAtomic(join(runDir, CONFIG), JSON.stringify(config, null, 2) + '\n');
    // Truncate, then append with O_APPEND: every write lands at the end of the file, so even a stale
    // writer of an earlier attempt cannot leave a hole or overwrite the new lines.
    const trajectory = join(runDir, TRAJECTORY);
    writeFileSync(trajectory, '');
    return new Writer(id, runDir, openSync(trajectory, 'a'), fsync, `store ${this.label}: run ${show(id)}`);
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

  constructor(
    readonly id: string,
    readonly dir: string,
    private readonly fd: number,
    private readonly fsync: boolean,
    private readonly label: string,
  ) {}

  append(point: TrajectoryPoint): void {
    if (!this.open) throw new InputError(`${this.label}: append after the run was finished or closed`, 'append');
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

  finish(summary: RunSummary): void {
    if (!this.open) throw new InputError(`${this.label}: finish after the run was finished or closed`, 'finish');
    if (summary === null || typeof summary !== 'object' || !ENDED.includes(summary.status)) {
      throw new InputError(`${this.label}: summary.status must be one of ${ENDED.join(', ')}, got ${show(summary?.status)}`, 'status');
    }
    fsyncSync(this.fd);
    this.close();
    writeFileAtomic(join(this.dir, SUMMARY), encodeLine(summary) + '\n');
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
  }
}
