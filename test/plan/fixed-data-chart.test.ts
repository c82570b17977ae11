// The fixed-data chart's data from Kim et al.'s fits and the planner's comparison (src/plan/fixed-data-chart.ts).
import { describe, expect, it } from 'vitest';
import '../../src/laws/builtins.js';
import { fixedDataChartData, fixedDataChartSpec } from '../../src/plan/fixed-data-chart.js';
import { compareAtFixedData, fitEnsembleScaling, fitParameterScaling, predictAsymptoteFit, tokensBySize } from '../../src/plan/infinite-compute.js';
import { renderSVG } from '../../src/plot/render.js';
import { KIM_U, kimRuns } from './kim-runs.js';

// Muennighoff et al. 2023's C4 constants with their released R_D*, R_N*.
const values = { A: 520.4, B: 1488.2, E: 1.869, alpha: 0.3527, beta: 0.3527, RD: 15.387756, RN: 5.309743 };

async function setup() {
  const runs = kimRuns(0);
  const parameters = await fitParameterScaling(runs.single, { resamples: 40, noise: 0.003 });
  const ensembles = await fitEnsembleScaling(runs.ensemble, { resamples: 40, noise: 0.003 });
  const comparison = compareAtFixedData({
    uniqueTokens: KIM_U,
    compute: 1e20,
    epochs: { values, source: 'published' },
    parameters: { fit: parameters, tokens: tokensBySize(runs.single), source: 'runs' },
    ensembles: { fit: ensembles, tokens: tokensBySize(runs.ensemble), source: 'runs' },
  });
  return { runs, parameters, ensembles, comparison };
}

describe('fixedDataChartData', () => {
  it('draws the fitted laws with their bands over the runs and out to every candidate, and marks each candidate with its interval', async () => {
    const { runs, parameters, ensembles, comparison } = await setup();
    const d = fixedDataChartData({ comparison, parameters: { fit: parameters, runs: runs.single }, ensembles: { fit: ensembles, runs: runs.ensemble } });
    // Single model: the curve is the fit, with the fit's percentile band, and reaches the bigger model.
    const single = d.single!;
    expect(single.runs).toHaveLength(4);
    const big = comparison.candidates.find((c) => c.recipe === 'bigger model')!;
    expect(single.curve[0]!.x).toBeCloseTo(1.5e8 / 2, 0);
    expect(single.curve.at(-1)!.x).toBeCloseTo(Math.max(big.N, 1.4e9) * 2, -3);
    for (const p of single.curve) {
      const q = predictAsymptoteFit(parameters, p.x);
      expect(p.y).toBe(q.value);
      expect([p.lower, p.upper]).toEqual(q.interval);
    }
    expect(single.asymptote.value).toBe(parameters.asymptote.value);
    expect(single.asymptote.label).toMatch(/^E_D = 3\.4\d* \(90%: 3\.\d+ to 3\.\d+\)$/);
    // Ensembles: a series per member size, each law in K out to the candidate's K.
    expect(d.members!.map((m) => m.series)).toEqual(['N = 1.50e8', 'N = 3.00e8', 'N = 6.00e8', 'N = 1.40e9']);
    for (const m of d.members!) {
      expect(m.runs).toHaveLength(5);
      const c = comparison.candidates.find((x) => x.recipe === 'ensemble' && x.N === m.N)!;
      expect(m.curve[0]!.x).toBe(1);
      expect(m.curve.at(-1)!.x).toBeCloseTo(Math.max(5, c.K), 9);
      expect(m.curve.every((p) => p.lower! <= p.y && p.y <= p.upper!)).toBe(true);
    }
    // The asymptote of the asymptotes: one point per member size, the joint law and its limit beside E_D.
    const joint = d.joint!;
    expect(joint.points.map((p) => p.value)).toEqual(ensembles.members.map((m) => m.asymptote.value));
    expect(joint.asymptote!.value).toBe(ensembles.joint!.E);
    expect(joint.reference!.label).toMatch(/^one model, E_D = /);
    // Candidates: every recipe, its interval, the lowest named.
    expect(d.candidates!.map((c) => c.recipe)).toEqual(comparison.candidates.map((c) => c.recipe));
    comparison.candidates.forEach((c, i) => {
      const m = d.candidates![i]!;
      expect([m.N, m.K, m.loss]).toEqual([c.N, c.K, c.loss]);
      expect(m.lower).toBe(c.interval?.[0]);
      expect(m.upper).toBe(c.interval?.[1]);
      expect(m.label.endsWith(' (lowest)')).toBe(i === comparison.best);
    });
    const svg = await renderSVG(fixedDataChartSpec({ comparison, parameters: { fit: parameters, runs: runs.single }, ensembles: { fit: ensembles, runs: runs.ensemble } }));
    expect(svg).toContain('Kim et al. 2025 at U = 2.10e8 unique tokens, 1.00e20 FLOPs');
    expect(svg).toContain('(lowest)');
  }, 60_000);

  it('leaves out what was not fitted: no single-model law, no E_D beside the joint limit', async () => {
    const { runs, ensembles } = await setup();
    const comparison = compareAtFixedData({
      uniqueTokens: KIM_U,
      compute: 1e20,
      epochs: { values, source: 'published' },
      ensembles: { fit: ensembles, tokens: tokensBySize(runs.ensemble), source: 'runs' },
    });
    const d = fixedDataChartData({ comparison, ensembles: { fit: ensembles } });
    expect(d.single).toBeUndefined();
    expect(d.joint!.reference).toBeUndefined();
    expect(d.members!.every((m) => m.runs.length === 0)).toBe(true);
    expect(d.candidates!.map((c) => c.recipe)).toEqual(['more epochs', 'ensemble', 'ensemble', 'ensemble', 'ensemble']);
    // The "more epochs" diamond still gets the panel in N, without a curve.
    const spec = fixedDataChartSpec({ comparison, ensembles: { fit: ensembles } }) as { concat: { title: string }[] };
    expect(spec.concat.map((p) => p.title)).toEqual(['one model: loss against N', 'ensembles: loss against K', 'K -> infinity asymptotes in N']);
  }, 60_000);

  it('draws given K -> infinity asymptotes (no ensemble runs) with their power law in N', async () => {
    // Kim et al.'s released asymptotes at 200M tokens (data/kim2025/ensemble-asymptotes.csv).
    const points = [
      { N: 1.5e8, loss: 3.494941417720857 },
      { N: 3e8, loss: 3.2729813419904183 },
      { N: 6e8, loss: 3.2122277662817145 },
      { N: 1.4e9, loss: 3.173966150932168 },
    ];
    const fit = await fitParameterScaling(points, { resamples: 20 });
    const d = fixedDataChartData({ asymptotes: { fit, points } });
    expect(d.single).toBeUndefined();
    expect(d.members).toBeUndefined();
    expect(d.candidates).toEqual([]);
    expect(d.joint!.points.map((p) => p.value)).toEqual(points.map((p) => p.loss));
    expect(d.joint!.asymptote!.label).toMatch(/^N, K -> infinity = 3\.1\d+ /);
    expect(d.joint!.curve.length).toBe(41);
  }, 60_000);
});
