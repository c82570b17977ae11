import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedDataChart, type FixedDataChartData } from '../../src/plot/fixed-data.js';
import { htmlPage } from '../../src/plot/html.js';
import { renderSVG } from '../../src/plot/render.js';
import { checkPage, chromiumAvailable } from './chromium.js';

// A small hand-made comparison: a power law in N with its band, two member sizes against K, and their asymptotes.
const law = (N: number) => 3.4 + 7e7 / N;
const data: FixedDataChartData = {
  single: {
    runs: [1.5e8, 3e8, 6e8, 1.4e9].map((N) => ({ N, loss: law(N) })),
    curve: [1e8, 1e9, 1e10].map((x) => ({ x, y: law(x), lower: law(x) - 0.01, upper: law(x) + 0.01 })),
    asymptote: { value: 3.4, lower: 3.39, upper: 3.41, label: 'E_D = 3.4 (90%: 3.39 to 3.41)' },
  },
  members: [1.5e8, 6e8].map((N, i) => ({
    series: `N = ${N}`,
    N,
    runs: [1, 2, 3, 4, 5].map((K) => ({ K, loss: 3.3 - 0.05 * i + 0.3 / K })),
    curve: [1, 3, 8].map((x) => ({ x, y: 3.3 - 0.05 * i + 0.3 / x, lower: 3.29 - 0.05 * i + 0.3 / x, upper: 3.31 - 0.05 * i + 0.3 / x })),
    asymptote: { value: 3.3 - 0.05 * i, lower: 3.28 - 0.05 * i, upper: 3.32 - 0.05 * i },
  })),
  joint: {
    points: [
      { N: 1.5e8, value: 3.3, lower: 3.28, upper: 3.32, series: 'N = 150000000' },
      { N: 6e8, value: 3.25, lower: 3.23, upper: 3.27, series: 'N = 600000000' },
    ],
    curve: [1e8, 1e9].map((x) => ({ x, y: 3.2 + 1.5e7 / x })),
    // An interval that reaches 0: the points do not bound the limit from below.
    asymptote: { value: 3.2, lower: 1e-7, upper: 3.24, label: 'N, K -> infinity = 3.2 (90%: 1e-7 to 3.24)' },
    reference: { value: 3.4, label: 'one model, E_D = 3.4' },
  },
  candidates: [
    { recipe: 'more epochs', label: 'more epochs: N = 5e8', N: 5e8, K: 1, loss: 3.45, lower: 3.44, upper: 3.46 },
    { recipe: 'bigger model', label: 'bigger model: N = 5e9', N: 5e9, K: 1, loss: 3.414 },
    { recipe: 'ensemble', label: '8 x 6e8 (lowest)', N: 6e8, K: 8, loss: 3.29, lower: 3.28, upper: 3.3, series: 'N = 600000000', best: true },
    { recipe: 'ensemble', label: '2 x 1.5e8', N: 1.5e8, K: 2, loss: 3.45, series: 'N = 150000000' },
  ],
};

describe('fixedDataChart', () => {
  it('draws the power law in N, the ensembles against K and the asymptote of the asymptotes, with the candidates', async () => {
    const spec = fixedDataChart(data, { title: 'U = 2.1e8' }) as any;
    expect(spec.concat).toHaveLength(3);
    const svg = await renderSVG(spec);
    for (const text of [
      'one model: loss against N',
      'ensembles: loss against K',
      'K -> infinity asymptotes in N',
      'E_D = 3.4 (90%: 3.39 to 3.41)',
      'N, K -> infinity = 3.2 (90%: 1e-7 to 3.24)',
      'one model, E_D = 3.4',
      'more epochs: N = 5e8',
      'bigger model: N = 5e9',
      '8 x 6e8 (lowest)',
      'ensemble members',
    ])
      expect(svg).toContain(text.replaceAll('>', '&gt;'));
    // On the panel in K only the best ensemble is labelled; the others are told apart by colour and K.
    expect(svg).toContain('>8 x 6e8 (lowest)</text>');
    expect(svg).not.toContain('>2 x 1.5e8</text>');
  });

  it('keeps an interval that reaches 0 from flattening the loss axis', () => {
    const spec = fixedDataChart(data) as any;
    const joint = spec.concat[2].layer;
    const domain = joint.find((l: any) => l.mark.type === 'line').encoding.y.scale.domain as [number, number];
    // The core values span 3.2 to 3.4; the interval's lower end (1e-7) widens the axis by at most that span (to 3.0), plus a margin.
    expect(domain[0]).toBeGreaterThan(2.9);
    expect(domain[0]).toBeLessThan(3.0);
    expect(domain[1]).toBeGreaterThan(3.4);
    expect(domain[1]).toBeLessThan(3.45);
  });

  it('puts two panels to a row by default, as many as asked', async () => {
    expect((fixedDataChart(data) as any).columns).toBe(2);
    // Two to a row fit the report page's 1040 pixels, so that its text is not scaled down; three do not.
    const width = async (columns: number) => Number(/^<svg[^>]* width="(\d+)"/.exec(await renderSVG(fixedDataChart(data, { columns })))![1]);
    expect(await width(2)).toBeLessThanOrEqual(1040);
    expect(await width(3)).toBeGreaterThan(1040);
    expect((fixedDataChart(data, { columns: 3 }) as any).columns).toBe(3);
    expect(() => fixedDataChart(data, { columns: 0 })).toThrow('fixedDataChart: columns must be a positive integer; got 0');
  });

  it('draws only the panels it has data for', () => {
    const onlyJoint = fixedDataChart({ joint: data.joint! }) as any;
    expect(onlyJoint.concat).toHaveLength(1);
    expect(onlyJoint.concat[0].title).toBe('K -> infinity asymptotes in N');
    const candidatesOnly = fixedDataChart({ candidates: data.candidates! }) as any;
    expect(candidatesOnly.concat.map((p: any) => p.title)).toEqual(['one model: loss against N', 'ensembles: loss against K']);
  });

  it('names the field of a bad value, and refuses an empty chart', () => {
    expect(() => fixedDataChart({ ...data, candidates: [{ ...data.candidates![0]!, loss: Number.NaN }] })).toThrow('fixedDataChart: candidates[0].loss must be a finite number; got NaN');
    expect(() => fixedDataChart({ ...data, members: [{ ...data.members![0]!, runs: [{ K: 0 / 0, loss: 3 }] }] })).toThrow('fixedDataChart: members[0].runs[0].K must be a finite number; got NaN');
    expect(() => fixedDataChart({})).toThrow('fixedDataChart: nothing to draw: give single, members, joint or candidates');
  });
});

describe.skipIf(!chromiumAvailable())('fixedDataChart in headless chromium', () => {
  it('draws on an HTML page with no console errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-fixed-data-'));
    try {
      const file = join(dir, 'page.html');
      writeFileSync(file, await htmlPage('Fixed data', [{ heading: 'chart', charts: [{ spec: fixedDataChart(data) }] }]));
      const page = await checkPage(file);
      expect(page.errors).toEqual([]);
      expect(page.charts).toHaveLength(1);
      const chart = page.charts[0]!;
      expect(chart.width).toBeGreaterThan(600);
      expect(chart.marks).toBeGreaterThan(20);
      expect(chart.texts).toBeGreaterThan(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
