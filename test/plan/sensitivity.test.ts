import { describe, expect, it } from 'vitest';
import { loadFit } from '../../src/fit/load.js';
import { PUBLISHED_REPETITION } from '../../src/plan/data-constrained.js';
import { chinchillaOptimal } from '../../src/plan/optimal.js';
import { planSensitivity, sensitivityReport } from '../../src/plan/sensitivity.js';
import { runCli } from '../cli/run-cli.js';

const FIT = 'fits/chinchilla-epoch2024.json';

describe('planSensitivity', () => {
  const fit = loadFit(FIT);
  const se = (name: string) => fit.params.find((p) => p.name === name)!.stderr!;

  it('moves E, alpha and beta by one standard error each way, largest change in loss first', () => {
    const s = planSensitivity(fit, 1e22);
    expect(s.base.N).toBeCloseTo(chinchillaOptimal(fit.values as never, 1e22).N, 0);
    expect(s.rows).toHaveLength(6);
    for (let i = 1; i < s.rows.length; i++) expect(Math.abs(s.rows[i]!.deltaLoss)).toBeLessThanOrEqual(Math.abs(s.rows[i - 1]!.deltaLoss));
    // E moves the loss one for one and leaves N where it is (Hoffmann et al. 2022, eq. 4 has no E).
    const e = s.rows.filter((r) => r.assumption === 'irreducible loss E');
    expect(e.map((r) => r.deltaLoss).sort((a, b) => a - b)).toEqual([-se('E'), se('E')].map((x) => expect.closeTo(x, 12)));
    for (const r of e) expect(r.relativeN).toBeCloseTo(0, 12);
    expect(s.notAssessed[0]).toBe('data repetition: no unique-token budget given (--unique-tokens)');
  });

  it('adds R_D* and R_N* halved and doubled under a unique-token budget', () => {
    const s = planSensitivity(fit, 1e22, { uniqueTokens: 25e9, repetition: PUBLISHED_REPETITION });
    expect(s.rows).toHaveLength(10);
    const rd = s.rows.filter((r) => r.assumption === 'repeated-data decay R_D*');
    expect(rd.map((r) => r.setting).sort()).toEqual(['x 0.5 (7.69)', 'x 2 (30.8)']);
    // Repeated data worth less (R_D* halved): a higher loss.
    expect(rd.find((r) => r.setting.startsWith('x 0.5'))!.deltaLoss).toBeGreaterThan(0);
    expect(sensitivityReport(s)).toMatch(/^Sensitivity: what moves the answer \(N = 6\.66e9, loss 2\.179\) most, largest first\n/);
  });

  it('prints through scalelaw plan --sensitivity', () => {
    const { code, stdout, stderr } = runCli(['plan', '--compute', '1e22', '--no-backtest', '--sensitivity', '--json']);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).sensitivity.rows).toHaveLength(6);
  });
});
