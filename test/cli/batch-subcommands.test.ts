// `scalelaw batch gns | lr | optimal | trajectory | ramp`; `scalelaw batch` itself is in batch.test.ts (split so each file stays fast).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchRamp } from '../../src/batch/batch-ramp.js';
import { predictBatchTrajectory } from '../../src/batch/batch-trajectory.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-batch-sub-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scalelaw batch gns', () => {
  it('computes B_simple from logged gradient norms', () => {
    // E|G_B|^2 = |G|^2 + tr(Sigma) / B with |G|^2 = 4, tr(Sigma) = 1000 (B_simple = 250).
    const file = join(dir, 'norms.csv');
    writeFileSync(file, 'step,grad_sq_small,grad_sq_big,b_small,b_big\n1,19.625,7.90625,64,256\n2,19.625,7.90625,64,256\n3,,,,\n');
    const { code, stdout, stderr } = runCli(['batch', 'gns', file, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.final.bSimple).toBeCloseTo(250, 9);
    expect(out.overall.G2).toBeCloseTo(4, 12);
    expect(out.step).toEqual([1, 2]);
  });

  it('rejects non-positive norms naming the row (B_small >= B_big: test/batch/gns)', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'gradSqSmall,gradSqBig,bSmall,bBig\n19.6,7.9,64,256\n0,7.9,64,256\n');
    const r = runCli(['batch', 'gns', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`scalelaw: ${file}: row 2: gradSqSmall: must be positive, got 0\n`);
  });
});

describe('scalelaw batch lr / optimal', () => {
  it('reports the optimal learning rate per size with edge flags, and B_opt, lr_opt against compute', () => {
    // Final loss 3 (1 + 0.05 ln(lr / lr*)^2) with lr* = 0.02 (N / 1e6)^-0.5; N = 1e12 has its optimum below the sweep.
    const lrStar = (N: number) => 0.02 * Math.pow(N / 1e6, -0.5);
    const rows = ['run,N,step,lr,eval_loss'];
    for (const N of [1e6, 4e6, 16e6, 1e12]) {
      for (let i = 0; i < 13; i++) {
        const lr = 1e-4 * Math.pow(10, i / 4);
        rows.push(`N${N}-${i},${N},0,${lr},10`, `N${N}-${i},${N},100,${lr},${3 * (1 + 0.05 * Math.log(lr / lrStar(N)) ** 2)}`);
      }
    }
    const lrFile = join(dir, 'lr.csv');
    writeFileSync(lrFile, rows.join('\n') + '\n');
    const lr = runCli(['batch', 'lr', lrFile, '--json']);
    expect(lr.stderr).toBe('');
    const out = JSON.parse(lr.stdout);
    expect(out.edgeSizes).toEqual([1e12]);
    expect(out.sizes.map((s: { atEdge: string | false }) => s.atEdge)).toEqual([false, false, false, 'low']);
    expect(out.trend.params.find((p: { name: string }) => p.name === 'e').value).toBeCloseTo(-0.5, 6);

    const b = (C: number) => 0.292 * Math.pow(C, 0.3271),
      l = (C: number) => 0.3118 * Math.pow(C, -0.125);
    const sweep = ['run,batch_size,step,lr,flops,eval_loss'];
    for (const C of [1e17, 1e18, 1e19])
      for (const fb of [0.5, 1, 2]) for (const fl of [0.5, 1, 2]) sweep.push(`C${C}-${fb}-${fl},${b(C) * fb},100,${l(C) * fl},${C},${3 * (1 + 0.01 * Math.log(fb) ** 2 + 0.02 * Math.log(fl) ** 2)}`);
    const sweepFile = join(dir, 'sweep.csv');
    writeFileSync(sweepFile, sweep.join('\n') + '\n');
    const opt = runCli(['batch', 'optimal', sweepFile, '--band', '0']);
    expect(opt.code).toBe(0);
    expect(opt.stdout).toContain('B_opt = 0.292 C^0.3271');
    expect(opt.stdout).toContain('lr_opt = 0.3118 C^-0.125');
  });
});

describe('scalelaw batch trajectory', () => {
  it("fits B_crit(L) and Kaplan's L(N, S_min) to runs drawn from the law, and predicts the trajectory at a new batch size", () => {
    // Runs generated from Kaplan et al. 2020's published values, steps rounded to integers as a trainer logs them.
    const loss = { Nc: 6.5e13, alphaN: 0.077, Sc: 2.1e3, alphaS: 0.76 },
      bcrit = { Bstar: 2e8, alphaB: 0.21 };
    const rows = ['run,N,batch_size,step,eval_loss'];
    for (const N of [1e7, 3e7, 1e8]) {
      for (const B of [1e5, 3e5, 1e6]) {
        const t = predictBatchTrajectory(loss, bcrit, { N, batchSize: B, steps: 3e5, points: 40 });
        t.filter((p, i) => i === 0 || Math.round(p.steps) > Math.round(t[i - 1]!.steps)).forEach((p) => rows.push(`N${N}-B${B},${N},${B},${Math.round(p.steps)},${p.loss}`));
      }
    }
    const file = join(dir, 'kaplan.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const { code, stdout, stderr } = runCli([
      'batch',
      'trajectory',
      file,
      '--target-loss',
      '4.5,4,3.6',
      '--n',
      '1e9',
      '--batch-size',
      '5e5',
      '--steps',
      '1e5',
      '--points',
      '5',
      '--loss',
      '2.6',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const value = (fit: { params: { name: string; value: number }[] }, name: string) => fit.params.find((p) => p.name === name)!.value;
    expect(Math.abs(value(out.loss, 'alphaS') / 0.76 - 1)).toBeLessThan(0.05);
    expect(Math.abs(value(out.loss, 'alphaN') / 0.077 - 1)).toBeLessThan(0.05);
    expect(Math.abs(value(out.bcrit, 'alphaB') / 0.21 - 1)).toBeLessThan(0.1);
    expect(out.trajectory.map((p: { steps: number }) => Math.round(p.steps))).toEqual([1000, 3162, 10000, 31623, 100000]);
    expect(out.reach.loss).toBe(2.6);
    expect(out.reach.tokens).toBeCloseTo(out.reach.steps * 5e5, 0);
  });
});

describe('scalelaw batch ramp', () => {
  // The runs of the trajectory test above: Kaplan et al. 2020's published values.
  const loss = { Nc: 6.5e13, alphaN: 0.077, Sc: 2.1e3, alphaS: 0.76 },
    bcrit = { Bstar: 2e8, alphaB: 0.21 };
  const file = join(dir, 'kaplan-ramp.csv');
  const rows = ['run,N,batch_size,step,eval_loss'];
  for (const N of [1e7, 3e7, 1e8]) {
    for (const B of [1e5, 3e5, 1e6]) {
      const t = predictBatchTrajectory(loss, bcrit, { N, batchSize: B, steps: 3e5, points: 40 });
      t.filter((p, i) => i === 0 || Math.round(p.steps) > Math.round(t[i - 1]!.steps)).forEach((p) => rows.push(`N${N}-B${B},${N},${B},${Math.round(p.steps)},${p.loss}`));
    }
  }
  writeFileSync(file, rows.join('\n') + '\n');
  const args = ['batch', 'ramp', file, '--target-loss', '4.5,4,3.6', '--n', '1e9', '--loss', '2.6', '--batch-size', '1e6'];

  it('gives the saving the true laws give, an increasing schedule, and intervals from a bootstrap over the runs', () => {
    const { code, stdout, stderr } = runCli([...args, '--draws', '10', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const truth = batchRamp(loss, bcrit, { N: 1e9, target: 2.6, constantBatch: 1e6 });
    expect(truth.sameExamples.stepSaving).toBeGreaterThan(0.04);
    // The fitted laws are within a few per cent of the true ones (trajectory test); so is the saving.
    expect(Math.abs(out.ramp.sameExamples.stepSaving - truth.sameExamples.stepSaving)).toBeLessThan(0.015);
    expect(Math.abs(out.ramp.sameSteps.exampleSaving - truth.sameSteps.exampleSaving)).toBeLessThan(0.015);
    expect(Math.abs(out.ramp.constant.steps / truth.constant.steps - 1)).toBeLessThan(0.1);
    const schedule: { fromBatch: number; toBatch: number; steps: number }[] = out.ramp.sameExamples.schedule;
    schedule.forEach((s, i) => {
      expect(s.toBatch).toBeGreaterThanOrEqual(s.fromBatch);
      if (i > 0) expect(s.fromBatch).toBeGreaterThan(schedule[i - 1]!.toBatch);
    });
    expect(schedule.reduce((a, s) => a + s.steps, 0)).toBeCloseTo(out.ramp.sameExamples.steps, 0);
    const iv = out.ramp.intervals;
    expect(iv.level).toBe(0.9);
    expect(iv.draws).toBeGreaterThanOrEqual(2);
    expect(iv.stepSaving[0]).toBeLessThanOrEqual(iv.stepSaving[1]);
  });

  it('prints the schedule and both savings; the ramp respects --max-batch', () => {
    const { code, stdout, stderr } = runCli([...args, '--draws', '0', '--max-batch', '1.1e6']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/step saving, same examples: [\d.]+% \([\d.e]+ steps\) \(no interval: --draws 0\)/);
    expect(stdout).toMatch(/example \/ GPU-hour saving, same steps: /);
    // The table's rows: from the dashes under its header to the blank line after it; the batch column is the last before the steps.
    const lines = stdout.split('\n');
    const first = lines.findIndex((l) => l.startsWith('---')) + 1;
    const table = lines.slice(first, lines.indexOf('', first));
    expect(table.length).toBeGreaterThan(3);
    const batches = table.map((l) => Number(l.trim().split(/\s+/).at(-2)));
    expect(Math.max(...batches)).toBeLessThanOrEqual(1.1e6);
  });
});
