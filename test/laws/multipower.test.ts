import { describe, expect, it } from 'vitest';
import { multiPowerLaw } from '../../src/laws/multipower.js';
import { curvePoints } from '../../src/laws/curve-points.js';
import { mplCurve, mplTestCurves } from '../../src/reproductions/mpl-data.js';
import { lrSchedule } from '../../src/schedules/schedule.js';
import type { ScheduleSpec } from '../../src/core/schedule-spec.js';
import { referenceData } from '../reference-data.js';

const dir = referenceData('multipowerlaw');
// Luo et al. 2025's fitted parameters (their repository's config.py), [L0, A, alpha, B, C, beta, gamma].
const published = {
  '25': [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257],
  '100': [2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644],
};

function errors(size: '25' | '100', p: number[]) {
  const law = multiPowerLaw();
  let predE = 0;
  let worstE = 0;
  for (const name of mplTestCurves) {
    const { x, y } = curvePoints([mplCurve(size, name, dir)]);
    const out = new Float64Array(x.length);
    law.evaluate(Float64Array.from(p), x, out);
    let sum = 0;
    let worst = 0;
    out.forEach((v, i) => {
      const e = Math.abs(v - y![i]!) / y![i]!;
      sum += e;
      worst = Math.max(worst, e);
    });
    predE += sum / out.length / mplTestCurves.length;
    worstE += worst / mplTestCurves.length;
  }
  return { predE, worstE };
}

describe('multi-power law', () => {
  it("reproduces Luo et al.'s published test errors from their published parameters", () => {
    const e25 = errors('25', published['25']);
    expect(e25.predE).toBeCloseTo(0.0011, 5);
    expect(e25.worstE).toBeCloseTo(0.00409, 5);
    const e100 = errors('100', published['100']);
    expect(e100.predE).toBeCloseTo(0.00142, 5);
    expect(e100.worstE).toBeCloseTo(0.00583, 5);
  });

  it('matches the exact loss-drop sum within 1e-6 at the default tolerance', () => {
    const curve = mplCurve('25', 'cosine_24000', dir);
    const steps = [2160, 8000, 16000, 23920];
    const { x } = curvePoints([{ ...curve, steps, loss: undefined }]);
    const p = Float64Array.from(published['25']);
    const exact = new Float64Array(4);
    const approx = new Float64Array(4);
    multiPowerLaw({ tolerance: 0 }).evaluate(p, x, exact);
    multiPowerLaw().evaluate(p, x, approx);
    approx.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-6));
    // The sum by its definition, written out independently of the law's code.
    const lr = lrSchedule(curve.schedule as ScheduleSpec);
    const [L0, A, alpha, B, C, beta, gamma] = published['25'] as [number, number, number, number, number, number, number];
    steps.forEach((t, i) => {
      const S = (from: number) => lr.slice(from, t + 1).reduce((a, b) => a + b, 0);
      let LD = 0;
      let Sk = 0; // S_k(t) = lr[k] + ... + lr[t], built from k = t down
      for (let k = t; k >= 1; k--) {
        Sk += lr[k]!;
        if (lr[k - 1] !== lr[k]) LD += (lr[k - 1]! - lr[k]!) * (1 - (C * lr[k]! ** -gamma * Sk + 1) ** -beta);
      }
      expect(exact[i]).toBeCloseTo(L0 + A * S(0) ** -alpha - B * LD, 10);
    });
  });

  it('has an analytic Jacobian that agrees with central differences', () => {
    const { x } = curvePoints([{ ...mplCurve('25', 'wsd_20000_24000', dir), loss: undefined, steps: [3000, 20500, 23904] }]);
    const law = multiPowerLaw();
    const p = Float64Array.from(published['25']);
    const jac = new Float64Array(3 * 7);
    law.jacobian!(p, x, jac);
    for (let j = 0; j < 7; j++) {
      const h = 1e-6 * Math.abs(p[j]!);
      const up = Float64Array.from(p);
      const down = Float64Array.from(p);
      up[j]! += h;
      down[j]! -= h;
      const a = new Float64Array(3);
      const b = new Float64Array(3);
      law.evaluate(up, x, a);
      law.evaluate(down, x, b);
      for (let i = 0; i < 3; i++) {
        const fd = (a[i]! - b[i]!) / (2 * h);
        expect(Math.abs(jac[i * 7 + j]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('rejects a zero rate that it would raise to a power', () => {
    const lr = [0, 1e-4, 2e-4, 0, 0, 0];
    const { x } = curvePoints([{ name: 'drop-to-zero', schedule: lr, steps: [4] }]);
    expect(() => multiPowerLaw().validate!(x)).toThrow('drop-to-zero: the rate at step 3 is 0; the multi-power law raises it to the power -gamma, so every rate it changes to must be positive');
  });

  it('rejects a step whose S1 is zero', () => {
    const { x } = curvePoints([{ name: 'cold', schedule: [0, 0, 1e-4], steps: [1, 2] }]);
    expect(() => multiPowerLaw().validate!(x)).toThrow('cold: S1 (the sum of rates up to step 1) is 0; the multi-power law raises it to the power -alpha, so it must be positive');
  });
});
