import { describe, expect, it } from 'vitest';
import { loadFit } from '../../src/fit/load.js';
import { PUBLISHED_REPETITION, combineRepetition, dataConstrainedOptimum, dataConstrainedSummary, repetitionRangeWarnings, uniqueTokenOptimum } from '../../src/plan/data-constrained.js';
import { chinchillaOptimal } from '../../src/plan/optimal.js';
import { plan } from '../../src/plan/planner.js';
import { runCli } from '../cli/run-cli.js';

const FIT = 'fits/chinchilla-epoch2024.json';
const C4 = { A: Math.exp(6.255414), B: Math.exp(7.3049974), E: Math.exp(0.6254804), alpha: 0.3526596, beta: 0.3526596, RD: 15.387756, RN: 5.309743 };

describe('dataConstrainedOptimum', () => {
  it("finds the README's allocation at 1e22 FLOPs and 25B unique tokens (their 500-point grid: 1%)", () => {
    // optimal_allocation(10**22, 25e9): 237336955477.55 tokens, 9.4935 epochs, 7022364735.88 parameters
    const a = dataConstrainedOptimum(C4, 1e22, 25e9);
    expect(Math.abs(a.N / 7022364735.879969 - 1)).toBeLessThan(0.01);
    expect(Math.abs(a.D / 237336955477.55075 - 1)).toBeLessThan(0.01);
    expect(Math.abs(a.epochs / 9.49347821910203 - 1)).toBeLessThan(0.01);
  });

  it("is Chinchilla's optimum when that needs no more than the unique tokens", () => {
    const fresh = chinchillaOptimal(C4, 1e21);
    expect(dataConstrainedOptimum(C4, 1e21, fresh.D * 1.01)).toMatchObject({ N: fresh.N, D: fresh.D, loss: fresh.loss });
  });

  it('refuses bad budgets, naming the option', () => {
    expect(() => dataConstrainedOptimum(C4, 1e21, 0)).toThrow('uniqueTokens: must be a positive finite number, got 0');
    expect(() => dataConstrainedOptimum(C4, -1, 1e9)).toThrow('compute: must be a positive finite number, got -1');
    expect(() => dataConstrainedOptimum({ ...C4, RD: 0 }, 1e21, 1e9)).toThrow('data-constrained law: parameter RD must be positive and finite for the data-constrained law, got 0');
  });
});

describe('plan under a unique-token budget (bundled Chinchilla fit, published R_D*, R_N*)', () => {
  const scaling = loadFit(FIT);
  const C = 1e22;
  const base = plan({ budget: { compute: C }, fits: [{ fit: scaling, source: FIT }] });
  const under = (U: number) => plan({ budget: { compute: C }, fits: [{ fit: scaling, source: FIT }], optimum: uniqueTokenOptimum(PUBLISHED_REPETITION, U) });

  it('differs from the unconstrained plan when U is small: fewer parameters, more tokens, several epochs, higher loss', () => {
    const U = 25e9;
    const p = under(U);
    expect(p.model.N.value).toBeLessThan(0.9 * base.model.N.value);
    expect(p.model.D.value).toBeGreaterThan(1.1 * base.model.D.value);
    expect(p.model.D.value / U).toBeGreaterThan(base.model.D.value / U);
    expect(p.model.loss.value).toBeGreaterThan(base.model.loss.value);
    // Intervals from the fit's 1,000 resamples, paired with the fixed R_D*, R_N*.
    expect(p.model.N.lower).toBeLessThan(p.model.N.value);
    expect(p.model.N.upper).toBeGreaterThan(p.model.N.value);
    const s = dataConstrainedSummary(combineRepetition(scaling, PUBLISHED_REPETITION, FIT), C, U);
    expect(s.binding).toBe(true);
    expect(s.constrained.N).toBeCloseTo(p.model.N.value, 0);
    expect(s.constrained.epochs).toBeGreaterThan(5);
    expect(s.floor).toBeLessThan(s.constrained.loss);
    expect(s.stopsPaying!.C).toBeGreaterThan(C);
    expect(s.pastStop).toBe(false);
    expect(repetitionRangeWarnings(s, PUBLISHED_REPETITION)).toEqual([]);
    const far = dataConstrainedSummary(combineRepetition(scaling, PUBLISHED_REPETITION, FIT), 1e27, 1e13);
    expect(repetitionRangeWarnings(far, PUBLISHED_REPETITION)[0]).toBe('unique tokens U = 1.00e13 is 56.2x the largest in the runs R_D*, R_N* were fitted on (1.78e11)');
    expect(repetitionRangeWarnings(s, { ...PUBLISHED_REPETITION, range: undefined })[0]).toMatch(/^the runs published: Muennighoff .* cannot be said$/);
  });

  it('equals the unconstrained plan when U is large', () => {
    const p = under(1e14);
    expect(p.model.N).toEqual(base.model.N);
    expect(p.model.D).toEqual(base.model.D);
    expect(p.model.loss).toEqual(base.model.loss);
    const s = dataConstrainedSummary(combineRepetition(scaling, PUBLISHED_REPETITION, FIT), C, 1e14);
    expect(s.binding).toBe(false);
    expect(s.constrained).toEqual(s.unconstrained);
  });

  it('says when the budget is past the point where more compute stops paying', () => {
    const s = dataConstrainedSummary(combineRepetition(scaling, PUBLISHED_REPETITION, FIT), C, 1e9);
    expect(s.pastStop).toBe(true);
    expect(s.stopsPaying!.gain).toBeLessThan(0.1 * s.stopsPaying!.freshGain);
    expect(s.constrained.loss - s.floor).toBeLessThan(1e-3);
  });
});

describe('scalelaw plan --unique-tokens', () => {
  it('prints the data-constrained plan with epochs beside the unconstrained one, and JSON', () => {
    const { code, stdout, stderr } = runCli(['plan', '--compute', '1e22', '--fit', FIT, '--no-backtest', '--unique-tokens', '25e9', '--json']);
    expect(code, stderr).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.dataConstrained.uniqueTokens).toBe(25e9);
    expect(json.dataConstrained.binding).toBe(true);
    expect(json.model.N.value).toBeCloseTo(json.dataConstrained.constrained.N, 0);
    expect(json.model.N.value).toBeLessThan(json.dataConstrained.unconstrained.N);
    expect(json.warnings.join('\n')).toContain('intervals under --unique-tokens hold R_D* and R_N* at published: Muennighoff et al. 2023');
    const text = runCli(['plan', '--compute', '1e22', '--fit', FIT, '--no-backtest', '--unique-tokens', '25e9']);
    expect(text.stdout).toMatch(/data-constrained optimum: N = \S+, D = \S+ \(\S+ epochs\), loss \S+/);
    expect(text.stdout).toMatch(/more compute stops paying at \S+ FLOPs/);
  });

  it('refuses bad values with one-line messages and exit code 2', () => {
    const cases: [string[], string][] = [
      [['--unique-tokens', '0'], 'scalelaw: --unique-tokens: must be at least 1 token; got 0\n'],
      [['--repetition-fit', FIT], 'scalelaw: --repetition-fit: needs --unique-tokens\n'],
      [['--unique-tokens', '1e9', '--repetition-fit', FIT], `scalelaw: ${FIT}: a repetition fit must be of law data-constrained; got law "chinchilla"\n`],
      [['--unique-tokens', '1e9', '--repetition-fit', 'no-such.json'], 'scalelaw: --repetition-fit: no such file: "no-such.json"\n'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = runCli(['plan', '--compute', '1e22', '--fit', FIT, '--no-backtest', ...args]);
      expect(stderr).toBe(message);
      expect(code).toBe(2);
    }
  });
});
