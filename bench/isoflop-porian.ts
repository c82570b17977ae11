/**
 * IsoFLOP Approach 2 on Porian et al. 2024's OpenWebText2 sweeps (issue "Predictions that hold on
 * runs nobody tuned to", item 4): for each of the five configurations, the paper's exponent a
 * (N_opt ∝ C^a) against ours with the default estimator (the minimum of an Akima interpolant per
 * budget, as Porian et al. estimate it), the parabola through the lowest run and its neighbours,
 * a parabola over a ninefold span of N, and the whole-budget parabola (the old fit: every run, edge
 * budgets kept), with b (D_opt ∝ C^b) and a 1000-resample budget bootstrap of the default. Prints
 * a markdown table; reads ../shared/data/isoflop-porian-owt2 (skips with a note where it is
 * absent), or the directory given as the first argument (same layout: configs.json and CSVs).
 *
 * Run: npx tsx bench/isoflop-porian.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setWarn } from '../src/core/warn.js';
import { readObservations } from '../src/io/read-observations.js';
import { isoflop, type IsoflopOptions } from '../src/plan/isoflop.js';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/isoflop-porian-owt2/', import.meta.url));
if (!existsSync(dir)) {
  console.log(`no ${dir}; nothing to compare`);
  process.exit(0);
}
setWarn(() => {});
const configs = JSON.parse(readFileSync(join(dir, 'configs.json'), 'utf8')) as { file: string; publishedExponentA: number }[];
const fits: [string, IsoflopOptions][] = [
  ['default (Akima)', {}],
  ['parabola neighbours:1', { window: { neighbours: 1 } }],
  ['parabola factor:3', { window: { factor: 3 } }],
  ['whole budget (old)', { window: 'all', edge: 'keep' }],
];
const f = (x: number) => x.toFixed(3);
console.log(`| configuration | published a | ${fits.map(([name]) => `${name} a / b`).join(' | ')} | default 95% interval on a | default |a - published| |`);
console.log(`|---|---|${fits.map(() => '---').join('|')}|---|---|`);
let worst = 0;
for (const { file, publishedExponentA } of configs) {
  const table = readObservations(join(dir, file));
  const results = fits.map(([, options]) => isoflop(table, options));
  const boot = isoflop(table, { bootstrap: 1000, seed: 0 });
  const error = Math.abs(results[0]!.a - publishedExponentA);
  worst = Math.max(worst, error);
  const budgets = `${results[0]!.buckets.filter((b) => b.N !== undefined).length}/${results[0]!.buckets.length} budgets`;
  console.log(
    `| ${file.replace(/\.csv$/, '')} (${budgets}) | ${publishedExponentA.toFixed(4)} | ${results.map((r) => `${f(r.a)} / ${f(r.b)}`).join(' | ')} | [${f(boot.interval!.a[0])}, ${f(boot.interval!.a[1])}] | ${error.toFixed(4)} |`,
  );
}
console.log(`\nlargest |a - published| with the default options: ${worst.toFixed(4)} (bar: 0.02)`);
