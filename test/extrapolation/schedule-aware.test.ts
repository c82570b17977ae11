import { afterEach, describe, expect, it } from 'vitest';
import { resetWarnings, setWarn } from '../../src/core/warn.js';
import { learningCurve } from '../../src/extrapolation/curve.js';
import { extrapolate } from '../../src/extrapolation/extrapolate.js';
import { scheduleTime } from '../../src/extrapolation/schedule-aware.js';

// Step decay: rate 1 up to step 10, 0.2 up to 20, 0.04 after.
const schedule = { step: [0, 10, 20], lr: [1, 0.2, 0.04] };
const area = (t: number) => (t <= 10 ? t : t <= 20 ? 10 + 0.2 * (t - 10) : 12 + 0.04 * (t - 20));
// An accuracy curve that follows a power law in the area under the rate, with a jump at each drop
// proportional to the decrease of the rate (0.05 for 0.8, 0.01 for 0.16).
const truth = (t: number) => 0.9 - 0.5 * area(t) ** -0.7 + (t > 10 ? 0.05 : 0) + (t > 20 ? 0.01 : 0);
const epochs = (m: number) => Array.from({ length: m }, (_, i) => i + 1);
const noise = [0.0011, -0.0008, 0.0005, -0.0012, 0.0009, -0.0003, 0.0007, -0.001, 0.0002, 0.0006, -0.0005, 0.001, -0.0007, 0.0004, -0.0009];
const seen = (m: number) =>
  learningCurve(
    epochs(m),
    epochs(m).map((t, i) => truth(t) + noise[i % noise.length]!),
    { goal: 'max', range: [0, 1] },
  );

afterEach(() => resetWarnings());

describe('scheduleTime', () => {
  it('integrates the rate piecewise and lists the drops', () => {
    const time = scheduleTime(schedule);
    expect(time.area(0)).toBe(0);
    expect(time.area(7)).toBe(7);
    expect(time.area(15)).toBeCloseTo(11, 12);
    expect(time.area(30)).toBeCloseTo(12.4, 12);
    expect(time.drops.map((d) => d.step)).toEqual([10, 20]);
    expect(time.drops[0]!.by).toBeCloseTo(0.8, 12);
    expect(time.drops[1]!.by).toBeCloseTo(0.16, 12);
  });

  it('rejects bad schedules naming the field and the value', () => {
    expect(() => scheduleTime({ step: [0, 10], lr: [1] })).toThrow('schedule: needs as many learning rates as steps (at least one), got 2 steps and 1 rates');
    expect(() => scheduleTime({ step: [0, 10, 10], lr: [1, 0.1, 0.01] })).toThrow('schedule: step 3: steps must be finite, >= 0 and increasing, got 10');
    expect(() => scheduleTime({ step: [0, 10], lr: [1, -0.1] })).toThrow('schedule: lr 2: must be a finite number >= 0, got -0.1');
    expect(() => scheduleTime({ step: [0, 10], lr: [0, 0] })).toThrow('schedule: every learning rate is 0; at least one must be positive');
    expect(scheduleTime({ step: [0, 10], lr: [0, 1] }).area(15)).toBe(5);
    expect(() => scheduleTime({ step: [5], lr: [1] }).area(2)).toThrow("schedule: step 2 is before the schedule's first step 5");
  });
});

describe('extrapolate with a learning-rate schedule', () => {
  it('after one drop, predicts the plateau and the next jump where the step-based fit overshoots', () => {
    const curve = seen(15);
    const y = truth(30);
    for (const method of ['fast', 'ensemble'] as const) {
      const opts = { to: 30, method, seed: 1, steps: 100 };
      const aware = extrapolate(curve, { ...opts, schedule }).at(30);
      const plain = extrapolate(curve, opts).at(30);
      expect(Math.abs(aware.median - y), method).toBeLessThan(0.01);
      expect(Math.abs(aware.median - y), method).toBeLessThan(Math.abs(plain.median - y));
      const [lo, hi] = aware.interval(0.9);
      expect(lo, method).toBeLessThan(y);
      expect(hi, method).toBeGreaterThan(y);
    }
  });

  it('before any drop, the size of a jump is unknown: the schedule is not used, with a warning', () => {
    const warnings: string[] = [];
    setWarn((m) => warnings.push(m));
    const curve = seen(8);
    const aware = extrapolate(curve, { to: 30, method: 'fast', schedule });
    const plain = extrapolate(curve, { to: 30, method: 'fast' });
    expect(aware.toJSON()).toEqual(plain.toJSON());
    expect(warnings).toEqual(['curve: the learning rate drops at step 10, ahead of the curve, and the curve has not passed a drop yet: the size of the jump is unknown, so the schedule is not used']);
  });

  it('a schedule that starts at or after the first step is an error', () => {
    expect(() => extrapolate(seen(15), { to: 30, method: 'fast', schedule: { step: [1, 10], lr: [1, 0.1] } })).toThrow(
      "schedule: no learning-rate area before the curve's first step 1; the schedule must start before it",
    );
  });
});
