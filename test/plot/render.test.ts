import { describe, expect, it } from 'vitest';
import { display, JUPYTER_DISPLAY } from '../../src/plot/display.js';
import { htmlPage } from '../../src/plot/html.js';
import { renderPNG, renderSVG } from '../../src/plot/render.js';
import { scalingChart } from '../../src/plot/scaling.js';
import { scalingPoints } from './fixtures.js';

const spec = scalingChart({ points: scalingPoints }, { title: 'test chart' });

describe('renderPNG', () => {
  it('writes a PNG at the requested density', async () => {
    const svg = await renderSVG(spec);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const png = await renderPNG(svg, { scale: 2 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR width, big-endian at byte 16.
    expect(Buffer.from(png).readUInt32BE(16)).toBe(2 * width);
  });
  it('draws the text (a chart with a title has more ink than the same chart without)', async () => {
    const ink = async (s: typeof spec) => {
      const png = await renderPNG(s, { scale: 1 });
      return png.length;
    };
    const untitled = scalingChart({ points: scalingPoints });
    const withTitle = scalingChart({ points: scalingPoints }, { title: 'A LONG TITLE WITH MANY GLYPHS IN IT' });
    expect(await ink(withTitle)).toBeGreaterThan((await ink(untitled)) + 200);
  });
});

describe('htmlPage', () => {
  it('is self-contained: inline SVG, escaped text, no scripts or remote resources', async () => {
    const html = await htmlPage('Plan <1e23>', [
      {
        heading: 'Fit',
        paragraphs: ['a & b'],
        table: {
          header: ['param', 'value'],
          rows: [
            ['E', 1.81723456],
            ['C', 5.76e23],
          ],
        },
        pre: 'L = E + A/N^a',
        charts: [{ spec, caption: 'data and fit' }],
      },
    ]);
    expect(html).toContain('<title>Plan &lt;1e23&gt;</title>');
    expect(html).toContain('<p>a &amp; b</p>');
    expect(html).toContain('<td>1.817</td>');
    expect(html).toContain('<td>5.760e23</td>');
    expect(html).toContain('<figure class="chart" id="chart-1">\n<svg');
    expect(html).not.toMatch(/<script|src="http|href="http|@import/);
  });
  it('needs a title', async () => {
    await expect(htmlPage('', [])).rejects.toThrow('htmlPage: title must be a non-empty string; got ""');
  });
});

describe('display', () => {
  it('shows a result with report() as text, table, inline SVG and a PNG', async () => {
    const result = { report: () => 'fitted 3 parameters' };
    const shown = await display(result, { title: 'fit', table: { header: ['param', 'value'], rows: [['alpha', 0.3473]] }, charts: [spec, spec] });
    const bundle = shown[JUPYTER_DISPLAY]();
    expect(Object.keys(bundle).sort()).toEqual(['application/vnd.vegalite.v5+json', 'image/png', 'text/html', 'text/plain']);
    expect(bundle['text/plain']).toBe('fit\n\nparam\tvalue\nalpha\t0.3473\n\nfitted 3 parameters');
    expect(bundle['text/html']!.match(/<svg/g)!.length).toBe(2);
    expect(Buffer.from(bundle['image/png']!, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const vl = bundle['application/vnd.vegalite.v5+json'] as { $schema: string; vconcat: unknown[] };
    expect(vl.$schema).toBe('https://vega.github.io/schema/vega-lite/v5.json');
    expect(vl.vconcat).toHaveLength(2);
  });
  it("tabulates a fit result's parameters by itself, with errors and intervals", async () => {
    const fit = {
      report: () => 'r',
      params: [
        { name: 'alpha', value: 0.34731, stderr: 0.0151, interval: [0.3212, 0.3688] as const },
        { name: 'E', value: 1.8172 },
      ],
    };
    const bundle = (await display(fit))[JUPYTER_DISPLAY]();
    expect(bundle['text/plain']).toBe('parameter\tvalue\tstd. error\tinterval\nalpha\t0.3473\t0.0151\t0.3212 to 0.3688\nE\t1.817\t\t\n\nr');
    expect(bundle['image/png']).toBeUndefined();
    expect(bundle['application/vnd.vegalite.v5+json']).toBeUndefined();
  });
  it('refuses what it cannot show', async () => {
    await expect(display(42 as never)).rejects.toThrow('display: expected a report, a result with report() or { title, table, text, charts }; got 42');
  });
});
