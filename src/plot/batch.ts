import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import { axisFormat, axisScale, requireFinite } from './axes.js';
import { layered, type ChartOptions, type VegaLiteSpec } from './spec.js';

export interface StepsExamplesChartData {
  /** Steps and examples needed to reach the target loss, per batch size; `group` is the model or target. */
  points: readonly { group: string; steps: number; examples: number; batchSize?: number }[];
  /** Fitted hyperbolas (S / Smin - 1)(E / Emin - 1) = 1, one per group. */
  fits?: readonly { group: string; sMin: number; eMin: number }[];
}

export interface StepsExamplesChartOptions extends ChartOptions {
  /** Unit of an example, for the axis title. @default 'sequences' */
  exampleUnit?: string;
  /** The legend's title: what the groups are ('target loss', 'model'). @default 'model' */
  legend?: string;
}

/**
 * Steps against examples to reach a target loss (McCandlish et al. 2018, eq. 2.11):
 * (S / Smin - 1)(E / Emin - 1) = 1. The critical batch B_crit = Emin / Smin sits where the run takes
 * twice the minimum steps and twice the minimum examples; it is marked on each hyperbola.
 */
export function stepsExamplesChart(data: StepsExamplesChartData, options: StepsExamplesChartOptions = {}): VegaLiteSpec {
  const { exampleUnit = 'sequences' } = options;
  const { points, fits = [] } = data;
  requireFinite('stepsExamplesChart', 'points', points, ['steps', 'examples']);
  requireFinite('stepsExamplesChart', 'fits', fits, ['sMin', 'eMin']);
  fits.forEach((f, i) => {
    if (!(f.sMin > 0) || !(f.eMin > 0)) throw new InputError(`stepsExamplesChart: fits[${i}] needs sMin > 0 and eMin > 0; got ${show({ sMin: f.sMin, eMin: f.eMin })}`, 'fits');
  });
  const curves = fits.flatMap((f) => {
    // Parametrise by batch size B: S = Smin (1 + Bcrit / B), E = Emin (1 + B / Bcrit).
    const bCrit = f.eMin / f.sMin;
    return Array.from({ length: 61 }, (_, k) => {
      const b = bCrit * 10 ** (-2 + (4 * k) / 60);
      return { group: f.group, steps: f.sMin * (1 + bCrit / b), examples: f.eMin * (1 + b / bCrit) };
    });
  });
  const marks = fits.map((f) => ({ group: f.group, steps: 2 * f.sMin, examples: 2 * f.eMin, label: `B_crit = ${formatNumber(f.eMin / f.sMin, 3)}` }));
  const sx = axisScale([...points.map((p) => p.examples), ...marks.map((m) => m.examples), ...points.map((p) => p.examples)], 'log');
  const sy = axisScale([...points.map((p) => p.steps), ...marks.map((m) => m.steps)], 'log');
  // The hyperbolas run to infinity; clip them to the data's range with a margin.
  const all = [...points, ...marks];
  const lim = (k: 'steps' | 'examples') => [Math.min(...all.map((p) => p[k])) / 1.5, Math.max(...all.map((p) => p[k])) * 1.5];
  const [x0, x1] = lim('examples');
  const [y0, y1] = lim('steps');
  const x = { field: 'examples', type: 'quantitative', title: `examples processed E (${exampleUnit})`, scale: { ...sx, domain: [x0, x1] }, axis: axisFormat({ type: 'log', domain: [x0!, x1!] }) };
  const y = { field: 'steps', type: 'quantitative', title: 'optimizer steps S', scale: { ...sy, domain: [y0, y1] }, axis: axisFormat({ type: 'log', domain: [y0!, y1!] }) };
  const color = { field: 'group', type: 'nominal', title: options.legend ?? 'model' };
  const layers: Record<string, unknown>[] = [];
  if (curves.length > 0) {
    layers.push({
      data: { values: curves.filter((c) => c.examples >= x0! && c.examples <= x1! && c.steps >= y0! && c.steps <= y1!) },
      mark: { type: 'line', clip: true },
      encoding: { x, y, color, order: { field: 'examples' } },
    });
  }
  layers.push({
    data: { values: points.map((p) => ({ ...p, batchSize: p.batchSize ?? null })) },
    mark: { type: 'point', filled: true, size: 36 },
    encoding: { x, y, color, tooltip: [{ field: 'group' }, { field: 'batchSize', title: 'batch' }, { field: 'steps' }, { field: 'examples', format: '.3e' }] },
  });
  if (marks.length > 0) {
    layers.push(
      { data: { values: marks }, mark: { type: 'point', shape: 'cross', size: 160, strokeWidth: 2.5 }, encoding: { x, y, color } },
      // A white outline under each label keeps it readable where it crosses a curve or a point.
      {
        data: { values: marks },
        mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11, stroke: 'white', strokeWidth: 3, strokeOpacity: 0.9 },
        encoding: { x, y, text: { field: 'label' } },
      },
      { data: { values: marks }, mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11 }, encoding: { x, y, color, text: { field: 'label' } } },
    );
  }
  return layered(options, layers);
}
