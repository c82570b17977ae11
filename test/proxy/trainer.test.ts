import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import { expandSweep } from '../../src/proxy/sweep-spec.js';
import type { TrainConfig } from '../../src/proxy/train-config.js';
import { train } from '../../src/proxy/trainer.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'scalelaw-proxy-'));
const tiny: TrainConfig = {
  model: { family: 'transformer', width: 8, depth: 1, heads: 2, context: 8 },
  data: { type: 'markov', seed: 0 },
  steps: 30,
  batchSize: 8,
  lr: 1e-2,
  evalEvery: 10,
  evalTokens: 256,
  backend: 'wasm',
};

describe('train', () => {
  it('logs every step with the losses, rates, sizes and gradient statistics', async () => {
    const dir = tmp();
    const { id, summary } = await train(tiny, { store: dir });
    expect(summary).toMatchObject({ status: 'finished', steps: 30, tokens: 30 * 8 * 8, backend: 'wasm', device: 'CPU, WebAssembly SIMD, 1 thread (XNNPACK and the SIMD batched matmul)' });
    const run = openStore(dir).load(id);
    expect(run.trajectory.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(run.trajectory.filter((p) => p.evalLoss !== undefined).map((p) => p.step)).toEqual([10, 20, 30]);
    const flopsPerToken = (run.config.extra as { flopsPerToken: number }).flopsPerToken;
    for (const p of run.trajectory) {
      expect(p.tokens).toBe(p.step * 64);
      expect(p.flops).toBe(p.tokens! * flopsPerToken);
      expect(p.bSmall).toBe(4);
      expect(p.bBig).toBe(8);
      // The mean of squared micro-batch norms is never below the squared norm of their mean (Jensen).
      expect(p.gradSqSmall!).toBeGreaterThanOrEqual(p.gradSqBig! * (1 - 1e-6));
      expect(p.gradNorm! ** 2).toBeCloseTo(p.gradSqBig!, 4);
      expect(p.maxAttentionLogit).toBeGreaterThan(0);
      expect(p.outputLogitRms).toBeGreaterThan(0);
    }
    const first = run.trajectory[0]!.trainLoss!;
    expect(first).toBeGreaterThan(1.7); // about log 8 untrained
    expect(run.trajectory.at(-1)!.evalLoss!).toBeLessThan(first - 0.1);
    expect(run.config).toMatchObject({ family: 'transformer', batchSize: 8, seqLen: 8, D: 30 * 64 });
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const dirA = tmp();
    const a = await train(tiny, { store: dirA });
    const dirB = tmp();
    const b = await train(tiny, { store: dirB });
    expect(b.id).toBe(a.id);
    const c = await train({ ...tiny, seed: 1 }, { store: dirB });
    expect(c.id).not.toBe(a.id);
    const store = openStore(dirB);
    expect(store.load(b.id).trajectory).toEqual(openStore(dirA).load(a.id).trajectory);
    expect(store.load(c.id).trajectory[5]!.trainLoss).not.toBe(store.load(b.id).trajectory[5]!.trainLoss);
  });

  it('ends an exploding run as diverged and keeps its trajectory', async () => {
    const dir = tmp();
    const { id, summary } = await train({ ...tiny, lr: 30, steps: 60, optimizer: { clip: 0 } }, { store: dir });
    expect(summary.status).toBe('diverged');
    expect(summary.reason).toMatch(/non-finite|exceeds 3 x the first step's/);
    const run = openStore(dir).load(id);
    expect(run.summary!.status).toBe('diverged');
    expect(run.trajectory.at(-1)!.step).toBe(summary.steps);
    expect(summary.steps).toBeLessThan(60);
  });

  it('trains an MLP on the teacher task, and a muP transformer with qk-norm and z-loss', async () => {
    const mlp = await train(
      { model: { family: 'mlp', width: 16, depth: 2 }, data: { type: 'teacher', noise: 0.1 }, steps: 40, batchSize: 32, lr: 3e-3, evalTokens: 512, backend: 'wasm' },
      { store: tmp() },
    );
    expect(mlp.summary.status).toBe('finished');
    const mup = await train(
      { ...tiny, steps: 10, zLoss: 1e-3, model: { family: 'transformer', width: 16, depth: 1, heads: 2, context: 8, parameterization: 'mup', baseWidth: 8, qkNorm: true } },
      { store: tmp() },
    );
    expect(mup.summary.status).toBe('finished');
  });
});

describe('z-loss in the built-in trainer', () => {
  it('logs mean log Z every step, keeps z-loss out of the logged loss, and pulls log Z towards 0', async () => {
    const dir = tmp();
    const plain = await train({ ...tiny, steps: 40 }, { store: dir });
    const withZ = await train({ ...tiny, steps: 40, zLoss: 0.5 }, { store: dir });
    const [a, b] = [openStore(dir).load(plain.id), openStore(dir).load(withZ.id)];
    expect(a.config.id).not.toBe(b.config.id);
    expect((b.config.extra as { zLoss: number }).zLoss).toBe(0.5);
    expect(a.trajectory.every((p) => Number.isFinite(p.outputLogZ))).toBe(true);
    // Same weights and data at step 1: the logged (task) loss is the same, the z-loss term is not in it.
    expect(b.trajectory[0]!.trainLoss).toBeCloseTo(a.trajectory[0]!.trainLoss!, 6);
    // At initialisation log Z is about log V (near-uniform logits); z-loss pulls it towards 0, the plain run leaves it there.
    expect(a.trajectory[0]!.outputLogZ!).toBeGreaterThan(1);
    expect(Math.abs(b.trajectory.at(-1)!.outputLogZ!)).toBeLessThan(0.5 * Math.abs(a.trajectory.at(-1)!.outputLogZ!));
  });
});

describe('bad input is refused before any training', () => {
  const refuses = async (config: TrainConfig, message: string) => {
    const dir = join(tmp(), 'store');
    await expect(train(config, { store: dir })).rejects.toThrow(message);
    expect(existsSync(dir)).toBe(false);
  };

  it('an unknown model family', () => refuses({ ...tiny, model: { family: 'rnn', width: 8, depth: 1 } as never }, 'model.family: unknown model family "rnn"; expected one of transformer, mlp'));

  it('a context longer than the data', () => {
    const path = join(tmp(), 'short.txt');
    writeFileSync(path, 'x'.repeat(50));
    return refuses(
      { ...tiny, data: { type: 'text', path }, model: { family: 'transformer', width: 8, depth: 1, context: 64 } },
      `model.context: 64 is longer than the data: ${JSON.stringify(path)} has 45 training tokens`,
    );
  });

  it('batch size 0', () => refuses({ ...tiny, batchSize: 0 }, 'batchSize: expected a positive integer, got 0'));

  it('a schedule shorter than the run', () =>
    refuses({ ...tiny, steps: 20, schedule: { type: 'cosine', peak: 1e-3, steps: 10 } }, "schedule.steps: the schedule has 10 steps, shorter than the run's 20"));

  it('a model that does not fit the data', () => refuses({ ...tiny, data: { type: 'teacher' } }, 'data.type: a transformer needs token data (markov, text or tokens), got "teacher"'));

  it('an empty sweep axis', () => {
    expect(() => expandSweep({ base: tiny, grid: { width: [8], lr: [] } })).toThrow('sweep.grid.lr: empty axis; expected a non-empty array, got []');
    expect(() => expandSweep({ base: tiny, grid: { size: [1] } as never })).toThrow(
      'sweep.grid: unknown axis "size"; expected one of width, depth, heads, context, tokens, steps, batchSize, lr, schedule, seed',
    );
    expect(() => expandSweep({ base: tiny, list: [{ batchSize: 0 }] })).toThrow('sweep run 0 {"batchSize":0}: batchSize: expected a positive integer, got 0');
  });
});

describe('backends', () => {
  it('records the backend that actually ran and refuses unknown ones up front', async () => {
    const { summary } = await train({ ...tiny, steps: 2, backend: 'cpu' }, { store: tmp() });
    expect(summary.backend).toBe('cpu');
    const dir = join(tmp(), 'store');
    await expect(train({ ...tiny, backend: 'cuda' }, { store: dir })).rejects.toThrow('backend: expected auto, tensorflow, webgpu, wasm, cpu, got "cuda"');
    expect(existsSync(dir)).toBe(false);
  });
});
