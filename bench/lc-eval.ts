// Final-value prediction on the NAS curves of Baker et al. 2017 (see BENCHMARKS.md, "Learning curves").
// npx tsx bench/lc-eval.ts [--stride 1] [--threads 2] [--predictors ensemble,fast,pow3,last] [--files a,b] [--save out.json] [--save-preds preds.json]
import { writeFileSync } from 'node:fs';
import { predictFinalValues, scoreFinalValues, type Predictor } from '../src/curves/evaluate.js';
import { readNasCurves } from '../src/curves/nas-data.js';
import { table } from '../src/cli/util.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const stride = Number(arg('stride', '1'));
const threads = Number(arg('threads', '2'));
const predictors = arg('predictors', 'ensemble,fast,pow3,last').split(',') as Predictor[];
const sets = readNasCurves(new URL('../data/nas-curves', import.meta.url).pathname);
const t0 = performance.now();
const only = arg('files', '');
const files = [];
// One file at a time, saving after each, so a long run leaves results as it goes.
for (const set of sets.filter((s) => !only || only.split(',').includes(s.name))) {
  files.push(...(await predictFinalValues([set], { stride, threads, predictors, onProgress: (m) => console.error(m) })));
  const partial = arg('save', '');
  if (partial) writeFileSync(partial, JSON.stringify({ rows: scoreFinalValues(files), wall: (performance.now() - t0) / 1000, partial: true }, null, 1));
}
const wall = (performance.now() - t0) / 1000;
const rows = scoreFinalValues(files);
console.log(table(rows.map((r) => [r.file, r.fraction, r.points, r.predictor, r.curves, r.mae, r.lpd, r.coverage90]), ['file', 'fraction', 'points', 'predictor', 'curves', 'MAE', 'LPD', 'cover90']));
console.log(`wall ${wall.toFixed(1)} s, ${threads} threads, stride ${stride}`);
for (const f of files) console.log(f.name, JSON.stringify(Object.fromEntries(Object.entries(f.seconds).map(([k, v]) => [k, +(v / (f.curves.length * f.cutoffs.length) * 1000).toFixed(1)]))), 'ms per prediction (wall, all threads)');
const save = arg('save', '');
if (save) writeFileSync(save, JSON.stringify({ rows, wall }, null, 1));
const savePreds = arg('save-preds', '');
if (savePreds) {
  // Quantiles per predictor, cutoff and curve (6 significant digits), for bench/lc-stop.ts.
  const round = (v: number) => Number(v.toPrecision(6));
  writeFileSync(savePreds, JSON.stringify(files.map((f) => ({
    name: f.name, goal: f.goal, length: f.length, fractions: f.fractions, cutoffs: f.cutoffs, index: f.index,
    truths: Array.from(f.truths),
    preds: Object.fromEntries(Object.entries(f.preds).map(([k, rows]) => [k, rows!.map((row) => row.map((p) => ({ q: Array.from(p.quantiles, round), l: Array.from(p.logDensity, round) })))])),
  }))));
}
