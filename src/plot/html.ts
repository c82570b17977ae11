import { InputError, show } from '../core/errors.js';
import { renderSVG } from './render.js';
import type { VegaLiteSpec } from './spec.js';

/** One block of a report page; every field is optional and they render in this order. */
export interface HtmlSection {
  heading: string;
  /** Paragraphs of plain text (escaped). */
  paragraphs?: string[];
  /** A table of values. */
  table?: { header: string[]; rows: (string | number)[][] };
  /** Preformatted text, e.g. a fit's report(). */
  pre?: string;
  /** Charts, rendered to inline SVG. */
  charts?: { spec: VegaLiteSpec; caption?: string }[];
}

export interface HtmlPageOptions {
  /** Shown under the title (plain text). @default none */
  subtitle?: string;
  /** Formats numbers in tables. @default 4 significant digits */
  formatNumber?: (x: number) => string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; max-width: 1040px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.8em; }
.subtitle { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: .8em 0; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .3em .7em; text-align: right; } th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
pre { background: #f7f7f7; padding: .8em; overflow-x: auto; font-size: .85em; }
figure.chart { margin: 1em 0; } figure.chart svg { max-width: 100%; height: auto; } figcaption { color: #555; font-size: .9em; }
`;

function defaultFormat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(3).replace('e+', 'e');
  return Number(x.toPrecision(4)).toString();
}

/**
 * A self-contained HTML page: inline CSS and charts as inline SVG, no scripts and no network, so it
 * opens the same from a file, an e-mail or a CI artifact.
 */
export async function htmlPage(title: string, sections: readonly HtmlSection[], options: HtmlPageOptions = {}): Promise<string> {
  const { subtitle, formatNumber = defaultFormat } = options;
  if (typeof title !== 'string' || title.length === 0) throw new InputError(`htmlPage: title must be a non-empty string; got ${show(title)}`, 'title');
  const cell = (v: string | number) => escapeHtml(typeof v === 'number' ? formatNumber(v) : String(v));
  const parts: string[] = [];
  let chartIndex = 0;
  for (const section of sections) {
    parts.push(`<section>\n<h2>${escapeHtml(section.heading)}</h2>`);
    for (const p of section.paragraphs ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (section.table) {
      const head = section.table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
      const body = section.table.rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('\n');
      parts.push(`<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`);
    }
    if (section.pre) parts.push(`<pre>${escapeHtml(section.pre)}</pre>`);
    for (const chart of section.charts ?? []) {
      const svg = await renderSVG(chart.spec);
      const caption = chart.caption ? `<figcaption>${escapeHtml(chart.caption)}</figcaption>` : '';
      parts.push(`<figure class="chart" id="chart-${++chartIndex}">\n${svg}\n${caption}</figure>`);
    }
    parts.push('</section>');
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${subtitle ? `<p class="subtitle">${escapeHtml(subtitle)}</p>\n` : ''}${parts.join('\n')}
</body>
</html>
`;
}
