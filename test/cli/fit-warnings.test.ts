import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('scalelaw fit: warnings', () => {
  it('prints each warning of the fit to stderr, naming the parameter, and shows it in the report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-fit-warnings-'));
    const file = join(dir, 'runs.csv');
    // A pure power law: no floor in the data, so E ends on its bound 0.
    const N = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9];
    writeFileSync(file, ['N,loss', ...N.map((n) => `${n},${300 * n ** -0.3}`)].join('\n') + '\n');
    const { code, stdout, stderr } = runCli(['fit', file, '--law', 'power-N', '--threads', '1']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('scalelaw: warning: fit of power-N: E ended on its lower bound 0: the bound, not the data, set it\n');
    expect(stdout).toContain('    warning:     E ended on its lower bound 0: the bound, not the data, set it\n');
  });
});
