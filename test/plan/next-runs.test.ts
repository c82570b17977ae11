import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { bootstrap, predictInterval } from '../../src/fit/bootstrap.js';
import { fitLaw } from '../../src/fit/fit.js';
import type { ScalingFit } from '../../src/fit/result.js';
import { nextRunsReport, rankNextRuns } from '../../src/plan/next-runs.js';
import { runCli } from '../cli/run-cli.js';

// Known truth: Hoffmann et al. 2022's published Chinchilla fit; runs observed with 1% log-normal noise.
const TRUTH = { A: 406.4, B: 410.7, E: 1.69, alpha: 0.34, beta: 0.28 };
const lossOf = (N: number, D: number) => TRUTH.E + TRUTH.A / N ** TRUTH.alpha + TRUTH.B / D ** TRUTH.beta;
const TARGET = { N: 1e9, D: 2e10 };
const NOISE = 0.01;

function proxies(seed: number) {
  const r = rng(seed);
  const N: number[] = [],
    D: number[] = [],
    loss: number[] = [];
  for (const n of [1e7, 2e7, 4e7])
    for (const ratio of [5, 20, 80]) {
      N.push(n);
      D.push(ratio * n);
      loss.push(lossOf(n, ratio * n) * Math.exp(NOISE * r.normal()));
    }
  return { N, D, loss };
}

const fitOn = (d: { N: number[]; D: number[]; loss: number[] }, start: Record<string, number>) =>
  fitLaw('chinchilla', { inputs: { N: d.N, D: d.D }, loss: d.loss, source: 'synthetic' }, { starts: [start, TRUTH], threads: 1 });

/** Width of the 90% bootstrap interval of the target's loss after adding one noisy run at (N, D). */
async function widthAfter(d: { N: number[]; D: number[]; loss: number[] }, fit: ScalingFit, run: { N: number; D: number }, seed: number): Promise<number> {
  const r = rng(1000 + seed);
  const more = { N: [...d.N, run.N], D: [...d.D, run.D], loss: [...d.loss, lossOf(run.N, run.D) * Math.exp(NOISE * r.normal())] };
  const refit = await fitOn(more, fit.values);
  const withSamples = await bootstrap(refit, { inputs: { N: more.N, D: more.D }, loss: more.loss }, { resamples: 100, seed, level: 0.9, threads: 1 });
  const band = predictInterval(withSamples, TARGET);
  return band.upper[0]! - band.lower[0]!;
}

describe('rankNextRuns', () => {
  it('on a known truth, the top-ranked run narrows the bootstrap interval of the target more than a random candidate in most seeds', async () => {
    let wins = 0;
    const seeds = 8;
    for (let seed = 0; seed < seeds; seed++) {
      const d = proxies(seed);
      const fit = await fitOn(d, TRUTH);
      const ranking = rankNextRuns(fit, d, TARGET, { count: 1000 });
      expect(ranking.ranked.length).toBe(ranking.scored);
      const top = ranking.ranked[0]!;
      const random = ranking.ranked[Math.floor(rng(500 + seed).next() * ranking.ranked.length)]!;
      const [wTop, wRandom] = [await widthAfter(d, fit, top, seed), await widthAfter(d, fit, random, seed)];
      if (wTop < wRandom) wins++;
    }
    expect(wins).toBeGreaterThan(seeds / 2);
  }, 120_000);

  it('ranks best first with costs, counts seeds of repeated configurations, and reports', async () => {
    const d = proxies(0);
    const fit = await fitOn(d, TRUTH);
    const r = rankNextRuns(fit, d, TARGET, { count: 5 });
    expect(r.ranked).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(r.ranked[i]!.narrowing).toBeLessThanOrEqual(r.ranked[i - 1]!.narrowing);
    for (const c of r.ranked) expect(c.cost).toBeCloseTo(6 * c.N * c.D, 0);
    expect(r.sdNow).toBeGreaterThan(0);
    expect(r.noise).toBeGreaterThan(0.002);
    const repeat = rankNextRuns(fit, d, TARGET, { candidates: [{ N: 1e7, D: 5e7 }] }).ranked[0]!;
    expect(repeat.seed).toBe(2);
    expect(nextRunsReport(r)).toMatch(/^Next runs: which proxy runs narrow the loss prediction at N = 1\.00e9, D = 2\.00e10 most/);
  });

  it('refuses bad options, naming them', async () => {
    const d = proxies(0);
    const fit = await fitOn(d, TRUTH);
    expect(() => rankNextRuns(fit, d, TARGET, { count: 0 })).toThrow('count: must be a positive integer, got 0');
    expect(() => rankNextRuns(fit, d, TARGET, { maxCost: 1 })).toThrow('maxCost: no candidate costs 1 FLOPs or less');
    expect(() => rankNextRuns(fit, { N: d.N.slice(0, 4), D: d.D.slice(0, 4), loss: d.loss.slice(0, 4) }, TARGET)).toThrow('data: 4 runs for 5 free parameters');
  });

  it("scalelaw plan --next-runs ranks runs on the bundled fit's data, cheaper than a tenth of the target", () => {
    const { code, stdout, stderr } = runCli(['plan', '--compute', '1e22', '--next-runs', '3', '--no-backtest', '--json']);
    expect(code, stderr).toBe(0);
    const { nextRuns, model } = JSON.parse(stdout);
    expect(nextRuns.ranked).toHaveLength(3);
    expect(nextRuns.target.N).toBe(model.N.value);
    for (const r of nextRuns.ranked) expect(r.cost).toBeLessThanOrEqual(0.1 * 6 * model.N.value * model.D.value);
    const bad = runCli(['plan', '--compute', '1e22', '--next-runs', '0', '--no-backtest']);
    expect(bad.stderr).toBe('scalelaw: --next-runs: must be a positive integer; got 0\n');
    expect(bad.code).toBe(2);
  });
});
