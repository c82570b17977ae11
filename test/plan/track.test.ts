import { describe, expect, it } from 'vitest';
import { detectDeparture, trackRun, trackReport, type Band } from '../../src/plan/track.js';
import { lossPrediction, readLossPrediction } from '../../src/plan/track-prediction.js';
import { predictCurve } from '../../src/fit/predict-curve.js';
import { rng } from '../../src/core/rng.js';
import { savedFit, values } from './published-25m-fit.js';

// Luo et al.'s 25M multi-power fit with a synthetic bootstrap (every parameter jittered by 0.5%),
// predicting their cosine run every 24 steps: a band about 0.027 wide on each side.
const jitter = rng(1);
const samples = Array.from({ length: 100 }, () => values.map((v) => v * (1 + 0.005 * jitter.normal())));
const fit = savedFit(samples);
const schedule = { type: 'cosine', peak: 3e-4, final: 3e-5, warmup: 2160, steps: 24000 } as const;
const prediction = lossPrediction(fit, schedule, { every: 24, source: 'test fit', date: '2026-12-03' });
const band: Band = { steps: prediction.steps, loss: prediction.loss, lower: prediction.lower!, upper: prediction.upper! };
const T = 24000;
const sigma = 0.01;

/** The law's own curve with Gaussian noise (or noise smoothed as an EMA-logged loss would be). */
function lawRun(seed: number, smoothed = false): number[] {
  const g = rng(1000 + seed);
  let e = 0;
  return prediction.loss.map((v) => {
    if (!smoothed) return v + sigma * g.normal();
    // AR(1) with coefficient 0.8, scaled to the same marginal noise.
    e = 0.8 * e + 0.6 * g.normal();
    return v + sigma * e;
  });
}

describe('detectDeparture', () => {
  it('never flags a run generated from the law itself, across 100 seeds', () => {
    let flagged = 0;
    for (let seed = 0; seed < 100; seed++) {
      for (const smoothed of [false, true]) {
        const check = detectDeparture(band, { steps: prediction.steps, loss: lawRun(seed, smoothed) });
        if (check.departure) flagged++;
        expect(check.now).toBe('in band');
      }
    }
    expect(flagged).toBe(0);
  });

  it('flags a run that leaves its band within 5% of the run length, and dates the departure', () => {
    const half = prediction.upper!.map((u, i) => (u - prediction.lower![i]!) / 2);
    const delays: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const g = rng(5000 + seed);
      // The loss jumps two band half-widths up (a spike that does not recover) at a step between 25% and 90% of the run.
      const from = Math.round(T * (0.25 + 0.65 * g.next()));
      const truth = prediction.loss.map((v, i) => (prediction.steps[i]! >= from ? v + 2 * half[i]! : v));
      const loss = truth.map((v) => v + sigma * g.normal());
      const exit = prediction.steps.find((s, i) => truth[i]! > prediction.upper![i]!)!;
      const d = detectDeparture(band, { steps: prediction.steps, loss }).departure!;
      expect(d.direction).toBe('above');
      expect(d.step).toBeGreaterThanOrEqual(exit);
      delays.push((d.step - exit) / T);
      expect(d.since).toBeLessThanOrEqual(d.step);
      expect(Math.abs(d.since - exit)).toBeLessThan(0.05 * T);
      // Followed live, the run is flagged within one shortest window (8 logged points) of the step
      // flagged in hindsight: the noise estimate from fewer points differs a little.
      const cut = prediction.steps.indexOf(d.step) + 1 + 8;
      const live = detectDeparture(band, { steps: prediction.steps.slice(0, cut), loss: loss.slice(0, cut) }).departure;
      expect(live!.step).toBeLessThanOrEqual(prediction.steps[cut - 1]!);
      delays[delays.length - 1] = Math.max(delays[delays.length - 1]!, (live!.step - exit) / T);
    }
    // Measured: at most 0.8% of the run.
    expect(Math.max(...delays)).toBeLessThan(0.05);
  });

  it('flags a run that falls below its band', () => {
    const loss = lawRun(3).map((v, i) => (prediction.steps[i]! >= 12000 ? v - 0.08 : v));
    const check = detectDeparture(band, { steps: prediction.steps, loss });
    expect(check.departure?.direction).toBe('below');
    expect(check.now).toBe('below band');
  });

  it('does not flag a single loss spike', () => {
    const loss = lawRun(4);
    loss[500] = loss[500]! + 2;
    loss[501] = loss[501]! + 1;
    expect(detectDeparture(band, { steps: prediction.steps, loss }).departure).toBeUndefined();
  });

  it('says when there are too few points to test, and rejects bad input', () => {
    const check = detectDeparture(band, { steps: prediction.steps.slice(0, 100), loss: lawRun(0).slice(0, 100) });
    expect(check.now).toBe('too few points');
    expect(check.notes[0]).toBe('too few points to test: 100 logged, the shortest window (8) needs 160');
    expect(() => detectDeparture(band, { steps: [5, 3], loss: [1, 1] })).toThrow('run.steps[1]: steps must increase, got 3 after 5');
    expect(() => detectDeparture(band, { steps: [1, 2], loss: [1] })).toThrow('run.loss: expected 2 values (one per step), got 1');
  });
});

describe('trackRun', () => {
  it('re-extrapolates a run that runs high, with an interval that covers its true final loss', () => {
    // The run follows the law with L0 0.06 higher; it has been seen up to step 12000.
    const truth = predictCurve({ law: 'mpl', vector: () => Float64Array.from([values[0]! + 0.06, ...values.slice(1)]) }, schedule, { steps: prediction.steps });
    const g = rng(7);
    const seen = prediction.steps.filter((s) => s <= 12000);
    const loss = seen.map((_, i) => truth.loss[i]! + sigma * g.normal());
    const t = trackRun(prediction, { steps: seen, loss }, { resamples: 20 });
    expect(t.check.departure?.direction).toBe('above');
    const trueFinal = truth.final;
    expect(Math.abs(t.forecast!.final - trueFinal)).toBeLessThan(0.02);
    expect(Math.abs(prediction.final - trueFinal)).toBeGreaterThan(0.05);
    const [lo, hi] = t.forecast!.finalInterval!;
    expect(lo).toBeLessThanOrEqual(trueFinal);
    expect(hi).toBeGreaterThanOrEqual(trueFinal);
    expect(t.forecast!.free).toEqual(['L0', 'A', 'alpha']);
    const report = trackReport(t);
    expect(report).toContain('DEPARTURE: flagged at step');
    expect(report).toContain('updated forecast: final loss');
  });
});

describe('saved predictions', () => {
  it('round-trip through JSON and are checked when read', () => {
    const back = readLossPrediction(JSON.parse(JSON.stringify(prediction)), 'p.json');
    expect(back).toEqual(prediction);
    expect(prediction.level).toBe(0.9);
    expect(prediction.steps.length).toBe(prediction.loss.length);
    expect(() => readLossPrediction({ ...prediction, version: 2 }, 'p.json')).toThrow('p.json: version: this scalelaw reads version 1: 2');
    expect(() => readLossPrediction({ ...prediction, kind: 'curve-fit' }, 'p.json')).toThrow('p.json: kind: expected "loss-prediction" (written by `scalelaw plan --save-prediction`): "curve-fit"');
    expect(() => readLossPrediction({ ...prediction, loss: prediction.loss.slice(1) }, 'p.json')).toThrow('p.json: loss: expected 1001 values (one per step), got 1000: 1000');
    expect(() => readLossPrediction({ ...prediction, params: { ...prediction.params, C: 'x' } }, 'p.json')).toThrow('p.json: params.C: not a finite number: "x"');
  });
});
