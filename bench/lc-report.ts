// Markdown tables for BENCHMARKS.md from the scores saved by bench/lc-eval.ts --save.
// npx tsx bench/lc-report.ts /tmp/lc-scores.json
import { readFileSync } from 'node:fs';
import type { CutoffScore } from '../src/reproductions/lc-evaluate.js';

const { rows, wall } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { rows: CutoffScore[]; wall: number };
const f = (v: number | undefined, d = 4) => (v === undefined ? '–' : Math.abs(v) >= 1e4 ? v.toExponential(1) : Number(v.toPrecision(d)).toString());
const get = (file: string, fraction: number, predictor: string) => rows.find((r) => r.file === file && r.fraction === fraction && r.predictor === predictor);
for (const file of [...new Set(rows.map((r) => r.file))]) {
  const n = rows.find((r) => r.file === file)!.curves;
  const fractions = [...new Set(rows.filter((r) => r.file === file).map((r) => r.fraction))];
  console.log(`\n**${file}** (${n} curves). MAE of the median; bold: the lowest of all; "beats both": the predictor's MAE is below both pow3's and the last value's.\n`);
  console.log('| seen | points | ensemble | ensemble+learned | fast | fast+learned | pow3 | last | ensemble beats both | ensemble+learned beats both |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const fraction of fractions) {
    const names = ['ensemble', 'ensemble+learned', 'fast', 'fast+learned', 'pow3', 'last'];
    const r = names.map((p) => get(file, fraction, p));
    const best = Math.min(...r.map((x) => x?.mae ?? Infinity));
    const cell = (x: CutoffScore | undefined) => (x && x.mae === best ? `**${f(x.mae)}**` : f(x?.mae));
    const beats = (x: CutoffScore | undefined) => (x && r[4] && r[5] ? (x.mae < r[4].mae && x.mae < r[5].mae ? 'yes' : 'no') : '–');
    console.log(`| ${fraction * 100}% | ${r[5]?.points ?? r[0]?.points} | ${r.map(cell).join(' | ')} | ${beats(r[0])} | ${beats(r[1])} |`);
  }
  console.log(
    '\n| seen | LPD ensemble | LPD ensemble+learned | LPD fast | LPD fast+learned | LPD pow3 | LPD last | cover90 ensemble raw (conformal) | cover90 ensemble+learned | cover90 fast raw (conformal) | cover90 fast+learned | cover90 pow3 raw (conformal) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const fraction of fractions) {
    const g = (p: string) => get(file, fraction, p);
    const pair = (p: string) => `${f(g(p)?.coverage90, 3)} (${f(g(`${p}+conformal`)?.coverage90, 3)})`;
    console.log(
      `| ${fraction * 100}% | ${['ensemble', 'ensemble+learned', 'fast', 'fast+learned', 'pow3', 'last'].map((p) => f(g(p)?.lpd, 3)).join(' | ')} | ${pair('ensemble')} | ${f(g('ensemble+learned')?.coverage90, 3)} | ${pair('fast')} | ${f(g('fast+learned')?.coverage90, 3)} | ${pair('pow3')} |`,
    );
  }
}
console.log(`\nWall time of the whole evaluation: ${(wall / 60).toFixed(1)} min.`);
