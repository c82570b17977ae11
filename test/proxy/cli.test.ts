import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSweep, type SweepSpec } from '../../src/proxy/sweep-spec.js';
import { runCli } from '../cli/run-cli.js';

describe('scalelaw train and sweep', () => {
  it('sweep --example prints a spec that expands into runs', () => {
    const { code, stdout } = runCli(['sweep', '--example']);
    expect(code).toBe(0);
    const spec = JSON.parse(stdout) as SweepSpec;
    expect(expandSweep(spec).length).toBe(12);
  });

  it('train runs a config into a store and reports it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-cli-train-'));
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify({ model: { family: 'transformer', width: 8, depth: 1, context: 4 }, data: { type: 'markov' }, steps: 5, batchSize: 4, evalTokens: 64 }));
    const { code, stdout } = runCli(['train', '--config', config, '--store', join(dir, 'runs'), '--backend', 'wasm', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'finished', steps: 5, backend: 'wasm' });
  });

  it('refuses bad input with one line and exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-cli-bad-'));
    const config = join(dir, 'run.json');
    writeFileSync(config, JSON.stringify({ model: { family: 'transformer', width: 8, depth: 1, context: 4 }, data: { type: 'markov' }, steps: 5, batchSize: 0 }));
    const bad = runCli(['train', '--config', config, '--store', join(dir, 'runs')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('scalelaw: batchSize: expected a positive integer, got 0\n');
    const noStore = runCli(['sweep', config]);
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain('scalelaw: --store: required: the run store directory\n');
  });
});
