import { describe, expect, it } from 'vitest';
import { momentumLaw } from '../../src/laws/momentum.js';
import { multiPowerLaw } from '../../src/laws/multipower.js';
import { curvePoints } from '../../src/laws/curve-points.js';
import { fitCurves } from '../../src/fit/fit-curves.js';
import { predictCurve } from '../../src/fit/predict-curve.js';
import { CurveFit, Fit } from '../../src/fit/result.js';
import type { ScheduleSpec } from '../../src/core/schedule-spec.js';
import { base, synthetic, truth } from './mpl-synthetic.js';

const schedules: ScheduleSpec[] = [
  { type: 'cosine', ...base, final: 3e-5 },
  { type: 'constant', ...base },
  { type: 'two-stage', ...base, second: 9e-5, switchAt: 4000 },
];

describe('fitCurves', () => {
  const curves = schedules.map((s, i) => synthetic(s, `curve ${i + 1}`));

  it('by default converges on a synthetic multi-power-law family, recovers its parameters and predicts a new schedule to 2e-4', () => {
    const fit = fitCurves(curves, { law: 'mpl', date: '2026-11-23' });
    expect(fit.kind).toBe('curve-fit');
    expect(fit.optimizer.name).toBe('lbfgsb');
    expect(fit.converged).toBe(true);
    expect(fit.warnings!.filter((w) => w.code === 'iteration-limit')).toEqual([]);
    fit.params.forEach((p, j) => expect(Math.abs(p.value / truth[j]! - 1), p.name).toBeLessThan(0.05));
    const wsd: ScheduleSpec = { type: 'wsd', ...base, final: 3e-5, cooldownFraction: 0.2 };
    const predicted = predictCurve(fit, wsd, { every: 500 });
    const { x } = curvePoints([{ schedule: wsd, steps: predicted.steps }]);
    const exact = new Float64Array(x.length);
    multiPowerLaw({ tolerance: 0 }).evaluate(Float64Array.from(truth), x, exact);
    exact.forEach((v, i) => expect(Math.abs(predicted.loss[i]! - v) / v).toBeLessThan(2e-4));
  });

  it("fits the multi-power law by Luo et al.'s early-stopped AdamW as an option, and lowers the objective from its start", () => {
    const optimizer = 'adamw-early-stopped';
    const adam = fitCurves(curves, { law: 'mpl', optimizer, adamw: { members: 1 } });
    expect(adam.message).toMatch(/^AdamW, \d+ steps: /);
    expect(adam.optimizer).toEqual({ name: 'adamw-early-stopped', settings: { maxSteps: 200, patience: 20, weightDecay: 0.01, members: 1 } });
    const mean = fitCurves(curves, { law: 'mpl', optimizer, seed: 3 });
    expect(mean.message).toMatch(/^AdamW, mean of 4 early-stopped fits \(\d+-\d+ steps each\)/);
    expect(fitCurves(curves, { law: 'mpl', optimizer: 'adamw', seed: 3 }).values).toEqual(mean.values);
    expect(() => fitCurves(curves, { law: 'mpl', optimizer, adamw: { members: 0 } })).toThrow('adamw.members: not a positive integer: 0');
    const start = fitCurves(curves, { law: 'mpl', optimizer, adamw: { maxSteps: 1, members: 1 } });
    expect(start.message).toBe('AdamW, 1 steps: reached the maximum of 1 steps');
    expect(start.converged).toBe(false);
    expect(adam.objective.value!).toBeLessThan(start.objective.value!);
    const converged = fitCurves(curves, { law: 'mpl', optimizer: 'lbfgsb' });
    expect(converged.objective.value!).toBeLessThanOrEqual(adam.objective.value!);
    expect(() => fitCurves(curves, { law: 'mpl', optimizer: 'sgd' as never })).toThrow('optimizer: not "lbfgsb" or "adamw-early-stopped": "sgd"');
  });

  it('names law variants apart, so a saved fit predicts with the law it was fitted with', () => {
    const variant = momentumLaw({ increases: true });
    expect(variant.name).toBe('momentum-warmup');
    const fit = fitCurves(curves.slice(0, 2), { law: variant });
    const spec = schedules[2]!;
    const predicted = predictCurve(CurveFit.fromJSON(JSON.parse(JSON.stringify(fit))), spec, { every: 1000 });
    const { x } = curvePoints([{ schedule: spec, steps: predicted.steps }]);
    const direct = new Float64Array(x.length);
    variant.evaluate(fit.vector(), x, direct);
    expect(Array.from(predicted.loss)).toEqual(Array.from(direct));
    expect(multiPowerLaw({ increases: false }).name).toBe('mpl-no-warmup');
  });

  it('fits the momentum law with lambda fitted or fixed', () => {
    const free = fitCurves(curves, { law: 'momentum' });
    const fixed = fitCurves(curves, { law: 'momentum', fixed: { lambda: 0.999 } });
    expect(fixed.values.lambda).toBe(0.999);
    expect(fixed.params.filter((p) => p.fixed).map((p) => p.name)).toEqual(['lambda']);
    expect(free.objective.value!).toBeLessThanOrEqual(fixed.objective.value!);
  });

  it('reports lmfit-style statistics and correlations, as the scaling fit does, matching a hand computation', () => {
    // The synthetic curves with a deterministic +-0.2% wiggle; L0 and A free, the rest held at the truth.
    const noisy = curves.map((c, i) => ({ ...c, loss: Array.from(c.loss!, (v, j) => v * (1 + 0.002 * Math.sin(1.3 * j + i))) }));
    const [, , alpha, B, C, beta, gamma] = truth;
    const fit = fitCurves(noisy, { law: 'mpl', fixed: { alpha: alpha!, B: B!, C: C!, beta: beta!, gamma: gamma! }, date: '2026-12-03' });
    expect(fit.converged).toBe(true);
    const law = multiPowerLaw();
    const { x, y } = curvePoints(noisy);
    const n = y!.length;
    const at = (p: number[]) => {
      const out = new Float64Array(n);
      law.evaluate(Float64Array.from(p), x, out);
      return out;
    };
    const p = Array.from(fit.vector());
    const r = Array.from(at(p), (v, i) => Math.log(v) - Math.log(y![i]!));
    const rss = r.reduce((s, v) => s + v * v, 0);
    const st = fit.statistics!;
    expect(st).toMatchObject({ points: 180, free: 2, dof: 178, space: 'log' });
    expect(st.rss).toBeCloseTo(rss, 14);
    expect(st.rmse).toBeCloseTo(Math.sqrt(rss / n), 12);
    expect(st.maxAbsResidual).toBeCloseTo(Math.max(...r.map(Math.abs)), 12);
    expect(st.aic).toBeCloseTo(n * Math.log(rss / n) + 2 * 2, 9);
    expect(st.bic).toBeCloseTo(n * Math.log(rss / n) + 2 * Math.log(n), 9);
    // Covariance s^2 (J^T J)^-1 of (L0, A) from central differences of the log residuals.
    const J = [0, 1].map((j) => {
      const h = 1e-6 * Math.abs(p[j]!);
      const up = at(p.map((v, k) => (k === j ? v + h : v)));
      const down = at(p.map((v, k) => (k === j ? v - h : v)));
      return Array.from(up, (u, i) => (Math.log(u) - Math.log(down[i]!)) / (2 * h));
    });
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    const [f00, f01, f11] = [dot(J[0]!, J[0]!), dot(J[0]!, J[1]!), dot(J[1]!, J[1]!)];
    const det = f00 * f11 - f01 * f01;
    const s2 = rss / (n - 2);
    const se = [Math.sqrt((s2 * f11) / det), Math.sqrt((s2 * f00) / det)];
    const corr = -f01 / Math.sqrt(f00 * f11);
    expect(fit.params[0]!.covarianceStderr! / se[0]! - 1).toBeCloseTo(0, 5);
    expect(fit.params[1]!.covarianceStderr! / se[1]! - 1).toBeCloseTo(0, 5);
    expect(fit.params.slice(2).every((q) => q.fixed && q.covarianceStderr === undefined)).toBe(true);
    expect(fit.correlations).toHaveLength(1);
    expect(fit.correlations![0]!).toMatchObject({ a: 'L0', b: 'A' });
    expect(fit.correlations![0]!.r).toBeCloseTo(corr, 6);
    expect(Math.abs(corr)).toBeGreaterThan(0.1);

    const report = fit.report();
    expect(report).toContain('[[Fit Statistics]] (plain squared residuals in log space at the optimum)');
    expect(report).toMatch(/data points {2}180\n {4}variables {4}2\n {4}dof {10}178/);
    expect(report).toMatch(/L0 .*\(covariance: \+\/- [\d.e-]+\)/);
    expect(report).toMatch(/\[\[Correlations\]\][\s\S]*C\(L0, A\)\s+= [+-]0\.\d{4}/);
    expect(report.indexOf('[[Correlations]]')).toBeLessThan(report.indexOf('[[Curves]]'));
    const back = CurveFit.fromJSON(JSON.parse(JSON.stringify(fit)));
    expect(back.statistics).toEqual(fit.statistics);
    expect(back.correlations).toEqual(fit.correlations);
    expect(back.report()).toBe(report);
  });

  it('saves to JSON and loads again, predictions unchanged', () => {
    const fit = fitCurves(curves, { law: 'mpl', optimizer: 'adamw-early-stopped', resamples: 5, seed: 1, date: '2026-11-23' });
    const again = Fit.fromJSON(JSON.parse(JSON.stringify(fit))) as CurveFit;
    expect(again).toBeInstanceOf(CurveFit);
    expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(JSON.stringify(fit)));
    const spec = schedules[0]!;
    expect(again.predict(spec).loss).toEqual(predictCurve(fit, spec).loss);
    expect(predictCurve(again, spec).upper).toEqual(predictCurve(fit, spec).upper);
    expect(again.bootstrap!.samples.length).toBe(5);
    expect(again.params.every((p) => p.fixed || (p.stderr! >= 0 && p.interval![0] <= p.interval![1]))).toBe(true);
    expect(again.report()).toContain('multi-power law');
    expect(again.report()).toContain('[[Curves]]');
  });

  it('gives bootstrap bands that contain the central prediction, same seed same bands', () => {
    const a = fitCurves(curves.slice(0, 2), { law: 'momentum', resamples: 20, seed: 7, resampleBy: 'points' });
    const b = fitCurves(curves.slice(0, 2), { law: 'momentum', resamples: 20, seed: 7, resampleBy: 'points' });
    const spec: ScheduleSpec = { type: 'linear', ...base, final: 0 };
    const p = predictCurve(a, spec, { level: 0.8 });
    expect(p.lower).toBeDefined();
    expect(predictCurve(b, spec, { level: 0.8 }).upper).toEqual(p.upper);
    let inside = 0;
    p.loss.forEach((v, i) => {
      if (p.lower![i]! <= v + 1e-12 && v <= p.upper![i]! + 1e-12) inside++;
    });
    expect(inside / p.loss.length).toBeGreaterThan(0.9);
  });

  it('warns when a fit stops on its iteration cap, naming the optimizer, and says so in the report and the JSON', () => {
    const capped = fitCurves(curves, { law: 'mpl', lbfgsb: { maxIterations: 3 } });
    expect(capped.converged).toBe(false);
    const cap = capped.warnings!.find((w) => w.code === 'iteration-limit')!;
    expect(cap.message).toMatch(/^stopped on an iteration cap, not at an optimum: L-BFGS-B stopped on its limit of 3 iterations/);
    expect(capped.report()).toContain(`warning:     ${cap.message}`);
    expect(CurveFit.fromJSON(JSON.parse(JSON.stringify(capped))).warnings).toEqual(capped.warnings);
    // Luo et al.'s procedure on a cap too short for its patience rule.
    const adam = fitCurves(curves, { law: 'mpl', optimizer: 'adamw-early-stopped', adamw: { maxSteps: 5 } });
    expect(adam.warnings!.map((w) => w.message)).toContain('stopped on an iteration cap, not at an optimum: 4 of 4 early-stopped AdamW fits stopped on the 5-step cap');
  });

  it('warns about a parameter the curves cannot identify', () => {
    // A constant rate never drops: the multi-power law's loss-drop term is 0 whatever C, beta and gamma are.
    const constant = fitCurves([curves[1]!], { law: 'mpl-no-warmup' });
    const flagged = constant.warnings!.filter((w) => w.code === 'not-identified').map((w) => w.parameter);
    expect(flagged.length).toBeGreaterThan(0);
    for (const name of flagged) expect(['B', 'C', 'beta', 'gamma']).toContain(name);
    expect(constant.report()).toMatch(/not identified/);
  });

  it('rejects fewer points than parameters', () => {
    const short = { ...curves[0]!, steps: [1000, 2000, 3000], loss: [3.5, 3.4, 3.3] };
    expect(() => fitCurves([short], { law: 'mpl' })).toThrow('curves: 3 points, fewer than the 7 free parameters of law "mpl"');
  });

  it('rejects a curve whose steps run past its schedule', () => {
    const long = { ...curves[0]!, steps: [1000, 9000], loss: [3.5, 3.3] };
    expect(() => fitCurves([long], { law: 'mpl' })).toThrow('curve 1: row 2: step 9000 runs past the schedule, which has 8000 steps (0..7999)');
  });

  it('rejects a curve without losses and a loaded file of another kind', () => {
    expect(() => fitCurves([{ schedule: schedules[0]!, steps: [1, 2] }])).toThrow('curve 1: no losses to fit');
    expect(() => CurveFit.fromJSON({ kind: 'scaling-fit' }, 'fit.json')).toThrow('fit.json: kind must be "curve-fit", got "scaling-fit"');
    expect(() => Fit.fromJSON({ kind: 'plan' }, 'plan.json')).toThrow('plan.json: kind must be "scaling-fit" or "curve-fit"; got "plan"');
  });
});
