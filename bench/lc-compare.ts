// Two runs of bench/lc-eval.ts --save side by side (the same curves predicted with two option sets,
// e.g. --extrapolate '{"weighting":"equal"}' or '{"schedule":...}' against the defaults).
// npx tsx bench/lc-compare.ts a-scores.json b-scores.json [--labels a,b] [--predictors ensemble]
import { readFileSync } from 'node:fs';
import type { CutoffScore } from '../src/reproductions/lc-evaluate.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const load = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { rows: CutoffScore[] }).rows;
const [a, b] = [load(args[0]!), load(args[1]!)];
const [la, lb] = flag('labels', 'a,b').split(',');
const predictors = flag('predictors', 'ensemble').split(',');
const f = (v: number | undefined, d = 4) => (v === undefined ? '–' : Number(v.toPrecision(d)).toString());
const get = (rows: CutoffScore[], file: string, fraction: number, predictor: string) => rows.find((r) => r.file === file && r.fraction === fraction && r.predictor === predictor);
console.log(`| file | predictor | seen | MAE ${la} | MAE ${lb} | best baseline (pow3, last) | LPD ${la} | LPD ${lb} | cover90 raw ${la} | cover90 raw ${lb} |`);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of b.filter((x) => predictors.includes(x.predictor))) {
  const o = get(a, r.file, r.fraction, r.predictor);
  // The baselines do not depend on the options compared; either file may hold them.
  const base = ['pow3', 'last'].map((p) => get(b, r.file, r.fraction, p) ?? get(a, r.file, r.fraction, p)).map((x) => x?.mae ?? Infinity);
  console.log(
    `| ${r.file} | ${r.predictor} | ${r.fraction * 100}% | ${f(o?.mae)} | ${f(r.mae)} | ${f(Math.min(...base))} | ${f(o?.lpd, 3)} | ${f(r.lpd, 3)} | ${f(o?.coverage90, 3)} | ${f(r.coverage90, 3)} |`,
  );
}
