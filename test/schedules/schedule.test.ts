import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lrSchedule, validateSchedule } from '../../src/schedules/schedule.js';
import { parseNumericCsv } from '../../src/io/csv.js';
import type { ScheduleSpec } from '../../src/core/schedule-spec.js';
import { referenceData } from '../reference-data.js';

const peak = 3e-4;
const base = { peak, warmup: 2160 } as const;

/** Luo et al. 2025's schedules, in our specs. */
const published: Record<string, ScheduleSpec> = {
  cosine_24000: { type: 'cosine', ...base, final: 3e-5, steps: 24000 },
  constant_24000: { type: 'constant', ...base, steps: 24000 },
  wsd_20000_24000: { type: 'wsd', ...base, final: 3e-5, steps: 24000, decayStart: 20000, shape: 'exponential' },
  wsdld_20000_24000: { type: 'wsdld', ...base, final: 3e-5, steps: 24000, decayStart: 20000 },
  wsdcon_3: { type: 'two-stage', ...base, second: 3e-5, switchAt: 8000, steps: 16000 },
};

describe('lrSchedule', () => {
  it('follows the published warmup convention linspace(0, peak, W)', () => {
    const lr = lrSchedule(published.cosine_24000!);
    expect(lr.length).toBe(24000);
    expect(lr[0]).toBe(0);
    expect(lr[2159]).toBe(peak);
    expect(lr[1]).toBeCloseTo(peak / 2159, 18);
    expect(lr[2160]).toBe(peak);
  });

  for (const [name, spec] of Object.entries(published)) {
    it(`matches the logged rates of ${name} (25M curves)`, () => {
      const csv = parseNumericCsv(readFileSync(referenceData(`multipowerlaw/csv_25/${name}.csv`), 'utf8'));
      const lr = lrSchedule(spec);
      const step = csv.columns.step!;
      const logged = csv.columns.lr!;
      for (let i = 0; i < csv.length; i++) {
        expect(Math.abs(lr[step[i]!]! - logged[i]!) / logged[i]!).toBeLessThan(1e-12);
      }
    });
  }

  it('builds WSD from a cooldown fraction with each shape', () => {
    const common = { type: 'wsd', peak: 1, final: 0.1, steps: 100, cooldownFraction: 0.2 } as const;
    const lin = lrSchedule({ ...common, shape: 'linear' });
    expect(lin[79]).toBe(1);
    expect(lin[80]).toBe(1);
    expect(lin[90]).toBeCloseTo(0.55, 12);
    expect(lrSchedule({ ...common, shape: 'cosine' })[90]).toBeCloseTo(0.55, 12);
    expect(lrSchedule({ ...common, shape: 'sqrt' })[85]).toBeCloseTo(0.1 + 0.9 * (1 - Math.sqrt(0.25)), 12);
    expect(lrSchedule({ ...common, shape: 'exponential' })[90]).toBeCloseTo(Math.sqrt(0.1), 12);
  });

  it('builds linear, multistep, inverse-sqrt and cyclic schedules', () => {
    lrSchedule({ type: 'linear', peak: 1, final: 0, steps: 5 }).forEach((v, i) => expect(v).toBeCloseTo([1, 0.8, 0.6, 0.4, 0.2][i]!, 15));
    expect(Array.from(lrSchedule({ type: 'multistep', peak: 1, steps: 6, milestones: [2, 4], rates: [0.5, 0.25] }))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    const isq = lrSchedule({ type: 'inverse-sqrt', peak: 1, warmup: 5, steps: 21 });
    expect(isq[4]).toBe(1);
    expect(isq[20]).toBeCloseTo(0.5, 15);
    expect(Array.from(lrSchedule({ type: 'cyclic', peak: 1, final: 0, period: 4, steps: 9 }))).toEqual([1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5, 1]);
  });

  it('extends past the spec: decays stay at their final rate, custom holds its last value', () => {
    const lr = lrSchedule({ type: 'linear', peak: 1, final: 0.5, steps: 3 }, 6);
    expect(Array.from(lr.subarray(3))).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(lrSchedule({ type: 'custom', values: [3, 2, 1] }, 5))).toEqual([3, 2, 1, 1, 1]);
    expect(Array.from(lrSchedule({ type: 'custom', values: [3, 2, 1], steps: 2 }))).toEqual([3, 2]);
  });

  it('round-trips every spec through JSON', () => {
    for (const spec of Object.values(published)) {
      expect(lrSchedule(JSON.parse(JSON.stringify(spec)))).toEqual(lrSchedule(spec));
    }
  });
});

describe('validateSchedule', () => {
  const cases: [unknown, string][] = [
    [
      { type: 'triangle', peak: 1, steps: 10 },
      'schedule.type: unknown schedule type "triangle"; known: constant, linear, cosine, wsd, wsdld, two-stage, multistep, inverse-sqrt, cyclic, custom, power, refined',
    ],
    [{ type: 'wsd', peak: 1, steps: 10, cooldownFraction: 1.2 }, 'schedule.cooldownFraction: not in (0, 1): 1.2'],
    [{ type: 'wsd', peak: 1, steps: 10, cooldownFraction: 0 }, 'schedule.cooldownFraction: not in (0, 1): 0'],
    [{ type: 'wsd', peak: 1, steps: 10 }, 'schedule: wsd needs cooldownFraction or decayStart'],
    [{ type: 'wsd', peak: 1, steps: 100, warmup: 50, cooldownFraction: 0.9 }, 'schedule.cooldownFraction: the cooldown would start at step 10, inside the 50-step warmup: 0.9'],
    [{ type: 'cosine', peak: 0, steps: 10 }, 'schedule.peak: not a positive number: 0'],
    [{ type: 'cosine', peak: -1e-3, steps: 10 }, 'schedule.peak: not a positive number: -0.001'],
    [{ type: 'constant', peak: 1, steps: 10.5 }, 'schedule.steps: not a positive integer: 10.5'],
    [{ type: 'constant', peak: 1, steps: 10, warmup: 10 }, 'schedule.warmup: not an integer in [0, steps = 10): 10'],
    [{ type: 'cosine', peak: 1, final: 2, steps: 10 }, 'schedule.final: not in [0, peak = 1]: 2'],
    [{ type: 'wsd', peak: 1, final: 0, steps: 10, decayStart: 5 }, 'schedule.final: must be positive for an exponential cooldown: 0'],
    [{ type: 'wsd', peak: 1, steps: 10, decayStart: 5, shape: 'step' }, 'schedule.shape: not one of linear, cosine, exponential, sqrt: "step"'],
    [{ type: 'multistep', peak: 1, steps: 10, milestones: [5, 3], rates: [0.5, 0.1] }, 'schedule.milestones[1]: not an increasing integer step in [6, 10): 3'],
    [{ type: 'multistep', peak: 1, steps: 10, milestones: [5], rates: [] }, 'schedule.rates: expected 1 rates (one per milestone), got 0: []'],
    [{ type: 'inverse-sqrt', peak: 1, steps: 10 }, 'schedule: inverse-sqrt needs a timescale when there is no warmup'],
    [{ type: 'cyclic', peak: 1, steps: 10, period: 1 }, 'schedule.period: not an integer of at least 2 steps: 1'],
    [{ type: 'custom', values: [] }, 'schedule.values: not a non-empty array of rates: []'],
    [{ type: 'custom', values: [1, -1] }, 'schedule.values[1]: not a non-negative rate: -1'],
    [{ type: 'custom', values: [1, 2], steps: 3 }, 'schedule.steps: not an integer in [1, 2] (the number of values): 3'],
    ['cosine', 'schedule: not an object with a type: "cosine"'],
  ];
  for (const [spec, message] of cases) {
    it(`rejects ${JSON.stringify(spec)}`, () => {
      expect(() => validateSchedule(spec)).toThrow(message);
      try {
        validateSchedule(spec);
      } catch (error) {
        expect((error as Error).name).toBe('InputError');
        expect((error as Error).message).toBe(message);
      }
    });
  }
});

describe('the power schedule (Shen et al. 2024)', () => {
  it('is peak (timescale / s)^exponent after warmup, by hand', () => {
    const lr = lrSchedule({ type: 'power', peak: 1, warmup: 4, exponent: 0.5, steps: 100 });
    expect(Array.from(lr.subarray(0, 4))).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(lr[4]).toBe(1);
    expect(lr[16]).toBe(0.5);
    expect(lr[64]).toBe(0.25);
    // Shen et al.'s default exponent 0.51.
    expect(lrSchedule({ type: 'power', peak: 2, timescale: 10, steps: 1000 })[999]).toBeCloseTo(2 * (10 / 999) ** 0.51, 15);
  });

  it('is horizon-free without a cooldown: the rates do not depend on steps', () => {
    const short = lrSchedule({ type: 'power', peak: 3e-4, warmup: 50, steps: 1000 });
    const long = lrSchedule({ type: 'power', peak: 3e-4, warmup: 50, steps: 5000 });
    expect(Array.from(long.subarray(0, 1000))).toEqual(Array.from(short));
  });

  it('cools down from the rate it reached to final, reaching it at the end', () => {
    const spec = { type: 'power', peak: 1, timescale: 10, exponent: 0.5, steps: 1000, cooldownFraction: 0.1 } as const;
    const lr = lrSchedule(spec);
    const reached = Math.sqrt(10 / 900);
    expect(lr[899]).toBeCloseTo(Math.sqrt(10 / 899), 15);
    expect(lr[900]).toBeCloseTo(reached, 15);
    expect(lr[950]).toBeCloseTo(reached * 0.5, 15);
    expect(lr[999]).toBeCloseTo(reached / 100, 15);
    expect(lrSchedule({ ...spec, final: 0.01, shape: 'exponential', cooldownFraction: undefined, decayStart: 900 })[950]).toBeCloseTo(reached ** 0.5 * 0.01 ** 0.5, 15);
  });

  it('validates its fields', () => {
    expect(() => validateSchedule({ type: 'power', peak: 1, steps: 10 })).toThrow('schedule: power needs a timescale when there is no warmup');
    expect(() => validateSchedule({ type: 'power', peak: 1, steps: 10, timescale: 2, exponent: 0 })).toThrow('schedule.exponent: not a positive number: 0');
    expect(() => validateSchedule({ type: 'power', peak: 1, steps: 100, timescale: 1, exponent: 0.5, decayStart: 25, final: 0.5 })).toThrow(
      'schedule.final: above the rate 0.2 the power decay reaches at the cooldown start: 0.5',
    );
    expect(() => validateSchedule({ type: 'power', peak: 1, steps: 100, timescale: 1, decayStart: 50, cooldownFraction: 0.5 })).toThrow(
      'schedule: power takes cooldownFraction or decayStart, not both',
    );
    expect(() => validateSchedule({ type: 'power', peak: 1, steps: 100, timescale: 1, decayStart: 50, shape: 'exponential' })).toThrow(
      'schedule.final: must be positive for an exponential cooldown: 0',
    );
  });
});
