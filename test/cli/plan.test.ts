// `scalelaw plan --store`: the divergence forecast from the store's learning-rate sweeps (src/plan/from-runs stabilityFromRuns).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Chinchilla (Hoffmann et al. 2022, Approach 3) generates the scaling sweep's final losses.
const chinchilla = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;
// The synthetic sweep's true divergence threshold: lr* = 0.1 (N / 1e7)^-0.5.
const threshold = (N: number) => 0.1 * (N / 1e7) ** -0.5;

function store(name: string, withSweep: boolean): string {
  const path = join(dir, name);
  const s = openStore(path);
  for (const N of [1e7, 3e7, 1e8, 3e8]) {
    for (const f of [5, 10, 20, 40, 80]) {
      const D = f * N;
      const w = s.begin({ id: `scale-${N}-${f}`, family: 'synthetic', N, D, batchSize: 32 });
      const loss = chinchilla(N, D);
      w.append({ step: 1, evalLoss: loss + 3 });
      w.append({ step: 100, evalLoss: loss });
      w.finish({ status: 'finished', steps: 100, tokens: D, finalEvalLoss: loss });
    }
  }
  if (withSweep) {
    // Rates a factor of sqrt(2) apart; a run diverges above the threshold. Another batch size than the scaling sweep's.
    for (const N of [1e7, 3e7, 1e8]) {
      for (const lr of Array.from({ length: 9 }, (_, k) => 0.0125 * 2 ** (k / 2))) {
        const id = `lr-${N}-${lr}`;
        const w = s.begin({ id, family: 'synthetic', N, D: 20 * N, batchSize: 8, tags: { lr } });
        w.append({ step: 1, evalLoss: 10 });
        if (lr < threshold(N)) {
          w.append({ step: 100, evalLoss: chinchilla(N, 20 * N) + 0.1 * Math.abs(Math.log(lr / 0.02)) });
          w.finish({ status: 'finished', steps: 100, tokens: 20 * N, finalEvalLoss: chinchilla(N, 20 * N) });
        } else {
          w.append({ step: 50, evalLoss: NaN });
          w.finish({ status: 'diverged', steps: 50, reason: 'loss is NaN' });
        }
      }
    }
  }
  return path;
}

describe('scalelaw plan --store: the learning-rate divergence forecast', () => {
  it('says where the planned model diverges, from LR sweeps at three sizes', () => {
    const path = store('with-sweep', true);
    const text = runCli(['plan', '--store', path, '--compute', '1e20', '--no-backtest']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/At N = [\d.e+]+, LR above [\d.e-]+ is predicted to diverge \(90% interval [\d.e-]+-[\d.e-]+; threshold = .* from 3 proxy sizes(, scatter about it x[\d.]+)?\)\./);
    expect(text.stdout).toMatch(/N 1\.00e7 \(9 runs\): stable up to 0\.0707, diverged from 0\.1\b/);
    const json = runCli(['plan', '--store', path, '--compute', '1e20', '--no-backtest', '--json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    const f = out.stability.forecast;
    expect(f.N).toBe(out.model.N.value);
    // Each measured threshold is the geometric midpoint of a factor-sqrt(2) bracket around the true one.
    expect(f.threshold / threshold(f.N)).toBeGreaterThan(1 / 1.5);
    expect(f.threshold / threshold(f.N)).toBeLessThan(1.5);
    expect(f.interval[0]).toBeLessThan(threshold(f.N));
    expect(f.interval[1]).toBeGreaterThan(threshold(f.N));
    expect(Math.abs(out.stability.trend.e + 0.5)).toBeLessThan(0.1);
  });

  it('says nothing about stability when the store holds no LR sweep', () => {
    const path = store('no-sweep', false);
    const text = runCli(['plan', '--store', path, '--compute', '1e20', '--no-backtest']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Plan for a training budget/);
    expect(text.stdout).not.toMatch(/diverge|Stability/);
    const out = JSON.parse(runCli(['plan', '--store', path, '--compute', '1e20', '--no-backtest', '--json']).stdout);
    expect(out.stability).toBeUndefined();
  });
});

describe('scalelaw plan --store: seeds and mitigations in the sweep', () => {
  it('reads each seed apart, gives the one-run interval with the seeds’ spread, and says which mitigation widened the stable range', () => {
    const path = store('with-seeds', false);
    const s = openStore(path);
    // Three seeds per size, each seed's threshold a factor 2^(±1/4) off the trend; qk-layernorm at 1e8 doubles it.
    const shift = [2 ** -0.25, 1, 2 ** 0.25];
    const sweep = (N: number, seed: number, factor: number, tags: Record<string, boolean>) => {
      for (const lr of Array.from({ length: 15 }, (_, k) => 0.0125 * 2 ** (k / 4))) {
        const id = `lr-${N}-${seed}-${lr}-${Object.keys(tags).join('')}`;
        const w = s.begin({ id, family: 'synthetic', N, D: 20 * N, batchSize: 8, seed, tags: { lr, ...tags } });
        w.append({ step: 1, evalLoss: 10 });
        if (lr < factor * shift[seed]! * threshold(N)) {
          w.append({ step: 100, evalLoss: chinchilla(N, 20 * N) });
          w.finish({ status: 'finished', steps: 100, tokens: 20 * N, finalEvalLoss: chinchilla(N, 20 * N) });
        } else {
          w.append({ step: 50, evalLoss: NaN });
          w.finish({ status: 'diverged', steps: 50, reason: 'loss is NaN' });
        }
      }
    };
    for (const N of [1e7, 3e7, 1e8]) for (const seed of [0, 1, 2]) sweep(N, seed, 1, {});
    for (const seed of [0, 1, 2]) sweep(1e8, seed, 2, { qkNorm: true });
    const text = runCli(['plan', '--store', path, '--compute', '1e20', '--no-backtest']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /LR above [\d.e-]+ is predicted to diverge \(90% interval [\d.e-]+-[\d.e-]+, for one run, with a seed-to-seed spread of x1\.[0-9]+; threshold = .* from 3 proxy sizes, 3 seeds each\)\./,
    );
    expect(text.stdout).toMatch(/The proxies showed qk-layernorm to widen the stable range: qk-layernorm at N = 100000000: widened the stable range \(threshold x[0-9.]+/);
    expect(text.stdout).toMatch(/N 1\.00e7 \(45 runs, 3 seeds\): stable up to [\d.]+, diverged from [\d.]+; thresholds over seeds within x1\.[0-9]+ \(one sd\)/);
    const out = JSON.parse(runCli(['plan', '--store', path, '--compute', '1e20', '--no-backtest', '--json']).stdout);
    expect(out.stability.sizes.map((z: { N: number }) => z.N)).toEqual([1e7, 3e7, 1e8]);
    expect(out.stability.mitigations[0].ratio).toBeGreaterThan(1.5);
    expect(out.stability.forecast.interval[1] / out.stability.forecast.interval[0]).toBeGreaterThan(out.stability.forecast.meanInterval[1] / out.stability.forecast.meanInterval[0]);
  });
});

describe('scalelaw plan --unique-tokens --compare-ensembles --chart / --html', () => {
  it('writes the fixed-data chart under the data-constrained one, and the fixed-data section of the HTML page', async () => {
    // Imported here, so that this block stays an append to the file.
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { KIM_U, kimRunsCsv } = await import('../plan/kim-runs.js');
    const runs = join(dir, 'kim-runs.csv');
    writeFileSync(runs, kimRunsCsv(0));
    const [svg, html, json] = [join(dir, 'chart.svg'), join(dir, 'plan.html'), join(dir, 'chart.json')];
    const base = ['plan', '--compute', '1e20', '--no-backtest', '--unique-tokens', String(KIM_U), '--compare-ensembles', runs];
    const r = runCli([...base, '--chart', svg, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    const chart = readFileSync(svg, 'utf8');
    for (const title of [
      'loss against N at the budget',
      'Kim et al. 2025 at U = 2.10e8 unique tokens, 1.00e20 FLOPs',
      'one model: loss against N',
      'ensembles: loss against K',
      'K -&gt; infinity asymptotes in N',
    ])
      expect(chart).toContain(title);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Fixed data budget</h2>');
    expect(page).toContain('<h2>Unique tokens: 2.10e8</h2>');
    expect(page.indexOf('Unique tokens: 2.10e8')).toBeLessThan(page.indexOf('Fixed data budget'));
    // The .json chart is the stacked spec: the data-constrained chart, then the fixed-data chart's three panels, two to a row.
    expect(runCli([...base, '--chart', json]).code).toBe(0);
    const spec = JSON.parse(readFileSync(json, 'utf8'));
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat[1].concat).toHaveLength(3);
    // Without --compare-ensembles, --chart keeps its single data-constrained chart.
    expect(runCli(['plan', '--compute', '1e20', '--no-backtest', '--unique-tokens', String(KIM_U), '--chart', json]).code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).hconcat).toHaveLength(2);
  }, 120_000);
});
