import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import type { SweepSpec } from '../../src/proxy/sweep-spec.js';
import { runCli } from '../cli/run-cli.js';
import { writeEventFile } from '../io/event-file.js';

const trainer = fileURLToPath(new URL('./fixtures/stand-in-trainer.mjs', import.meta.url));
// The stand-in's loss law (fixtures/stand-in-trainer.mjs), for runs "trained elsewhere" with it.
const law = (N: number, D: number) => 1.7 + 400 / N ** 0.34 + 60 / D ** 0.28;

describe('a sweep that mixes imported and new runs', () => {
  it('imports TensorBoard and W&B runs, trains the rest with an external trainer, and fits and plans from the store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-mix-'));
    // two runs the user already has in TensorBoard, and two in a W&B export; the logs do not say N
    for (const [name, width] of [
      ['tb-w12', 12],
      ['tb-w24', 24],
    ] as const) {
      mkdirSync(join(dir, 'logs', name), { recursive: true });
      const N = 12 * width * width + 1000;
      writeEventFile(
        join(dir, 'logs', name, 'events.out.tfevents.1700000000.node1'),
        [1, 2].flatMap((k) => [
          { step: 12 * k, tag: 'train/loss', value: law(N, 12 * k * 128) },
          { step: 12 * k, tag: 'tokens', value: 12 * k * 128 },
        ]),
      );
    }
    const rows = [
      [12, law(13288, 1536), law(50152, 1536)],
      [24, law(13288, 3072), law(50152, 3072)],
    ];
    writeFileSync(join(dir, 'wandb.csv'), `Step,w32 - train_loss,w64 - train_loss\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const spec: SweepSpec = {
      name: 'mixed',
      base: { lr: 0.01, batch: 8, context: 16 } as SweepSpec['base'],
      grid: { width: [4, 8, 16], steps: [12, 24, 48] } as SweepSpec['grid'],
      trainer: { command: [process.execPath, trainer, '--width={width}', '--steps={steps}', '--lr={lr}', '--seed={seed}', '--out={runDir}'], family: 'standin' },
      import: [
        { tensorboard: 'logs', family: 'standin', configs: { 'tb-w12': { N: 12 * 144 + 1000 }, 'tb-w24': { N: 12 * 576 + 1000 } } },
        { wandb: 'wandb.csv', family: 'standin', configs: { w32: { N: 13288, D: 3072 }, w64: { N: 50152, D: 3072 } } },
      ],
    };
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const store = join(dir, 'runs');
    const first = runCli(['sweep', specPath, '--store', store, '--workers', '2', '--json']);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as { finished: string[]; imported: string[] };
    expect(result.imported.sort()).toEqual(['tb-w12', 'tb-w24', 'w32', 'w64']);
    expect(result.finished).toHaveLength(9);
    const s = openStore(store);
    expect(s.finished()).toHaveLength(13);
    expect(s.load('tb-w24').summary).toMatchObject({ status: 'finished', steps: 24, tokens: 3072, imported: join(dir, 'logs') });
    expect(s.load('w64').config).toMatchObject({ id: 'w64', family: 'standin', N: 50152, D: 3072 });
    // a rerun imports nothing again and trains nothing again
    const again = JSON.parse(runCli(['sweep', specPath, '--store', store, '--json']).stdout) as { imported: string[]; skipped: string[] };
    expect(again.imported).toEqual([]);
    expect(again.skipped).toHaveLength(9);

    // the runs feed `scalelaw fit` and `scalelaw plan --store` as built-in runs do
    const fit = runCli(['fit', store, '--law', 'chinchilla', '--json']);
    expect(fit.code).toBe(0);
    // the stand-in's law is L = 1.7 + 400 / N^0.34 + 60 / D^0.28 (plus a 1e-3 wobble)
    const value = Object.fromEntries((JSON.parse(fit.stdout) as { params: { name: string; value: number }[] }).params.map((p) => [p.name, p.value]));
    expect(Math.abs(value.alpha! - 0.34)).toBeLessThan(0.02);
    expect(Math.abs(value.beta! - 0.28)).toBeLessThan(0.05);
    // (E trades off against B and beta over a 4x range of D: 1.9 measured, not asserted)
    const plan = runCli(['plan', '--store', store, '--compute', '1e12', '--json']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('"N"');

    // sweep status: every run done, with nothing left
    const status = runCli(['sweep', 'status', store, '--spec', specPath, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ counts: { done: 13, running: 0, interrupted: 0, failed: 0, pending: 0 } });
  }, 240_000);
});
