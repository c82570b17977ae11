// Final-value prediction on the NAS curves of Baker et al. 2017 (see BENCHMARKS.md, "Learning curves").
// npx tsx bench/lc-eval.ts [--stride 1] [--threads 2] [--predictors ensemble,fast,pow3,last] [--files a,b] [--save out.json] [--save-preds preds.json] [--from-preds preds.json] [--learned ensemble,fast]
// --extrapolate '{"weighting":"equal"}': options passed to every extrapolation (JSON).
// --from-preds: score predictions saved by an earlier --save-preds instead of computing them again.
// --learned: bases of the learned correction ("<base>+learned", cross-fitted over 5 folds of each
// file and cutoff; needs the base, fast and pow3 predictions). @default ensemble,fast
import { writeFileSync } from 'node:fs';
import { predictFinalValues, scoreFinalValues, type FilePredictions, type Predictor } from '../src/reproductions/lc-evaluate.js';
import { crossFittedCorrection } from '../src/reproductions/lc-learned-eval.js';
import { readNasCurves } from '../src/reproductions/nas-data.js';
import { table } from '../src/cli/util.js';
import { loadPreds, savePreds } from './lc-preds.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const stride = Number(arg('stride', '1'));
const threads = Number(arg('threads', '2'));
const predictors = arg('predictors', 'ensemble,fast,pow3,last').split(',') as Predictor[];
const learned = arg('learned', 'ensemble,fast')
  .split(',')
  .filter((b) => b) as Predictor[];
const from = arg('from-preds', '');
const extrapolate = JSON.parse(arg('extrapolate', '{}')) as Record<string, unknown>;
const sets = readNasCurves(new URL('../data/nas-curves', import.meta.url).pathname);
const t0 = performance.now();
const only = arg('files', '');
const files: FilePredictions[] = [];
const learnedSeconds: Record<string, number> = {};
const addLearned = (file: FilePredictions) => {
  for (const base of learned) {
    if (!file.preds[base] || !file.preds.fast || !file.preds.pow3) continue;
    const t = performance.now();
    file.preds[`${base}+learned`] = crossFittedCorrection(file, { base });
    learnedSeconds[`${file.name} ${base}+learned`] = (performance.now() - t) / 1000;
    console.error(`${file.name}: ${base}+learned in ${learnedSeconds[`${file.name} ${base}+learned`]!.toFixed(1)} s`);
  }
};
// One file at a time, saving after each, so a long run leaves results as it goes.
const source = from ? loadPreds(from, only) : sets.filter((s) => !only || only.split(',').includes(s.name));
for (const item of source) {
  const file = 'preds' in item ? item : (await predictFinalValues([item], { stride, threads, predictors, extrapolate, onProgress: (m) => console.error(m) }))[0]!;
  addLearned(file);
  files.push(file);
  const partial = arg('save', '');
  if (partial) writeFileSync(partial, JSON.stringify({ rows: scoreFinalValues(files), wall: (performance.now() - t0) / 1000, partial: true }, null, 1));
}
const wall = (performance.now() - t0) / 1000;
const rows = scoreFinalValues(files);
console.log(
  table(
    rows.map((r) => [r.file, r.fraction, r.points, r.predictor, r.curves, r.mae, r.lpd, r.coverage90]),
    ['file', 'fraction', 'points', 'predictor', 'curves', 'MAE', 'LPD', 'cover90'],
  ),
);
console.log(`wall ${wall.toFixed(1)} s, ${threads} threads, stride ${stride}${from ? `, predictions from ${from}` : ''}`);
for (const f of files)
  console.log(
    f.name,
    JSON.stringify(Object.fromEntries(Object.entries(f.seconds).map(([k, v]) => [k, +((v / (f.curves.length * f.cutoffs.length)) * 1000).toFixed(1)]))),
    'ms per prediction (wall, all threads)',
  );
console.log(
  'learned corrections, wall s (all cutoffs, 5 folds):',
  JSON.stringify(learnedSeconds, (_, v) => (typeof v === 'number' ? +v.toFixed(1) : v)),
);
const save = arg('save', '');
if (save) writeFileSync(save, JSON.stringify({ rows, wall, learnedSeconds }, null, 1));
const savePath = arg('save-preds', '');
if (savePath) savePreds(savePath, files);
