// Checkpoint-aware scaling fits against final-loss-only fits (Choshen et al. 2024) on the OLMo
// ladder's C4 loss (data/olmo-ladder, 190M to 1.3B, 1 to 10x Chinchilla tokens, four 1xC reruns):
// a rolling backtest over model size, each variant's mean |predicted - observed| / observed on the
// held-out final losses of the larger sizes, and the time per variant.
//   npx tsx bench/checkpoint-backtest.ts [repeats]      (default 3; times are medians)
import { checkpointBacktest, CHECKPOINT_VARIANTS } from '../src/plan/checkpoint-backtest.js';
import type { CheckpointRow } from '../src/plan/checkpoints.js';
import { readLadder } from '../src/reproductions/olmo-ladder.js';
import { setWarn } from '../src/core/warn.js';

setWarn(() => {});
const repeats = Number(process.argv[2] ?? 3);
const ladder = readLadder().filter((r) => r.mode !== 'eval');
const rows: CheckpointRow[] = ladder.map((r) => ({ run: r.run, N: r.N, D: r.tokens, loss: r.cells.c4 ?? Number.NaN }));
if (rows.some((r) => !Number.isFinite(r.loss))) throw new Error('data/olmo-ladder/ladder.csv has no c4 column');
const notRerun = (run: string) => !run.endsWith('-rerun');
console.log(`${rows.length} checkpoints of ${new Set(rows.map((r) => r.run)).size} runs; held out: the final C4 loss of the larger sizes' runs (reruns not scored)`);
let result;
const times: number[] = [];
for (let k = 0; k < repeats; k++) {
  const t0 = performance.now();
  result = await checkpointBacktest(rows, { heldOut: notRerun, fit: { threads: 1 } });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
for (const cut of result!.cuts) {
  console.log(`train on N = ${cut.trainSizes.map((n) => (n / 1e6).toFixed(0) + 'M').join(', ')}; ${cut.heldOut} held out`);
  for (const v of CHECKPOINT_VARIANTS) console.log(`  ${v.name.padEnd(46)} ${(cut.meanRelativeError[v.name]! * 100).toFixed(3)}%`);
}
console.log(`all cuts (${result!.heldOut} held-out final losses):`);
for (const v of CHECKPOINT_VARIANTS) console.log(`  ${v.name.padEnd(46)} ${(result!.meanRelativeError[v.name]! * 100).toFixed(3)}%`);
console.log(`time for the whole backtest (3 variants x ${result!.cuts.length} cuts, 4,500-start grid): median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(1)} s of ${repeats}`);
