import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/io/inspect.js';
import { openStore } from '../../src/io/store.js';
import { runSweep } from '../../src/proxy/sweep.js';
import { expandSweep, parseShard, type SweepSpec } from '../../src/proxy/sweep-spec.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'scalelaw-sweep-'));
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const spec: SweepSpec = {
  base: {
    model: { family: 'transformer', width: 4, depth: 1, heads: 1, context: 8 },
    data: { type: 'markov' },
    batchSize: 4,
    lr: 1e-2,
    steps: 8,
    evalTokens: 64,
    backend: 'wasm',
  },
  grid: { width: [4, 8], seed: [0, 1] },
};

describe('sweep specs', () => {
  it('expands a grid and a list into runs with ids derived from their configs', () => {
    const runs = expandSweep(spec);
    expect(runs.map((r) => [r.model.width, r.run.seed])).toEqual([
      [4, 0],
      [4, 1],
      [8, 0],
      [8, 1],
    ]);
    expect(expandSweep(spec).map((r) => r.run.id)).toEqual(runs.map((r) => r.run.id));
    const listed = expandSweep({ base: spec.base, list: [{ width: 8, steps: 4 }, { width: 4 }], grid: { seed: [0, 1] } });
    expect(listed.map((r) => [r.model.width, r.steps, r.run.seed])).toEqual([
      [8, 4, 0],
      [8, 4, 1],
      [4, 8, 0],
      [4, 8, 1],
    ]);
    // the same run listed twice is trained once
    expect(expandSweep({ base: spec.base, list: [{ width: 4 }, { width: 4 }] })).toHaveLength(1);
  });

  it('splits runs over shards without overlap', () => {
    const ids = expandSweep(spec).map((r) => r.run.id);
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(() => parseShard('3/3')).toThrow('--shard: expected i/n with 0 <= i < n, got "3/3"');
    const shards = [0, 1, 2].map((i) => ids.filter((_, j) => j % 3 === i));
    expect(shards.flat().sort()).toEqual([...ids].sort());
  });

  it('refuses an unknown backend before training anything', async () => {
    const dir = join(tmp(), 'store');
    await expect(runSweep(spec, { store: dir, backend: 'tpu' })).rejects.toThrow('backend: expected auto, tensorflow, webgpu, wasm, cpu, got "tpu"');
    expect(existsSync(dir)).toBe(false);
  });

  it('skips finished runs on a rerun and trains shards into one store', async () => {
    const dir = tmp();
    const first = await runSweep(spec, { store: dir, shard: { index: 0, count: 2 } });
    expect(first.finished).toHaveLength(2);
    const second = await runSweep(spec, { store: dir });
    expect(second.skipped.sort()).toEqual([...first.finished].sort());
    expect(second.finished).toHaveLength(2);
    expect(openStore(dir).finished()).toHaveLength(4);
  });
});

describe('crash safety', () => {
  it('survives SIGKILL mid-sweep: finished runs intact, none duplicated, the rerun completes', async () => {
    const dir = tmp();
    const specPath = join(dir, 'spec.json');
    const store = join(dir, 'runs');
    const crashSpec: SweepSpec = { ...spec, base: { ...spec.base, steps: 40 }, grid: { width: [4, 8], seed: [0, 1] } };
    writeFileSync(specPath, JSON.stringify(crashSpec));
    const expected = expandSweep(crashSpec)
      .map((r) => r.run.id)
      .sort();
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'sweep', specPath, '--store', store], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill once at least one run has finished and another is part-way through its trajectory.
    const inFlight = () => {
      if (!existsSync(store)) return false;
      const s = openStore(store);
      const list = s.list();
      return (
        list.some((r) => r.status === 'finished') &&
        list.some((r) => r.status === 'running' && existsSync(join(store, r.id, 'trajectory.jsonl')) && readFileSync(join(store, r.id, 'trajectory.jsonl'), 'utf8').length > 0)
      );
    };
    const deadline = Date.now() + 90_000;
    while (!inFlight() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    const before = openStore(store).list();
    const finishedBefore = before.filter((r) => r.status === 'finished').map((r) => r.id);
    expect(finishedBefore.length).toBeGreaterThan(0);
    expect(before.some((r) => r.status === 'running')).toBe(true);
    const hash = (id: string) =>
      ['config.json', 'trajectory.jsonl', 'summary.json']
        .map((f) =>
          createHash('sha256')
            .update(readFileSync(join(store, id, f)))
            .digest('hex'),
        )
        .join();
    const hashes = new Map(finishedBefore.map((id) => [id, hash(id)]));

    const rerun = spawnSync(process.execPath, ['--import', 'tsx', main, 'sweep', specPath, '--store', store, '--json'], { encoding: 'utf8' });
    expect(rerun.status).toBe(0);
    const result = JSON.parse(rerun.stdout) as { skipped: string[]; finished: string[] };
    expect(result.skipped.sort()).toEqual([...finishedBefore].sort());
    for (const [id, h] of hashes) expect(hash(id)).toBe(h);
    const after = openStore(store);
    expect(
      readdirSync(store)
        .filter((n) => !n.startsWith('.'))
        .sort(),
    ).toEqual(expected);
    expect(after.finished().sort()).toEqual(expected);
    for (const id of expected) {
      const steps = after.load(id).trajectory.map((p) => p.step);
      expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
    // what `scalelaw inspect <store>` reports
    expect(inspect(store)).toMatchObject({ runs: expected.length, byStatus: { finished: expected.length } });
  }, 120_000);
});
