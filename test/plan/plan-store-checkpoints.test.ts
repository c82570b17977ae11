// `scalelaw plan --store <dir> --checkpoints <fraction>` (src/cli/plan.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-plan-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lossOf = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;

describe('scalelaw plan --store --checkpoints', () => {
  const store = openStore(join(dir, 'runs'));
  for (const N of [1e7, 2e7, 4e7, 8e7])
    for (const ratio of [10, 20, 40]) {
      const D = ratio * N;
      const w = store.begin({ id: `n${N}-r${ratio}`, family: 'synthetic', N, D, batchSize: 64, seqLen: 128 });
      for (let k = 1; k <= 10; k++) w.append({ step: k * 100, tokens: (D * k) / 10, evalLoss: lossOf(N, (D * k) / 10) });
      w.finish({ status: 'finished', steps: 1000, tokens: D, finalEvalLoss: lossOf(N, D) });
    }

  it('fits the scaling law on the checkpoints and plans from it', () => {
    const { code, stdout, stderr } = runCli(['plan', '--compute', '1e20', '--store', join(dir, 'runs'), '--checkpoints', '0.1', '--json']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('scalelaw: note: scaling fit on 120 checkpoints of 12 runs\n');
    expect(stderr).toContain('no rolling backtest of a checkpoint fit here');
    const plan = JSON.parse(stdout);
    expect(plan.fits.find((f: { role: string }) => f.role === 'scaling').bootstrap).toBe(200);
    expect(plan.model.loss.value).toBeCloseTo(lossOf(plan.model.N.value, plan.model.D.value), 2);
  }, 180_000);

  it('refuses --checkpoints without --store', () => {
    const { code, stderr } = runCli(['plan', '--compute', '1e20', '--checkpoints', '0.1']);
    expect(stderr).toBe('scalelaw: --checkpoints: needs --store (for a saved fit, fit it with `scalelaw fit --checkpoints`)\n');
    expect(code).toBe(2);
  });
});
