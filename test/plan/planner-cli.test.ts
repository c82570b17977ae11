import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScalingFit } from '../../src/fit/result.js';
import { chinchillaOptimal } from '../../src/plan/optimal.js';
import { runCli } from '../cli/run-cli.js';

const FIT = 'fits/chinchilla-epoch2024.json';

describe('scalelaw plan', () => {
  it('gives N and D within 10% of the closed-form optimum of the fit, with intervals', () => {
    const { code, stdout, stderr } = runCli(['plan', '--compute', '5.76e23', '--fit', FIT, '--json']);
    expect(code, stderr).toBe(0);
    const plan = JSON.parse(stdout);
    const fit = ScalingFit.fromJSON(JSON.parse(readFileSync(FIT, 'utf8')), FIT);
    const exact = chinchillaOptimal(fit.values as never, 5.76e23);
    expect(Math.abs(plan.model.N.value / exact.N - 1)).toBeLessThan(0.1);
    expect(Math.abs(plan.model.D.value / exact.D - 1)).toBeLessThan(0.1);
    expect(plan.model.N.lower).toBeLessThan(plan.model.N.value);
    expect(plan.model.N.upper).toBeGreaterThan(plan.model.N.value);
    expect(plan.model.D.lower).toBeLessThan(plan.model.D.value);
    expect(plan.model.loss.upper).toBeGreaterThan(plan.model.loss.value);
  });

  it('states the interval in the readable report, and writes a self-contained HTML page', () => {
    const html = join(mkdtempSync(join(tmpdir(), 'scalelaw-plan-')), 'plan.html');
    const { code, stdout, stderr } = runCli(['plan', '--gpu-hours', '2e6', '--gpu-flops', '9.89e14', '--gpus', '2048', '--price', '2.5', '--fit', FIT, '--html', html]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/\(intervals: central 95%, from 1000 bootstrap resamples of fits\/chinchilla-epoch2024\.json\)/);
    expect(stdout).toMatch(/parameters N +\S+ +\[\S+, \S+\]/);
    expect(stdout).toMatch(/GPU-hours +2\.000e6\n/);
    expect(stdout).toMatch(/cost +5\.000e6 +at 2\.5 per GPU-hour/);
    const page = readFileSync(html, 'utf8');
    expect(page.match(/<figure class="chart"/g)).toHaveLength(2);
    expect(page).not.toMatch(/<script|src="http/);
  });

  it('refuses bad budgets and files with one-line messages and exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-plan-'));
    const curve = join(dir, 'plan.json');
    writeFileSync(curve, JSON.stringify({ kind: 'plan', version: 1 }));
    const cases: [string[], string][] = [
      [['--compute', '0'], 'scalelaw: compute must be a positive number of FLOPs; got 0\n'],
      [['--compute', '-5e20'], 'scalelaw: compute must be a positive number of FLOPs; got -500000000000000000000\n'],
      [['--gpu-hours', '1000'], "scalelaw: a GPU-hour budget needs the GPU's peak FLOP/s (gpuFlops, --gpu-flops); got gpuHours = 1000 and no gpuFlops\n"],
      [['--compute', '1e23', '--fit', curve], `scalelaw: ${curve}: kind must be "scaling-fit" or "curve-fit"; got "plan"\n`],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = runCli(['plan', ...(args.includes('--fit') ? args : [...args, '--fit', FIT])]);
      expect(stderr).toBe(message);
      expect(code).toBe(2);
    }
  });
});
