// The ensemble's family weightings side by side, from two score files of bench/lc-eval.ts --save
// (one run per weighting, e.g. --extrapolate '{"weighting":"evidence"}' and '{"weighting":"equal"}').
// npx tsx bench/lc-weighting.ts evidence-scores.json equal-scores.json
import { readFileSync } from 'node:fs';
import type { CutoffScore } from '../src/curves/evaluate.js';

const load = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { rows: CutoffScore[] }).rows;
const [evidence, equal] = [load(process.argv[2]!), load(process.argv[3]!)];
const f = (v: number | undefined, d = 4) => (v === undefined ? '–' : Number(v.toPrecision(d)).toString());
const get = (rows: CutoffScore[], file: string, fraction: number, predictor: string) => rows.find((r) => r.file === file && r.fraction === fraction && r.predictor === predictor);
console.log('| file | seen | MAE evidence | MAE equal | best baseline (pow3, last) | LPD evidence | LPD equal | cover90 raw evidence | cover90 raw equal |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of equal.filter((x) => x.predictor === 'ensemble')) {
  const e = get(evidence, r.file, r.fraction, 'ensemble');
  // The baselines do not depend on the weighting; either file may hold them.
  const base = ['pow3', 'last'].map((p) => get(equal, r.file, r.fraction, p) ?? get(evidence, r.file, r.fraction, p)).map((x) => x?.mae ?? Infinity);
  console.log(`| ${r.file} | ${r.fraction * 100}% | ${f(e?.mae)} | ${f(r.mae)} | ${f(Math.min(...base))} | ${f(e?.lpd, 3)} | ${f(r.lpd, 3)} | ${f(e?.coverage90, 3)} | ${f(r.coverage90, 3)} |`);
}
