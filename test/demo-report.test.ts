import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoSweep, runDemo } from '../src/cli/demo.js';
import type { SweepSpec } from '../src/proxy/sweep-spec.js';
import { checkPage, chromiumAvailable } from './plot/chromium.js';

const available = chromiumAvailable();
if (!available && process.env.CI) throw new Error('chromium is missing in CI: run .ci/setup-chromium.sh');

/** The demo's pipeline on a sweep small enough for a test: three widths at two lengths, one width at three batch sizes. */
const tiny: SweepSpec = {
  name: 'demo-test',
  base: {
    ...demoSweep.base,
    model: { family: 'transformer', width: 4, depth: 1, heads: 1, context: 8 },
    batchSize: 16,
    schedule: { type: 'cosine', peak: 1e-2, final: 1e-4, warmup: 4 },
    evalTokens: 512,
    evalEvery: 2,
    logEvery: 2,
  },
  list: [...[4, 6, 8].flatMap((width) => [16, 32].map((steps) => ({ width, tokens: steps * 16 * 8, batchSize: 16 }))), ...[8, 32].map((batchSize) => ({ width: 4, tokens: 32 * 16 * 8, batchSize }))],
};

describe('the demo', () => {
  it('trains, fits, plans and writes a report that loads in headless chromium with every chart drawn', async () => {
    const out = mkdtempSync(join(tmpdir(), 'scalelaw-demo-'));
    const messages: string[] = [];
    let printed = '';
    const { report, plan } = await runDemo({ out, sweep: tiny, workers: 1, scale: 1000, log: (m) => messages.push(m), print: (m) => (printed += m) });
    // Progress was visible at each stage, and the plan was printed.
    for (const stage of ['[1/4]', '[2/4]', '[3/4]', '[4/4]']) expect(messages.some((m) => m.startsWith(stage))).toBe(true);
    expect(printed).toContain('Plan for a training budget of');
    // E is fitted free and set against the language's entropy rate.
    expect(messages.some((m) => /fitted E = [\d.]+ nats\/token against the entropy rate 0\.9949 \([+-][\d.]+%\)/.test(m))).toBe(true);
    expect(plan.model.N.value).toBeGreaterThan(0);
    expect(plan.batch?.critical?.value).toBeGreaterThan(0);
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<script|src="http|href="http/);
    if (!available) return;
    const page = await checkPage(report);
    expect(page.errors).toEqual([]);
    // Loss curves, steps-vs-examples, compute-optimal frontier, IsoFLOP.
    expect(page.charts.length).toBe(4);
    for (const chart of page.charts) {
      expect(chart.width, chart.id).toBeGreaterThan(200);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.texts, chart.id).toBeGreaterThan(3);
    }
  }, 120_000);
});
