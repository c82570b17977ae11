// `scalelaw isoflop` (src/cli/isoflop.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-isoflop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Hoffmann et al. 2022's law: the truth is a = beta / (alpha + beta) = 0.4516.
const lossAt = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;
const G = ((0.34 * 406.4) / (0.28 * 410.7)) ** (1 / 0.62);
const sweep = join(dir, 'sweep.csv');
{
  const rows = ['params,FLOPs,tokens,loss'];
  for (const C of [1e17, 1e18, 1e19, 1e20]) {
    const centre = G * (C / 6) ** (0.28 / 0.62);
    for (let k = -4; k <= 4; k++) {
      const N = centre * 1.5 ** (k + 0.2);
      rows.push(`${N},${C},${C / (6 * N)},${lossAt(N, C / (6 * N))}`);
    }
  }
  writeFileSync(sweep, rows.join('\n') + '\n');
}

describe('scalelaw isoflop', () => {
  it('fits Approach 2 with a bootstrap and writes the chart spec', () => {
    const chart = join(dir, 'chart.json');
    const r = runCli(['isoflop', sweep, '--bootstrap', '200', '--seed', '1', '--chart', chart]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^IsoFLOP Approach 2 \(Akima interpolant per budget\): 4 of 4 budgets\nN_opt = \S+ C\^0\.45\d\d  \[/);
    // A resample that draws one budget only gives no line and is not counted.
    expect(r.stdout).toMatch(/\nintervals: 95% percentile bootstrap, \d+ of 200 resamples, seed 1\n/);
    const spec = JSON.parse(readFileSync(chart, 'utf8'));
    expect(spec.layer.length).toBeGreaterThanOrEqual(4);
  });

  it('prints JSON, with the window named as on the command line', () => {
    const r = runCli(['isoflop', sweep, '--window', 'factor:3', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.window).toBe('factor:3');
    expect(out.approach).toBe(2);
    expect(Math.abs(out.a - 0.28 / 0.62)).toBeLessThan(5e-3);
    expect(out.buckets).toHaveLength(4);
  });

  it('fits Approach 1 to a trajectory file', () => {
    const rows = ['run,N,step,tokens,eval_loss'];
    Array.from({ length: 12 }, (_, j) => 1e7 * 10 ** (j / 4)).forEach((N, r) => {
      for (let k = 0; k < 30; k++) {
        const tokens = 400 * N * 10 ** (-3 + (3 * k) / 29);
        rows.push(`r${r},${N},${k + 1},${tokens},${lossAt(N, tokens)}`);
      }
    });
    const file = join(dir, 'curves.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const r = runCli(['isoflop', file, '--approach', '1', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.approach).toBe(1);
    expect(Math.abs(out.a - 0.28 / 0.62)).toBeLessThan(0.03);
  });

  it('exits 2 naming the option and the value', () => {
    const cases: [string[], string][] = [
      [['--window', 'wide'], 'scalelaw: --window: expected all, neighbours:K, factor:F or loss:T, got "wide"\n'],
      [['--window', 'factor:0.5'], 'scalelaw: --window: factor must be > 1, got "0.5"\n'],
      [['--approach', '3'], 'scalelaw: --approach: must be 1 or 2, got "3"\n'],
      [['--estimator', 'akima', '--window', 'all'], 'scalelaw: --window: applies to --estimator parabola only\n'],
      [['--chart', 'out.pdf'], 'scalelaw: --chart: file must end in .png, .svg, .html or .json, got "out.pdf"\n'],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['isoflop', sweep, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(message);
    }
  });
});
