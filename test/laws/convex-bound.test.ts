import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convexBoundLaw } from '../../src/laws/convex-bound.js';
import { curvePoints } from '../../src/laws/curve-points.js';
import { getLaw } from '../../src/laws/registry.js';
import { fitCurves } from '../../src/fit/fit-curves.js';
import { lrSchedule } from '../../src/schedules/schedule.js';
import { runCli } from '../cli/run-cli.js';

/**
 * The bound summed term by term as in their `_compute_refined_rate` (O(t) per step, O(T^2) for a
 * curve): eta_1..eta_n = lr[0..t], G_s = G ((s + 1) / 1000)^-rho, the sum over k = 1..n-1.
 */
function direct(lr: readonly number[], t: number, D2: number, G2: number, rho: number): number {
  let n = t + 1;
  while (n > 1 && lr[n - 1] === 0) n--; // a zero rate leaves the iterate where it was
  const eta = lr.slice(0, n);
  const w = eta.map((e, s) => e * e * G2 * ((s + 1) / 1000) ** (-2 * rho));
  const S = eta.reduce((a, b) => a + b, 0);
  let term3 = 0;
  for (let k = 0; k < n - 1; k++) {
    let alpha = 0;
    let gamma = 0;
    for (let j = k + 1; j < n; j++) alpha += eta[j]!;
    for (let j = k; j < n; j++) gamma += w[j]!;
    term3 += (eta[k]! / alpha) * (gamma / (alpha + eta[k]!));
  }
  return D2 / (2 * S) + w.reduce((a, b) => a + b, 0) / (2 * S) + term3 / 2;
}

const wsd = (T: number) => Array.from(lrSchedule({ type: 'wsd', peak: 1e-3, final: 0, warmup: 20, steps: T, cooldownFraction: 0.3, shape: 'sqrt' }));
const cosine = (T: number) => Array.from(lrSchedule({ type: 'cosine', peak: 1e-3, final: 1e-5, warmup: 20, steps: T }));

describe('convex-bound law', () => {
  const p = Float64Array.from([2.5, 3, 40, 0.3]);
  const decay = (o: { tolerance?: number } = {}) => convexBoundLaw({ ...o, gradientDecay: true });

  it('matches the bound summed term by term (exactly with tolerance 0, within 1e-4 by default)', () => {
    const schedules = { wsd: wsd(300), cosine: cosine(300), constant: new Array(300).fill(1e-3), zeros: [...wsd(200), 0, 0, 0] };
    for (const [name, lr] of Object.entries(schedules)) {
      const steps = [0, 1, 5, 50, 150, 199, lr.length - 1];
      const { x } = curvePoints([{ name, schedule: lr, steps: steps.filter((s) => lr.slice(0, s + 1).some((v) => v > 0)) }]);
      const exact = new Float64Array(x.length);
      const blocked = new Float64Array(x.length);
      decay({ tolerance: 0 }).evaluate(p, x, exact);
      decay().evaluate(p, x, blocked);
      const constant = new Float64Array(x.length);
      convexBoundLaw().evaluate(p.slice(0, 3), x, constant);
      for (let i = 0; i < x.length; i++) {
        const want = p[0]! + direct(lr, x.step[i]!, p[1]!, p[2]!, p[3]!);
        expect(Math.abs(exact[i]! - want) / want, `${name} step ${x.step[i]}`).toBeLessThan(1e-12);
        expect(Math.abs(blocked[i]! - want) / want, `${name} step ${x.step[i]}`).toBeLessThan(1e-4);
        const flat = p[0]! + direct(lr, x.step[i]!, p[1]!, p[2]!, 0);
        expect(Math.abs(constant[i]! - flat) / flat, `${name} step ${x.step[i]}, constant G`).toBeLessThan(1e-4);
      }
    }
  });

  it('is the closed form D^2 / (2 eta n) + G^2 eta (1 + H_(n-1)) / 2 at a constant rate with constant G', () => {
    const eta = 2e-3;
    const { x } = curvePoints([{ schedule: new Array(5000).fill(eta), steps: [9, 999, 4999] }]);
    const out = new Float64Array(3);
    convexBoundLaw({ tolerance: 0 }).evaluate(Float64Array.from([0, 5, 7]), x, out);
    [10, 1000, 5000].forEach((n, i) => {
      let H = 0;
      for (let j = 1; j < n; j++) H += 1 / j;
      expect(out[i]! / (5 / (2 * eta * n) + (7 * eta * (1 + H)) / 2)).toBeCloseTo(1, 12);
    });
  });

  it('costs O(log T / tolerance) terms per step: a 200,000-step curve at 100 steps in well under a second', () => {
    const lr = Array.from(lrSchedule({ type: 'wsd', peak: 1e-3, final: 0, warmup: 300, steps: 200_000, cooldownFraction: 0.2, shape: 'linear' }));
    const steps = Array.from({ length: 100 }, (_, i) => 1999 * (i + 1));
    const { x } = curvePoints([{ schedule: lr, steps }]);
    const out = new Float64Array(x.length);
    const t0 = performance.now();
    const law = decay();
    law.evaluate(p, x, out);
    law.evaluate(Float64Array.from([2.5, 3, 40, 0.31]), x, out);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it.each([
    ['constant G', convexBoundLaw(), p.slice(0, 3)],
    ['decaying G', convexBoundLaw({ gradientDecay: true }), p],
  ] as const)('has an analytic Jacobian that agrees with central differences (%s)', (_, law, q) => {
    const { x } = curvePoints([
      { schedule: wsd(400), steps: [30, 200, 350, 399] },
      { schedule: cosine(400), steps: [100, 399] },
    ]);
    const k = q.length;
    const jac = new Float64Array(x.length * k);
    law.jacobian!(q, x, jac);
    for (let j = 0; j < k; j++) {
      const h = 1e-6 * Math.abs(q[j]!);
      const up = Float64Array.from(q);
      const down = Float64Array.from(q);
      up[j]! += h;
      down[j]! -= h;
      const a = new Float64Array(x.length);
      const b = new Float64Array(x.length);
      law.evaluate(up, x, a);
      law.evaluate(down, x, b);
      for (let i = 0; i < x.length; i++) {
        const fd = (a[i]! - b[i]!) / (2 * h);
        expect(Math.abs(jac[i * k + j]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('predicts a lower final loss after a cooldown than at a constant rate once the noise term dominates', () => {
    const T = 2000;
    const { x } = curvePoints([
      { schedule: new Array(T).fill(1e-3), steps: [T - 1] },
      { schedule: wsd(T), steps: [T - 1] },
    ]);
    const out = new Float64Array(2);
    // D2 / (2 S) = 0.025 at a constant rate; the gradient-noise terms are about 0.3.
    getLaw('convex-bound').evaluate(Float64Array.from([2.5, 0.1, 2000]), x, out);
    expect(out[1]).toBeLessThan(out[0]!);
  });

  it.each([
    ['constant G', convexBoundLaw(), { L0: 2.9, D2: 2, G2: 60 }],
    ['decaying G', convexBoundLaw({ gradientDecay: true }), { L0: 2.9, D2: 2, G2: 60, rho: 0.2 }],
  ] as const)('is fitted back to the parameters that made exact synthetic curves (%s)', (_, law, truth) => {
    const schedules = [new Array(6000).fill(1e-3), cosine(6000), wsd(6000)];
    const steps = Array.from({ length: 60 }, (_, i) => 99 + 100 * i);
    const curves = schedules.map((schedule, c) => {
      const { x } = curvePoints([{ schedule, steps }]);
      const loss = new Float64Array(steps.length);
      law.evaluate(Float64Array.from(Object.values(truth)), x, loss);
      return { name: `curve ${c}`, schedule, steps, loss };
    });
    const fit = fitCurves(curves.slice(0, 2), { law, lbfgsb: { pgtol: 1e-12 } });
    for (const param of fit.params) {
      const want = truth[param.name as keyof typeof truth];
      expect(Math.abs(param.value - want) / want, param.name).toBeLessThan(1e-3);
    }
    // And it predicts the third schedule it did not see.
    const pred = new Float64Array(steps.length);
    law.evaluate(fit.vector(), curvePoints([{ schedule: curves[2]!.schedule, steps }]).x, pred);
    expect(Math.abs(pred[steps.length - 1]! - curves[2]!.loss[steps.length - 1]!) / pred[steps.length - 1]!).toBeLessThan(1e-5);
  });

  it('refuses a step where no rate has been positive yet', () => {
    const { x } = curvePoints([{ name: 'warm', schedule: [0, 0, 1e-3, 1e-3], steps: [1, 3] }]);
    expect(() => getLaw('convex-bound').validate!(x)).toThrow('warm: S1 (the sum of rates up to step 1) is 0; the convex bound divides by it, so it must be positive');
  });

  it('is fitted by `scalelaw curve fit --law convex-bound`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-convex-'));
    const spec = { peak: 1e-3, warmup: 20, steps: 3000 };
    const made = [
      { name: 'constant', schedule: { type: 'constant', ...spec } },
      { name: 'cosine', schedule: { type: 'cosine', final: 1e-5, ...spec } },
    ];
    const law = convexBoundLaw();
    const steps = Array.from({ length: 30 }, (_, i) => 99 + 100 * i);
    const args: string[] = [];
    for (const { name, schedule } of made) {
      const lr = lrSchedule(schedule as Parameters<typeof lrSchedule>[0]);
      const { x } = curvePoints([{ schedule: lr, steps }]);
      const loss = new Float64Array(steps.length);
      law.evaluate(Float64Array.from([2.9, 2, 60]), x, loss);
      writeFileSync(join(dir, `${name}.csv`), ['step,loss', ...steps.map((s, i) => `${s},${loss[i]}`)].join('\n') + '\n');
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(schedule));
      args.push(join(dir, `${name}.csv`), '--schedule', join(dir, `${name}.json`));
    }
    const result = runCli(['curve', 'fit', ...args, '--law', 'convex-bound', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const saved = JSON.parse(result.stdout);
    expect(saved.law).toBe('convex-bound');
    const G2 = (saved.params as { name: string; value: number }[]).find((q) => q.name === 'G2')!.value;
    expect(G2).toBeCloseTo(60, 3);

    // And the schedule decision under it, decaying to 0.
    const fitPath = join(dir, 'fit.json');
    writeFileSync(fitPath, result.stdout);
    const best = runCli(['curve', 'best-schedule', '--fit', fitPath, '--steps', '3000', '--peak', '1e-3', '--warmup', '20', '--final', '0', '--json']);
    expect(best.stderr).toBe('');
    const b = JSON.parse(best.stdout);
    expect(b.cooldown.shapes).toEqual(['linear', 'sqrt', 'cosine']);
    expect(b.cooldown.notes).toContain('exponential cooldown not searched: it cannot decay to final 0');
    expect(b.wsd.shape).toBe('linear');
    const text = runCli(['curve', 'best-schedule', '--fit', fitPath, '--steps', '3000', '--peak', '1e-3', '--warmup', '20', '--final', '0', '--no-optimize']);
    expect(text.stdout).toContain('WSD cooldown for 3000 steps (peak 0.001, warmup 20, final 0):');
  });
});
