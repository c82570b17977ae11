import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** Exact Chinchilla losses (Epoch's values) at 6 sizes x 3 token counts, as a CSV, plus one outlier row of high loss. */
function csv(): string {
  const lines = ['N,D,loss'];
  for (const N of [1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9])
    for (const tpp of [5, 20, 80]) {
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

describe('scalelaw backtest --extrapolator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-backtest-lc-'));
  const file = join(dir, 'curves.csv');
  // Two finished loss curves of 40 epochs, pow3 in the epoch: y = c + 3 epoch^-0.5.
  const rows = ['step,loss_a,loss_b', ...Array.from({ length: 40 }, (_, i) => `${i + 1},${2 + 3 * (i + 1) ** -0.5},${2.5 + 3 * (i + 1) ** -0.5}`)];
  writeFileSync(file, rows.join('\n') + '\n');

  it('cuts each finished curve at the fractions and scores the extrapolated last value', () => {
    const { code, stdout, stderr } = runCli(['backtest', file, '--extrapolator', 'fast', '--fractions', '0.2,0.8', '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.rows.map((r: { curve: string; seen: number }) => [r.curve, r.seen])).toEqual([
      ['loss_a', 8],
      ['loss_a', 32],
      ['loss_b', 8],
      ['loss_b', 32],
    ]);
    expect(result.summary.map((s: { fraction: number }) => s.fraction)).toEqual([0.2, 0.8]);
    const text = runCli(['backtest', file, '--extrapolator', 'fast', '--fractions', '0.2,0.8']);
    expect(text.stdout).toContain('[[Backtest]] extrapolation (fast)');
  });

  it('refuses a law with it, and an unknown extrapolator', () => {
    const both = runCli(['backtest', file, '--extrapolator', 'fast', '--law', 'chinchilla']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--extrapolator backtests finished curves: give no --law or --fit with it');
    const bad = runCli(['backtest', file, '--extrapolator', 'mcmc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--extrapolator: must be fast or ensemble, got "mcmc"');
  });
});
