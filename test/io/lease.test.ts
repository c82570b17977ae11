import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLease, readLease } from '../../src/io/lease.js';
import { openStore } from '../../src/io/store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'scalelaw-lease-'));
// A pid that has certainly exited: a child we ran to completion.
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('leases', () => {
  it('is taken by one claimer; a second sees the live holder', () => {
    const path = join(tmp(), 'lease.json');
    const a = acquireLease(path, { owner: 'a' });
    expect(a.acquired).toBe(true);
    const b = acquireLease(path, { owner: 'b' });
    expect(b).toMatchObject({ acquired: false, holder: { owner: 'a', host: hostname(), pid: process.pid } });
    expect(b.acquired === false && b.holder.stale).toBeUndefined();
    if (!a.acquired) return;
    expect(a.lease.held()).toBe(true);
    a.lease.release();
    expect(readLease(path)).toBeUndefined();
    expect(acquireLease(path, { owner: 'b' }).acquired).toBe(true);
    // no temporary files left beside the lease
    expect(readdirSync(join(path, '..'))).toEqual(['lease.json']);
  });

  it('reclaims a lease whose heartbeat is older than its TTL, or whose pid on this host is gone', () => {
    const dir = tmp();
    const path = join(dir, 'lease.json');
    // a holder on another host that stopped beating 200 s ago
    writeFileSync(path, JSON.stringify({ owner: 'far', host: 'node-elsewhere', pid: 1, token: 't', created: 0, ttlMs: 120_000 }));
    const old = Date.now() / 1000 - 200;
    utimesSync(path, old, old);
    expect(readLease(path)!.stale).toMatch(/^heartbeat 20\d s old \(lease lasts 120 s\)$/);
    const got = acquireLease(path, { owner: 'me' });
    expect(got).toMatchObject({ acquired: true, reclaimed: { owner: 'far' } });
    // a holder on another host that beat recently is live, whatever its pid
    const fresh = join(dir, 'fresh.json');
    writeFileSync(fresh, JSON.stringify({ owner: 'far', host: 'node-elsewhere', pid: 1, token: 't', created: 0, ttlMs: 120_000 }));
    expect(acquireLease(fresh).acquired).toBe(false);
    // a dead process on this host: stale at once
    const dead = join(dir, 'dead.json');
    const pid = deadPid();
    writeFileSync(dead, JSON.stringify({ owner: 'killed', host: hostname(), pid, token: 't', created: 0, ttlMs: 120_000 }));
    expect(readLease(dead)!.stale).toBe(`pid ${pid} on this host (${hostname()}) is gone`);
    expect(acquireLease(dead).acquired).toBe(true);
  });

  it('a holder whose lease was taken over finds out, and its release leaves the new lease alone', () => {
    const path = join(tmp(), 'lease.json');
    let clock = 1_000_000;
    const first = acquireLease(path, { ttlMs: 1000, now: () => clock });
    if (!first.acquired) throw new Error('not acquired');
    const past = clock / 1000;
    utimesSync(path, past, past);
    // as seen from another host, 5 s later: the heartbeat is stale (same host would need a dead pid)
    clock += 5000;
    writeFileSync(path, JSON.stringify({ ...first.lease.info, host: 'node-elsewhere' }));
    utimesSync(path, past, past);
    const second = acquireLease(path, { ttlMs: 1000, now: () => clock });
    expect(second.acquired).toBe(true);
    expect(first.lease.held()).toBe(false);
    expect(first.lease.beat()).toBe(false);
    first.lease.release();
    expect(second.acquired && second.lease.held()).toBe(true);
  });
});

describe('store claims', () => {
  it('skips an ended run and a live lease, takes over an interrupted one and keeps its partial trajectory apart', () => {
    const dir = tmp();
    const store = openStore(dir);
    const w = store.claim({ id: 'r', family: 'mlp' });
    if (!w.claimed) throw new Error('not claimed');
    w.writer.append({ step: 1, trainLoss: 3 });
    expect(store.state('r')).toBe('running');
    const busy = store.claim({ id: 'r', family: 'mlp' });
    expect(busy).toMatchObject({ claimed: false, reason: 'busy', holder: { pid: process.pid } });
    expect(() => store.begin({ id: 'r', family: 'mlp' })).toThrow(/^store .*: run "r" is held by scalelaw \(pid \d+ on .*, heartbeat \d+ s ago\)$/);
    // the holder dies: its lease names a pid that is gone
    writeFileSync(join(dir, 'r', 'lease.json'), JSON.stringify({ owner: 'killed', host: hostname(), pid: deadPid(), token: 'x', created: 0, ttlMs: 120_000 }));
    expect(store.state('r')).toBe('interrupted');
    const again = store.claim({ id: 'r', family: 'mlp' });
    if (!again.claimed) throw new Error('not claimed');
    expect(again.reclaimed).toMatchObject({ owner: 'killed' });
    // the displaced writer's close does not remove the new holder's lease
    w.writer.close();
    expect(store.state('r')).toBe('running');
    expect(store.attempts('r')).toEqual([join(dir, 'r', 'attempts', '1')]);
    expect(store.load('r').trajectory).toEqual([]);
    again.writer.append({ step: 1, trainLoss: 2.5 });
    again.writer.finish({ status: 'finished', steps: 1 });
    expect(store.claim({ id: 'r', family: 'mlp' })).toEqual({ claimed: false, reason: 'ended', status: 'finished' });
    expect(store.state('r')).toBe('finished');
    expect(store.lease('r')).toBeUndefined();
  });
});
