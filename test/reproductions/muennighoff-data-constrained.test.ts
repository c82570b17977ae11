import { describe, expect, it } from 'vitest';
import { getReproduction } from '../../src/reproductions/index.js';
import { MUENNIGHOFF_TOLERANCE, RELEASED_MINIMUM_TOLERANCE, fitFromEachStart } from '../../src/reproductions/muennighoff-data-constrained.js';

describe('reproduce muennighoff-data-constrained', () => {
  it('meets the tolerances justified from the precision of what is published', async () => {
    const warnings: string[] = [];
    const metrics = await getReproduction('muennighoff-data-constrained').run({ onWarning: (w) => warnings.push(w) });
    const m = Object.fromEntries(metrics.map((x) => [x.metric, x]));
    const rel = (name: string) => Math.abs(m[name]!.ours / m[name]!.published - 1);
    expect(metrics).toHaveLength(13);
    // Same runs, law and objective: the notebook's objective at its released fit.
    expect(rel('objective at the released R_D*, R_N*')).toBeLessThan(MUENNIGHOFF_TOLERANCE.objective);
    expect(rel('L(6.34e9, 242e9, U = 25e9)')).toBeLessThan(MUENNIGHOFF_TOLERANCE.loss);
    expect(rel('L(8.67e9, 178e9, U = 25e9)')).toBeLessThan(MUENNIGHOFF_TOLERANCE.loss);
    for (const name of ['N_opt(1e22 FLOPs, U = 25e9)', 'D_opt(1e22 FLOPs, U = 25e9)', 'epochs at the optimum']) expect(rel(name)).toBeLessThan(MUENNIGHOFF_TOLERANCE.allocation);
    // Our fit from the authors' starts is lower than theirs; its 90% interval contains the published constants.
    expect(m['objective at our fit']!.ours).toBeLessThan(m['objective at our fit']!.published);
    expect(m['R_D* 90% interval, lower']!.ours).toBeLessThanOrEqual(15.4);
    expect(m['R_D* 90% interval, upper']!.ours).toBeGreaterThanOrEqual(15.4);
    expect(m['R_N* 90% interval, lower']!.ours).toBeLessThanOrEqual(5.3);
    expect(m['R_N* 90% interval, upper']!.ours).toBeGreaterThanOrEqual(5.3);
    expect(warnings.join('\n')).toContain('these runs identify the decay constants weakly');
  }, 120_000);
});

describe('reproduce muennighoff-released-minimum', () => {
  it("gives the released R_D*, R_N* as the minimum the authors' first start reaches, within the float32 stopping scatter", async () => {
    const warnings: string[] = [];
    const metrics = await getReproduction('muennighoff-released-minimum').run({ onWarning: (w) => warnings.push(w) });
    const m = Object.fromEntries(metrics.map((x) => [x.metric, x]));
    const rel = (name: string) => Math.abs(m[name]!.ours / m[name]!.published - 1);
    const abs = (name: string) => Math.abs(m[name]!.ours - m[name]!.published);
    expect(rel("R_D* at the first start's minimum (released)")).toBeLessThan(RELEASED_MINIMUM_TOLERANCE.released);
    expect(rel("R_N* at the first start's minimum (released)")).toBeLessThan(RELEASED_MINIMUM_TOLERANCE.released);
    expect(abs("R_D* at the first start's minimum (paper)")).toBeLessThan(RELEASED_MINIMUM_TOLERANCE.paper);
    expect(abs("R_N* at the first start's minimum (paper)")).toBeLessThan(RELEASED_MINIMUM_TOLERANCE.paper);
    expect(rel("objective at the first start's minimum")).toBeLessThan(RELEASED_MINIMUM_TOLERANCE.objective);
    // The other minimum is lower: the released fit is not the best over the authors' starts.
    expect(m['objective at the lowest minimum']!.ours).toBeLessThan(m["objective at the first start's minimum"]!.ours * (1 - 1e-3));
    expect(warnings.join('\n')).toContain('the released constants are a local minimum, not the lowest');
  }, 120_000);

  it('finds two basins among the nine starts, six of them in the released one', async () => {
    const { ends, basins } = await fitFromEachStart();
    expect(ends).toHaveLength(9);
    expect(basins).toHaveLength(2);
    expect(basins[ends[0]!.basin]!.starts).toBe(6);
  }, 120_000);
});
