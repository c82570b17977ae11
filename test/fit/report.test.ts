// The lmfit-style fit report: residual statistics, AIC/BIC, covariance standard errors beside the
// bootstrap ones, and parameter correlations (issue 19).
import { describe, expect, it } from 'vitest';
import { setWarn } from '../../src/core/warn.js';
import { bootstrap } from '../../src/fit/bootstrap.js';
import { fitLaw } from '../../src/fit/fit.js';
import { squared } from '../../src/fit/objective.js';
import { ScalingFit } from '../../src/fit/result.js';

setWarn(() => {});

// Chinchilla with a deterministic +-1% wiggle on a 6 x 6 grid: every parameter identified.
const N: number[] = [],
  D: number[] = [],
  loss: number[] = [];
let k = 0;
for (const n of [1e7, 3e7, 1e8, 3e8, 1e9, 3e9]) {
  for (const d of [2e9, 6e9, 2e10, 6e10, 2e11, 6e11]) {
    N.push(n);
    D.push(d);
    loss.push((1.7 + 400 / n ** 0.34 + 1000 / d ** 0.3) * (1 + 0.01 * Math.sin(1.7 * ++k)));
  }
}
const data = { inputs: { N, D }, loss, source: 'synthetic' };
// One start near the truth keeps the test fast; the grid's 4,500 starts find the same optimum.
const starts = [{ A: 300, B: 800, E: 1.6, alpha: 0.3, beta: 0.28 }];

describe('fit report statistics', () => {
  it('computes chi-square, AIC and BIC from the residuals at the optimum, as lmfit defines them', async () => {
    const fit = await fitLaw('chinchilla', data, { threads: 1, loss: squared(), starts });
    const st = fit.statistics!;
    const pred = fit.predict({ N, D });
    const rss = loss.reduce((s, y, i) => s + (Math.log(pred[i]!) - Math.log(y)) ** 2, 0);
    expect(st.points).toBe(36);
    expect(st.free).toBe(5);
    expect(st.dof).toBe(31);
    expect(st.rss).toBeCloseTo(rss, 12);
    expect(st.rmse).toBeCloseTo(Math.sqrt(rss / 36), 12);
    expect(st.aic).toBeCloseTo(36 * Math.log(rss / 36) + 10, 9);
    expect(st.bic).toBeCloseTo(36 * Math.log(rss / 36) + 5 * Math.log(36), 9);

    for (const p of fit.params) expect(Number.isFinite(p.covarianceStderr!), p.name).toBe(true);
    // A and alpha trade off against each other (the classic ridge of a power law).
    const r = fit.correlations!.find((c) => (c.a === 'A' && c.b === 'alpha') || (c.a === 'alpha' && c.b === 'A'))!.r;
    expect(r).toBeGreaterThan(0.9);
    expect(fit.correlations!.every((c) => Math.abs(c.r) <= 1)).toBe(true);

    const report = fit.report();
    expect(report).toContain('[[Fit Statistics]]');
    expect(report).toMatch(/AIC\s+-\d/);
    expect(report).toMatch(/alpha .*\(covariance: \+\/- [\d.e-]+\)/);
    expect(report).toMatch(/\[\[Correlations\]\][\s\S]*C\(A, alpha\)\s+= \+0\.9/);
  });

  it('puts the covariance standard errors beside the bootstrap ones, of the same size, and keeps them through JSON', async () => {
    const fit = await bootstrap(await fitLaw('chinchilla', data, { threads: 1, starts }), data, { resamples: 60, seed: 3, threads: 1 });
    for (const p of fit.params) {
      const ratio = p.stderr! / p.covarianceStderr!;
      expect(ratio, p.name).toBeGreaterThan(0.25);
      expect(ratio, p.name).toBeLessThan(4);
    }
    const back = ScalingFit.fromJSON(JSON.parse(JSON.stringify(fit)));
    expect(back.statistics).toEqual(fit.statistics);
    expect(back.correlations).toEqual(fit.correlations);
    expect(back.params.map((p) => p.covarianceStderr)).toEqual(fit.params.map((p) => p.covarianceStderr));
    expect(back.report()).toBe(fit.report());
  });
});
