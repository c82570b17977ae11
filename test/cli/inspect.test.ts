import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import { runCli } from './run-cli.js';
import { referenceData } from '../reference-data.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scalelaw inspect', () => {
  it('reports 245 rows of the Chinchilla data and detects N, C and loss', () => {
    const { code, stdout, stderr } = runCli(['inspect', referenceData('chinchilla-epoch/svg_extracted_data.csv'), '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.rows).toBe(245);
    expect(report.detected).toEqual({ N: 'Model Size', D: null, C: 'Training FLOP', loss: 'loss', step: null, run: null });
    expect(report.notes).toEqual(['no D column: D will be derived as C / (6 N)']);
    const loss = report.columns.find((c: { name: string }) => c.name === 'loss');
    expect(loss.type).toBe('number');
    expect(loss.min).toBeCloseTo(2.077, 3);
    expect(loss.max).toBeCloseTo(5.006, 3);
    expect(report.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'x:number',
      'y:number',
      'color:text',
      'Model Size:number',
      'Training FLOP:number',
      'hex_color:text',
      'loss:number',
    ]);
  });

  it('prints a readable table without --json', () => {
    const { code, stdout } = runCli(['inspect', referenceData('multipowerlaw/csv_25/wsdcon_3.csv')]);
    expect(code).toBe(0);
    expect(stdout).toContain('detected: loss = "loss", step = "step"');
    expect(stdout).toContain('wsdcon_3.csv: csv, 95 rows, 3 columns');
    expect(stdout).toMatch(/^step\s+number\s+2176\s+14144\s+0\s+step$/m);
  });

  it('summarises a run store by status, steps and columns', () => {
    const storeDir = join(dir, 'store');
    const store = openStore(storeDir);
    for (const [id, status] of [
      ['a', 'finished'],
      ['b', 'diverged'],
      ['c', undefined],
    ] as const) {
      const w = store.begin({ id, family: 'mlp', N: 1000 });
      w.append({ step: 0, trainLoss: 3 });
      w.append({ step: id === 'a' ? 40 : 20, trainLoss: 2 });
      if (status) w.finish({ status, steps: 20 });
      else w.close();
    }
    const { code, stdout } = runCli(['inspect', storeDir, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      kind: 'store',
      runs: 3,
      byStatus: { finished: 1, diverged: 1, running: 0, interrupted: 1, failed: 0 },
      families: ['mlp'],
      steps: { points: 6, minLast: 20, maxLast: 40 },
    });
    expect(report.columns.map((c: { name: string }) => c.name)).toContain('trainLoss');
  });

  it('exits 2 with one line on bad input, and has --help', () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect(runCli(['inspect', empty])).toEqual({ code: 2, stdout: '', stderr: `scalelaw: ${empty}: empty file\n` });
    expect(runCli(['inspect', join(dir, 'missing.csv')])).toEqual({ code: 2, stdout: '', stderr: `scalelaw: ${join(dir, 'missing.csv')}: no such file\n` });
    expect(runCli(['inspect'])).toMatchObject({ code: 2 });
    const help = runCli(['inspect', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: scalelaw inspect [options] <path>');
  });
});
