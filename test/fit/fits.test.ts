import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predictInterval } from '../../src/fit/bootstrap.js';
import { ScalingFit } from '../../src/fit/result.js';
import { chinchillaOptimal } from '../../src/plan/optimal.js';

const dir = new URL('../../fits/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('saved fits in fits/', () => {
  it('ships the Hoffmann 2022 and Epoch 2024 fits', () => {
    expect(files).toContain('chinchilla-hoffmann2022.json');
    expect(files).toContain('chinchilla-epoch2024.json');
  });

  for (const file of files) {
    const json = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { kind?: string; date?: string; source?: string; data?: { source?: string } };
    type TrainingRecord = { date?: string; command?: string };
    const weights = json as { format?: string; formatVersion?: number; priorVersion?: number; training?: TrainingRecord; members?: { training?: TrainingRecord }[]; combined?: string };
    if (weights.format === 'scalelaw-pfn') {
      // The learning-curve PFN's weights: what made them, from which prior, and when.
      it(`${file} names its prior version, training command and date`, () => {
        expect(weights.priorVersion).toBeGreaterThanOrEqual(1);
        // One network (format 1), or an ensemble (format 2) whose every member says how it was made.
        const records = weights.formatVersion === 2 ? (weights.members ?? []).map((m) => m.training) : [weights.training];
        expect(records.length).toBeGreaterThanOrEqual(1);
        if (weights.formatVersion === 2) expect(weights.combined).toMatch(/^npm run train:pfn/);
        for (const training of records) {
          expect(training?.date).toMatch(/^\d{4}-\d{2}-\d{2}/);
          expect(training?.command).toMatch(/^npm run train:pfn/);
        }
      });
      continue;
    }
    if (json.kind !== 'scaling-fit') {
      // Other kinds (e.g. 'curve-fit' of whole loss curves) are loaded by their own modules' tests.
      it(`${file} names its kind, data and date`, () => {
        expect(typeof json.kind).toBe('string');
        expect(json.date).toMatch(/^\d{4}-\d{2}-\d{2}/);
        expect(String(json.source ?? json.data?.source ?? '').length).toBeGreaterThan(0);
      });
      continue;
    }
    it(`${file} loads, names its data and date, and predicts`, () => {
      const fit = ScalingFit.fromJSON(json, file);
      expect(fit.kind).toBe('scaling-fit');
      expect(fit.data.source.length).toBeGreaterThan(10);
      expect(fit.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const L = fit.predict({ N: 7e10, D: 1.4e12 })[0]!;
      expect(L).toBeGreaterThan(1.5);
      expect(L).toBeLessThan(2.5);
      expect(fit.report()).toContain(fit.law);
    });
  }

  it('chinchilla-epoch2024.json: our grid fit with a 1,000-resample bootstrap meeting the bars', () => {
    const fit = ScalingFit.fromJSON(JSON.parse(readFileSync(new URL('chinchilla-epoch2024.json', dir), 'utf8')));
    const published = { A: 477.8, B: 2143.9, E: 1.8172, alpha: 0.3473, beta: 0.3672 };
    for (const [name, value] of Object.entries(published)) expect(Math.abs(fit.values[name]! / value - 1)).toBeLessThan(0.01);
    expect(fit.bootstrap!.resamples).toBe(1000);
    // Epoch's bootstrap standard errors (4,000 resamples): E 0.026, alpha 0.015, beta 0.021; ours within 25%.
    const se = Object.fromEntries(fit.params.map((p) => [p.name, p.stderr!]));
    expect(Math.abs(se.E! / 0.026 - 1)).toBeLessThan(0.25);
    expect(Math.abs(se.alpha! / 0.015 - 1)).toBeLessThan(0.25);
    expect(Math.abs(se.beta! / 0.021 - 1)).toBeLessThan(0.25);
    const a = fit.values.beta! / (fit.values.alpha! + fit.values.beta!);
    expect(Math.abs(a - 0.513)).toBeLessThan(0.01);
    const band = predictInterval(fit, { N: 7e10, D: 1.4e12 });
    expect(band.lower[0]).toBeLessThan(band.value[0]!);
    expect(band.upper[0]).toBeGreaterThan(band.value[0]!);
  });

  it("chinchilla-besiroglu2024.json gives Epoch's compute-optimal model at 5.76e23 FLOPs", () => {
    const fit = ScalingFit.fromJSON(JSON.parse(readFileSync(new URL('chinchilla-besiroglu2024.json', dir), 'utf8')));
    const best = chinchillaOptimal(fit.values as never, 5.76e23);
    expect(Math.abs(best.N / 7.23e10 - 1)).toBeLessThan(0.01);
    expect(Math.abs(best.D / 1.33e12 - 1)).toBeLessThan(0.01);
  });

  it('rejects a file of the wrong kind, naming it', () => {
    expect(() => ScalingFit.fromJSON({ kind: 'plan' }, 'plan.json')).toThrow('plan.json: kind must be "scaling-fit", got "plan"');
    expect(() => ScalingFit.fromJSON({ kind: 'scaling-fit', version: 1, law: 'chinchilla', params: [{ name: 'A', value: 1 }] }, 'x.json')).toThrow(
      'x.json: params of law "chinchilla" must be A, B, E, alpha, beta; got ["A"]',
    );
  });
});
