import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic.js';

/** What a lease file holds: who claimed a run, where, and how to tell whether they are still alive. */
export interface LeaseInfo {
  /** Free text naming the claimer, e.g. `sweep` or a Slurm job id. */
  owner: string;
  host: string;
  pid: number;
  /** Random, unique to this claim: a holder checks it to know the lease is still its own. */
  token: string;
  /** When the lease was taken (ms since the epoch). */
  created: number;
  /** A claim is stale once its heartbeat (the lease file's mtime) is older than this. */
  ttlMs: number;
  /** Process started by the holder (an external trainer), so a reclaimer on the same host can stop it. */
  child?: number;
}

/** A lease as read from disk, with its heartbeat and whether it is stale. */
export interface LeaseState extends LeaseInfo {
  /** Last heartbeat (ms since the epoch): the lease file's modification time. */
  heartbeat: number;
  /** Why the lease is stale ('heartbeat 93 s old', 'pid 123 on this host is gone'), absent while it is live. */
  stale?: string;
}

/** Options of `acquireLease`. */
export interface LeaseOptions {
  /** @default 'scalelaw' */
  owner?: string;
  /** A lease whose heartbeat is older than this is stale and may be reclaimed. @default 120000 */
  ttlMs?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/** A lease held by this process. */
export interface Lease {
  readonly path: string;
  readonly info: LeaseInfo;
  /** Touches the lease (its mtime is the heartbeat). Returns false, and touches nothing, if the lease is no longer ours. */
  beat(): boolean;
  /** Whether the lease file still holds our token. */
  held(): boolean;
  /** Records a child process (an external trainer) beside the lease, in `<path>.child`, while the lease is ours. */
  setChild(pid: number): void;
  /** Removes the lease if it is still ours. */
  release(): void;
}

/** The result of `acquireLease`: the lease, or the live lease that holds the run. */
export type LeaseClaim = { acquired: true; lease: Lease; reclaimed?: LeaseState } | { acquired: false; holder: LeaseState };

const HOST = hostname();

/** Reads a lease file, or undefined when there is none (or it vanished, or was torn by a crash before link). */
export function readLease(path: string, now: () => number = Date.now): LeaseState | undefined {
  let text: string;
  let mtime: number;
  try {
    text = readFileSync(path, 'utf8');
    mtime = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  let info: LeaseInfo;
  try {
    info = JSON.parse(text) as LeaseInfo;
  } catch {
    // Never written partly (it is complete before it is linked into place), so this is damage from
    // outside; it is stale once it has sat untouched for a minute.
    const state: LeaseState = { owner: '?', host: '?', pid: 0, token: '', created: 0, ttlMs: 60_000, heartbeat: mtime };
    if (now() - mtime > 60_000) state.stale = `unreadable lease file ${show(text.slice(0, 40))}`;
    return state;
  }
  const state: LeaseState = { ...info, heartbeat: mtime };
  const child = Number(readText(`${path}.child`));
  if (Number.isInteger(child) && child > 0) state.child = child;
  const age = now() - mtime;
  if (info.host === HOST && !alive(info.pid)) state.stale = `pid ${info.pid} on this host (${HOST}) is gone`;
  else if (age > info.ttlMs) state.stale = `heartbeat ${Math.round(age / 1000)} s old (lease lasts ${Math.round(info.ttlMs / 1000)} s)`;
  return state;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function show(text: string): string {
  return JSON.stringify(text);
}

/** Whether a process of this host is alive (signal 0 probes without sending anything). */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the lease file `path` for this process. Creation is atomic without relying on flock or
 * O_EXCL (both unreliable on older NFS): the lease is written whole to a file of a unique name
 * and hard-linked to `path`; link(2) fails if `path` exists, and the link count of the unique
 * file tells whether it succeeded even when an NFS reply is lost (the method of open(2)'s
 * O_EXCL note in the Linux man page). A stale lease (its heartbeat older than its TTL, or its
 * holder a dead pid on this host) is first renamed away, which only one reclaimer can do.
 *
 * The heartbeat is the lease file's mtime, set by the holder with its own clock and read against
 * the reader's: hosts whose clocks differ by more than a small part of the TTL (default 120 s)
 * can judge a live lease stale, so keep them NTP-synchronised or raise the TTL.
 */
export function acquireLease(path: string, options: LeaseOptions = {}): LeaseClaim {
  const { owner = 'scalelaw', ttlMs = 120_000, now = Date.now } = options;
  let reclaimed: LeaseState | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const info: LeaseInfo = { owner, host: HOST, pid: process.pid, token: randomBytes(12).toString('hex'), created: now(), ttlMs };
    if (tryLink(path, info)) return reclaimed ? { acquired: true, lease: new Held(path, info, now), reclaimed } : { acquired: true, lease: new Held(path, info, now) };
    const holder = readLease(path, now);
    if (holder === undefined) continue; // released between our link and our read: try again
    if (!holder.stale) return { acquired: false, holder };
    // Rename the stale lease aside; of several reclaimers, one rename wins and the others get ENOENT.
    const aside = join(dirname(path), `.${basename(path)}.stale.${HOST}.${process.pid}.${info.token}`);
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = readLease(aside, now);
    if (moved && moved.token !== holder.token && !moved.stale) {
      // Between our read and our rename, someone else reclaimed it and took a fresh lease: give it back.
      try {
        linkSync(aside, path);
      } catch {
        // A third process holds `path` now; the one we displaced finds its lease gone at its next heartbeat.
      }
      rmSync(aside, { force: true });
      return { acquired: false, holder: moved };
    }
    rmSync(aside, { force: true });
    reclaimed = holder;
  }
  const holder = readLease(path, now);
  return holder ? { acquired: false, holder } : acquireLease(path, options);
}

function tryLink(path: string, info: LeaseInfo): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${HOST}.${process.pid}.${info.token}`);
  writeFileSync(temp, JSON.stringify(info) + '\n');
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      rmSync(temp, { force: true });
      throw error;
    }
    // A lost NFS reply can report failure for a link that was made: the link count says.
    try {
      return statSync(temp).nlink === 2;
    } catch {
      return false;
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

class Held implements Lease {
  constructor(
    readonly path: string,
    readonly info: LeaseInfo,
    private readonly now: () => number,
  ) {}

  held(): boolean {
    try {
      return (JSON.parse(readFileSync(this.path, 'utf8')) as LeaseInfo).token === this.info.token;
    } catch {
      return false;
    }
  }

  beat(): boolean {
    if (!this.held()) return false;
    const t = this.now() / 1000;
    try {
      utimesSync(this.path, t, t);
      return true;
    } catch {
      return false;
    }
  }

  setChild(pid: number): void {
    if (!this.held()) return;
    (this.info as { child?: number }).child = pid;
    writeFileAtomic(`${this.path}.child`, `${pid}\n`);
  }

  release(): void {
    // Renamed aside first, so that a lease someone else took after ours went stale is put back, not deleted.
    const aside = join(dirname(this.path), `.${basename(this.path)}.release.${this.info.token}`);
    try {
      renameSync(this.path, aside);
    } catch {
      return;
    }
    let token: string | undefined;
    try {
      token = (JSON.parse(readFileSync(aside, 'utf8')) as LeaseInfo).token;
    } catch {
      token = undefined;
    }
    if (token !== this.info.token) {
      try {
        linkSync(aside, this.path);
      } catch {
        // Someone has claimed it again meanwhile; theirs stands.
      }
    } else rmSync(`${this.path}.child`, { force: true });
    rmSync(aside, { force: true });
  }
}
