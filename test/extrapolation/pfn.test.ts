import { afterEach, describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { resetWarnings, setWarn } from '../../src/core/warn.js';
import { learningCurve } from '../../src/extrapolation/curve.js';
import { extrapolate } from '../../src/extrapolation/extrapolate.js';
import { extrapolateMany } from '../../src/extrapolation/many.js';
import { binnedPredictive, loadPfn, PFN_WEIGHTS_PATH, pfnPredictMany } from '../../src/extrapolation/pfn.js';
import { PFN_EDGES, PFN_FEATURES, PFN_OUTPUT_BINS, pfnBin, pfnFeatures } from '../../src/extrapolation/pfn-features.js';
import { parsePfnWeights, pfnLogits, pfnProbabilities, type PfnNetwork } from '../../src/extrapolation/pfn-network.js';
import { lrSchedule, PFN_PRIOR, samplePrior } from '../../src/extrapolation/pfn-prior.js';
import { curveFamilies } from '../../src/laws/families.js';

afterEach(() => resetWarnings());

/** A small network with seeded random weights (the forward pass does not care what it learned). */
function randomNetwork(seed: number): PfnNetwork {
  const r = rng(seed);
  const widths = [PFN_FEATURES, 16, PFN_OUTPUT_BINS];
  return {
    priorVersion: PFN_PRIOR.version,
    training: {},
    layers: widths.slice(1).map((out, i) => ({
      inputs: widths[i]!,
      outputs: out,
      activation: i === 0 ? ('relu' as const) : ('linear' as const),
      kernel: Float32Array.from({ length: widths[i]! * out }, () => r.normal() * 0.3),
      bias: Float32Array.from({ length: out }, () => r.normal() * 0.1),
    })),
  };
}

describe('PFN prior', () => {
  it('draws the same curves for the same seed, from every family, inside the documented ranges', () => {
    const a = samplePrior(400, 11);
    expect(samplePrior(400, 11)).toEqual(a);
    expect(new Set(a.map((s) => s.family)).size).toBe(curveFamilies.length);
    for (const s of a) {
      expect(s.values.length).toBeGreaterThanOrEqual(3);
      expect(s.target).toBeGreaterThan(s.steps[s.steps.length - 1]!);
      expect(s.target).toBeLessThanOrEqual(PFN_PRIOR.length[1]);
      for (let i = 1; i < s.steps.length; i++) expect(s.steps[i]!).toBeGreaterThan(s.steps[i - 1]!);
      expect(s.values.every(Number.isFinite) && Number.isFinite(s.truth)).toBe(true);
      if (s.goal === 'max') expect(Math.min(...s.values, s.truth) >= 0 && Math.max(...s.values, s.truth) <= 1).toBe(true);
      else expect(Math.min(...s.values, s.truth)).toBeGreaterThan(0);
    }
    // Both goals, and curves whose truth improves on the best seen value as well as ones that do not.
    expect(a.filter((s) => s.goal === 'max').length).toBeGreaterThan(150);
    expect(a.filter((s) => s.goal === 'min').length).toBeGreaterThan(150);
  });
});

describe('PFN prior schedules', () => {
  it('draws each schedule at its documented rate, with the documented shapes', () => {
    const r = rng(5);
    const L = 60;
    const seen: Record<string, number> = {};
    const n = 4000;
    for (let t = 0; t < n; t++) {
      const { eta, kind } = lrSchedule(r, L);
      seen[kind] = (seen[kind] ?? 0) + 1;
      expect(eta[0]).toBe(1);
      for (let i = 1; i < L; i++) expect(eta[i]!).toBeLessThanOrEqual(eta[i - 1]! + 1e-15);
      const drops = [];
      for (let i = 1; i < L; i++) if (eta[i]! < eta[i - 1]! - 1e-12) drops.push(i);
      if (kind === 'constant') expect(drops).toEqual([]);
      if (kind === 'step') {
        // Periodic: drops at period - 1, 2 period - 1, ... (0-based), each by the same factor.
        const period = drops[0]! + 1;
        drops.forEach((d, k) => expect(d).toBe((k + 1) * period - 1));
        for (const d of drops) expect(eta[d]! / eta[d - 1]!).toBeCloseTo(eta[drops[0]!]!, 10);
        expect(period).toBeGreaterThanOrEqual(Math.round(PFN_PRIOR.period[0] * L));
        expect(period).toBeLessThanOrEqual(Math.round(PFN_PRIOR.period[1] * L));
      }
      if (kind === 'multistep') {
        expect(drops.length).toBeGreaterThanOrEqual(1);
        expect(drops.length).toBeLessThanOrEqual(3);
        for (const d of drops) expect(d / L).toBeGreaterThanOrEqual(PFN_PRIOR.milestones[0] - 0.02);
      }
      if (kind === 'cosine' || kind === 'linear') {
        expect(eta[L - 1]!).toBeGreaterThanOrEqual(PFN_PRIOR.floor[0]);
        expect(eta[L - 1]!).toBeLessThanOrEqual(PFN_PRIOR.floor[1]);
        // Cosine is flat at both ends, linear falls evenly.
        const early = 1 - eta[1]!,
          mid = eta[L / 2 - 1]! - eta[L / 2]!;
        if (kind === 'cosine') expect(early).toBeLessThan(mid / 10);
        else expect(early).toBeCloseTo(mid, 10);
      }
    }
    for (const [kind, p] of Object.entries(PFN_PRIOR.schedule)) {
      const sd = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs((seen[kind] ?? 0) / n - p)).toBeLessThan(4 * sd);
    }
  });

  it('make step-decay curves jumpier than constant-rate ones', () => {
    const samples = samplePrior(3000, 17).filter((s) => s.steps.length >= 40 && s.steps[1]! - s.steps[0]! === 1);
    // Per curve, the largest one-step gain over the median absolute step; its median over curves.
    const jumpiness = (kind: string) => {
      const rs = samples
        .filter((s) => s.schedule === kind)
        .map((s) => {
          const sign = s.goal === 'max' ? 1 : -1;
          const d = Array.from(s.values.subarray(1), (v, i) => sign * (v - s.values[i]!));
          const abs = d.map(Math.abs).sort((x, y) => x - y);
          return Math.max(...d) / (abs[Math.floor(abs.length / 2)]! + 1e-12);
        })
        .sort((x, y) => x - y);
      expect(rs.length).toBeGreaterThan(30);
      return rs[Math.floor(rs.length / 2)]!;
    };
    expect(jumpiness('step')).toBeGreaterThan(1.2 * jumpiness('constant'));
  });
});

describe('PFN features', () => {
  it('do not change when the values are shifted and scaled, or the steps rescaled with the target', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8];
    const values = [0.3, 0.45, 0.52, 0.6, 0.61, 0.66, 0.65, 0.69];
    const a = new Float32Array(PFN_FEATURES),
      b = new Float32Array(PFN_FEATURES);
    pfnFeatures(steps, values, 'max', [-Infinity, Infinity], 20, 30, a);
    pfnFeatures(
      steps.map((s) => s * 100),
      values.map((v) => 3 - 2 * v),
      'min',
      [-Infinity, Infinity],
      2000,
      3000,
      b,
    );
    for (let i = 0; i < PFN_FEATURES; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
  });

  it('locate the two largest jumps of a curve', () => {
    const steps = Array.from({ length: 30 }, (_, i) => i + 1);
    // A slow climb with jumps after steps 10 and 20 (the second larger).
    const values = steps.map((s) => 0.3 + 0.002 * s + (s > 10 ? 0.05 : 0) + (s > 20 ? 0.08 : 0));
    const f = new Float32Array(PFN_FEATURES);
    pfnFeatures(steps, values, 'max', [0, 1], 40, undefined, f);
    const u = (s: number) => Math.max(-1, Math.log(s / 40) / Math.log(1000)) + 1;
    const tail = f.subarray(PFN_FEATURES - 6, PFN_FEATURES - 2);
    expect(tail[0]).toBeCloseTo(u(21), 5);
    expect(tail[2]).toBeCloseTo(u(11), 5);
    expect(tail[1]!).toBeGreaterThan(tail[3]!);
    expect(tail[3]!).toBeGreaterThan(0.3);
  });

  it('bin a target by the edges they publish', () => {
    for (let j = 0; j < PFN_OUTPUT_BINS; j++) expect(pfnBin(0.5 * (PFN_EDGES[j]! + PFN_EDGES[j + 1]!))).toBe(j);
    expect(pfnBin(-100)).toBe(0);
    expect(pfnBin(100)).toBe(PFN_OUTPUT_BINS - 1);
    expect(PFN_EDGES[0]).toBeCloseTo(-3, 10);
    expect(PFN_EDGES[PFN_OUTPUT_BINS]).toBeCloseTo(9, 10);
  });
});

describe('binnedPredictive', () => {
  const edges = Float64Array.of(0, 1, 2, 4);
  const probs = Float64Array.of(1, 2, 1);
  const p = binnedPredictive(10, 'max', edges, probs);

  it('has a cdf, quantiles and a density that agree, with tails beyond the edges', () => {
    expect(p.cdf(1)).toBeCloseTo(0.25, 12);
    expect(p.cdf(2)).toBeCloseTo(0.75, 12);
    expect(p.cdf(0)).toBeCloseTo(0.125, 12); // half the edge bin's mass is its tail
    expect(p.median).toBeCloseTo(1.5, 12);
    for (const q of [0.01, 0.1, 0.3, 0.5, 0.8, 0.95, 0.999]) expect(p.cdf(p.quantile(q))).toBeCloseTo(q, 9);
    // The density integrates to 1 (trapezoid over a wide grid).
    let area = 0;
    for (let y = -20; y < 30; y += 0.001) area += 0.001 * Math.exp(p.logDensity(y + 0.0005));
    expect(area).toBeCloseTo(1, 3);
    expect(p.probBetter(2)).toBeCloseTo(0.25, 12);
    // Far out in a tail the density is tiny but its log stays finite (no underflow to -Infinity).
    expect(p.logDensity(-1e5)).toBeCloseTo(Math.log(0.125) - 1e5, 6);
    expect(binnedPredictive(10, 'min', edges, probs).probBetter(2)).toBeCloseTo(0.75, 12);
    expect(Array.from(p.quantiles([0.25, 0.75]))).toEqual([p.quantile(0.25), p.quantile(0.75)]);
  });

  it('keeps quantiles inside the range and refuses bad input', () => {
    const r = binnedPredictive(10, 'max', edges, probs, [0.5, 3]);
    expect(r.quantile(0.01)).toBe(0.5);
    expect(r.quantile(0.999)).toBe(3);
    expect(() => binnedPredictive(1, 'max', edges, Float64Array.of(1))).toThrow('binnedPredictive: 1 bins need 2 edges, got 4');
    expect(() => p.quantile(1)).toThrow('quantile: q must be in (0, 1), got 1');
  });
});

describe('pfnPredictMany', () => {
  const net = randomNetwork(3);
  const curve = (k: number) => ({ steps: [1, 2, 3, 4, 5, 6], values: [0.2, 0.4, 0.5, 0.55, 0.6 + 0.01 * k, 0.62], goal: 'max' as const, range: [0, 1] as const, target: 20 + k });

  it('gives each curve of a batch what it gets alone, mapped back to its units', () => {
    const batch = pfnPredictMany([curve(0), curve(1), curve(2)], { network: net });
    const alone = pfnPredictMany([curve(1)], { network: net })[0]!;
    expect(batch[1]!.median).toBe(alone.median);
    expect(batch[1]!.interval(0.9)).toEqual(alone.interval(0.9));
    // The bins map back through the curve's own scale: logits of the network, edges in accuracy units.
    const x = new Float32Array(PFN_FEATURES);
    const scale = pfnFeatures(curve(1).steps, curve(1).values, 'max', [0, 1], 21, undefined, x);
    const logits = pfnLogits(net, x, 1);
    let best = 0;
    for (let j = 1; j < PFN_OUTPUT_BINS; j++) if (logits[j]! > logits[best]!) best = j;
    const mode = scale.lo + scale.width * 0.5 * (PFN_EDGES[best]! + PFN_EDGES[best + 1]!);
    const density = (y: number) => alone.logDensity(y);
    if (mode > 0 && mode < 1) expect(density(mode)).toBeGreaterThan(density(alone.quantile(0.001)));
  });

  it('predicts a constant curve as that constant, and refuses a target inside the curve', () => {
    const [c] = pfnPredictMany([{ steps: [1, 2, 3], values: [0.5, 0.5, 0.5], goal: 'max', target: 10 }], { network: net });
    expect(c!.median).toBeCloseTo(0.5, 9);
    expect(() => pfnPredictMany([{ ...curve(0), target: 6 }], { network: net })).toThrow("to: step 6 is not beyond the curve's last step 6");
  });

  it('warns when the target is further ahead than the prior reaches', () => {
    const warnings: string[] = [];
    const previous = setWarn((m) => warnings.push(m));
    try {
      pfnPredictMany([{ ...curve(0), target: 1000, source: 'run.csv' }], { network: net });
    } finally {
      setWarn(previous);
    }
    expect(warnings).toEqual(['run.csv: pfn: step 1000 is 167x the last seen step; the prior was trained up to 25x, the prediction is an extrapolation of the network']);
  });
});

describe('a PFN ensemble', () => {
  const a = randomNetwork(3),
    b = randomNetwork(4);
  const ensemble = { members: [a, b], priorVersion: PFN_PRIOR.version };
  const curve = { steps: [1, 2, 3, 4, 5, 6], values: [0.2, 0.4, 0.5, 0.55, 0.6, 0.62], goal: 'max' as const, range: [0, 1] as const, target: 20 };

  it("gives the average of its members' bin probabilities", () => {
    const x = new Float32Array(2 * PFN_FEATURES);
    pfnFeatures(curve.steps, curve.values, 'max', [0, 1], 20, undefined, x, 0);
    pfnFeatures(
      curve.steps,
      curve.values.map((v) => v * 0.9),
      'max',
      [0, 1],
      40,
      40,
      x,
      PFN_FEATURES,
    );
    const softmax = (net: PfnNetwork, row: number) => {
      const l = Array.from(pfnLogits(net, x, 2).slice(row * PFN_OUTPUT_BINS, (row + 1) * PFN_OUTPUT_BINS));
      const e = l.map((v) => Math.exp(v - Math.max(...l)));
      const total = e.reduce((s, v) => s + v, 0);
      return e.map((v) => v / total);
    };
    const mixed = pfnProbabilities(ensemble, x, 2);
    for (const row of [0, 1]) {
      const pa = softmax(a, row),
        pb = softmax(b, row);
      let sum = 0;
      for (let j = 0; j < PFN_OUTPUT_BINS; j++) {
        expect(mixed[row * PFN_OUTPUT_BINS + j]!).toBeCloseTo(0.5 * (pa[j]! + pb[j]!), 12);
        sum += mixed[row * PFN_OUTPUT_BINS + j]!;
      }
      expect(sum).toBeCloseTo(1, 12);
    }
  });

  it('predicts the mixture of its members (the cdf is their average), and a network is an ensemble of one', () => {
    const [pa] = pfnPredictMany([curve], { network: a });
    const [pb] = pfnPredictMany([curve], { network: b });
    const [pm] = pfnPredictMany([curve], { network: ensemble });
    for (const y of [0.55, 0.62, 0.7, 0.8, 0.95]) expect(pm!.cdf(y)).toBeCloseTo(0.5 * (pa!.cdf(y) + pb!.cdf(y)), 10);
    const [alone] = pfnPredictMany([curve], { network: { members: [a], priorVersion: PFN_PRIOR.version } });
    expect(alone!.interval(0.9)).toEqual(pa!.interval(0.9));
  });

  it('refuses a weights file with no members, naming the field', () => {
    expect(() =>
      parsePfnWeights({ format: 'scalelaw-pfn', formatVersion: 2, priorVersion: PFN_PRIOR.version, features: PFN_FEATURES, outputBins: PFN_OUTPUT_BINS, members: [], combined: '' }),
    ).toThrow('pfn weights: members: expected one or more networks, got []');
    expect(() => parsePfnWeights({ format: 'scalelaw-pfn', formatVersion: 3 as never, priorVersion: 2, features: PFN_FEATURES, outputBins: PFN_OUTPUT_BINS, layers: [], training: {} })).toThrow(
      'pfn weights: not a scalelaw-pfn file of format 1 or 2: "scalelaw-pfn" 3',
    );
  });
});

describe('the shipped PFN', () => {
  it('loads, and extrapolates through extrapolate and extrapolateMany alike', () => {
    const net = loadPfn();
    expect(net.priorVersion).toBe(PFN_PRIOR.version);
    // Every member records the command that trained it; no seed twice.
    for (const m of net.members) expect(m.training).toMatchObject({ command: expect.stringContaining('train:pfn'), prior: { version: PFN_PRIOR.version } });
    const seeds = net.members.map((m) => m.training.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    const steps = Array.from({ length: 10 }, (_, i) => i + 1);
    const values = steps.map((s) => 0.9 - 0.6 * s ** -0.7);
    const p = extrapolate(learningCurve(steps, values, { goal: 'max', range: [0, 1] }), { to: [20, 50], method: 'pfn' });
    expect(p.method).toBe('pfn');
    const at50 = p.at(50);
    const [lo, hi] = at50.interval(0.9);
    expect(lo).toBeLessThan(at50.median);
    expect(hi).toBeGreaterThan(at50.median);
    expect(hi).toBeLessThanOrEqual(1);
    const [many] = extrapolateMany([{ steps, values }], { to: 50, goal: 'max', range: [0, 1], method: 'pfn' });
    expect(many!.median).toBeCloseTo(at50.median, 12);
    // Told the run ends at step 50, the network is given another input, and its answer moves.
    const told = extrapolate(learningCurve(steps, values, { goal: 'max', range: [0, 1] }), { to: 50, method: 'pfn', horizon: 50 }).at(50);
    expect(told.median).not.toBe(at50.median);
    expect(() => extrapolate(learningCurve(steps, values), { to: 50, method: 'pfn', horizon: 40 })).toThrow("horizon: the run's planned end 40 must be a step at or beyond the predicted step 50");
    // Another weights file by path (here the shipped one's, so the same answer).
    const byPath = extrapolate(learningCurve(steps, values, { goal: 'max', range: [0, 1] }), { to: 50, method: 'pfn', pfnWeights: PFN_WEIGHTS_PATH }).at(50);
    expect(byPath.interval(0.9)).toEqual(at50.interval(0.9));
    expect(() => extrapolate(learningCurve(steps, values), { to: 50, method: 'fast', pfnWeights: PFN_WEIGHTS_PATH })).toThrow(
      'pfnWeights: weights of the prior-fitted network, used by method "pfn" only, not "fast"',
    );
    expect(() => extrapolate(learningCurve(steps, values), { to: 50, method: 'pfn', pfnWeights: '/nonexistent/w.json' })).toThrow('pfn weights: cannot read /nonexistent/w.json');
    expect(() => extrapolate(learningCurve(steps, values), { to: 50, method: 'fast', horizon: 50 })).toThrow('horizon: the run\'s planned end is used by method "pfn" only, not "fast"; got 50');
    expect(() => extrapolate(learningCurve(steps, values), { to: 20, method: 'pfn', schedule: { steps: [0], lr: [1] } as never })).toThrow(
      'schedule: not used by method "pfn" (its prior draws the schedule; give the run\'s planned end as horizon)',
    );
  });
});
