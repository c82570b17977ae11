import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { ScalingFit, type FitParam } from '../../src/fit/result.js';
import { floorInterval, formatRange, honestFitReport, rangeOf, rangeWarnings } from '../../src/plan/honesty.js';
import { computeOptimal } from '../../src/plan/optimal.js';
import { plan } from '../../src/plan/planner.js';
import { planReport, withInterval } from '../../src/plan/plan-report.js';
import { runCli } from '../cli/run-cli.js';

const NAMES = ['A', 'B', 'E', 'alpha', 'beta'];
const param = (name: string, value: number, extra: Partial<FitParam> = {}): FitParam => ({
  name,
  value,
  min: name === 'alpha' || name === 'beta' ? -Infinity : 0,
  max: Infinity,
  fixed: false,
  atBound: false,
  ...extra,
});

/** A small synthetic Chinchilla fit: values, and resamples whose E spreads by `seE` (so intervals can cross a floor). */
function syntheticFit(values = [400, 1500, 1.0, 0.35, 0.35], options: { resamples?: number; seE?: number; params?: FitParam[] } = {}): ScalingFit {
  const { resamples = 100, seE = 0.3 } = options;
  const r = rng(3);
  const samples = Array.from({ length: resamples }, () => values.map((v, j) => (j === 2 ? Math.max(0, v + seE * r.normal()) : v)));
  return new ScalingFit({
    law: 'chinchilla',
    inputs: ['N', 'D'],
    params: options.params ?? NAMES.map((n, j) => param(n, values[j]!)),
    objective: { loss: 'huber', settings: { delta: 1e-3 }, space: 'log', value: 0 },
    converged: true,
    message: 'synthetic',
    starts: { count: 1, converged: 1 },
    data: { source: 'synthetic runs', rows: 12 },
    date: '2026-12-03',
    ...(resamples > 0 ? { bootstrap: { resamples, seed: 3, level: 0.9, starts: 1, unconverged: 0, samples } } : {}),
  });
}
const range = { N: [1e6, 1e8] as const, D: [1e7, 1e9] as const, C: [6e13, 6e17] as const, source: 'synthetic runs' };

describe('range warnings', () => {
  it('say how far past the largest (or below the smallest) fitted value, with the margin', () => {
    expect(rangeWarnings(range, { N: 5e9, D: 5e9, C: 1.2e20 })).toEqual([
      'N (parameters) = 5.00e9 is 50x the largest fitted (1.00e8; margin 10x): an extrapolation the fitted points cannot check',
      'compute C = 1.20e20 is 200x the largest fitted (6.00e17; margin 100x): an extrapolation the fitted points cannot check',
    ]);
    expect(rangeWarnings(range, { N: 5e4 })).toEqual(['N (parameters) = 50000 is 20x below the smallest fitted (1.00e6; margin 10x): outside the fitted range']);
    expect(rangeWarnings(range, { N: 9e8, D: 9e9, C: 5e19 })).toEqual([]);
    expect(rangeOf({ N: [1e6, 1e8], D: [1e7, 1e9] }, 'x')).toEqual({ N: [1e6, 1e8], D: [1e7, 1e9], C: [6e13, 6e17], source: 'x' });
  });
});

describe('floors', () => {
  it('clip an interval at a known floor with a note, and flag one below the fitted E', () => {
    expect(floorInterval({ value: 1.1, lower: 0.42, upper: 1.5 }, { floor: { value: 0.9949, source: "the language's entropy rate" }, share: 0.25 })).toEqual({
      value: 1.1,
      lower: 0.9949,
      upper: 1.5,
      clippedFrom: 0.42,
      warnings: ["loss interval clipped at 0.9949 (the language's entropy rate): its lower end was 0.42, 25% of resamples predicted less than the floor"],
    });
    expect(floorInterval({ value: 1.9, lower: 1.7, upper: 2 }, { fittedE: 1.8 }).warnings).toEqual([
      "loss interval's lower end 1.7 lies below the fitted irreducible loss E = 1.8: resamples with a smaller E pull it down; the lower end is no firmer than E itself",
    ]);
    const below = floorInterval({ value: 0.98, lower: 0.9, upper: 1.1 }, { floor: { value: 0.9949, source: 'the entropy rate' } });
    expect(below.lower).toBe(0.98);
    expect(below.warnings[0]).toBe('predicted loss 0.98 lies below the entropy rate 0.9949, which no model can beat: the fit is off by at least 0.0149');
  });
});

describe('non-finite numbers', () => {
  it('read "not identified", never Infinity or NaN', () => {
    expect(withInterval({ value: 2, lower: 1, upper: Infinity })).toBe('2  [interval not identified]');
    expect(formatRange([Number.NaN, 1])).toBe('not identified');
    const fit = syntheticFit(undefined, {
      resamples: 0,
      params: NAMES.map((n, j) => param(n, [400, 5.4e7, 1, 0.35, 0.35][j]!, n === 'B' ? { stderr: Infinity, interval: [1e6, Infinity] } : { stderr: 0.01 })),
    });
    const report = honestFitReport(fit);
    expect(report).toContain('B      5.4000e7 +/- not identified (the resamples do not pin it down)  interval not identified (resamples ranged 1.000e6 to unbounded)');
    expect(report).not.toMatch(/Infinity|NaN/);
    // A finite but absurd percentile interval of an unidentified parameter is evidence, not an answer.
    const absurd = syntheticFit(undefined, {
      resamples: 0,
      params: NAMES.map((n, j) => param(n, [400, 5.4e7, 1, 0.35, 0.35][j]!, n === 'B' ? { stderr: Infinity, interval: [1.407, 9.2e106] } : { stderr: 0.01 })),
    });
    expect(honestFitReport(absurd)).not.toMatch(/B .*\[1\.407/);
    expect(honestFitReport(absurd)).toContain('interval not identified (resamples ranged 1.407 to 9.200e106)');
    // ScalingFit.report itself (what `scalelaw fit` prints) says the same.
    expect(absurd.report()).toMatch(/B .*interval not identified \(resamples ranged 1\.407\d* to 9\.2\d*e\+?106\)/);
    expect(fit.report()).toContain('to unbounded)');
    const withE = syntheticFit(undefined, { resamples: 0, params: NAMES.map((n, j) => param(n, [400, 1500, 1.003, 0.35, 0.35][j]!, n === 'E' ? { stderr: 0.4, interval: [1.9e-9, 1.011] } : {})) });
    expect(honestFitReport(withE, { value: 0.9949, source: 'the entropy rate' })).toContain('E      1.003 +/- 0.4  [0.9949, 1.011] (clipped at the entropy rate 0.9949; resamples reached 1.900e-9)');
  });
});

describe('the plan', () => {
  it('clips the loss interval at the entropy rate and says how far it extrapolates', () => {
    const fit = syntheticFit();
    const p = plan({ budget: { compute: 1e21 }, fits: [fit], range, floor: { value: 0.9949, source: "the language's entropy rate" } });
    expect(p.model.loss.lower).toBeGreaterThanOrEqual(0.9949);
    expect(p.warnings.some((w) => w.startsWith("final loss interval clipped at 0.9949 (the language's entropy rate): its lower end was "))).toBe(true);
    expect(p.warnings.some((w) => /^compute C = 1\.00e21 is 1700x the largest fitted \(6\.00e17; margin 100x\)/.test(w))).toBe(true);
    expect(p.warnings.some((w) => w.startsWith('N (parameters) = '))).toBe(true);
    const report = planReport(p);
    expect(report).toContain('(interval clipped at the floor; see warnings)');
    expect(report).toContain('\nWarnings\n  - ');
    expect(JSON.parse(JSON.stringify(p)).warnings).toEqual(p.warnings);
  });

  it('states a predictive interval from the backtest: the loss within its error quantile, joined with the bootstrap interval, clipped at the floor', () => {
    const point = (relativeError: number) => ({ N: 1e9, D: 2e10, loss: 3, predicted: 3 * (1 + relativeError), relativeError });
    // |errors| 0.01 ... 0.10: the 90% quantile (linear interpolation over 10 values) is 0.091.
    const errors = [0.01, -0.02, 0.03, -0.04, 0.05, -0.06, 0.07, -0.08, 0.09, -0.1];
    const cut = {
      trainMaxN: 5e8,
      largestTrainN: 5e8,
      trainRows: 9,
      trainSizes: 3,
      converged: true,
      values: {},
      sizes: [{ N: 1e9, rows: 10, ratio: 2, meanRelativeError: 0.055, bias: 0 }],
      points: errors.map(point),
      meanRelativeError: 0.055,
    };
    const backtest = {
      kind: 'scaling-backtest' as const,
      version: 1 as const,
      law: 'chinchilla',
      data: { source: 'synthetic', rows: 19 },
      objective: { loss: 'huber', settings: {}, space: 'log' as const },
      fixed: {},
      date: '2026-12-03',
      level: 0.9,
      bootstrap: 0,
      seed: 0,
      cuts: [cut],
      heldOut: 10,
      meanRelativeError: 0.055,
    };
    const p = plan({ budget: { compute: 1e21 }, fits: [syntheticFit()], range, level: 0.9, backtest });
    const q = p.model.predictive!;
    expect(q.errorQuantile).toBeCloseTo(0.091, 12);
    const l = p.model.loss;
    expect(q.lower).toBeCloseTo(Math.min(l.lower!, l.value / 1.091), 12);
    expect(q.upper).toBeCloseTo(Math.max(l.upper!, l.value / (1 - 0.091)), 12);
    expect(planReport(p)).toContain('predictive interval');
    // The plan reaches much further than the backtest did (2x), and says so.
    expect(p.warnings.some((w) => w.includes('the backtest reached 2x'))).toBe(true);
    const floored = plan({ budget: { compute: 1e21 }, fits: [syntheticFit()], range, level: 0.9, backtest, floor: { value: 1.2, source: 'a floor' } });
    expect(floored.model.predictive!.lower).toBeGreaterThanOrEqual(1.2);
  });

  it('flags a loss interval below the fitted E when no floor is known, and an unknown range', () => {
    const p = plan({ budget: { compute: 1e21 }, fits: [syntheticFit()] });
    expect(p.warnings).toContain('the fitted range of synthetic runs is unknown (its data were not found), so how far this plan extrapolates cannot be said');
    expect(p.warnings.some((w) => w.startsWith("final loss interval's lower end ") && w.includes('lies below the fitted irreducible loss E = 1'))).toBe(true);
    expect(p.backtest).toBeUndefined();
  });

  it('states the backtest error beside the predicted loss', () => {
    const backtest = {
      kind: 'scaling-backtest',
      version: 1,
      law: 'chinchilla',
      data: { source: 'synthetic runs', rows: 12 },
      objective: { loss: 'huber', settings: { delta: 1e-3 }, space: 'log' },
      fixed: {},
      date: '2026-12-03',
      level: 0.9,
      bootstrap: 10,
      seed: 0,
      heldOut: 4,
      meanRelativeError: 0.0123,
      coverage: 0.5,
      cuts: [
        {
          trainMaxN: 5e7,
          largestTrainN: 5e7,
          trainRows: 8,
          trainSizes: 4,
          converged: true,
          values: {},
          points: [],
          meanRelativeError: 0.0123,
          coverage: 0.5,
          sizes: [{ N: 1e8, rows: 4, ratio: 2, meanRelativeError: 0.0123, bias: -0.01, coverage: 0.5 }],
        },
      ],
    } as const;
    const p = plan({ budget: { compute: 1e18 }, fits: [syntheticFit()], range, backtest });
    expect(p.backtest?.meanRelativeError).toBe(0.0123);
    const report = planReport(p);
    expect(report).toContain('  backtest error      1.23% mean relative error   90% intervals covered 50.0% of 4 held-out runs (rolling backtest, below)');
    expect(report).toContain('    fit on N <= 5.00e7: predicting up to 2x the largest fitted, mean relative error 1.23%, coverage 50.0%');
  });

  it('refuses impossible answers: E = -5, and a budget too small for one parameter', () => {
    const negative = syntheticFit([400, 1500, -5, 0.35, 0.35], { resamples: 0, params: NAMES.map((n, j) => param(n, [400, 1500, -5, 0.35, 0.35][j]!, n === 'E' ? { min: -10 } : {})) });
    expect(() => plan({ budget: { compute: 1e21 }, fits: [negative] })).toThrow(
      'synthetic runs: parameter E = -5 lies outside the bounds of law "chinchilla" [0, Infinity]: an irreducible loss below 0 would predict negative losses',
    );
    expect(() => plan({ budget: { compute: 1 }, fits: [syntheticFit()] })).toThrow(
      /^budget: 1 FLOPs is too small: the compute-optimal model of synthetic runs would have N = [\d.e-]+ parameters and D = [\d.e-]+ tokens, fewer than one$/,
    );
    expect(() => computeOptimal(syntheticFit(), 1)).toThrow(
      /^compute: 1 FLOPs is too small: the compute-optimal model would have N = [\d.e-]+ parameters and D = [\d.e-]+ tokens, fewer than one; no model trains on this budget$/,
    );
  });
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-honest-'));
  const write = (name: string, fit: ScalingFit) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(fit));
    return path;
  };

  it('predict --json lists warnings; optimal refuses --compute 1 and warns at 1e100; a fit with E = -5 is refused', () => {
    const fit = write('fit.json', syntheticFit());
    const predicted = runCli(['predict', '--fit', fit, '--N', '1e12', '--D', '1e13', '--json']);
    expect(predicted.code).toBe(0);
    const json = JSON.parse(predicted.stdout) as { warnings: string[] };
    expect(json.warnings[0]).toMatch(/^the fitted range is unknown \(the fit's data source "synthetic runs" is not a file here\)/);
    expect(json.warnings.some((w) => w.includes('lies below the fitted irreducible loss E = 1'))).toBe(true);

    const tiny = runCli(['optimal', '--fit', fit, '--compute', '1']);
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toMatch(/^scalelaw: compute: 1 FLOPs is too small: the compute-optimal model would have N = /);

    const huge = runCli(['optimal', '--fit', 'fits/chinchilla-epoch2024.json', '--compute', '1e100', '--json']);
    expect(huge.code).toBe(0);
    const rows = JSON.parse(huge.stdout) as { warnings: string[] }[];
    expect(rows[0]!.warnings).toContain('compute C = 1.00e100 is 7.7e77x the largest fitted (1.30e22; margin 100x): an extrapolation the fitted points cannot check');

    const bad = write('bad.json', syntheticFit([400, 1500, -5, 0.35, 0.35], { resamples: 0, params: NAMES.map((n, j) => param(n, [400, 1500, -5, 0.35, 0.35][j]!, n === 'E' ? { min: -10 } : {})) }));
    const refused = runCli(['predict', '--fit', bad, '--N', '1e9', '--D', '2e10']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`scalelaw: ${bad}: parameter E = -5 lies outside the bounds of law "chinchilla" [0, Infinity]: an irreducible loss below 0 would predict negative losses\n`);
  }, 60_000);
});
