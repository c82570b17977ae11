import { extname } from 'node:path';
import { InputError, show } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { htmlPage } from './html.js';
import { renderPNG, renderSVG } from './render.js';
import type { VegaLiteSpec } from './spec.js';

/** What `--chart <file>` writes, by the file's extension. */
export type ChartFileFormat = 'svg' | 'png' | 'html' | 'json';

const FORMATS: Record<string, ChartFileFormat> = { '.svg': 'svg', '.png': 'png', '.html': 'html', '.json': 'json' };

/**
 * The format of a chart file from its extension: .svg, .png, .html (a page with the chart and a
 * report) or .json (the Vega-Lite spec). Throws an InputError naming `option` otherwise, so that a
 * command can check its output before any work starts.
 */
export function chartFileFormat(path: string, option = 'chart'): ChartFileFormat {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) throw new InputError(`--${option}: file must end in .svg, .png, .html or .json, got ${show(path)}`, option);
  return format;
}

/** Writes a chart (atomically) in the format its extension names; an .html page also carries `report` as preformatted text. */
export async function writeChartFile(path: string, spec: VegaLiteSpec, options: { title?: string; report?: string } = {}): Promise<void> {
  const { title = 'scalelaw chart', report } = options;
  const format = chartFileFormat(path);
  if (format === 'json') writeFileAtomic(path, JSON.stringify(spec, null, 2) + '\n');
  else if (format === 'svg') writeFileAtomic(path, await renderSVG(spec));
  else if (format === 'png') writeFileAtomic(path, await renderPNG(spec));
  else writeFileAtomic(path, await htmlPage(title, [{ heading: title, ...(report !== undefined ? { pre: report } : {}), charts: [{ spec }] }]));
}
