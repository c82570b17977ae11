import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { ScalingFit, type FitParam } from '../../src/fit/result.js';
import { fitCurves } from '../../src/fit/fit-curves.js';
import { mplCurve } from '../../src/reproductions/mpl-data.js';
import { plan, readFitFile } from '../../src/plan/planner.js';
import { planReport } from '../../src/plan/plan-report.js';

const param = (name: string, value: number): FitParam => ({ name, value, min: -Infinity, max: Infinity, fixed: false, atBound: false });

/** Epoch's headline values (Besiroglu et al. 2024), with resamples drawn around them for intervals. */
function epochFit(resamples = 200): ScalingFit {
  const r = rng(7);
  const values = [482.01, 2085.43, 1.817, 0.348, 0.366];
  const se = [0, 0, 0.026, 0.015, 0.021];
  const samples = Array.from({ length: resamples }, () => values.map((v, j) => v + se[j]! * r.normal()));
  return new ScalingFit({
    law: 'chinchilla',
    formula: 'L = E + A / N^alpha + B / D^beta',
    inputs: ['N', 'D'],
    params: ['A', 'B', 'E', 'alpha', 'beta'].map((n, j) => param(n, values[j]!)),
    objective: { loss: 'huber', settings: { delta: 1e-3 }, space: 'log', value: null },
    converged: true,
    message: 'published values',
    starts: { count: 0, converged: 0 },
    data: { source: 'epoch-published', rows: 240 },
    date: '2024-04-15',
    ...(resamples > 0 ? { bootstrap: { resamples, seed: 7, level: 0.9, starts: 1, unconverged: 0, samples } } : {}),
  });
}

function powerFit(law: string, k: number, e: number, source: string): ScalingFit {
  return new ScalingFit({
    law,
    inputs: [law.endsWith('-n') ? 'N' : law.endsWith('-d') ? 'D' : 'C'],
    params: [param('k', k), param('e', e)],
    objective: { loss: 'squared', settings: {}, space: 'log', value: 0 },
    converged: true,
    message: 'test',
    starts: { count: 1, converged: 1 },
    data: { source, rows: 5 },
    date: '2026-11-23',
  });
}

describe('plan', () => {
  it("allocates compute as Chinchilla's closed form, with bootstrap intervals around it", () => {
    const p = plan({ budget: { compute: 5.76e23 }, fits: [epochFit()] });
    // Epoch's published optimum at 5.76e23 FLOPs: N = 7.23e10, D = 1.33e12.
    expect(p.model.N.value / 7.23e10).toBeCloseTo(1, 2);
    expect(p.model.D.value / 1.33e12).toBeCloseTo(1, 2);
    expect(6 * p.model.N.value * p.model.D.value).toBeCloseTo(5.76e23, -19);
    expect(p.model.N.lower!).toBeLessThan(p.model.N.value);
    expect(p.model.N.upper!).toBeGreaterThan(p.model.N.value);
    expect(p.model.loss.lower!).toBeLessThan(p.model.loss.value);
    expect(p.level).toBe(0.9);
  });

  it('answers batch, learning rate and steps from published relations when no batch fit is given, and says so', () => {
    const p = plan({ budget: { compute: 5.76e23 }, fits: [epochFit(0)] });
    expect(p.model.N.lower).toBeUndefined();
    // DeepSeek LLM: lr = 0.3118 C^-0.125, B = 0.292 C^0.3271 tokens.
    expect(p.learningRate!.value).toBeCloseTo(0.3118 * 5.76e23 ** -0.125, 10);
    const bopt = 0.292 * 5.76e23 ** 0.3271;
    expect(p.batch!.recommended).toBeLessThanOrEqual(bopt);
    expect(p.batch!.recommended).toBeGreaterThan(bopt / 2);
    expect(p.steps).toBe(Math.ceil(p.model.D.value / p.batch!.recommended));
    expect(p.unanswered.map((u) => u.item)).toEqual(['intervals on N, D and loss', 'critical batch size', 'best schedule and WSD cooldown', 'wall-clock and cost']);
  });

  it('uses a critical-batch fit in N, converting its sequences to tokens', () => {
    // Zhang et al. 2024: CBS = 93.197 N_M^0.46828 sequences of 512 tokens -> k = 93.197 * 1e6^-0.46828 for N in parameters.
    const bcrit = powerFit('bcrit-n', 93.197 * 1e6 ** -0.46828, 0.46828, 'zhang');
    const p = plan({ budget: { compute: 1e22, gpuFlops: 1e15, utilization: 0.5, gpus: 64, price: 2 }, fits: [epochFit(50), bcrit], fitSeqLen: 512, seqLen: 4096 });
    const critical = 93.197 * (p.model.N.value / 1e6) ** 0.46828 * 512;
    expect(p.batch!.critical!.value).toBeCloseTo(critical, 6);
    expect(p.batch!.recommended).toBe(2 ** Math.floor(Math.log2(critical / 4096)) * 4096);
    expect(p.batch!.critical!.lower).toBeLessThan(critical);
    expect(p.unanswered.map((u) => u.item)).toEqual(['best schedule and WSD cooldown']);
    const report = planReport(p);
    expect(report).toContain('Plan for a training budget of 1.00e22 FLOPs');
    expect(report).toContain('(intervals: central 90%, from 50 bootstrap resamples of epoch-published)');
    expect(report).toContain('critical batch');
    expect(report).toContain('wall-clock');
    expect(report).toContain('cost');
  });

  it('refuses plans it cannot make, naming the fit', () => {
    const bcrit = powerFit('bcrit-n', 1, 0.5, 'b.json');
    expect(() => plan({ budget: { compute: 1e22 }, fits: [bcrit] })).toThrow(
      'the planner needs a scaling-law fit in N and D (law chinchilla or kaplan, e.g. fits/chinchilla-epoch2024.json); got b.json (law bcrit-n)',
    );
    expect(() => plan({ budget: { compute: 1e22 }, fits: [epochFit(0), powerFit('power-n' as string, 1, 1, 'p.json')] })).toThrow(
      'p.json: the planner has no use for law "power-n"; it takes chinchilla, kaplan, kaplan-bcrit, bcrit-n, bcrit-d, batch-opt-c, lr-opt-c, lr-opt-n',
    );
    expect(() => plan({ budget: { compute: 1e22 }, fits: [epochFit(0), epochFit(0)] })).toThrow('two scaling fits given: epoch-published (chinchilla) and epoch-published (chinchilla); give one');
    expect(() => plan({ budget: { compute: 0 }, fits: [epochFit(0)] })).toThrow('compute must be a positive number of FLOPs; got 0');
  });
});

describe('plan with a loss-curve fit', () => {
  // The multi-power law on two published 25M curves (Luo et al. 2025).
  const curve = fitCurves([mplCurve('25', 'cosine_24000'), mplCurve('25', 'constant_24000')], { law: 'mpl' });

  it('names the best schedule and WSD cooldown, with the gain over cosine', () => {
    const p = plan({ budget: { compute: 1e21 }, fits: [epochFit(0), { fit: curve, source: 'mpl-25m' }] });
    const s = p.schedule!;
    expect(s.cooldownFraction).toBeGreaterThan(0);
    expect(s.cooldownFraction).toBeLessThan(1);
    // Cosine to peak / 10 is a member of the cosine family that bestSchedule searches.
    expect(s.gainOverCosine).toBeGreaterThanOrEqual(0);
    expect(s.predictedLoss[s.best]).toBeCloseTo(s.predictedLoss['cosine (final/peak 0.1)']! - s.gainOverCosine, 12);
    expect(s.source).toContain(`mpl-25m (law mpl), peak 0.0003, warmup 2160, ${p.steps} steps`);
    expect(p.unanswered.map((u) => u.item)).not.toContain('best schedule and WSD cooldown');
    expect(planReport(p)).toContain('gain over cosine');
  });

  it('still needs a scaling fit', () => {
    expect(() => plan({ budget: { compute: 1e21 }, fits: [{ fit: curve, source: 'c.json' }] })).toThrow('got c.json (curve fit, law mpl)');
  });
});

describe('readFitFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-plan-'));
  it('round-trips a saved scaling fit', () => {
    const file = join(dir, 'fit.json');
    writeFileSync(file, JSON.stringify(epochFit(3)));
    expect((readFitFile(file) as ScalingFit).values.alpha).toBe(0.348);
  });
  it('refuses a file of another kind, and files that are not JSON', () => {
    const file = join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify({ kind: 'plan', version: 1 }));
    expect(() => readFitFile(file)).toThrow(`${file}: kind must be "scaling-fit" or "curve-fit"; got "plan"`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'law: chinchilla');
    expect(() => readFitFile(bad)).toThrow(`${bad}: not JSON`);
  });
});
