import { InputError, show } from '../core/errors.js';
import { escapeHtml } from './html.js';
import { renderPNG, renderSVG } from './render.js';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './spec.js';

/**
 * A MIME bundle, as a Jupyter front end receives it: text, HTML and base64 PNG as strings, and
 * the Vega-Lite spec as a JSON object under `application/vnd.vegalite.v5+json`.
 */
export type MimeBundle = Record<string, string> & { 'application/vnd.vegalite.v5+json'?: object };

/** The MIME type JupyterLab and VS Code render as an interactive Vega-Lite chart (tooltips, zoom). */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/** The symbol the Deno Jupyter kernel (and `Deno.jupyter.display`) looks for on a cell's value. */
export const JUPYTER_DISPLAY = Symbol.for('Jupyter.display');

/** A value that shows itself in a notebook: a table, a text report and charts. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
  /** The same bundle, for front ends other than Deno's kernel. */
  readonly bundle: MimeBundle;
}

export interface DisplayContent {
  /** Heading above the rest. @default none */
  title?: string;
  /** A table of values (e.g. fitted parameters with intervals). */
  table?: { header: string[]; rows: (string | number)[][] };
  /** A text report, shown preformatted (e.g. a fit's `report()`). */
  text?: string;
  /** Charts: inline SVG in HTML, and stacked into one PNG for front ends without HTML. */
  charts?: VegaLiteSpec[];
}

/** Anything with a `report()`: fit results and plans, shown as their report and optional charts. */
export interface Reportable {
  report(): string;
}

/** A fitted parameter as fit results list them (ScalingFit's params). */
interface ParamRow {
  name: string;
  value: number;
  stderr?: number;
  interval?: readonly [number, number];
}

/** The parameter table of a fit result, when it lists its parameters. */
function paramTable(value: unknown): DisplayContent['table'] | undefined {
  const params = (value as { params?: unknown }).params;
  if (!Array.isArray(params) || !params.every((p) => typeof p?.name === 'string' && typeof p?.value === 'number')) return undefined;
  const rows = params as ParamRow[];
  const withErrors = rows.some((p) => p.stderr !== undefined);
  const withIntervals = rows.some((p) => p.interval !== undefined);
  return {
    header: ['parameter', 'value', ...(withErrors ? ['std. error'] : []), ...(withIntervals ? ['interval'] : [])],
    rows: rows.map((p) => [
      p.name,
      p.value,
      ...(withErrors ? [p.stderr ?? ''] : []),
      ...(withIntervals ? [p.interval ? `${Number(p.interval[0].toPrecision(4))} to ${Number(p.interval[1].toPrecision(4))}` : ''] : []),
    ]),
  };
}

function isReportable(value: unknown): value is Reportable {
  return typeof value === 'object' && value !== null && typeof (value as Reportable).report === 'function';
}

/** Stacks several charts into one spec (one image per output is what Jupyter's image/png holds). */
function stack(charts: VegaLiteSpec[]): VegaLiteSpec {
  if (charts.length === 1) return charts[0]!;
  const parts = charts.map((c) => {
    const { $schema: _s, background: _b, config: _c, ...rest } = c as unknown as Record<string, unknown>;
    return rest;
  });
  const first = charts[0] as unknown as Record<string, unknown>;
  return {
    $schema: VEGA_LITE_SCHEMA,
    background: 'white',
    config: first.config,
    vconcat: parts,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  } as unknown as VegaLiteSpec;
}

/**
 * Makes a rich notebook output: `await display(fit, { charts: [scalingChart(...)] })` as the last
 * expression of a cell shows a table, the report and the charts (HTML with inline SVG, a PNG, and
 * plain text). A fit result (anything with `report()` and a `params` list) gets its parameter
 * table, with standard errors and intervals when it has a bootstrap, without being asked. Rendering is asynchronous, so it happens here and the display hook only hands over
 * the finished bundle.
 */
export async function display(value: DisplayContent | Reportable | string, extra: DisplayContent = {}): Promise<Displayable> {
  let content: DisplayContent;
  if (typeof value === 'string') content = { text: value };
  else if (isReportable(value)) content = { text: value.report(), table: paramTable(value) };
  else if (typeof value === 'object' && value !== null) content = value;
  else throw new InputError(`display: expected a report, a result with report() or { title, table, text, charts }; got ${show(value)}`, 'value');
  const { title = extra.title ?? content.title, table = extra.table ?? content.table, text = [content.text, extra.text].filter(Boolean).join('\n\n') || undefined } = {};
  const charts = [...(content.charts ?? []), ...(extra.charts ?? [])];
  const html: string[] = [];
  const plain: string[] = [];
  if (title) {
    html.push(`<h3>${escapeHtml(title)}</h3>`);
    plain.push(title);
  }
  if (table) {
    const fmt = (v: string | number) => (typeof v === 'number' ? (Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4)))) : v);
    html.push(
      `<table><thead><tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${table.rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(fmt(c))}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`,
    );
    plain.push([table.header.join('\t'), ...table.rows.map((r) => r.map(fmt).join('\t'))].join('\n'));
  }
  if (text) {
    html.push(`<pre>${escapeHtml(text)}</pre>`);
    plain.push(text);
  }
  for (const chart of charts) html.push(`<div class="scalelaw-chart">${await renderSVG(chart)}</div>`);
  const bundle: MimeBundle = { 'text/plain': plain.join('\n\n'), 'text/html': html.join('\n') };
  if (charts.length > 0) {
    const stacked = stack(charts);
    bundle['image/png'] = Buffer.from(await renderPNG(stacked, { scale: 1.5 })).toString('base64');
    // The interactive chart beside the static PNG: front ends that render Vega-Lite show it (with
    // tooltips), the others fall back to the PNG. The specs use only Vega-Lite 5 features, so the
    // v5 MIME type carries them under the v5 schema.
    bundle[VEGA_LITE_MIME] = { ...(stacked as unknown as Record<string, unknown>), $schema: 'https://vega.github.io/schema/vega-lite/v5.json' };
  }
  return Object.freeze({ bundle, [JUPYTER_DISPLAY]: () => bundle });
}
