import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PFN_WEIGHTS_PATH } from '../../src/extrapolation/pfn.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = (name: string, rows: [number, number][]) => {
  const path = join(dir, name);
  writeFileSync(path, 'step,loss\n' + rows.map(([s, v]) => `${s},${v}`).join('\n') + '\n');
  return path;
};
const loss = (t: number, floor: number) => floor + 2 * t ** -0.6;
const finished = csv(
  'finished.csv',
  Array.from({ length: 30 }, (_, i) => [i + 1, loss(i + 1, 1.2)]),
);

/** Starts `scalelaw <args>` without waiting; resolves with its output when it exits. */
function start(args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; stdout: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url)), ...args], { cwd: fileURLToPath(new URL('../../', import.meta.url)) });
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))), stdout: () => stdout };
}

describe('scalelaw stop --method pfn and --watch', () => {
  it('stops a run that cannot catch up, with the PFN predicting its end', () => {
    const behind = csv(
      'behind.csv',
      Array.from({ length: 8 }, (_, i) => [i + 1, loss(i + 1, 2.5)]),
    );
    const { code, stdout, stderr } = runCli(['stop', finished, behind, '--rule', 'predictive', '--method', 'pfn', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.decisions.map((d: { stop: boolean }) => d.stop)).toEqual([false, true]);
    expect(out.decisions[1].reason).toMatch(/^predictive\(delta=0\.05\): P\(final better than 1\.4[0-9]*\) = /);
    // Another weights file (here the shipped one's path, so the same decisions).
    const other = runCli(['stop', finished, behind, '--rule', 'predictive', '--method', 'pfn', '--pfn-weights', PFN_WEIGHTS_PATH, '--json']);
    expect(other.code).toBe(0);
    expect(JSON.parse(other.stdout).decisions).toEqual(out.decisions);
  });

  it('re-decides as the watched log grows, and exits once the rule says stop', async () => {
    const log = csv(
      'live.csv',
      Array.from({ length: 3 }, (_, i) => [i + 1, loss(i + 1, 1.0)]),
    );
    const run = start(['stop', finished, '--watch', log, '--rule', 'patience', '--patience', '3', '--interval', '0.1', '--idle', '20']);
    const waitFor = async (text: string) => {
      for (let k = 0; k < 200 && !run.stdout().includes(text); k++) await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor('step 3:');
    // Improving: continue; then flat for 3 points: stop.
    appendFileSync(log, `4,${loss(4, 1.0)}\n`);
    await waitFor('step 4:');
    appendFileSync(log, `5,2.2\n6,2.2\n7,2.2\n`);
    const { code, stdout, stderr } = await run.done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(`${log} step 3: continue (patience(3, minDelta=0): 0 points without improvement)`);
    expect(lines[1]).toMatch(new RegExp(`^${log.replaceAll('.', '\\.')} step 4: continue`));
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^${log.replaceAll('.', '\\.')} step 7: STOP \\(patience`));
  }, 60_000);

  it('extrapolate --method pfn: the predictive from the network, and what it refuses', () => {
    const partial = csv(
      'partial.csv',
      Array.from({ length: 10 }, (_, i) => [i + 1, loss(i + 1, 1.5)]),
    );
    const r = runCli(['extrapolate', partial, '--to', '30', '--method', 'pfn', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('pfn');
    const [lo, hi] = out.intervals[0];
    // A falling loss: the median at step 30 is below the last value, inside its interval.
    expect(out.points[0].median).toBeLessThan(loss(10, 1.5));
    expect(lo).toBeLessThan(out.points[0].median);
    expect(hi).toBeGreaterThan(out.points[0].median);
    let bad = runCli(['extrapolate', partial, '--to', '30', '--method', 'pfn', '--schedule', partial]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("scalelaw: --schedule: not used by --method pfn (its prior draws the schedule; give the run's planned end with --horizon)\n");
    // The run's planned end: taken by the pfn, refused before the predicted step and by other methods.
    const told = runCli(['extrapolate', partial, '--to', '30', '--method', 'pfn', '--horizon', '30', '--json']);
    expect(told.code).toBe(0);
    expect(JSON.parse(told.stdout).points[0].median).toBeLessThan(loss(10, 1.5));
    bad = runCli(['extrapolate', partial, '--to', '30', '--method', 'pfn', '--horizon', '20']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("scalelaw: horizon: the run's planned end 20 must be a step at or beyond the predicted step 30\n");
    bad = runCli(['extrapolate', partial, '--to', '30', '--method', 'fast', '--horizon', '30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('scalelaw: --horizon: used by --method pfn only, not fast; got "30"\n');
    bad = runCli(['extrapolate', partial, '--to', '30', '--method', 'pfn', '--weighting', 'equal']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("scalelaw: --weighting: weights the ensemble's families; give it with --method ensemble\n");
  });

  it('bad input: --watch without a horizon to go by, a bad interval, no curves at all', () => {
    const log = csv('alone.csv', [
      [1, 3],
      [2, 2.5],
      [3, 2.2],
    ]);
    let r = runCli(['stop', '--watch', log]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: --horizon: give the planned last step when --watch has no other runs to take it from\n');
    r = runCli(['stop', '--watch', log, '--horizon', '10', '--interval', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: --interval: must be a positive number of seconds, got "0"\n');
    r = runCli(['stop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: curves: give at least one CSV (or --watch <log.csv>)\n');
    r = runCli(['stop', finished, '--method', 'pfn', '--rule', 'patience']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: --method: only the predictive rule extrapolates, not "patience"\n');
  });

  it('asha: no run is stopped before its grace period, then the worst two thirds are', () => {
    // Six runs logged every 10 steps, 12 points each, towards a horizon of step 300 (30 points).
    const runs = [1.2, 1.3, 1.4, 1.5, 1.6, 1.7].map((floor, k) =>
      csv(
        `asha-${k}.csv`,
        Array.from({ length: 12 }, (_, i) => [10 * (i + 1), loss(i + 1, floor)]),
      ),
    );
    let r = runCli(['stop', ...runs, '--rule', 'asha', '--horizon', '300', '--grace', '13']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('STOP');
    expect(r.stdout).toContain('before the first rung (grace 13 of 30 points)');
    // Default grace ceil(30 / 9) = 4: rungs 4 and 12, the runs judged at 12.
    r = runCli(['stop', ...runs, '--rule', 'asha', '--horizon', '300', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { rule: string; decisions: { stop: boolean; reason: string }[] };
    expect(out.rule).toBe('asha(grace=auto, eta=3)');
    expect(out.decisions.map((d) => d.stop)).toEqual([false, false, true, true, true, true]);
    expect(out.decisions[0]!.reason).toContain('rung 12,');
  });
});
