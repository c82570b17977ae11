import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alive } from '../../src/io/lease.js';
import { openStore } from '../../src/io/store.js';
import { runSweep } from '../../src/proxy/sweep.js';
import { expandExternal, parseProgressLine } from '../../src/proxy/sweep-external.js';
import type { SweepSpec } from '../../src/proxy/sweep-spec.js';

const trainer = fileURLToPath(new URL('./fixtures/stand-in-trainer.mjs', import.meta.url));
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'scalelaw-ext-'));

const specWith = (extra: string[] = [], over: Partial<SweepSpec> = {}): SweepSpec => ({
  name: 'stand-in',
  base: { steps: 12, lr: 0.01, batch: 8, context: 16 } as SweepSpec['base'],
  grid: { width: [4, 8], seed: [0, 1] } as SweepSpec['grid'],
  trainer: {
    command: [process.execPath, trainer, '--width={width}', '--steps={steps}', '--lr={lr}', '--seed={seed}', '--batch={batch}', '--context={context}', '--out={runDir}', ...extra],
    family: 'standin',
  },
  ...over,
});

describe('the trainer protocol', () => {
  it('reads progress points, summaries and log lines; names the line in errors', () => {
    expect(parseProgressLine('{"step": 5, "tokens": 640, "lr": 0.01, "train_loss": 2.5, "eval_loss": 2.6, "grad_norm": 0.4, "grad_sq_small": 3}', 'x')).toEqual({
      kind: 'point',
      point: { step: 5, tokens: 640, lr: 0.01, trainLoss: 2.5, evalLoss: 2.6, gradNorm: 0.4, gradSqSmall: 3 },
    });
    // Python's json.dumps writes NaN bare
    const diverged = parseProgressLine('{"step": 6, "train_loss": NaN, "grad_norm": Infinity}', 'x');
    expect(diverged.kind === 'point' && Number.isNaN(diverged.point.trainLoss) && diverged.point.gradNorm === Infinity).toBe(true);
    expect(parseProgressLine('{"type": "summary", "status": "diverged", "params": 1234, "reason": "loss NaN"}', 'x')).toEqual({
      kind: 'summary',
      summary: { status: 'diverged', params: 1234, reason: 'loss NaN' },
    });
    expect(parseProgressLine('{"type": "log", "message": "compiling"}', 'x')).toEqual({ kind: 'log' });
    expect(() => parseProgressLine('step 5 loss 2.5', 'run r: trainer stdout: line 3')).toThrow('run r: trainer stdout: line 3: not a JSON object: "step 5 loss 2.5"');
    expect(() => parseProgressLine('{"step": 2.5}', 'L')).toThrow('L: step must be a non-negative integer, got 2.5');
    expect(() => parseProgressLine('{"step": 2, "train_loss": "low"}', 'L')).toThrow('L: train_loss must be a number, got "low"');
    expect(() => parseProgressLine('{"type": "summary", "status": "ok"}', 'L')).toThrow('L: summary status must be finished, diverged or failed, got "ok"');
  });

  it('expands a command template with every config field, the run dir and seed, and refuses unknown fields', () => {
    const runs = expandExternal(specWith());
    expect(runs).toHaveLength(4);
    expect(runs.map((r) => r.run.id)).toEqual(expandExternal(specWith()).map((r) => r.run.id));
    expect(runs[0]!.run).toMatchObject({ family: 'standin', seed: 0, extra: { config: { steps: 12, lr: 0.01, width: 4, seed: 0 } } });
    expect(runs[0]!.run.id).toMatch(/^standin-width=4,seed=0-[0-9a-f]{10}$/);
    expect(() => expandExternal(specWith(['--depth={depth}']))).toThrow(
      'sweep run 0 {"width":4,"seed":0}: trainer.command[9]: unknown field {depth} in "--depth={depth}"; fields: steps, lr, batch, context, width, seed, runDir, runId, id, progressFile',
    );
    expect(() => expandExternal({ ...specWith(), trainer: { command: [] } })).toThrow('sweep.trainer.command: expected a non-empty array of strings (the program and its arguments), got []');
  });
});

describe('external-trainer sweeps', () => {
  it('records the trainer like the built-in one, and the runs feed fits', async () => {
    const store = tmp();
    const result = await runSweep(specWith(), { store, workers: 2 });
    expect(result.finished).toHaveLength(4);
    const s = openStore(store);
    const run = s.load(result.ids[0]!);
    expect(run.trajectory.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(run.trajectory[4]).toMatchObject({ step: 5, tokens: 640, lr: 0.01 });
    expect(Object.keys(run.trajectory[4]!).sort()).toEqual(['evalLoss', 'gradNorm', 'lr', 'step', 'tokens', 'trainLoss']);
    // the summary's parameter count becomes the run's N, so scaling fits can use it
    expect(run.config.N).toBe(12 * 4 * 4 + 1000);
    expect(run.summary).toMatchObject({ status: 'finished', steps: 12, tokens: 12 * 128, backend: 'external' });
    expect(run.summary!.finalEvalLoss).toBe(run.trajectory.at(-1)!.evalLoss);
    expect(existsSync(join(store, result.ids[0]!, 'trainer.log'))).toBe(true);
    // a rerun skips them all
    const again = await runSweep(specWith(), { store });
    expect(again.skipped.sort()).toEqual([...result.ids].sort());
  }, 60_000);

  it('retries a crashed trainer, keeping its partial trajectory apart', async () => {
    const store = tmp();
    const result = await runSweep(specWith(['--mode=crash', '--crash-at=7']), { store });
    expect(result.finished).toHaveLength(4);
    const s = openStore(store);
    for (const id of result.ids) {
      expect(s.load(id).trajectory.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      const [attempt, ...more] = s.attempts(id);
      expect(more).toEqual([]);
      const partial = readFileSync(join(attempt!, 'trajectory.jsonl'), 'utf8').trim().split('\n');
      expect(partial.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(existsSync(join(attempt!, 'summary.json'))).toBe(false);
    }
    // with no retries left, the run ends failed with the exit status and the end of stderr
    const strict = tmp();
    const failed = await runSweep({ ...specWith(['--mode=crash']), trainer: { ...specWith(['--mode=crash']).trainer!, retries: 0 }, grid: { width: [4] } as SweepSpec['grid'] }, { store: strict });
    expect(failed.failed).toHaveLength(1);
    expect(failed.failed[0]!.reason).toMatch(/^trainer exited with code 3; stderr ends: .*simulated crash \(CUDA error: an illegal memory access was encountered\) \(log: .*trainer\.log\)$/);
    // a later sweep retries the failed run (the marker file makes the stand-in succeed now)
    expect((await runSweep({ ...specWith(['--mode=crash']), grid: { width: [4] } as SweepSpec['grid'] }, { store: strict })).finished).toHaveLength(1);
  }, 60_000);

  it('fails a run whose trainer writes a garbage line, naming the run and the line', () => {
    const dir = tmp();
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify({ ...specWith(['--mode=garbage']), grid: { width: [4] } }));
    const out = spawnSync(process.execPath, ['--import', 'tsx', main, 'sweep', specPath, '--store', join(dir, 'runs')], { encoding: 'utf8' });
    expect(out.status).toBe(1);
    const [id] = expandExternal({ ...specWith(['--mode=garbage']), grid: { width: [4] } as SweepSpec['grid'] }).map((r) => r.run.id);
    expect(out.stdout).toContain(`failed ${id}: run ${id}: trainer stdout: line 4: not a JSON object: "loss went down, probably"\n`);
    const run = openStore(join(dir, 'runs')).load(id!);
    expect(run.summary).toMatchObject({ status: 'failed', steps: 3 });
    expect(run.trajectory.map((p) => p.step)).toEqual([1, 2, 3]);
  }, 60_000);

  it('resumes after the sweep process is SIGKILLed, with nothing lost (progress through a file)', async () => {
    const dir = tmp();
    const store = join(dir, 'runs');
    const spec = specWith(['--progress={runDir}/progress.jsonl', '--delay=40'], {});
    spec.trainer!.progress = 'progress.jsonl';
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'sweep', specPath, '--store', store], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const partway = () => {
      if (!existsSync(store)) return undefined;
      const s = openStore(store);
      return s.ids().find((id) => s.state(id) === 'running' && s.load(id).trajectory.length >= 3 && s.lease(id)?.child !== undefined);
    };
    const deadline = Date.now() + 60_000;
    let victim: string | undefined;
    while (!(victim = partway()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(victim).toBeDefined();
    const orphan = openStore(store).lease(victim!)!.child!;
    child.kill('SIGKILL');
    await exited;
    expect(openStore(store).state(victim!)).toBe('interrupted');
    const partial = openStore(store).load(victim!).trajectory.length;
    const rerun = spawnSync(process.execPath, ['--import', 'tsx', main, 'sweep', specPath, '--store', store, '--json'], { encoding: 'utf8' });
    expect(rerun.status).toBe(0);
    const result = JSON.parse(rerun.stdout) as { reclaimed: string[]; finished: string[] };
    expect(result.reclaimed).toContain(victim);
    // the dead sweep's trainer was stopped, not left writing beside the new one
    expect(alive(orphan)).toBe(false);
    const s = openStore(store);
    expect(s.finished()).toHaveLength(4);
    for (const id of s.ids()) expect(s.load(id).trajectory.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const [attempt] = s.attempts(victim!);
    expect(readFileSync(join(attempt!, 'trajectory.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(partial);
    expect(existsSync(join(attempt!, 'progress.jsonl'))).toBe(true);
  }, 120_000);
});
