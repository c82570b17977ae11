import { afterEach, describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { resetWarnings, setWarn } from '../../src/core/warn.js';
import { learningCurve } from '../../src/extrapolation/curve.js';
import { extrapolate } from '../../src/extrapolation/extrapolate.js';
import { extrapolateMany } from '../../src/extrapolation/many.js';
import { binnedPredictive, loadPfn, pfnPredictMany } from '../../src/extrapolation/pfn.js';
import { PFN_EDGES, PFN_FEATURES, PFN_OUTPUT_BINS, pfnBin, pfnFeatures } from '../../src/extrapolation/pfn-features.js';
import { pfnLogits, type PfnNetwork } from '../../src/extrapolation/pfn-network.js';
import { PFN_PRIOR, samplePrior } from '../../src/extrapolation/pfn-prior.js';
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

describe('PFN features', () => {
  it('do not change when the values are shifted and scaled, or the steps rescaled with the target', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8];
    const values = [0.3, 0.45, 0.52, 0.6, 0.61, 0.66, 0.65, 0.69];
    const a = new Float32Array(PFN_FEATURES),
      b = new Float32Array(PFN_FEATURES);
    pfnFeatures(steps, values, 'max', [-Infinity, Infinity], 20, a);
    pfnFeatures(
      steps.map((s) => s * 100),
      values.map((v) => 3 - 2 * v),
      'min',
      [-Infinity, Infinity],
      2000,
      b,
    );
    for (let i = 0; i < PFN_FEATURES; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
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
    const scale = pfnFeatures(curve(1).steps, curve(1).values, 'max', [0, 1], 21, x);
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

describe('the shipped PFN', () => {
  it('loads, and extrapolates through extrapolate and extrapolateMany alike', () => {
    const net = loadPfn();
    expect(net.priorVersion).toBe(PFN_PRIOR.version);
    expect(net.training).toMatchObject({ command: expect.stringContaining('train:pfn'), seed: 0 });
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
    expect(() => extrapolate(learningCurve(steps, values), { to: 20, method: 'pfn', schedule: { steps: [0], lr: [1] } as never })).toThrow(
      'schedule: not used by method "pfn" (its prior has step drops at unknown times instead)',
    );
  });
});
