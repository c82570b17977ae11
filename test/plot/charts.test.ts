import { describe, expect, it } from 'vitest';
import { axisFormat, axisScale, logTicks } from '../../src/plot/axes.js';
import { isoflopChart } from '../../src/plot/isoflop.js';
import { lossCurvesChart } from '../../src/plot/losscurves.js';
import { renderSVG } from '../../src/plot/render.js';
import { scalingChart } from '../../src/plot/scaling.js';
import { stepsExamplesChart } from '../../src/plot/batch.js';
import { stoppingChart } from '../../src/plot/stopping.js';
import { isoflopPoints, law, scalingPoints } from './fixtures.js';

/** The scale types Vega-Lite's layers ask for, by encoding channel. */
function scales(spec: any, channel: 'x' | 'y'): string[] {
  return [...new Set((spec.layer as any[]).map((l) => l.encoding?.[channel]?.scale?.type).filter(Boolean))];
}

describe('axisScale', () => {
  it('is log when positive values span a decade, linear otherwise', () => {
    expect(axisScale([1e18, 1e21])).toEqual({ type: 'log', domain: [1e18, 1e21], nice: false, padding: 8 });
    expect(axisScale([2, 3.5])).toEqual({ type: 'linear', zero: false });
    expect(axisScale([-1, 100])).toEqual({ type: 'linear', zero: false });
    expect(axisScale([2, 3], 'log')).toEqual({ type: 'log', domain: [2, 3], nice: false, padding: 8 });
  });
  it('refuses a log axis over non-positive values', () => {
    expect(() => axisScale([0, 3], 'log')).toThrow('log axis needs positive values; smallest is 0');
  });
});

describe('scalingChart', () => {
  const spec = scalingChart(
    {
      points: scalingPoints,
      law: [1e17, 1e19, 1e21].map((x) => ({ x, y: 1.8 + 30 / x ** 0.1, lower: 1.78 + 30 / x ** 0.1, upper: 1.82 + 30 / x ** 0.1 })),
      highlights: [{ x: 1e21, y: 2.1, lower: 2.05, upper: 2.15, label: 'planned run' }],
    },
    { title: 'Chinchilla' },
  );
  it('puts compute on a log axis with its unit, and draws data, law, band and the highlight', async () => {
    expect(scales(spec, 'x')).toEqual(['log']);
    const svg = await renderSVG(spec);
    expect(svg).toContain('training compute C (FLOPs)');
    expect(svg).toContain('loss (nats/token)');
    expect(svg).toContain('planned run');
    expect(svg.match(/role-mark/g)!.length).toBeGreaterThanOrEqual(5);
  });
  it('names the row and field of a bad point', () => {
    expect(() =>
      scalingChart({
        points: [
          { x: 1, y: 2 },
          { x: Number.NaN, y: 2 },
        ],
      }),
    ).toThrow('scalingChart: points[1].x must be a finite number; got NaN');
  });
});

describe('isoflopChart', () => {
  it('draws one coloured curve per budget on a log N axis with the optimum marked', async () => {
    const curves = [1e18, 1e19, 1e20].flatMap((C) => Array.from({ length: 30 }, (_, k) => 10 ** (6.5 + k * 0.1)).map((N) => ({ compute: C, N, loss: law(N, C / (6 * N)) })));
    const spec = isoflopChart({ points: isoflopPoints, curves, optima: [{ compute: 1e20, N: 4e8, loss: 2.6, lower: 3e8, upper: 5e8 }] });
    expect(scales(spec, 'x')).toEqual(['log']);
    const svg = await renderSVG(spec);
    expect(svg).toContain('parameters N');
    expect(svg).toContain('1e18 FLOPs');
    expect(svg).toContain('1e20 FLOPs');
  });
});

describe('lossCurvesChart', () => {
  it('draws observed and predicted curves per schedule, with bands and the cutoff', async () => {
    const steps = Array.from({ length: 50 }, (_, i) => (i + 1) * 100);
    const curve = (s: number, drop: number) => 3 + 2 / Math.sqrt(s / 100) - drop;
    const spec = lossCurvesChart(
      [
        {
          name: 'cosine',
          observed: steps.slice(0, 20).map((step) => ({ step, loss: curve(step, 0) })),
          predicted: steps.map((step) => ({ step, loss: curve(step, 0), lower: curve(step, 0) - 0.02, upper: curve(step, 0) + 0.02 })),
        },
        { name: 'wsd', predicted: steps.map((step) => ({ step, loss: curve(step, step > 4000 ? 0.1 : 0) })) },
      ],
      { cutoff: 2000 },
    );
    expect(scales(spec, 'x')).toEqual(['linear']);
    const svg = await renderSVG(spec);
    expect(svg).toContain('training step');
    expect(svg).toContain('cosine');
    expect(svg).toContain('wsd');
  });
  it('names the series of a bad point', () => {
    expect(() => lossCurvesChart([{ name: 'a', predicted: [{ step: 1, loss: Infinity }] }])).toThrow('lossCurvesChart: series[0].predicted[0].loss must be a finite number; got Infinity');
  });
});

describe('stepsExamplesChart', () => {
  it('draws hyperbolas on log-log axes and labels B_crit = Emin / Smin', async () => {
    const sMin = 1000;
    const eMin = 256_000;
    const points = [32, 64, 128, 256, 512, 1024, 2048].map((B) => ({ group: '85M', batchSize: B, steps: sMin * (1 + 256 / B), examples: eMin * (1 + B / 256) }));
    const spec = stepsExamplesChart({ points, fits: [{ group: '85M', sMin, eMin }] });
    expect(scales(spec, 'x')).toEqual(['log']);
    expect(scales(spec, 'y')).toEqual(['log']);
    const svg = await renderSVG(spec);
    expect(svg).toContain('B_crit = 256');
    expect(svg).toContain('examples processed E (sequences)');
    expect(svg).toContain('optimizer steps S');
  });
  it('refuses a hyperbola without positive minima', () => {
    expect(() => stepsExamplesChart({ points: [], fits: [{ group: 'a', sMin: 0, eMin: 5 }] })).toThrow('stepsExamplesChart: fits[0] needs sMin > 0 and eMin > 0; got {"sMin":0,"eMin":5}');
  });
});

describe('stoppingChart', () => {
  it('counts the decisions in its title and marks where curves were stopped', async () => {
    const curve = (id: string, level: number, length: number, decision: 'stopped' | 'completed' | 'best') => ({
      id,
      decision,
      points: Array.from({ length }, (_, i) => ({ step: i + 1, value: level + 1 / (i + 1) })),
    });
    const spec = stoppingChart([curve('a', 1, 3, 'stopped'), curve('b', 0.8, 20, 'completed'), curve('c', 0.5, 20, 'best')]);
    const svg = await renderSVG(spec);
    expect(svg).toContain('early stopping: 1 stopped, 1 completed, 1 best');
    expect(svg).toContain('epoch');
  });
  it('refuses an unknown decision', () => {
    expect(() => stoppingChart([{ id: 'a', decision: 'paused' as never, points: [] }])).toThrow('stoppingChart: curves[0].decision must be one of stopped, completed, best; got "paused"');
  });
});

describe('log axes', () => {
  it('ticks 1-2-5 over up to 3 decades, powers of ten beyond, finer steps within one decade', () => {
    expect(logTicks(1e8, 3e10)).toEqual([1e8, 2e8, 5e8, 1e9, 2e9, 5e9, 1e10, 2e10]);
    expect(logTicks(3e18, 2e24)).toEqual([1e19, 1e20, 1e21, 1e22, 1e23, 1e24]);
    expect(logTicks(1e-3, 1e20)).toEqual([1e-3, 1, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18]);
    expect(logTicks(2.0, 3.4)).toEqual([2, 2.5, 3]);
    expect(logTicks(2.0, 3.4).length).toBeGreaterThanOrEqual(3);
  });

  it('labels ticks plainly below 1e4 and as 2e21 above, never 5e0, and drops overlapping labels', async () => {
    const axis = axisFormat({ type: 'log', domain: [2, 5] });
    expect(axis.values).toEqual([2, 2.5, 3, 4, 5]);
    expect(axis.labelOverlap).toBe('greedy');
    const spec = scalingChart(
      {
        points: [
          { x: 2, y: 1e18 },
          { x: 5, y: 3e21 },
        ],
      },
      { xScale: 'log' },
    );
    const svg = await renderSVG(spec);
    expect(svg).toContain('>2.5<');
    expect(svg).not.toMatch(/>\de0</);
    expect(svg).toMatch(/>1e19</);
  });
});

describe('isoflopChart zoom', () => {
  it("keeps each budget's law curve near its minimum, and every measured point", () => {
    const curves = [1e18, 1e20].flatMap((C) => Array.from({ length: 41 }, (_, k) => 10 ** (5 + k * 0.15)).map((N) => ({ compute: C, N, loss: law(N, C / (6 * N)) })));
    const spec = isoflopChart({ points: isoflopPoints, curves }) as { layer: { data: { values: { compute: number; loss: number }[] } }[] };
    const kept = spec.layer[0]!.data.values;
    expect(kept.length).toBeLessThan(curves.length);
    for (const C of [1e18, 1e20]) {
      const min = Math.min(...curves.filter((r) => r.compute === C).map((r) => r.loss));
      expect(Math.max(...kept.filter((r) => r.compute === C).map((r) => r.loss))).toBeLessThanOrEqual(min * 1.15 + 1e-12);
    }
    expect(spec.layer[1]!.data.values).toHaveLength(isoflopPoints.length);
    const whole = isoflopChart({ curves }, { zoom: false }) as { layer: { data: { values: unknown[] } }[] };
    expect(whole.layer[0]!.data.values).toHaveLength(curves.length);
  });
});

describe('lossCurvesChart palette', () => {
  it('colours many or ordered series with a sequential palette and names the variable in the legend', () => {
    const series = Array.from({ length: 19 }, (_, i) => ({ name: `N=${(i + 1) * 1e6}`, observed: [1, 2, 3].map((step) => ({ step, loss: 3 - step * 0.1 - i * 0.01 })) }));
    const spec = lossCurvesChart(series, { legend: 'model size N' }) as { layer: { encoding: { color: { type: string; title: string; scale?: { scheme: { name: string } } } } }[] };
    const color = spec.layer[0]!.encoding.color;
    expect(color.type).toBe('ordinal');
    expect(color.title).toBe('model size N');
    expect(color.scale?.scheme.name).toBe('viridis');
    const few = lossCurvesChart(series.slice(0, 3)) as typeof spec;
    expect(few.layer[0]!.encoding.color.type).toBe('nominal');
  });
});

describe('isoflopChart panels', () => {
  it('gives each budget its own zoomed panel when a valley would lie flat on the shared axis', () => {
    // Budgets whose valleys differ by 1000x in depth: on one axis the deep one flattens the rest.
    const valley = (C: number, depth: number) => Array.from({ length: 21 }, (_, k) => ({ compute: C, N: 10 ** (6 + k * 0.1), loss: 1 + depth * (k - 10) ** 2 }));
    const curves = [...valley(1e18, 0.01), ...valley(1e20, 1e-5)];
    const spec = isoflopChart({ curves }, { title: 'two budgets', panels: 'auto' }) as { concat?: { title: string }[]; resolve?: { scale: { y: string } } };
    expect(spec.concat).toHaveLength(2);
    expect(spec.concat!.map((p) => p.title)).toEqual(['C = 1e18 FLOPs', 'C = 1e20 FLOPs']);
    expect(spec.resolve!.scale.y).toBe('independent');
    const shared = isoflopChart({ curves }, { panels: false }) as { layer?: unknown[]; concat?: unknown };
    expect(shared.concat).toBeUndefined();
    expect(shared.layer!.length).toBeGreaterThan(0);
  });
});
