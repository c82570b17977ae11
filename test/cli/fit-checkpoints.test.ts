// `scalelaw fit --checkpoints` (src/cli/fit.ts): a trajectory file, one row per checkpoint of each run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-fit-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lossOf = (N: number, D: number) => 1.7 + 400 / N ** 0.34 + 1000 / D ** 0.3;

describe('scalelaw fit --checkpoints', () => {
  const rows = ['run,params,tokens,loss'];
  for (const n of [1e7, 3e7, 1e8])
    for (const ratio of [20, 80])
      for (const seed of ratio === 20 ? [0, 1] : [0])
        for (let k = 1; k <= 10; k++) {
          const d = (ratio * n * k) / 10;
          rows.push(`r${n}-${ratio}-${seed},${n},${d},${lossOf(n, d) * (1 + (seed ? 0.002 : -0.002) * (1e7 / n) ** 0.5)}`);
        }
  const data = join(dir, 'checkpoints.csv');
  writeFileSync(data, rows.join('\n') + '\n');

  it('fits on the checkpoints past the fraction, weighted by seed variance, and says so', () => {
    const { code, stdout, stderr } = runCli(['fit', data, '--law', 'chinchilla', '--threads', '1', '--checkpoints', '0.1', '--json']);
    expect(code, stderr).toBe(0);
    const fit = JSON.parse(stdout);
    expect(fit.data.rows).toBe(9 * 10); // checkpoints at 10%, 20%, ..., 100%: all at or past 10%
    expect(fit.data.source).toContain('checkpoints past 10% of each run, seed-variance weights');
    const plain = runCli(['fit', data, '--law', 'chinchilla', '--threads', '1', '--checkpoints', '1', '--no-seed-weights']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain('scalelaw: note: 9 checkpoints of 9 runs\n');
  });

  it('needs a run column', () => {
    const bare = join(dir, 'bare.csv');
    writeFileSync(bare, 'params,tokens,loss\n1e7,1e9,3\n2e7,1e9,2.9\n4e7,2e9,2.8\n8e7,2e9,2.7\n1e8,4e9,2.6\n2e8,4e9,2.5\n');
    const { code, stderr } = runCli(['fit', bare, '--law', 'chinchilla', '--checkpoints', '0.1']);
    expect(stderr).toBe(`scalelaw: --checkpoints: ${bare} needs a run column naming the run of each checkpoint\n`);
    expect(code).toBe(2);
  });
});
