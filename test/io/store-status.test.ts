import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import { storeStatus } from '../../src/io/store-status.js';
import { runCli } from '../cli/run-cli.js';

function sampleStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-status-'));
  const store = openStore(dir);
  const run = (id: string, flops: number | undefined, steps: number, end?: { status: 'finished' | 'failed'; wallSeconds?: number; reason?: string }) => {
    const w = store.begin({ id, family: 'mlp', extra: { steps, ...(flops ? { flops } : {}) } });
    for (let s = 1; s <= (end?.status === 'finished' ? steps : 5); s++) w.append({ step: s, trainLoss: 1 / s });
    if (end) w.finish({ status: end.status, steps, ...(end.wallSeconds ? { wallSeconds: end.wallSeconds } : {}), ...(end.reason ? { reason: end.reason } : {}) });
    return w;
  };
  run('a', 1e9, 10, { status: 'finished', wallSeconds: 10 });
  run('b', 2e9, 10, { status: 'finished', wallSeconds: 30 });
  run('c', 2e9, 10); // running: this process holds its lease
  run('d', 1e9, 10).close();
  // d's process died: its lease names a pid that is gone
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(dir, 'd', 'lease.json'), JSON.stringify({ owner: 'scalelaw sweep shard 1/2', host: hostname(), pid: dead, token: 'x', created: 0, ttlMs: 120_000 }));
  run('e', undefined, 10, { status: 'failed', reason: 'trainer exited with code 3' });
  return dir;
}

describe('sweep status', () => {
  it('tells done, running, interrupted, failed and pending runs apart, with an ETA from the finished ones', () => {
    const dir = sampleStore();
    const status = storeStatus(dir, { expected: ['a', 'b', 'c', 'd', 'e', 'f'] });
    expect(status.runs.map((r) => [r.id, r.state, r.step, r.steps])).toEqual([
      ['a', 'done', 10, 10],
      ['b', 'done', 10, 10],
      ['c', 'running', 5, 10],
      ['d', 'interrupted', 5, 10],
      ['e', 'failed', 5, 10],
      ['f', 'pending', undefined, undefined],
    ]);
    expect(status.counts).toEqual({ done: 2, running: 1, interrupted: 1, failed: 1, pending: 1 });
    expect(status.runs[3]!.lease).toMatch(/^scalelaw sweep shard 1\/2 \(pid \d+ on .*\), heartbeat \d+ s ago, stale: pid \d+ on this host .* is gone$/);
    expect(status.runs[4]!.reason).toBe('trainer exited with code 3');
    // median 1.25e-8 s per FLOP: c has half of 2e9 left (12.5 s), d all of 1e9 (12.5 s), f the median 1.5e9 (18.75 s); one run at once
    expect(status.etaSeconds).toBeCloseTo(43.75, 9);
    expect(status.etaBasis).toBe('median seconds per FLOP of 2 finished runs, over 1 run at once');
  });

  it('prints a table from the CLI, and inspect marks the dead run interrupted', () => {
    const dir = sampleStore();
    const out = runCli(['sweep', 'status', dir]);
    expect(out.code).toBe(0);
    // c's lease is held by this (live) test process, so another process sees it running
    expect(out.stdout.split('\n')[0]).toBe(`${dir}: 5 runs: 2 done, 1 running, 1 interrupted, 1 failed`);
    expect(out.stdout.split('\n')[1]).toBe('ETA 25s (median seconds per FLOP of 2 finished runs, over 1 run at once)');
    expect(out.stdout).toMatch(/^e\s+failed\s+5\/10\s+trainer exited with code 3$/m);
    const inspect = runCli(['inspect', dir]);
    expect(inspect.stdout).toContain('interrupted: d: lease of scalelaw sweep shard 1/2 (pid');
    expect(runCli(['sweep', 'status'])).toMatchObject({ code: 2, stderr: 'scalelaw: sweep status: give the run store: scalelaw sweep status <store>\n' });
  });

  it('flags trajectories whose steps repeat or go back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-status-'));
    const w = openStore(dir).begin({ id: 'two-writers', family: 'mlp' });
    w.close();
    writeFileSync(join(dir, 'two-writers', 'trajectory.jsonl'), [5, 10, 60, 5, 10, 10].map((step) => JSON.stringify({ step, trainLoss: 1 })).join('\n') + '\n');
    const report = JSON.parse(runCli(['inspect', dir, '--json']).stdout) as { problems: unknown[] };
    expect(report.problems).toEqual([{ id: 'two-writers', problem: 'steps repeat 1 times and go back 1 times (first at line 4: step 5 after step 60)' }]);
  });
});
