// The data-constrained chart's data from the planner's summary, and `plan --unique-tokens --chart`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataConstrainedSummary } from '../../src/plan/data-constrained.js';
import { dataConstrainedChartData } from '../../src/plan/data-constrained-chart.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-dc-chart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Muennighoff et al. 2023's C4 constants and their released R_D*, R_N* (huggingface/datablations README).
const values = { A: 520.4, B: 1488.2, E: 1.869, alpha: 0.3527, beta: 0.3527, RD: 15.387756, RN: 5.309743 };

describe('dataConstrainedChartData', () => {
  it('draws the limited frontier at or above the unconstrained one, equal before the limit binds', () => {
    const s = dataConstrainedSummary(values, 1e22, 25e9);
    const d = dataConstrainedChartData(s);
    for (const p of d.frontier) expect(p.constrained).toBeGreaterThanOrEqual(p.unconstrained - 1e-9);
    for (const p of d.frontier.filter((q) => q.compute < s.bindsFrom)) expect(p.constrained).toBeCloseTo(p.unconstrained, 9);
    expect(d.frontier.at(-1)!.constrained - d.frontier.at(-1)!.unconstrained).toBeGreaterThan(0.05);
    // The IsoFLOP curve on U is lowest at the planned N; both optima are marked when the limit binds.
    const lowest = d.isoflop.reduce((a, b) => (b.constrained < a.constrained ? b : a));
    expect(lowest.N / s.constrained.N).toBeGreaterThan(0.8);
    expect(lowest.N / s.constrained.N).toBeLessThan(1.25);
    expect(d.isoflopMarks).toHaveLength(2);
    expect(d.rules.map((r) => r.N)).toEqual([s.excessFrom, s.halfWorth]);
    expect(d.frontierMarks.map((m) => m.label)).toEqual([expect.stringMatching(/^budget: N = /), 'limit binds', expect.stringMatching(/^stops paying/)]);
  });
  it('marks one optimum where the limit does not bind', () => {
    const s = dataConstrainedSummary(values, 1e20, 1e13);
    expect(s.binding).toBe(false);
    expect(dataConstrainedChartData(s).isoflopMarks).toHaveLength(1);
  });
});

describe('scalelaw plan --unique-tokens --chart', () => {
  it('writes the chart, and refuses --chart without --unique-tokens', () => {
    const chart = join(dir, 'dc.svg');
    const r = runCli(['plan', '--compute', '1e22', '--unique-tokens', '25e9', '--no-backtest', '--chart', chart]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(chart, 'utf8')).toContain('loss against N at the budget');
    const bad = runCli(['plan', '--compute', '1e22', '--no-backtest', '--chart', chart]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("scalelaw: --chart: draws the data-constrained plan; give --unique-tokens (the plan's own charts are in --html)");
  });
});
