import { describe, expect, it } from 'vitest';
import { downstreamChart, stackCharts, type DownstreamChartData } from '../../src/plot/downstream.js';
import { renderSVG } from '../../src/plot/render.js';

const sigmoid = (L: number) => 1 - 0.75 / (1 + Math.exp(-6 * (L - 1)));
const data: DownstreamChartData = {
  checkpoints: [0.9, 1, 1.1, 1.2, 1.3].flatMap((L, i) => [{ taskLoss: L, accuracy: sigmoid(L), series: i < 3 ? 'N = 1e8' : 'N = 3e7' }]),
  sigmoid: Array.from({ length: 11 }, (_, i) => 0.7 + i * 0.07).map((x) => ({ x, y: sigmoid(x), lower: sigmoid(x) - 0.02, upper: sigmoid(x) + 0.02 })),
  runs: [
    { compute: 1e18, accuracy: 0.4, series: 'N = 3e7' },
    { compute: 1e19, accuracy: 0.55, series: 'N = 1e8' },
  ],
  chain: [1e17, 1e19, 1e21].map((x, i) => ({ x, y: 0.35 + 0.2 * i, lower: 0.33 + 0.2 * i, upper: 0.37 + 0.2 * i })),
  target: { compute: 1e21, taskLoss: 0.75, taskLossLower: 0.72, taskLossUpper: 0.79, accuracy: 0.78, lower: 0.74, upper: 0.81, label: 'target: 0.78' },
  chance: 0.25,
};

describe('downstreamChart', () => {
  it('draws both steps side by side: the sigmoid with its checkpoints, and compute to accuracy with the target', async () => {
    const spec = downstreamChart(data, { title: 'hellaswag' }) as any;
    expect(spec.hconcat).toHaveLength(2);
    expect(spec.hconcat[1].layer[0].encoding.x.scale.type).toBe('log');
    // The legend lists the sizes in the order the runs come, not alphabetically.
    expect(spec.hconcat[0].layer.find((l: any) => l.mark.type === 'point' && l.encoding.color).encoding.color.scale.domain).toEqual(['N = 3e7', 'N = 1e8']);
    const svg = await renderSVG(spec);
    for (const text of ['step 2: accuracy from task loss', 'task loss (bits per byte)', 'training compute C = 6ND (FLOPs)', 'target: 0.78', 'hellaswag']) expect(svg).toContain(text);
  });
  it('names the row and field of a bad point', () => {
    expect(() => downstreamChart({ ...data, runs: [{ compute: Number.NaN, accuracy: 0.5 }] })).toThrow('downstreamChart: runs[0].compute must be a finite number; got NaN');
  });
  it('stacks several tasks into one spec', async () => {
    const spec = stackCharts([downstreamChart(data, { title: 'one' }), downstreamChart(data, { title: 'two' })]) as any;
    expect(spec.vconcat).toHaveLength(2);
    const svg = await renderSVG(spec);
    expect(svg).toContain('one');
    expect(svg).toContain('two');
  });
});
