// Early-stopping replay on the NAS curves from predictions saved by bench/lc-eval.ts --save-preds.
// npx tsx bench/lc-stop.ts /tmp/lc-preds.json [delta]
import { readFileSync } from 'node:fs';
import { table } from '../src/cli/util.js';
import type { FilePredictions, StoredPrediction } from '../src/curves/evaluate.js';
import { replayNas } from '../src/curves/lc-nas.js';
import { readNasCurves } from '../src/curves/nas-data.js';

const saved = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as any[];
const delta = Number(process.argv[3] ?? 0.05);
const sets = readNasCurves(new URL('../data/nas-curves', import.meta.url).pathname);
const files: FilePredictions[] = saved.map((f) => {
  const set = sets.find((s) => s.name === f.name)!;
  const preds = Object.fromEntries(Object.entries(f.preds as Record<string, { q: number[]; l: number[] }[][]>).map(([k, rows]) => [k, rows.map((row) => row.map((p): StoredPrediction => ({ quantiles: Float64Array.from(p.q), logDensity: Float64Array.from(p.l) })))]));
  return { ...f, truths: Float64Array.from(f.truths), curves: (f.index as number[]).map((i) => set.curves[i]!), preds, seconds: {} };
});
const rows = [];
for (const predictor of ['ensemble', 'fast'] as const) {
  if (!files[0]!.preds[predictor]) continue;
  for (const s of replayNas(files, { predictor, delta })) {
    if (predictor === 'fast' && s.predictor === 'none') continue;
    rows.push([s.file, s.predictor === 'none' ? '-' : s.predictor, s.result.rule, s.result.speedup, s.result.regret, s.result.maxRegret, s.result.sameBest, s.result.span]);
  }
}
console.log(table(rows, ['file', 'predictor', 'rule', 'speed-up', 'regret/span', 'max regret/span', 'same best', 'span']));
