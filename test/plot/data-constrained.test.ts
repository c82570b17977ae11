import { describe, expect, it } from 'vitest';
import { dataConstrainedChart } from '../../src/plot/data-constrained.js';
import { renderSVG } from '../../src/plot/render.js';

describe('dataConstrainedChart', () => {
  const data = {
    frontier: [1e19, 1e21, 1e23].map((compute, i) => ({ compute, constrained: 2.6 - 0.2 * i, unconstrained: 2.6 - 0.3 * i })),
    isoflop: [1e8, 1e9, 1e10].map((N, i) => ({ N, constrained: 2.3 + 0.05 * (i - 1) ** 2, unconstrained: 2.25 + 0.05 * (i - 1) ** 2, epochs: 10 / (i + 1) })),
    frontierMarks: [{ x: 1e21, y: 2.4, label: 'budget' }],
    isoflopMarks: [{ x: 1e9, y: 2.3, label: 'optimum on U' }],
    rules: [{ N: 3e8, label: 'U_N (excess beyond)' }],
    floor: 2.1,
  };
  it('draws the frontier and the loss against N beside the unconstrained law, with the floor and U_N', async () => {
    const spec = dataConstrainedChart(data, { title: 'U = 25B' }) as any;
    expect(spec.hconcat).toHaveLength(2);
    const svg = await renderSVG(spec);
    for (const text of [
      'loss along the compute-optimal frontier',
      'loss against N at the budget',
      'floor on these unique tokens',
      'U_N (excess beyond)',
      'budget',
      'data-constrained',
      'unlimited unique data',
    ])
      expect(svg).toContain(text);
  });
  it('names the row and field of a bad point', () => {
    expect(() => dataConstrainedChart({ ...data, isoflop: [{ N: 1e9, constrained: Number.NaN, unconstrained: 2, epochs: 1 }] })).toThrow(
      'dataConstrainedChart: isoflop[0].constrained must be a finite number; got NaN',
    );
  });
});
