// `scalelaw fit`, `predict` and `optimal` (src/cli/fit.ts, predict.ts, optimal.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fits = new URL('../../fits/', import.meta.url).pathname;

describe('scalelaw fit', () => {
  it('fits a law to a CSV and writes a fit that predict and optimal read', () => {
    const rows = ['params,tokens,loss'];
    for (const n of [1e7, 3e7, 1e8, 3e8]) for (const d of [1e9, 3e9, 1e10]) rows.push(`${n},${d},${1.7 + 400 / n ** 0.34 + 1000 / d ** 0.3}`);
    const data = join(dir, 'runs.csv');
    writeFileSync(data, rows.join('\n') + '\n');
    const out = join(dir, 'fit.json');
    const fit = runCli(['fit', data, '--law', 'chinchilla', '--threads', '1', '--out', out]);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toContain('[[Fit]] chinchilla');
    // The report ends with its rolling backtest over N: the law is exact here, so it predicts 3e8 exactly.
    expect(fit.stdout).toContain('[[Backtest]] chinchilla, rolling over N');
    expect(fit.stdout).toContain('[[Cut]] N <= 1.00e8: 9 rows, 3 sizes up to 1.00e8');
    expect(fit.stdout).toContain('[[Mean]] over 1 cut, 3 held-out rows: |rel err| 0.00%');
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.kind).toBe('scaling-fit');
    expect(saved.data.rows).toBe(12);
    const predict = runCli(['predict', '--fit', out, '--N', '1e8', '--D', '1e10', '--json']);
    expect(predict.code).toBe(0);
    expect(JSON.parse(predict.stdout).loss).toBeCloseTo(1.7 + 400 / 1e8 ** 0.34 + 1000 / 1e10 ** 0.3, 3);
  });

  it('prints JSON longer than a pipe buffer (64 KiB) whole', () => {
    const rows = ['params,tokens,loss'];
    for (const n of [1e7, 3e7, 1e8, 3e8]) for (const d of [1e9, 3e9, 1e10]) rows.push(`${n},${d},${1.7 + 400 / n ** 0.34 + 1000 / d ** 0.3}`);
    const data = join(dir, 'runs-long.csv');
    writeFileSync(data, rows.join('\n') + '\n');
    // Through a shell pipe whose reader starts late, as `scalelaw ... --json | jq` may: the process
    // must not exit before its output has drained.
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const command = `"${process.execPath}" --import tsx "${main}" fit "${data}" --law chinchilla --threads 1 --bootstrap 2000 --json 2>/dev/null | (sleep 2; cat)`;
    const r = spawnSync('sh', ['-c', command], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(65536);
    expect(JSON.parse(r.stdout).kind).toBe('scaling-fit');
  });

  it('rejects an unknown law with exit code 2', () => {
    const data = join(dir, 'tiny.csv');
    writeFileSync(data, 'N,D,loss\n1e8,1e9,3\n2e8,2e9,2.9\n');
    const r = runCli(['fit', data, '--law', 'chinchila']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^scalelaw: unknown law: "chinchila"; known laws: /);
  });
});

describe('scalelaw optimal', () => {
  it("gives Epoch's compute-optimal model from their published values", () => {
    const r = runCli(['optimal', '--fit', join(fits, 'chinchilla-besiroglu2024.json'), '--compute', '5.76e23', '--json']);
    expect(r.code).toBe(0);
    const [best] = JSON.parse(r.stdout);
    expect(Math.abs(best.N / 7.23e10 - 1)).toBeLessThan(0.01);
    expect(Math.abs(best.D / 1.33e12 - 1)).toBeLessThan(0.01);
  });

  it('adds bootstrap intervals when the fit has samples', () => {
    const r = runCli(['optimal', '--fit', join(fits, 'chinchilla-epoch2024.json'), '--compute', '5.76e23']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('intervals: 95% percentile over 1000 bootstrap resamples');
  });
});

describe('scalelaw predict', () => {
  it('names the missing input', () => {
    const r = runCli(['predict', '--fit', join(fits, 'chinchilla-hoffmann2022.json'), '--N', '7e10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: law "chinchilla" needs --D (or --C with --N)\n');
  });

  it('rejects a file of another kind', () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ kind: 'plan' }));
    const r = runCli(['predict', '--fit', file, '--N', '1e9', '--D', '1e10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`scalelaw: ${file}: kind must be "scaling-fit", got "plan"\n`);
  });
});
