// How well the planner's predictive interval covers held-out runs (src/plan/planner.ts: the
// prediction l within the backtest's `level` quantile q of relative errors, [l / (1 + q), l / (1 - q)],
// joined with the bootstrap interval), by leave-one-cut-out over a saved rolling backtest: for each
// cut, q comes from the other cuts only, and the cut's held-out rows are scored.
// Run: npx tsx bench/predictive-interval.ts [fits/chinchilla-epoch2024.backtest.json]
import { readFileSync } from 'node:fs';
import { quantile } from '../src/core/stats.js';
import { backtestFromJSON } from '../src/plan/backtest.js';

const file = process.argv[2] ?? 'fits/chinchilla-epoch2024.backtest.json';
const b = backtestFromJSON(JSON.parse(readFileSync(file, 'utf8')), file);
let covered = 0;
let bootstrapCovered = 0;
let total = 0;
for (const [k, cut] of b.cuts.entries()) {
  const others = b.cuts.filter((_, j) => j !== k).flatMap((c) => c.points.map((p) => Math.abs(p.relativeError)));
  const q = quantile(
    others.sort((x, y) => x - y),
    b.level,
  );
  let inCut = 0;
  for (const p of cut.points) {
    const [lo, hi] = p.interval ?? [p.predicted, p.predicted];
    if (p.loss >= Math.min(lo, p.predicted / (1 + q)) && p.loss <= Math.max(hi, p.predicted / (1 - q))) inCut++;
    if (p.covered) bootstrapCovered++;
  }
  covered += inCut;
  total += cut.points.length;
  console.log(`cut N <= ${cut.trainMaxN.toExponential(3)}: q from the other cuts ${(100 * q).toFixed(2)}%, predictive intervals cover ${inCut} of ${cut.points.length}`);
}
console.log(
  `${Math.round(b.level * 100)}% level: bootstrap intervals cover ${bootstrapCovered} of ${total}; predictive (leave one cut out) ${covered} of ${total} (${((100 * covered) / total).toFixed(1)}%)`,
);
