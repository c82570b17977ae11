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
import { dataConstrainedChart } from '../../src/plot/data-constrained.js';
import { downstreamChart } from '../../src/plot/downstream.js';
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
          {
            spec: downstreamChart({
              checkpoints: [0.9, 1, 1.1].map((taskLoss) => ({ taskLoss, accuracy: 1.2 - taskLoss / 2 })),
              sigmoid: [0.8, 1.2].map((x) => ({ x, y: 1.2 - x / 2, lower: 1.15 - x / 2, upper: 1.25 - x / 2 })),
              runs: [{ compute: 1e19, accuracy: 0.6 }],
              chain: [1e18, 1e21].map((x, i) => ({ x, y: 0.5 + 0.3 * i })),
              target: { compute: 1e21, taskLoss: 0.8, accuracy: 0.8, lower: 0.75, upper: 0.85, label: 'target' },
            }),
          },
          {
            spec: dataConstrainedChart({
              frontier: [1e19, 1e21].map((compute, i) => ({ compute, constrained: 2.6 - 0.2 * i, unconstrained: 2.6 - 0.3 * i })),
              isoflop: [1e8, 1e9, 1e10].map((N, i) => ({ N, constrained: 2.3 + 0.05 * (i - 1) ** 2, unconstrained: 2.25 + 0.05 * (i - 1) ** 2, epochs: 4 })),
              frontierMarks: [{ x: 1e21, y: 2.4, label: 'budget' }],
              isoflopMarks: [{ x: 1e9, y: 2.3, label: 'optimum' }],
              rules: [{ N: 3e8, label: 'U_N' }],
              floor: 2.1,
            }),
          },
        ],
      },
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'scalelaw-html-')), 'charts.html');
    writeFileSync(file, html);
    const page = await checkPage(file);
    expect(page.errors).toEqual([]);
    expect(page.title).toBe('All charts');
    expect(page.charts).toHaveLength(7);
    for (const chart of page.charts) {
      expect(chart.width, chart.id).toBeGreaterThan(200);
      expect(chart.height, chart.id).toBeGreaterThan(100);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.texts, chart.id).toBeGreaterThan(3);
    }
  });
});
