// IO benchmarks: run-store append and load, and file readers. Run: npx tsx bench/io.ts
// Prints medians of repeated runs; the figures go to BENCHMARKS.md ("IO and run store").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readObservations } from '../src/io/read-observations.js';
import { readRuns } from '../src/io/read-runs.js';
import { openStore } from '../src/io/store.js';
import { inspectFile } from '../src/io/inspect.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(repeats: number, fn: () => void): number {
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}
const point = (i: number) => ({ step: i, tokens: i * 65536, lr: 3e-4, trainLoss: 3 + 1 / (i + 1), evalLoss: 3.1 + 1 / (i + 1), gradNorm: 0.5 });
const dir = mkdtempSync(join(tmpdir(), 'scalelaw-bench-io-'));
try {
  const rows: [string, string][] = [];
  let k = 0;
  for (const fsync of [false, true]) {
    const n = fsync ? 500 : 20_000;
    const ms = time(5, () => {
      const w = openStore(join(dir, `append-${k++}`)).begin({ id: 'r', family: 'mlp' }, { fsync });
      for (let i = 0; i < n; i++) w.append(point(i));
      w.finish({ status: 'finished', steps: n });
    });
    rows.push([`append, fsync ${fsync ? 'on' : 'off'} (${n} points)`, `${((ms * 1000) / n).toFixed(2)} us/point`]);
  }

  const store = openStore(join(dir, 'load'));
  for (let r = 0; r < 200; r++) {
    const w = store.begin({ id: `run-${r}`, family: 'mlp', N: 1000 * (r + 1), tags: { lr: 0.001 } });
    for (let i = 0; i < 500; i++) w.append(point(i * 10));
    w.finish({ status: 'finished', steps: 5000 });
  }
  rows.push(['store.finished(), 200 runs', `${time(5, () => store.finished()).toFixed(1)} ms`]);
  rows.push(['store.runs(), 200 runs x 500 points', `${time(5, () => store.runs()).toFixed(0)} ms`]);
  rows.push(['store.table(), 200 runs x 500 points', `${time(5, () => store.table()).toFixed(0)} ms`]);

  rows.push(['readObservations, Chinchilla CSV (245 rows)', `${time(9, () => readObservations('../shared/data/chinchilla-epoch/svg_extracted_data.csv')).toFixed(1)} ms`]);
  const big = join(dir, 'big.csv');
  const lines = ['run,step,params,train_loss,eval_loss,lr'];
  for (let i = 0; i < 200_000; i++) lines.push(`r${i % 100},${Math.floor(i / 100)},${1e6 * ((i % 100) + 1)},${3 + 1 / (i + 1)},${3.1 + 1 / (i + 1)},0.0003`);
  writeFileSync(big, lines.join('\n') + '\n');
  rows.push(['readObservations, 200k-row CSV', `${time(5, () => readObservations(big, { columns: { loss: 'eval_loss' } })).toFixed(0)} ms`]);
  rows.push(['readRuns, 200k-row CSV (100 runs)', `${time(5, () => readRuns(big)).toFixed(0)} ms`]);
  rows.push(['inspectFile, 200k-row CSV', `${time(5, () => inspectFile(big)).toFixed(0)} ms`]);
  for (const [what, figure] of rows) console.log(`| ${what} | ${figure} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
