import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { savedFit } from '../plan/published-25m-fit.js';

describe('scalelaw curve best-schedule --grad-norms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-gradnorms-'));
  const fitPath = join(dir, 'fit.json');
  writeFileSync(fitPath, JSON.stringify(savedFit()));
  const norms = join(dir, 'norms.csv');
  writeFileSync(norms, 'step,gradNorm\n' + Array.from({ length: 100 }, (_, i) => `${i * 240},${1 + Math.exp(-i / 10)}`).join('\n') + '\n');

  it("ranks the refined schedule and the literature's families", () => {
    const out = runCli(['curve', 'best-schedule', '--fit', fitPath, '--steps', '24000', '--no-optimize', '--grad-norms', norms, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const families = JSON.parse(out.stdout).families.map((f: { family: string }) => f.family);
    for (const f of ['refined from grad norms (smoothing)', 'linear to zero', 'power (exponent)', 'power + linear cooldown (fraction)']) expect(families).toContain(f);
  });

  it('exits 2 naming the file when it has no gradient-norm column', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'step,loss\n0,1\n1,2\n');
    const out = runCli(['curve', 'best-schedule', '--fit', fitPath, '--steps', '24000', '--no-optimize', '--grad-norms', bad]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${bad}: no column gradNorm or grad_norm; columns: step, loss`);
  });
});
