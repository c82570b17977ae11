import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoSweep, runDemo } from '../src/cli/demo.js';
import type { SweepSpec } from '../src/proxy/sweep-spec.js';
import { checkPage, chromiumAvailable } from './plot/chromium.js';

const available = chromiumAvailable();
if (!available && process.env.CI) throw new Error('chromium is missing in CI: run .ci/setup-chromium.sh');

/** The demo's pipeline on a ladder small enough for a test: three widths at two lengths on the bundled corpus, and a larger proxy at two seeds. */
const tiny: SweepSpec = {
  name: 'demo-test',
  base: {
    ...demoSweep.base,
    model: { family: 'transformer', width: 8, depth: 1, heads: 1, context: 16 },
    batchSize: 8,
    schedule: { type: 'cosine', peak: 1e-2, final: 1e-3, warmup: 4 },
    evalTokens: 512,
  },
  list: [8, 12, 16].flatMap((width) => [30, 60].map((steps) => ({ width, steps }))),
};
const larger: SweepSpec = {
  name: 'demo-test-target',
  base: { ...tiny.base, model: { family: 'transformer', width: 24, depth: 1, heads: 2, context: 16 } },
  list: [0, 1].map((seed) => ({ steps: 60, seed })),
};

describe('the demo', () => {
  it('trains a ladder on the corpus, predicts a larger proxy before training it, plans, and writes a report that loads in headless chromium', async () => {
    const out = mkdtempSync(join(tmpdir(), 'scalelaw-demo-'));
    const messages: string[] = [];
    let printed = '';
    const { report, plan, targets, fit } = await runDemo({ out, sweep: tiny, target: larger, workers: 1, scale: 1000, log: (m) => messages.push(m), print: (m) => (printed += m) });
    // Progress was visible at each stage, and the plan was printed after the backtest line.
    for (const stage of ['[1/5]', '[2/5]', '[3/5]', '[4/5]', '[5/5]']) expect(messages.some((m) => m.startsWith(stage))).toBe(true);
    expect(messages.some((m) => m.includes('the bundled English corpus'))).toBe(true);
    expect(messages.some((m) => /fitted exponents: alpha \(parameters\) = [\d.e+-]+, beta \(data\) = [\d.e+-]+/.test(m))).toBe(true);
    // The prediction is printed before the larger proxy is trained, then compared per seed.
    const predictedAt = messages.findIndex((m) => m.includes('predicted final held-out loss'));
    const trainingAt = messages.findIndex((m) => m.includes('now training it, seeds 0 and 1'));
    expect(predictedAt).toBeGreaterThan(0);
    expect(trainingAt).toBeGreaterThan(predictedAt);
    expect(targets.map((t) => t.seed)).toEqual([0, 1]);
    for (const t of targets) {
      expect(t.lower).toBeLessThan(t.predicted);
      expect(t.upper).toBeGreaterThan(t.predicted);
      expect(t.measured).toBeGreaterThan(0);
      expect(t.inside).toBe(t.measured! >= t.lower && t.measured! <= t.upper);
      expect(messages.some((m) => m.includes(`seed ${t.seed}: measured`))).toBe(true);
    }
    expect(Number.isFinite(fit.values.alpha!)).toBe(true);
    expect(printed).toMatch(/Backtest before this plan: .* measured seed 0 [\d.]+ \(error -?[\d.]+%, (inside|outside)\), seed 1/);
    expect(printed).toContain('Plan for a training budget of');
    expect(plan.model.N.value).toBeGreaterThan(0);
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<script|src="http|href="http/);
    if (!available) return;
    const page = await checkPage(report);
    expect(page.errors).toEqual([]);
    // Loss curves, predicted against measured, compute-optimal frontier, IsoFLOP.
    expect(page.charts.length).toBe(4);
    for (const chart of page.charts) {
      expect(chart.width, chart.id).toBeGreaterThan(200);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.texts, chart.id).toBeGreaterThan(3);
    }
  }, 300_000);
});
