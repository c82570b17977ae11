import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification, as every chart function returns. */
export type VegaLiteSpec = TopLevelSpec;

/** Vega-Lite's schema for the specs this module writes. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Sizes and title shared by every chart function. */
export interface ChartOptions {
  /** Chart title. @default none */
  title?: string;
  /** Plot-area width in pixels. @default 480 */
  width?: number;
  /** Plot-area height in pixels. @default 300 */
  height?: number;
}

/** The top of every spec: schema, size, title, and a white background so PNGs read on dark pages. */
export function frame(options: ChartOptions): Record<string, unknown> {
  const { title, width = 480, height = 300 } = options;
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title === undefined ? {} : { title }),
    width,
    height,
    background: 'white',
    config: { font: 'DejaVu Sans, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, symbolOpacity: 1 } },
  };
}

/**
 * A layered chart. Layers are written as plain records (Vega-Lite's own types are too deep to build
 * by hand); `renderSVG` compiles them, which is where a malformed layer would show.
 */
export function layered(options: ChartOptions, layers: Record<string, unknown>[]): VegaLiteSpec {
  return { ...frame(options), layer: layers } as unknown as VegaLiteSpec;
}
