// The planner's HTML page: the sensitivity table (E, alpha, beta; R_D*, R_N*; a batch above B_crit)
// and the unique-token section with its chart.
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { ScalingFit, type FitParam } from '../../src/fit/result.js';
import { batchSensitivityRows, withBatchSensitivity } from '../../src/plan/batch-sensitivity.js';
import { dataConstrainedSummary, PUBLISHED_REPETITION, combineRepetition } from '../../src/plan/data-constrained.js';
import { plan } from '../../src/plan/planner.js';
import { planHtml, sensitivitySection } from '../../src/plan/report-html.js';
import { planSensitivity, sensitivityReport } from '../../src/plan/sensitivity.js';

const param = (name: string, value: number, stderr?: number): FitParam => ({ name, value, min: -Infinity, max: Infinity, fixed: false, atBound: false, ...(stderr ? { stderr } : {}) });

/** Epoch's headline values (Besiroglu et al. 2024) with their standard errors and resamples drawn around them. */
function epochFit(): ScalingFit {
  const r = rng(3);
  const values = [482.01, 2085.43, 1.817, 0.348, 0.366];
  const se = [0, 0, 0.026, 0.015, 0.021];
  const samples = Array.from({ length: 50 }, () => values.map((v, j) => v + se[j]! * r.normal()));
  return new ScalingFit({
    law: 'chinchilla',
    formula: 'L = E + A / N^alpha + B / D^beta',
    inputs: ['N', 'D'],
    params: ['A', 'B', 'E', 'alpha', 'beta'].map((n, j) => param(n, values[j]!, se[j])),
    objective: { loss: 'huber', settings: { delta: 1e-3 }, space: 'log', value: null },
    converged: true,
    message: 'published values',
    starts: { count: 0, converged: 0 },
    data: { source: 'epoch-published', rows: 240 },
    date: '2024-04-15',
    bootstrap: { resamples: 50, seed: 3, level: 0.9, starts: 1, unconverged: 0, samples },
  });
}

// Zhang et al. 2024's critical batch in N (sequences of 512 tokens), as the planner tests use it.
const bcrit = new ScalingFit({
  law: 'bcrit-n',
  inputs: ['N'],
  params: [param('k', 93.197 * 1e6 ** -0.46828), param('e', 0.46828)],
  objective: { loss: 'squared', settings: {}, space: 'log', value: 0 },
  converged: true,
  message: 'test',
  starts: { count: 1, converged: 1 },
  data: { source: 'zhang', rows: 5 },
  date: '2026-11-23',
});

describe('batchSensitivityRows', () => {
  const fit = epochFit();
  const p = plan({ budget: { compute: 1e22 }, fits: [fit, bcrit], fitSeqLen: 512, seqLen: 4096 });
  const Bc = p.batch!.critical!.value,
    B0 = p.batch!.recommended;
  it('costs nothing at the planned batch and more the further the batch is above B_crit', () => {
    const [same, two, four] = batchSensitivityRows(p, fit, [B0 / Bc, 2, 4]);
    expect(same!.deltaLoss).toBeCloseTo(0, 12);
    expect(two!.deltaLoss).toBeGreaterThan(0);
    expect(four!.deltaLoss).toBeGreaterThan(two!.deltaLoss);
    expect(two!.relativeN).toBe(0);
  });
  it('spends the tokens as E = E_min (1 + B / B_crit) says (McCandlish et al. 2018)', () => {
    // At 4 x B_crit the planned tokens reach what D (1 + B0/Bc) / 5 tokens reach at the planned batch.
    const [four] = batchSensitivityRows(p, fit, [4]);
    const D = p.model.D.value,
      N = p.model.N.value;
    expect(four!.loss).toBeCloseTo(fit.predict({ N, D: (D * (1 + B0 / Bc)) / 5 })[0]!, 12);
  });
  it('has no rows without a critical batch', () => {
    expect(batchSensitivityRows(plan({ budget: { compute: 1e22 }, fits: [fit] }), fit)).toEqual([]);
  });
  it('joins the table of plan --sensitivity once, sorted, and no longer lists the batch as not assessed', () => {
    const base = planSensitivity(fit, 1e22);
    expect(base.notAssessed.some((n) => n.startsWith('batch size above the critical batch'))).toBe(true);
    const joined = withBatchSensitivity(base, p, fit);
    expect(joined.rows.filter((r) => r.assumption === 'batch size above the critical batch')).toHaveLength(2);
    expect(joined.rows).toHaveLength(base.rows.length + 2);
    const changes = joined.rows.map((r) => Math.abs(r.deltaLoss));
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    expect(joined.notAssessed.some((n) => n.startsWith('batch size above the critical batch'))).toBe(false);
    expect(sensitivityReport(joined)).toContain('2 x B_crit');
    expect(withBatchSensitivity(joined, p, fit)).toBe(joined);
    expect(withBatchSensitivity(base, plan({ budget: { compute: 1e22 }, fits: [fit] }), fit)).toBe(base);
  });
});

describe('planHtml', () => {
  const fit = epochFit();
  it('shows the sensitivity table with the batch rows where the plan has a critical batch', () => {
    const p = plan({ budget: { compute: 1e22 }, fits: [fit, bcrit], fitSeqLen: 512, seqLen: 4096 });
    const section = sensitivitySection(p, fit)!;
    const assumptions = new Set(section.table!.rows.map((r) => r[0]));
    expect([...assumptions].sort()).toEqual(['batch size above the critical batch', 'exponent of D (beta)', 'exponent of N (alpha)', 'irreducible loss E']);
    // Sorted by the size of the change in loss.
    const changes = section.table!.rows.map((r) => Math.abs(Number(r[5])));
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    expect(section.paragraphs!.join('\n')).toContain('Not assessed: data repetition');
    expect(section.paragraphs!.join('\n')).not.toContain('Not assessed: batch size');
  });
  it('adds the unique-token section, its chart and the repetition rows under a binding limit', async () => {
    const p = plan({ budget: { compute: 1e22 }, fits: [fit] });
    const dc = dataConstrainedSummary(combineRepetition(fit, PUBLISHED_REPETITION, 'epoch'), 1e22, 25e9, { source: PUBLISHED_REPETITION.source });
    expect(dc.binding).toBe(true);
    const html = await planHtml(p, fit, { dataConstrained: dc });
    expect(html).toContain('<h2>Unique tokens: 2.50e10</h2>');
    expect(html).toContain('<h2>What moves the answer most</h2>');
    expect(html).toContain('repeated-data decay R_D*');
    expect(html).toContain('excess-parameter decay R_N*');
    expect(html).toContain('loss along the compute-optimal frontier');
    expect(html).toContain('Not assessed: batch size above the critical batch');
    expect(html.indexOf('Unique tokens')).toBeLessThan(html.indexOf('What moves the answer most'));
  });
});

describe('planHtml: the fixed-data section (Kim et al. 2025)', () => {
  it('shows the candidates, the asymptotes with their intervals, the warnings and the chart', async () => {
    // Imported here, so that this block stays an append to the file.
    const { compareAtFixedData, fitEnsembleScaling, fitParameterScaling, tokensBySize } = await import('../../src/plan/infinite-compute.js');
    const { fixedDataSection } = await import('../../src/plan/report-html.js');
    const { KIM_U, kimRuns } = await import('./kim-runs.js');
    await import('../../src/laws/builtins.js');
    const fit = epochFit();
    const runs = kimRuns(1);
    const parameters = await fitParameterScaling(runs.single, { resamples: 30, noise: 0.003 });
    const ensembles = await fitEnsembleScaling(runs.ensemble, { resamples: 30, noise: 0.003 });
    const comparison = compareAtFixedData({
      uniqueTokens: KIM_U,
      compute: 1e20,
      epochs: { values: combineRepetition(fit, PUBLISHED_REPETITION, 'epoch'), source: 'epoch with published R_D*, R_N*' },
      parameters: { fit: parameters, tokens: tokensBySize(runs.single), source: 'runs.csv' },
      ensembles: { fit: ensembles, tokens: tokensBySize(runs.ensemble), source: 'runs.csv' },
    });
    const input = { comparison, parameters: { fit: parameters, runs: runs.single }, ensembles: { fit: ensembles, runs: runs.ensemble } };
    const section = fixedDataSection(input);
    expect(section.heading).toBe('Fixed data budget');
    expect(section.table!.rows.map((r) => String(r[0]).replace(' (lowest)', ''))).toEqual(comparison.candidates.map((c) => c.recipe));
    expect(section.table!.rows.filter((r) => String(r[0]).endsWith(' (lowest)'))).toHaveLength(1);
    const text = section.paragraphs!.join('\n');
    expect(text).toMatch(/E_D: 3\.4\d*, 90% interval 3\.\d+ to 3\.\d+\./);
    expect(text).toMatch(/N, K -> infinity \(the asymptote of the K -> infinity asymptotes\): \d\.\d+, 90% interval /);
    expect(text).toContain('Warning: "more epochs" comes from epoch with published R_D*, R_N*, the other rows from runs.csv');
    expect(section.charts).toHaveLength(1);
    const p = plan({ budget: { compute: 1e20 }, fits: [fit] });
    const html = await planHtml(p, fit, { fixedData: input });
    expect(html).toContain('<h2>Fixed data budget</h2>');
    expect(html).toContain('K -&gt; infinity asymptotes in N');
    // Without the fits there is the table and no chart.
    expect(fixedDataSection({ comparison }).charts).toBeUndefined();
    expect(await planHtml(p, fit)).not.toContain('Fixed data budget');
  }, 60_000);
});
