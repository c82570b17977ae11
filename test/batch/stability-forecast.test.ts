import { describe, expect, it } from 'vitest';
import { stabilityForecast, stabilityVariant } from '../../src/batch/stability-forecast.js';
import { rng } from '../../src/core/rng.js';
import type { Run } from '../../src/core/run.js';

// Synthetic sweeps with a known divergence threshold lr* = 0.1 (N / 1e6)^-0.35: a run trains (loss 5
// to 3) below it and diverges above it; the largest attention logit grows as lr^0.5.
const threshold = (N: number) => 0.1 * (N / 1e6) ** -0.35;
const rates = Array.from({ length: 13 }, (_, k) => 10 ** (-3 + k / 4));
function sweep(N: number): Run[] {
  return rates.map((lr, k) => {
    const trained = lr < threshold(N);
    return {
      config: { id: `N${N}-lr${k}`, family: 'synthetic', N, schedule: { type: 'constant', peak: lr, steps: 100 } },
      trajectory: trained
        ? [
            { step: 0, trainLoss: 5, maxAttentionLogit: 10 * Math.sqrt(lr / 1e-3) },
            { step: 100, trainLoss: 3, maxAttentionLogit: 20 * Math.sqrt(lr / 1e-3) },
          ]
        : [{ step: 0, trainLoss: 5 }],
      summary: trained ? { status: 'finished', steps: 100, finalTrainLoss: 3 } : { status: 'diverged', steps: 40, reason: 'loss not finite' },
    };
  });
}

describe('stabilityForecast', () => {
  const sizes = [1e6, 4e6, 1.6e7];
  const next = 6.4e7;
  const f = stabilityForecast(sizes.flatMap(sweep), { metric: 'trainLoss', at: next });

  it('brackets each size’s threshold by its sweep and recovers the trend', () => {
    for (const s of f.sizes) {
      expect(s.stableLr!).toBeLessThan(threshold(s.N));
      expect(s.divergedLr!).toBeGreaterThanOrEqual(threshold(s.N));
      expect(s.divergedLr! / s.stableLr!).toBeCloseTo(10 ** 0.25, 10);
      expect(s.attentionGrowth!).toBeCloseTo(0.5, 10);
    }
    expect(f.trend!.e).toBeLessThan(-0.2);
    expect(f.trend!.e).toBeGreaterThan(-0.5);
  });

  it('predicts the next size’s threshold within a factor 1.5 of the one its own sweep measures', () => {
    const measured = stabilityForecast(sweep(next), { metric: 'trainLoss' }).sizes[0]!.threshold!;
    const ratio = f.forecast!.threshold / measured;
    expect(ratio).toBeLessThan(1.5);
    expect(ratio).toBeGreaterThan(1 / 1.5);
    const [lo, hi] = f.forecast!.interval;
    expect(lo).toBeLessThanOrEqual(threshold(next));
    expect(hi).toBeGreaterThanOrEqual(threshold(next));
    expect(f.sentence).toMatch(
      /^At N = 64000000, LR above [0-9.e+-]+ is predicted to diverge \(90% interval [0-9.e+-]+-[0-9.e+-]+; threshold = [0-9.e+-]+ N\^-0\.[0-9]+ from 3 proxy sizes(, scatter about it x[0-9.]+)?\)\.$/,
    );
  });

  it('says when a sweep never diverged or never trained, and needs two bracketed sizes for a trend', () => {
    const open = sweep(1e6).filter((r) => r.summary!.status !== 'diverged');
    const g = stabilityForecast(open, { metric: 'trainLoss', at: 1e7 });
    expect(g.trend).toBeUndefined();
    const top = Math.max(...open.map((r) => (r.config.schedule as { peak: number }).peak));
    expect(g.notes).toContain(`N = 1000000: no run above ${top} diverged; the threshold is above the sweep`);
    expect(g.notes).toContain('0 size(s) with a bracketed threshold: a trend needs 2');
    expect(() => stabilityForecast([], {})).toThrow('runs: no runs given');
  });

  it('reads every seed of a size on its own rates: threshold per seed, their geometric mean and spread', () => {
    // Three seeds, each bisected to its own bracket around its own threshold.
    const truth = [0.2, 0.4, 0.8];
    const runs = truth.flatMap((t, seed) =>
      [t / 2, t / 1.1, t * 1.1, t * 2].map((lr, k) => ({
        config: { id: `s${seed}-${k}`, family: 'synthetic', N: 1e6, seed, schedule: { type: 'constant' as const, peak: lr, steps: 100 } },
        trajectory: [{ step: 10, trainLoss: 5 }, ...(lr < t ? [{ step: 100, trainLoss: 3 }] : [])],
        summary: lr < t ? { status: 'finished' as const, steps: 100, finalTrainLoss: 3 } : { status: 'diverged' as const, steps: 20 },
      })),
    );
    const s = stabilityForecast(runs, { metric: 'trainLoss' }).sizes[0]!;
    expect(s.seeds.map((q) => q.seed)).toEqual([0, 1, 2]);
    s.seeds.forEach((q, i) => expect(q.threshold).toBeCloseTo(truth[i]!, 12));
    expect(s.threshold).toBeCloseTo(0.4, 12);
    expect(s.spread).toBeCloseTo(Math.log(2), 12);
    expect(s.points.filter((p) => p.trained)).toHaveLength(6);
  });

  it('counts a run that ends at or above the loss at initialisation as not trained, though it did not diverge', () => {
    // The top rate blows up early and settles above the initial loss 5: below its own first logged loss (9), above L0.
    const runs = [0.01, 0.02, 0.04, 0.08].map((lr, k) => ({
      config: { id: `r${k}`, family: 'synthetic', N: 1e6, schedule: { type: 'constant' as const, peak: lr, steps: 100 } },
      trajectory:
        k < 3
          ? [
              { step: 10, trainLoss: 5 },
              { step: 100, trainLoss: 3 },
            ]
          : [
              { step: 10, trainLoss: 9 },
              { step: 100, trainLoss: 6 },
            ],
      summary: { status: 'finished' as const, steps: 100, finalTrainLoss: k < 3 ? 3 : 6 },
    }));
    const s = stabilityForecast(runs, { metric: 'trainLoss' }).sizes[0]!;
    expect([s.stableLr, s.divergedLr]).toEqual([0.04, 0.08]);
    expect(stabilityForecast(runs, { metric: 'trainLoss', initialLoss: 7 }).sizes[0]!.divergedLr).toBeUndefined();
    // A mitigation swept over high rates only, whose first logged losses are all high: read against the baseline's L0 (5).
    const upper = [0.04, 0.08].map((lr, k) => ({
      config: { id: `z${k}`, family: 'synthetic', N: 1e6, extra: { zLoss: 1e-4 }, schedule: { type: 'constant' as const, peak: lr, steps: 100 } },
      trajectory: [
        { step: 10, trainLoss: 9 },
        { step: 100, trainLoss: k === 0 ? 4 : 6 },
      ],
      summary: { status: 'finished' as const, steps: 100, finalTrainLoss: k === 0 ? 4 : 6 },
    }));
    const m = stabilityForecast([...runs, ...upper], { metric: 'trainLoss' }).mitigations[0]!;
    expect(m.size.initialLoss).toBe(5);
    expect([m.size.stableLr, m.size.divergedLr]).toEqual([0.04, 0.08]);
  });

  // Per-seed thresholds scattered log-normally (sd 0.25) about a known trend, rates bisected to a factor 2^(1/4).
  const sigma = 0.25;
  function seeded(N: number, seeds: number, g: ReturnType<typeof rng>, { id = '', ...extra }: Partial<Run['config']> = {}, factor = 1): { runs: Run[]; truth: number[] } {
    const runs: Run[] = [];
    const truth: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const t = factor * threshold(N) * Math.exp(sigma * g.normal());
      truth.push(t);
      // The grid brackets t between neighbours 2^(1/4) apart, at a random phase.
      const step = 2 ** 0.25;
      const lo = t / step ** g.next();
      for (const [k, lr] of [lo / 8, lo / 2, lo, lo * step, lo * 4].entries()) {
        const ok = lr < t;
        runs.push({
          config: { id: `${id}N${N}-s${seed}-${k}`, family: 'synthetic', N, seed, schedule: { type: 'constant', peak: lr, steps: 100 }, ...extra },
          trajectory: [{ step: 10, trainLoss: 5, maxAttentionLogit: 10 * lr, outputLogitRms: 2 }, ...(ok ? [{ step: 100, trainLoss: 3 }] : [])],
          summary: ok ? { status: 'finished', steps: 100, finalTrainLoss: 3 } : { status: 'diverged', steps: 40 },
        });
      }
    }
    return { runs, truth };
  }

  it('carries the seed-to-seed spread into the interval: one run’s threshold at the next size falls in it about as often as its level says', () => {
    const g = rng(7);
    let inRun = 0;
    let inMean = 0;
    let inMeanForRun = 0;
    const trials = 60;
    const widths = { run: 0, mean: 0 };
    for (let t = 0; t < trials; t++) {
      const runs = sizes.flatMap((N) => seeded(N, 4, g).runs);
      const fc = stabilityForecast(runs, { metric: 'trainLoss', at: next, draws: 1000, seed: t }).forecast!;
      // A new run at the next size: its own seed's threshold.
      const one = threshold(next) * Math.exp(sigma * g.normal());
      if (one >= fc.interval[0] && one <= fc.interval[1]) inRun++;
      if (one >= fc.meanInterval[0] && one <= fc.meanInterval[1]) inMeanForRun++;
      if (threshold(next) >= fc.meanInterval[0] && threshold(next) <= fc.meanInterval[1]) inMean++;
      widths.run += Math.log(fc.interval[1] / fc.interval[0]);
      widths.mean += Math.log(fc.meanInterval[1] / fc.meanInterval[0]);
      expect(Math.abs(fc.seedSpread! - sigma)).toBeLessThan(0.2);
    }
    // Nominal 90%; the mean interval alone (the trend's uncertainty) misses one run's threshold far more often.
    expect(inRun / trials).toBeGreaterThan(0.8);
    expect(inMean / trials).toBeGreaterThan(0.75);
    expect(inMeanForRun).toBeLessThan(inRun);
    expect(widths.run).toBeGreaterThan(widths.mean);
  });

  it('says in the sentence that the interval is for one run, with the seeds’ spread', () => {
    const runs = sizes.flatMap((N) => seeded(N, 3, rng(1)).runs);
    const fc = stabilityForecast(runs, { metric: 'trainLoss', at: next });
    expect(fc.sentence).toMatch(
      /^At N = 64000000, LR above [0-9.e+-]+ is predicted to diverge \(90% interval [0-9.e+-]+-[0-9.e+-]+, for one run, with a seed-to-seed spread of x1\.[0-9]+; threshold = .* from 3 proxy sizes, 3 seeds each(, scatter about it x[0-9.]+)?\)\.$/,
    );
    expect(fc.notes.join(' ')).not.toMatch(/one seed per size/);
    expect(f.notes).toContain('one seed per size: the interval does not count the seed-to-seed spread of the threshold (sweep 2 or more seeds)');
  });

  it('compares mitigations with the baseline at the same size, and keeps them out of the trend', () => {
    const g = rng(3);
    const baseline = sizes.flatMap((N) => seeded(N, 3, g).runs);
    const top = sizes[sizes.length - 1]!;
    // qk-layernorm: thresholds 3x higher (a slightly larger N: its norms' parameters); z-loss: the same thresholds.
    const qk = seeded(top * 1.01, 3, g, { id: 'qk', extra: { model: { qkNorm: true } } }, 3).runs;
    const z = seeded(top, 3, g, { id: 'z', extra: { zLoss: 1e-4 } }).runs;
    // A longer warmup whose runs all train, up to 4x above the baseline's threshold: no divergence within its sweep.
    const warm: Run[] = [0, 1, 2].flatMap((seed) =>
      [0.5, 1, 2, 4].map((m, k) => ({
        config: { id: `w-s${seed}-${k}`, family: 'synthetic', N: top, seed, schedule: { type: 'cosine' as const, peak: m * threshold(top) * (1 + seed / 10), final: 0, warmup: 80, steps: 100 } },
        trajectory: [
          { step: 10, trainLoss: 5 },
          { step: 100, trainLoss: 3 },
        ],
        summary: { status: 'finished' as const, steps: 100, finalTrainLoss: 3 },
      })),
    );
    expect(stabilityVariant(qk[0]!)).toEqual({ qkNorm: true, zLoss: 0, warmup: 0 });
    expect(stabilityVariant(warm[0]!)).toEqual({ qkNorm: false, zLoss: 0, warmup: 80 });
    const alone = stabilityForecast(baseline, { metric: 'trainLoss', at: next });
    const mixed = stabilityForecast([...baseline, ...qk, ...z, ...warm], { metric: 'trainLoss', at: next });
    expect(mixed.baseline).toEqual({ qkNorm: false, zLoss: 0, warmup: 0 });
    expect(mixed.forecast!.threshold).toBeCloseTo(alone.forecast!.threshold, 12);
    const by = Object.fromEntries(mixed.mitigations.map((m) => [m.name, m]));
    expect(Object.keys(by).sort()).toEqual(['qk-layernorm', 'warmup 80 steps', 'z-loss 0.0001']);
    expect(by['qk-layernorm']!.verdict).toBe('wider');
    expect(by['qk-layernorm']!.ratio!).toBeGreaterThan(1.5);
    expect(by['qk-layernorm']!.baseline.N).toBe(top);
    expect(by['z-loss 0.0001']!.verdict).toBe('no clear change');
    expect(by['warmup 80 steps']!.open).toBe(true);
    expect(by['warmup 80 steps']!.verdict).toBe('wider');
    expect(mixed.mitigationSentence).toMatch(
      /^The proxies showed qk-layernorm, warmup 80 steps to widen the stable range: .*z-loss 0\.0001 at N = 16000000: no clear change \(threshold x[0-9.]+, \+\/- x[0-9.]+, 3 seeds\)/,
    );
    expect(alone.mitigations).toEqual([]);
    expect(alone.mitigationSentence).toBeUndefined();
  });

  it('counts the sizes’ scatter about the power law in the interval (lack of fit, a t with n - 2 degrees of freedom)', () => {
    // Four sizes on a fine grid (rates 10^0.02 apart), their thresholds off the power law by x1.6, x0.7, x1.3, x0.8.
    const fine = Array.from({ length: 151 }, (_, k) => 10 ** (-3 + k / 50));
    const off = [1.6, 0.7, 1.3, 0.8];
    const four = [1e6, 4e6, 1.6e7, 6.4e7];
    const sweepOff = (kink: boolean) =>
      four.flatMap((N, i) =>
        fine.map((lr, k) => {
          const ok = lr < threshold(N) * (kink ? off[i]! : 1);
          return {
            config: { id: `${kink}-N${N}-${k}`, family: 'synthetic', N, schedule: { type: 'constant' as const, peak: lr, steps: 100 } },
            trajectory: [{ step: 10, trainLoss: 5 }, ...(ok ? [{ step: 100, trainLoss: 3 }] : [])],
            summary: ok ? { status: 'finished' as const, steps: 100, finalTrainLoss: 3 } : { status: 'diverged' as const, steps: 40 },
          };
        }),
      );
    const at = 2.56e8;
    const kinked = stabilityForecast(sweepOff(true), { metric: 'trainLoss', at });
    const straight = stabilityForecast(sweepOff(false), { metric: 'trainLoss', at });
    expect(straight.trend!.scatter!).toBeLessThan(0.02);
    expect(kinked.trend!.scatter!).toBeGreaterThan(0.3);
    const width = (r: typeof kinked) => r.forecast!.interval[1] / r.forecast!.interval[0];
    expect(width(kinked)).toBeGreaterThan(3 * width(straight));
    expect(kinked.forecast!.interval[0]).toBeLessThan(threshold(at));
    expect(kinked.forecast!.interval[1]).toBeGreaterThan(threshold(at));
    expect(kinked.notes.join('\n')).toMatch(/scatter about the power law by x1\.[0-9]+ .* with 2 degree\(s\) of freedom/);
  });
});
