import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-lc-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const finished = write('a.csv', 'step,loss\n' + [4.0, 3.1, 2.8, 2.6, 2.5, 2.45, 2.42, 2.4, 2.39, 2.38].map((v, i) => `${i + 1},${v}`).join('\n') + '\n');
const behind = write('b.csv', 'step,loss\n' + [4.2, 3.9, 3.7, 3.6, 3.55, 3.52].map((v, i) => `${i + 1},${v}`).join('\n') + '\n');
const gap = write('gap.csv', 'step,loss\n1,4\n2,\n3,3\n');

describe('scalelaw extrapolate / stop', () => {
  it('extrapolate --method fast --json prints the predictive at each step', () => {
    const { code, stdout, stderr } = runCli(['extrapolate', behind, '--to', '20', '60', '--method', 'fast', '--threshold', '3', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.method).toBe('fast');
    expect(out.goal).toBe('min');
    expect(out.points.map((p: { step: number }) => p.step)).toEqual([20, 60]);
    expect(out.points[0].median).toBeLessThan(3.52);
    expect(out.probBetter[1]).toBeGreaterThanOrEqual(0);
  });

  it('extrapolate weights the families by evidence by default, every family alike with --weighting equal', () => {
    const evidence = JSON.parse(runCli(['extrapolate', behind, '--to', '60', '--json']).stdout).weights as Record<string, number>;
    expect(Math.max(...Object.values(evidence)) - Math.min(...Object.values(evidence))).toBeGreaterThan(0.05);
    const { code, stdout, stderr } = runCli(['extrapolate', behind, '--to', '60', '--weighting', 'equal', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const weights = Object.values(JSON.parse(stdout).weights as Record<string, number>).filter((w) => w > 0);
    expect(weights.length).toBeGreaterThan(5);
    for (const w of weights) expect(w).toBeCloseTo(1 / weights.length, 12);
  });

  it('stop --rule predictive stops the run that cannot catch up', () => {
    const { code, stdout } = runCli(['stop', finished, behind, '--rule', 'predictive', '--delta', '0.05', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.bestFinal).toBe(2.38);
    expect(out.decisions.map((d: { stop: boolean }) => d.stop)).toEqual([false, true]);
  });

  it('extrapolate --finished predicts the last step with a correction learned from finished runs', () => {
    // 16 finished runs of 10 epochs, L(t) = a + b t^-0.7, and a partial run of 5 epochs from the same family.
    const law = (a: number, b: number, t: number) => a + b * t ** -0.7;
    const runs = Array.from({ length: 16 }, (_, i) => [2 + 0.05 * i, 2 + 0.1 * (i % 5)] as const);
    const rows = Array.from({ length: 10 }, (_, t) => [t + 1, ...runs.map(([a, b]) => law(a, b, t + 1).toFixed(5))].join(','));
    const wide = write('runs.csv', ['step', ...runs.map((_, i) => `run${i + 1}`)].join(',') + '\n' + rows.join('\n') + '\n');
    const partial = write('partial.csv', 'step,loss\n' + [1, 2, 3, 4, 5].map((t) => `${t},${law(2.3, 2.2, t).toFixed(5)}`).join('\n') + '\n');
    const { code, stdout, stderr } = runCli(['extrapolate', partial, '--finished', wide, '--to', '10', '--method', 'fast', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.method).toBe('fast+learned');
    expect(out.finishedRuns).toBe(16);
    expect(out.step).toBe(10);
    expect(Math.abs(out.median - law(2.3, 2.2, 10))).toBeLessThan(0.02);
    expect(out.interval[0]).toBeLessThan(out.median);

    let r = runCli(['extrapolate', partial, '--finished', wide, '--to', '20', '--method', 'fast']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("scalelaw: --to: with --finished the prediction is for the finished runs' last step, 10; got 20\n");
    const offGrid = write('off.csv', 'step,loss\n2,3\n4,2.9\n6,2.8\n');
    r = runCli(['extrapolate', offGrid, '--finished', wide, '--to', '10', '--method', 'fast']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`scalelaw: ${offGrid}: its steps must be the first steps of ${wide} (1, 2, 3), fewer than all 10\n`);
  });

  it('extrapolate --schedule fits over the area under the learning rate', () => {
    // Accuracy with a jump at the drop of the rate at epoch 10 (the curve of test/curves/schedule.test.ts).
    const area = (t: number) => (t <= 10 ? t : t <= 20 ? 10 + 0.2 * (t - 10) : 12 + 0.04 * (t - 20));
    const truth = (t: number) => 0.9 - 0.5 * area(t) ** -0.7 + (t > 10 ? 0.05 : 0) + (t > 20 ? 0.01 : 0);
    const acc = write('acc.csv', 'epoch,accuracy\n' + Array.from({ length: 15 }, (_, i) => `${i + 1},${truth(i + 1).toFixed(5)}`).join('\n') + '\n');
    const lr = write('lr.csv', 'step,lr\n0,1\n10,0.2\n20,0.04\n');
    const { code, stdout, stderr } = runCli(['extrapolate', acc, '--to', '30', '--method', 'fast', '--schedule', lr, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Math.abs(JSON.parse(stdout).points[0].median - truth(30))).toBeLessThan(0.01);
    const rate = write('rate.csv', 'step,rate\n0,1\n10,0.2\n');
    const r = runCli(['extrapolate', acc, '--to', '30', '--schedule', rate]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`scalelaw: ${rate}: no column "lr"; columns: step, rate\n`);
  });

  it('stop --rule predictive --method ensemble --weighting equal decides with the ensemble', () => {
    const { code, stdout, stderr } = runCli(['stop', finished, behind, '--rule', 'predictive', '--method', 'ensemble', '--weighting', 'equal', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.decisions.map((d: { stop: boolean }) => d.stop)).toEqual([false, true]);
    expect(out.decisions[1].reason).toMatch(/^predictive\(delta=0\.05\): P\(final better than 2\.38\) = /);
  });

  it('bad input: a gap in the curve, an unknown rule', () => {
    let r = runCli(['extrapolate', gap, '--to', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`scalelaw: ${gap}: row 2, column loss: not a finite number: ""\n`);
    r = runCli(['extrapolate', behind, '--to', '60', '--weighting', 'bic']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: --weighting: must be evidence or equal, got "bic"\n');
    r = runCli(['extrapolate', behind, '--to', '60', '--method', 'fast', '--weighting', 'equal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("scalelaw: --weighting: weights the ensemble's families; give it with --method ensemble\n");
    r = runCli(['stop', finished, behind, '--weighting', 'equal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("scalelaw: --weighting: weights the ensemble's families; give it with --method ensemble\n");
    r = runCli(['stop', finished, behind, '--rule', 'patience', '--method', 'ensemble']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: --method: only the predictive rule extrapolates, not "patience"\n');
    const lr = write('lr-stop.csv', 'step,lr\n0,1\n5,0.1\n');
    r = runCli(['stop', finished, behind, '--rule', 'patience', '--schedule', lr]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: --schedule: only the predictive rule extrapolates, not "patience"\n');
    r = runCli(['stop', finished, behind, '--schedule', lr, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).decisions[1].reason).toMatch(/^predictive\(delta=0\.05\): P\(final better than 2\.38\) = /);
    r = runCli(['stop', finished, behind, '--method', 'mcmc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: --method: must be fast, ensemble or pfn, got "mcmc"\n');
    r = runCli(['stop', finished, '--rule', 'oracle']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: unknown rule: "oracle"; known rules: predictive, patience, gl, pq, median, asha, overfitting, improvement\n');
  });
});
