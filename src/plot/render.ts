import { existsSync } from 'node:fs';
import { warn } from '../core/warn.js';
import type { VegaLiteSpec } from './spec.js';

/** Where Debian's fonts-dejavu-core puts the font every chart asks for. */
const DEJAVU = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf'];

export interface RenderPngOptions {
  /** Pixel density: 2 renders a 480-pixel chart 960 pixels wide. @default 2 */
  scale?: number;
  /** Extra TTF/OTF files to load, for machines without DejaVu Sans. @default [] */
  fontFiles?: string[];
}

/**
 * Renders a Vega-Lite spec to SVG headless (Vega's 'none' renderer: no DOM, no canvas). The SVG
 * carries its text as text, so a browser draws it with its own fonts.
 */
export async function renderSVG(spec: VegaLiteSpec): Promise<string> {
  // Loaded on first use: Vega alone takes ~0.5 s to import, which every CLI call would pay.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders a Vega-Lite spec (or an SVG string from `renderSVG`) to PNG with resvg. resvg draws text
 * only with fonts it has loaded; with none it silently drops every label, so say so once.
 */
export async function renderPNG(spec: VegaLiteSpec | string, options: RenderPngOptions = {}): Promise<Uint8Array> {
  const { scale = 2, fontFiles = [] } = options;
  const svg = typeof spec === 'string' ? spec : await renderSVG(spec);
  if (fontFiles.length === 0 && !DEJAVU.some((f) => existsSync(f))) {
    warn('DejaVu Sans not found (Debian: apt-get install fonts-dejavu-core); chart PNGs may lose their text. Pass fontFiles to use another font.');
  }
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
