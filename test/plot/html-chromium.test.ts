import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepsExamplesChart } from '../../src/plot/batch.js';
import { htmlPage } from '../../src/plot/html.js';
import { isoflopChart } from '../../src/plot/isoflop.js';
import { lossCurvesChart } from '../../src/plot/losscurves.js';
import { scalingChart } from '../../src/plot/scaling.js';
import { stoppingChart } from '../../src/plot/stopping.js';
import { checkPage, chromiumAvailable } from './chromium.js';
import { isoflopPoints, scalingPoints } from './fixtures.js';

const available = chromiumAvailable();
if (!available && process.env.CI) throw new Error('chromium is missing in CI: run .ci/setup-chromium.sh');

describe.skipIf(!available)('an HTML page of every chart type in headless chromium', () => {
  it('loads with no console errors and every chart drawn', async () => {
    const steps = Array.from({ length: 20 }, (_, i) => (i + 1) * 50);
    const html = await htmlPage('All charts', [
      {
        heading: 'charts',
        charts: [
          {
            spec: scalingChart({
              points: scalingPoints,
              law: [
                { x: 1e18, y: 4 },
                { x: 1e20, y: 2.6 },
              ],
            }),
          },
          { spec: isoflopChart({ points: isoflopPoints }) },
          { spec: lossCurvesChart([{ name: 'cosine', observed: steps.map((step) => ({ step, loss: 3 + 10 / step })) }]) },
          {
            spec: stepsExamplesChart({
              points: [64, 256, 1024].map((B) => ({ group: 'm', steps: 1000 * (1 + 256 / B), examples: 256000 * (1 + B / 256) })),
              fits: [{ group: 'm', sMin: 1000, eMin: 256000 }],
            }),
          },
          { spec: stoppingChart([{ id: 'a', decision: 'best', points: steps.map((step) => ({ step, value: 1 / step })) }]) },
        ],
      },
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'scalelaw-html-')), 'charts.html');
    writeFileSync(file, html);
    const page = await checkPage(file);
    expect(page.errors).toEqual([]);
    expect(page.title).toBe('All charts');
    expect(page.charts).toHaveLength(5);
    for (const chart of page.charts) {
      expect(chart.width, chart.id).toBeGreaterThan(200);
      expect(chart.height, chart.id).toBeGreaterThan(100);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.texts, chart.id).toBeGreaterThan(3);
    }
  });
});
