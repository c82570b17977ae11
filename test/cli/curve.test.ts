import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { referenceData } from '../reference-data.js';

const data = referenceData('multipowerlaw/csv_25');
const spec = (s: object) => JSON.stringify({ peak: 3e-4, warmup: 2160, ...s });

describe('scalelaw curve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-curve-'));
  writeFileSync(join(dir, 'cos.json'), spec({ type: 'cosine', final: 3e-5, steps: 24000 }));
  writeFileSync(join(dir, 'con.json'), spec({ type: 'constant', steps: 24000 }));
  writeFileSync(join(dir, 'wsd.json'), spec({ type: 'wsd', final: 3e-5, steps: 24000, decayStart: 20000 }));
  writeFileSync(join(dir, 'bad.json'), spec({ type: 'wsd', steps: 24000, cooldownFraction: 1.5 }));
  const fitPath = join(dir, 'fit.json');

  it('fits two curves, predicts a third schedule and picks a schedule for a budget', () => {
    const fit = runCli([
      'curve',
      'fit',
      `${data}/cosine_24000.csv`,
      '--schedule',
      join(dir, 'cos.json'),
      `${data}/constant_24000.csv`,
      '--schedule',
      join(dir, 'con.json'),
      '--law',
      'momentum',
      '--out',
      fitPath,
    ]);
    expect(fit.stderr).not.toContain('Error');
    expect(fit.code).toBe(0);
    expect(fit.stdout).toContain('momentum law');
    const saved = JSON.parse(readFileSync(fitPath, 'utf8'));
    expect(saved.kind).toBe('curve-fit');
    expect(saved.curves.map((c: { name: string }) => c.name)).toEqual(['cosine_24000', 'constant_24000']);

    const predicted = runCli(['curve', 'predict', '--fit', fitPath, '--schedule', join(dir, 'wsd.json'), '--json']);
    expect(predicted.code).toBe(0);
    const p = JSON.parse(predicted.stdout);
    expect(p.steps[p.steps.length - 1]).toBe(23999);
    // The measured wsd_20000_24000 curve ends at 3.2766; the two-curve fit should land within 1%.
    expect(Math.abs(p.final - 3.2766) / 3.2766).toBeLessThan(0.01);

    const best = runCli(['curve', 'best-schedule', '--fit', fitPath, '--steps', '48000', '--no-optimize', '--json']);
    expect(best.code).toBe(0);
    const b = JSON.parse(best.stdout);
    expect(b.budget).toEqual({ steps: 48000, peak: 3e-4, warmup: 2160, final: 3e-5 });
    expect(b.families[b.families.length - 1].family).toBe('constant');
    expect(b.wsd.fraction).toBeGreaterThan(0);
  });

  it('prints the warnings of a fit to stderr, naming the parameter', () => {
    // A constant rate has no drop: the momentum law's C and lambda are left free.
    const fit = runCli(['curve', 'fit', `${data}/constant_24000.csv`, '--schedule', join(dir, 'con.json'), '--law', 'momentum']);
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stderr).toMatch(/scalelaw: warning: fit of momentum: (C|lambda) not identified: /);
    expect(fit.stdout).toMatch(/warning: +(C|lambda) not identified/);
  });

  it('exits 2 with a one-line message on bad input', () => {
    const bad = runCli(['curve', 'predict', '--fit', fitPath, '--schedule', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(dir, 'bad.json')}: schedule.cooldownFraction: not in (0, 1): 1.5`);
    const unpaired = runCli(['curve', 'fit', `${data}/cosine_24000.csv`, `${data}/constant_24000.csv`, '--schedule', join(dir, 'cos.json')]);
    expect(unpaired.code).toBe(2);
    expect(unpaired.stderr).toContain('--schedule: 2 curve files but 1 schedules; give one --schedule per curve, in order');
    const optimizer = runCli(['curve', 'fit', `${data}/cosine_24000.csv`, '--schedule', join(dir, 'cos.json'), '--optimizer', 'newton']);
    expect(optimizer.code).toBe(2);
    expect(optimizer.stderr).toContain('--optimizer: must be lbfgsb or adamw-early-stopped, got "newton"');
    const law = runCli(['curve', 'fit', `${data}/cosine_24000.csv`, '--schedule', join(dir, 'cos.json'), '--law', 'chinchilla']);
    expect(law.code).toBe(2);
    expect(law.stderr).toMatch(/--law: must be a whole-curve law \(.*mpl.*\), got "chinchilla"/);
  });

  it('ends the report of a fit to three or more curves with its leave-one-curve-out backtest', () => {
    const args = ['curve', 'fit'];
    for (const [file, spec] of [
      ['cosine_24000', 'cos'],
      ['constant_24000', 'con'],
      ['wsd_20000_24000', 'wsd'],
    ])
      args.push(`${data}/${file}.csv`, '--schedule', join(dir, `${spec}.json`));
    const fit = runCli([...args, '--law', 'momentum']);
    expect(fit.code, fit.stderr).toBe(0);
    const section = fit.stdout.slice(fit.stdout.indexOf('[[Backtest]]'));
    expect(section).toMatch(/^\[\[Backtest\]\] whole-curve law momentum: leave one schedule out \(3 fits\)/);
    for (const name of ['cosine_24000', 'constant_24000', 'wsd_20000_24000']) expect(section).toContain(name);
    const skipped = runCli([...args, '--law', 'momentum', '--no-backtest']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toContain('[[Backtest]]');
  });

  it('backtests a law: fit on the named curves, predict the others and rank them', () => {
    const held = runCli([
      'curve',
      'backtest',
      `${data}/cosine_24000.csv`,
      '--schedule',
      join(dir, 'cos.json'),
      `${data}/constant_24000.csv`,
      '--schedule',
      join(dir, 'con.json'),
      `${data}/wsd_20000_24000.csv`,
      '--schedule',
      join(dir, 'wsd.json'),
      '--train',
      'cosine_24000',
      '--train',
      'constant_24000',
      '--law',
      'momentum',
      '--json',
    ]);
    expect(held.code, held.stderr).toBe(0);
    const result = JSON.parse(held.stdout);
    expect(result.mode).toBe('train-set');
    expect(result.rows.map((r: { curve: string }) => r.curve)).toEqual(['wsd_20000_24000']);
    expect(result.rows[0].measuredFinal).toBeCloseTo(3.2766, 3);
    expect(result.meanFinalError).toBeLessThan(0.01);
    const missing = runCli(['curve', 'backtest', `${data}/cosine_24000.csv`, '--schedule', join(dir, 'cos.json'), '--train', 'cosine']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('train: no curve named "cosine"; curves: cosine_24000');
  });
});
