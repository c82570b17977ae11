import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** Exact Chinchilla losses (Epoch's values) at 6 sizes x 3 token counts, as a CSV, plus one outlier row of high loss. */
function csv(): string {
  const lines = ['N,D,loss'];
  for (const N of [1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9]) for (const tpp of [5, 20, 80]) {
    const D = N * tpp;
    lines.push(`${N},${D},${1.817 + 482.01 / N ** 0.348 + 2085.43 / D ** 0.366}`);
  }
  lines.push('1e8,5e8,9.5');
  return lines.join('\n') + '\n';
}

describe('scalelaw backtest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-backtest-'));
  const file = join(dir, 'runs.csv');
  writeFileSync(file, csv());

  it('fits on N <= the cut, predicts the larger sizes, and prints the report or JSON', () => {
    const out = join(dir, 'backtest.json');
    const { code, stdout, stderr } = runCli(['backtest', file, '--law', 'chinchilla', '--train-max-N', '1e9', '--bootstrap', '0', '--drop-highest', '1', '--threads', '1', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('[[Cut]] N <= 1.00e9: 12 rows, 4 sizes up to 8.00e8');
    expect(stdout).toContain('\n    1.60e9         3          2           0.00%    +0.00%\n');
    expect(stdout).toContain('[[Mean]] over 1 cut, 6 held-out rows: |rel err| 0.00%');
    const json = JSON.parse(readFileSync(out, 'utf8')) as { kind: string; heldOut: number; meanRelativeError: number; data: { rows: number } };
    expect(json.kind).toBe('scaling-backtest');
    expect(json.heldOut).toBe(6);
    expect(json.data.rows).toBe(18);
    expect(json.meanRelativeError).toBeLessThan(1e-4);
  }, 60_000);

  it('names the mistake: no law, a bad --drop-highest, cuts that leave nothing to fit', () => {
    expect(runCli(['backtest', file]).stderr).toBe('scalelaw: give --law or --fit (one of them); got neither\n');
    const drop = runCli(['backtest', file, '--law', 'chinchilla', '--drop-highest', '1.5']);
    expect(drop.code).toBe(2);
    expect(drop.stderr).toBe('scalelaw: --drop-highest: must be a whole number of rows, got "1.5"\n');
    const cut = runCli(['backtest', file, '--law', 'chinchilla', '--train-max-N', '1e8', '--bootstrap', '0']);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toBe('scalelaw: cuts: none leaves 3 sizes to fit on and a larger one to predict; the data have 6 sizes from N = 1.00e8 to 3.20e9, cuts asked: 1.00e8\n');
  }, 60_000);
});
