// Markdown tables for BENCHMARKS.md from the scores saved by bench/lc-eval.ts --save.
// npx tsx bench/lc-report.ts /tmp/lc-scores.json
import { readFileSync } from 'node:fs';
import type { CutoffScore } from '../src/curves/evaluate.js';

const { rows, wall } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { rows: CutoffScore[]; wall: number };
const f = (v: number | undefined, d = 4) => (v === undefined ? '–' : Math.abs(v) >= 1e4 ? v.toExponential(1) : Number(v.toPrecision(d)).toString());
const get = (file: string, fraction: number, predictor: string) => rows.find((r) => r.file === file && r.fraction === fraction && r.predictor === predictor);
for (const file of [...new Set(rows.map((r) => r.file))]) {
  const n = rows.find((r) => r.file === file)!.curves;
  console.log(`\n**${file}** (${n} curves)\n`);
  console.log('| seen | points | MAE ensemble | MAE fast | MAE pow3 | MAE last | LPD ensemble | LPD fast | LPD pow3 | LPD last | cover90 ensemble (conformal) | cover90 fast (conformal) | cover90 pow3 (conformal) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const fraction of [...new Set(rows.filter((r) => r.file === file).map((r) => r.fraction))]) {
    const e = get(file, fraction, 'ensemble'), fa = get(file, fraction, 'fast'), p = get(file, fraction, 'pow3'), l = get(file, fraction, 'last');
    const ec = get(file, fraction, 'ensemble+conformal'), fc = get(file, fraction, 'fast+conformal'), pc = get(file, fraction, 'pow3+conformal');
    const best = Math.min(e?.mae ?? Infinity, p?.mae ?? Infinity, l?.mae ?? Infinity);
    const bold = (r: CutoffScore | undefined) => (r && r.mae === best ? `**${f(r.mae)}**` : f(r?.mae));
    console.log(`| ${fraction * 100}% | ${e?.points ?? l?.points} | ${bold(e)} | ${f(fa?.mae)} | ${bold(p)} | ${bold(l)} | ${f(e?.lpd, 3)} | ${f(fa?.lpd, 3)} | ${f(p?.lpd, 3)} | ${f(l?.lpd, 3)} | ${f(e?.coverage90, 3)} (${f(ec?.coverage90, 3)}) | ${f(fa?.coverage90, 3)} (${f(fc?.coverage90, 3)}) | ${f(p?.coverage90, 3)} (${f(pc?.coverage90, 3)}) |`);
  }
}
console.log(`\nWall time of the whole evaluation: ${(wall / 60).toFixed(1)} min.`);
