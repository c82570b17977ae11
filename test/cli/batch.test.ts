import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/io/store.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loss L(s) = 2 + 8 / (1 + s / tau_B) with tau_B = 50 (1 + 100 / B): S(B) = S_min (1 + 100 / B) at
// every target, so B_crit = 100.
const sizes = [16, 32, 64, 128, 256, 512];
const loss = (s: number, B: number) => 2 + 8 / (1 + s / (50 * (1 + 100 / B)));
const csv = ['run,batch_size,step,eval_loss'];
for (const B of sizes) for (let s = 0; s <= 4000; s += 10) csv.push(`b${B},${B},${s},${loss(s, B)}`);
const runsFile = join(dir, 'runs.csv');
writeFileSync(runsFile, csv.join('\n') + '\n');

describe('scalelaw batch', () => {
  it('finds B_crit and the CBS from a trajectory file, and B_crit(L) across targets', () => {
    const plot = join(dir, 'cb.json');
    const { code, stdout, stderr } = runCli(['batch', runsFile, '--target-loss', '6,4,3', '--reference-batch', '32', '--predict-loss', '2.5', '--plot', plot, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.targets).toHaveLength(3);
    for (const t of out.targets) {
      expect(t.Bcrit).toBeCloseTo(100, -1);
      expect(Math.abs(t.Bcrit / 100 - 1)).toBeLessThan(0.01);
      expect(t.zhang).toBeCloseTo(1.2 * 32 + 0.2 * t.Bcrit, 8);
      expect(t.points.map((p: { batchSize: number }) => p.batchSize)).toEqual(sizes);
    }
    expect(out.kaplan.law).toBe('kaplan-bcrit');
    expect(out.predicted.loss).toBe(2.5);
    // The chart spec, with B_crit marked on each fitted hyperbola.
    const spec = JSON.parse(readFileSync(plot, 'utf8'));
    expect(spec.$schema).toContain('vega-lite');
    expect(JSON.stringify(spec)).toMatch(/B_crit = (99\.\d|100)/);
  });

  it('reads a run store and prints a readable report', () => {
    const store = openStore(join(dir, 'store'));
    for (const B of sizes) {
      const w = store.begin({ id: `b${B}`, family: 'synthetic', batchSize: B });
      for (let s = 0; s <= 4000; s += 20) w.append({ step: s, evalLoss: loss(s, B) });
      w.finish({ status: 'finished', steps: 4000 });
    }
    const { code, stdout } = runCli(['batch', join(dir, 'store'), '--target-loss', '4']);
    expect(code).toBe(0);
    expect(stdout).toContain('6 runs, 6 batch sizes');
    expect(stdout).toMatch(/B_crit = E_min \/ S_min = (99\.\d+|100(\.\d+)?) \(McCandlish et al. 2018\)/);
    expect(stdout).toContain('CBS at 20% step overhead over linear scaling from B0 = 256');
  });

  it('exits 2 with one line for a single batch size and bad options (unreached targets: test/batch)', () => {
    const single = join(dir, 'single.csv');
    writeFileSync(single, 'run,batch_size,step,eval_loss\na,64,0,5\na,64,10,3\nb,64,0,5\nb,64,10,2\n');
    let r = runCli(['batch', single, '--target-loss', '4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('scalelaw: steps versus batch size needs runs at at least 2 distinct batch sizes, got only 64 (2 runs)\n');
    r = runCli(['batch', runsFile, '--target-loss', '3,x']);
    expect(r.stderr).toBe('scalelaw: --target-loss: not a positive number: "x"\n');
  });
});

describe('scalelaw reproduce zhang-cbs', () => {
  it('prints every published figure with ours within 1%', () => {
    const { code, stdout } = runCli(['reproduce', 'zhang-cbs', '--json']);
    expect(code).toBe(0);
    const metrics = JSON.parse(stdout) as { metric: string; published: number; ours: number }[];
    expect(metrics.map((m) => m.metric)).toContain('CBS = k N_M^e: e');
    for (const m of metrics) expect(Math.abs(m.ours / m.published - 1)).toBeLessThan(0.01);
  });
});
