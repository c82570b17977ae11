import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setWarn } from '../../src/core/warn.js';
import { fitCurves } from '../../src/fit/fit-curves.js';
import { fitLaw } from '../../src/fit/fit.js';
import { loadFit, saveFit } from '../../src/fit/load.js';
import { CurveFit, Fit, ScalingFit } from '../../src/fit/result.js';
import { curvePoints, type CurveInput } from '../../src/laws/curve-points.js';
import { momentumLaw } from '../../src/laws/momentum.js';
import type { ScheduleSpec } from '../../src/core/schedule-spec.js';

setWarn(() => {});

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-load-'));
const base = { peak: 3e-4, warmup: 500, steps: 8000 } as const;

function momentumCurve(spec: ScheduleSpec, name: string): CurveInput {
  const steps = Array.from({ length: 40 }, (_, i) => 600 + i * 180);
  const { x } = curvePoints([{ schedule: spec, steps }]);
  const loss = new Float64Array(steps.length);
  momentumLaw().evaluate(Float64Array.from([3, 0.5, 0.5, 0.6, 0.999]), x, loss);
  return { name, schedule: spec, steps, loss };
}

describe('one reader for every kind of fit file', () => {
  it('writes and reads back a scaling fit and a curve fit of the current version, dispatching on kind', async () => {
    const N = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8];
    const scaling = await fitLaw('power-N', { inputs: { N }, loss: N.map((n) => 2 + 300 * n ** -0.3), source: 'synthetic' }, { threads: 1, date: '2026-12-03' });
    const curves = [momentumCurve({ type: 'cosine', ...base, final: 3e-5 }, 'cosine'), momentumCurve({ type: 'constant', ...base }, 'constant')];
    const curve = fitCurves(curves, { law: 'momentum', resamples: 3, seed: 1, date: '2026-12-03' });
    saveFit(scaling, join(dir, 'scaling.json'));
    saveFit(curve, join(dir, 'curve.json'));

    const s = loadFit(join(dir, 'scaling.json'));
    expect(s).toBeInstanceOf(ScalingFit);
    expect(s.toJSON()).toEqual(scaling.toJSON());
    const c = loadFit(join(dir, 'curve.json'), 'curve-fit');
    expect(c).toBeInstanceOf(CurveFit);
    expect(c.version).toBe(2);
    expect(Array.from(c.vector())).toEqual(Array.from(curve.vector()));
    expect(c.bootstrap!.samples).toEqual(curve.bootstrap!.samples);
    expect(loadFit(join(dir, 'curve.json'), 'any').kind).toBe('curve-fit');
    expect(loadFit(join(dir, 'scaling.json'), 'any').kind).toBe('scaling-fit');
    // The same shape of result, whatever the kind.
    for (const fit of [s, c] as Fit[]) {
      expect(fit.params.map((p) => Object.keys(p).slice(0, 6))).toEqual(fit.params.map(() => ['name', 'value', 'min', 'max', 'fixed', 'atBound']));
      expect(typeof fit.objective.value).toBe('number');
      expect(fit.report()).toContain('[[Parameters]]');
    }
  });

  it('refuses a file of the other kind or of no kind, naming it', () => {
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ kind: 'plan' }));
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => loadFit(join(dir, 'plan.json'), 'any')).toThrow(`${join(dir, 'plan.json')}: kind must be "scaling-fit" or "curve-fit"; got "plan"`);
    expect(() => loadFit(join(dir, 'plan.json'))).toThrow(`${join(dir, 'plan.json')}: kind must be "scaling-fit", got "plan"`);
    expect(() => loadFit(join(dir, 'plan.json'), 'curve-fit')).toThrow(`${join(dir, 'plan.json')}: kind must be "curve-fit", got "plan"`);
    expect(() => loadFit(join(dir, 'bad.json'), 'any')).toThrow(`${join(dir, 'bad.json')}: not JSON`);
    expect(() => loadFit(join(dir, 'none.json'), 'any')).toThrow(`${join(dir, 'none.json')}: cannot read fit file: ENOENT`);
  });
});
