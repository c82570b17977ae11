import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import { expandExternal } from '../../src/proxy/sweep-external.js';
import type { SweepSpec } from '../../src/proxy/sweep-spec.js';
import { runCli } from '../cli/run-cli.js';

// A real one-node Slurm cluster: `bash .ci/setup-slurm.sh` starts one (CI does, in .ci/run).
const sinfo = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 10_000 });
const up = sinfo.status === 0 && /idle|mix|alloc/.test(sinfo.stdout);
const why = sinfo.error ? 'sinfo not found (Slurm is not installed)' : `sinfo answered ${sinfo.status}: ${(sinfo.stderr || sinfo.stdout).trim().slice(0, 120)}`;
if (!up) console.warn(`test/proxy/slurm.test.ts skipped: no Slurm cluster answers here (${why}); run bash .ci/setup-slurm.sh`);

const trainer = fileURLToPath(new URL('./fixtures/stand-in-trainer.mjs', import.meta.url));

describe.skipIf(!up)('a sweep submitted to Slurm as a job array', () => {
  it('goes from spec to submitted array with one command, and the array trains every run exactly once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-slurm-'));
    const spec: SweepSpec = {
      name: 'slurm-test',
      base: { steps: 10, lr: 0.01 } as SweepSpec['base'],
      grid: { width: [4, 8, 16], seed: [0, 1] } as SweepSpec['grid'],
      trainer: { command: [process.execPath, trainer, '--width={width}', '--steps={steps}', '--lr={lr}', '--seed={seed}', '--out={runDir}'], family: 'standin' },
    };
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const store = join(dir, 'runs');
    // one command from spec to submitted array
    const submitted = runCli(['sweep', specPath, '--store', store, '--emit', 'slurm', '--tasks', '3', '--time', '10', '--submit']);
    expect(submitted.code).toBe(0);
    const script = join(store, '.slurm', 'scalelaw-slurm-test.sbatch');
    expect(submitted.stderr).toBe(`scalelaw: submitted ${script} (3 tasks for 6 runs); progress: scalelaw sweep status ${store}\n`);
    const jobId = /^Submitted batch job (\d+)$/m.exec(submitted.stdout)![1]!;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const queue = spawnSync('squeue', ['-h', '-j', jobId], { encoding: 'utf8' });
      if (queue.status === 0 && queue.stdout.trim() === '') break;
      spawnSync('sleep', ['1']);
    }
    const expected = expandExternal(spec)
      .map((r) => r.run.id)
      .sort();
    const s = openStore(store);
    expect(s.ids()).toEqual(expected);
    expect(s.finished()).toEqual(expected);
    for (const id of expected) {
      expect(s.load(id).trajectory.map((p) => p.step)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(s.attempts(id)).toEqual([]);
    }
    // each task took its own shard from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT
    const logs = readdirSync(join(store, '.slurm'))
      .filter((f) => f.endsWith('.out'))
      .sort();
    expect(logs).toEqual([0, 1, 2].map((i) => `${jobId}_${i}.out`));
    logs.forEach((log, i) => {
      const text = readFileSync(join(store, '.slurm', log), 'utf8');
      expect(text).toContain(`scalelaw: shard ${i}/3 from SLURM_ARRAY_TASK_ID=${i} of SLURM_ARRAY_TASK_COUNT=3\n`);
      expect(text).toContain('2 runs: 2 trained, 0 already done');
    });
  }, 320_000);
});
