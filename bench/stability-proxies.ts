/**
 * Issue 20's instability bar on built-in proxies (Wortsman et al. 2023): tiny transformers of four
 * widths swept over a learning-rate grid a factor of 2 apart (0.04 to 5.12) into divergence, with
 * several seeds per cell; then, per size and seed, `--refine` rounds of bisection in log between the
 * largest rate that trained and the smallest above it that did not (2 rounds: brackets a factor of
 * 2^(1/4) wide). A run trained if it did not diverge and ended below the loss at initialisation
 * (`stabilityForecast`). Per seed the threshold is its bracket's geometric midpoint; per size the
 * geometric mean over seeds, with the seeds' spread. `stabilityForecast` fitted on the three smaller
 * sizes forecasts the largest size's threshold, compared with the one measured there (bar: within
 * 1.5x), its interval with each seed's measured threshold. The same reading on the coarse grid alone
 * (the earlier method), seed by seed, and a majority vote over seeds per coarse rate, are printed
 * beside it.
 *
 * Mitigations, at the largest width over the upper part of the grid (0.16 to 5.12, refined the same
 * way) with `--mitigation-seeds`: qk-layernorm, z-loss 1e-4 (Wortsman et al.'s coefficient) and
 * 1e-2, and warmup of 5 and 80 steps instead of 20; `stabilityForecast` compares each with the baseline
 * (ratio of thresholds, its standard error over seeds, a verdict), and the bench prints the largest
 * attention logit and output-logit RMS by rate for each (attention-logit growth; output-logit
 * divergence) and Wortsman et al.'s LR sensitivity over the common rates.
 *
 *   nice -n 10 npx tsx bench/stability-proxies.ts [--store <dir>] [--seeds 3,4,5] [--mitigation-seeds 3,4,5]
 *     [--refine 2] [--workers 2] [--steps 200] [--no-mitigations]
 *
 * Resumable: rerun with the same --store to finish an interrupted sweep (runs are named by their
 * config, so seeds and rounds already trained are read back). Default store: a new temp dir.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { lrSensitivity } from '../src/batch/lr-sensitivity.js';
import { stabilityForecast, type SizeStability } from '../src/batch/stability-forecast.js';
import type { Run } from '../src/core/run.js';
import { openStore } from '../src/io/store.js';
import { runSweep } from '../src/proxy/sweep.js';
import type { SweepSpec } from '../src/proxy/sweep-spec.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: '' },
    workers: { type: 'string', default: '2' },
    steps: { type: 'string', default: '200' },
    seeds: { type: 'string', default: '3,4,5' },
    'mitigation-seeds': { type: 'string', default: '' },
    refine: { type: 'string', default: '2' },
    'no-mitigations': { type: 'boolean', default: false },
  },
});
const seedList = (text: string) => text.split(',').map((s) => Number(s.trim()));
const seeds = seedList(values.seeds);
const mitigationSeeds = values['mitigation-seeds'] ? seedList(values['mitigation-seeds']) : seeds;
const refineRounds = Number(values.refine);
const workers = Number(values.workers);
const storeDir = values.store || mkdtempSync(join(tmpdir(), 'scalelaw-stability-'));
const widths = [8, 16, 32, 64];
const largestWidth = widths[widths.length - 1]!;
const rates = Array.from({ length: 8 }, (_, k) => 0.01 * 2 ** (k + 2)); // 0.04 to 5.12
const upper = rates.filter((lr) => lr >= 0.16);
// An order-2 Markov language (attention must look two tokens back), windows of 8 tokens.
const model = { family: 'transformer' as const, width: 16, depth: 2, heads: 2, context: 8 };
const schedule = { type: 'cosine' as const, peak: 1e-2, final: 1e-4, warmup: 20 };
const base: SweepSpec['base'] = {
  model,
  data: { type: 'markov', vocab: 16, order: 2, branching: 3, zipf: 1, seed: 0 },
  batchSize: 16,
  schedule,
  steps: Number(values.steps),
  evalTokens: 2048,
  logEvery: 20,
};
interface SetUp {
  name: string;
  base: SweepSpec['base'];
  widths: number[];
  rates: number[];
  seeds: number[];
}
const setUps: SetUp[] = [{ name: 'baseline', base, widths, rates, seeds }];
if (!values['no-mitigations']) {
  const at = { widths: [largestWidth], rates: upper, seeds: mitigationSeeds };
  setUps.push(
    { name: 'qk-layernorm', base: { ...base, model: { ...model, qkNorm: true } }, ...at },
    { name: 'z-loss 1e-4', base: { ...base, zLoss: 1e-4 }, ...at },
    { name: 'z-loss 1e-2', base: { ...base, zLoss: 1e-2 }, ...at },
    { name: 'warmup 5', base: { ...base, schedule: { ...schedule, warmup: 5 } }, ...at },
    { name: 'warmup 80', base: { ...base, schedule: { ...schedule, warmup: 80 } }, ...at },
  );
}

const store = openStore(storeDir);
const started = performance.now();
let trained = 0;
let reused = 0;
const idsOf = new Map<string, string[]>(setUps.map((s) => [s.name, []]));
async function sweep(setUp: SetUp, list: { width: number; seed: number; lr: number }[], round: string) {
  if (!list.length) return;
  const result = await runSweep({ name: `stability-${setUp.name.replace(/[^a-z0-9]+/gi, '-')}-${round}`, base: setUp.base, list }, { store: storeDir, workers, backend: 'wasm' });
  trained += result.ids.length - result.skipped.length;
  reused += result.skipped.length;
  idsOf.get(setUp.name)!.push(...result.ids);
}
const runsOf = (name: string): Run[] => [...new Set(idsOf.get(name)!)].map((id) => store.load(id));
const widthOf = (r: Run) => (r.config.extra?.model as { width: number }).width;
const lrOf = (r: Run) => (r.config.schedule && 'peak' in r.config.schedule ? r.config.schedule.peak : NaN);

// Coarse grids first, seed by seed (an interrupted sweep leaves whole seeds), every set-up; then
// bisection rounds on every (set-up, width, seed) bracket.
for (const s of setUps)
  for (const seed of s.seeds)
    await sweep(
      s,
      s.widths.flatMap((width) => s.rates.map((lr) => ({ width, seed, lr }))),
      'grid',
    );
for (let round = 1; round <= refineRounds; round++) {
  for (const s of setUps) {
    const reading = stabilityForecast(runsOf(s.name));
    const sizes = [...reading.sizes, ...reading.mitigations.map((m) => m.size)];
    const runs = runsOf(s.name);
    const list: { width: number; seed: number; lr: number }[] = [];
    for (const size of sizes) {
      const width = widthOf(runs.find((r) => r.config.N === size.N)!);
      for (const q of size.seeds) if (q.threshold !== undefined && q.seed !== undefined) list.push({ width, seed: q.seed, lr: q.threshold });
    }
    await sweep(s, list, `refine${round}`);
  }
}
const wall = (performance.now() - started) / 1000;
console.log(
  `store ${storeDir}: ${trained} runs trained now, ${reused} read back; sweep wall ${wall.toFixed(0)} s; seeds ${seeds.join(',')}, mitigation seeds ${mitigationSeeds.join(',')}, ${refineRounds} bisection rounds`,
);

const f = (v: number | undefined, d = 3) => (v === undefined ? '-' : String(+v.toPrecision(d)));
const baseRuns = runsOf('baseline');
const all = stabilityForecast(baseRuns);
const largest = Math.max(...all.sizes.map((s) => s.N));
const seedCell = (s: SizeStability) =>
  s.seeds.map((q) => (q.threshold !== undefined ? `${f(q.threshold)} (${f(q.stableLr)}-${f(q.divergedLr)})` : q.stableLr !== undefined ? `>${f(q.stableLr)}` : `<?`)).join(', ');
console.log(`\nbaseline, per size: threshold per seed (its bracket); geometric mean; spread (sd of ln threshold); attention-logit and output-logit-RMS growth with lr`);
for (const s of all.sizes)
  console.log(`  N ${s.N} (${s.runs} runs): ${seedCell(s)}; mean ${f(s.threshold)}, spread ${f(s.spread, 2)}; logit growth ${f(s.attentionGrowth)}, output-logit RMS growth ${f(s.outputLogitGrowth)}`);
for (const n of all.notes) console.log(`  note: ${n}`);

{
  // Wortsman et al.'s LR sensitivity per size over the coarse grid (all seeds), capped at L0 = ln 16 (uniform prediction).
  const s = await lrSensitivity(
    baseRuns.filter((r) => rates.some((lr) => Math.abs(lrOf(r) / lr - 1) < 1e-9)),
    { initialLoss: Math.log(16) },
  );
  console.log(
    `  LR sensitivity per size over lr ${f(rates[0])}-${f(rates[rates.length - 1])}: ${s.sizes.map((z) => `N ${z.N} ${f(z.sensitivity)} (best ${f(z.bestLoss, 4)} at lr ${f(z.bestLr)})`).join('; ')}`,
  );
}

// The bar: the forecast from the three smaller sizes against the largest size's measurement.
function bar(label: string, runs: Run[], measuredRuns: Run[]) {
  const forecast = stabilityForecast(
    runs.filter((r) => r.config.N! < largest),
    { at: largest },
  );
  const measured = stabilityForecast(measuredRuns.filter((r) => r.config.N === largest)).sizes[0]!;
  console.log(`\n${label}: ${forecast.sentence ?? 'no forecast'}`);
  for (const n of forecast.notes) console.log(`  note: ${n}`);
  const fc = forecast.forecast;
  if (!fc || measured.threshold === undefined) return console.log(`  no comparison (measured threshold ${f(measured.threshold)})`);
  const ratio = fc.threshold / measured.threshold;
  const factor = Math.max(ratio, 1 / ratio);
  const seedsIn = measured.seeds.filter((q) => q.threshold !== undefined && q.threshold >= fc.interval[0] && q.threshold <= fc.interval[1]).length;
  const meanIn = measured.threshold >= fc.meanInterval[0] && measured.threshold <= fc.meanInterval[1];
  console.log(
    `  measured at N = ${largest}: mean ${f(measured.threshold)} over ${measured.seeds.length} seed(s) [${seedCell(measured)}]; forecast ${f(fc.threshold)} / measured = ${f(ratio)}, a factor of ${f(factor)} (bar 1.5: ${factor <= 1.5 ? 'met' : 'not met'})`,
  );
  console.log(
    `  one-run interval ${f(fc.interval[0])}-${f(fc.interval[1])} holds ${seedsIn} of ${measured.seeds.filter((q) => q.threshold !== undefined).length} seeds' thresholds; mean interval ${f(fc.meanInterval[0])}-${f(fc.meanInterval[1])} ${meanIn ? 'holds' : 'misses'} the measured mean`,
  );
}
bar(`forecast from the ${all.sizes.length - 1} smaller sizes, seeds ${seeds.join(',')} pooled, refined grid`, baseRuns, baseRuns);
// The same forecast one size earlier: the third size from the two smallest (two sizes: no scatter term).
{
  const [, , third] = all.sizes.map((z) => z.N);
  const fc = stabilityForecast(
    baseRuns.filter((r) => r.config.N! < third!),
    { at: third! },
  ).forecast!;
  const measured = all.sizes[2]!.threshold!;
  const ratio = fc.threshold / measured;
  console.log(
    `  one size earlier: from N ${all.sizes[0]!.N} and ${all.sizes[1]!.N}, at N = ${third}: ${f(fc.threshold)} (${f(fc.interval[0])}-${f(fc.interval[1])}) against ${f(measured)} measured, a factor of ${f(Math.max(ratio, 1 / ratio))}`,
  );
}
const isCoarse = (r: Run) => rates.some((lr) => Math.abs(lrOf(r) / lr - 1) < 1e-9);
const coarse = baseRuns.filter(isCoarse);
bar('same, coarse grid only (factor-2 brackets), seeds pooled', coarse, coarse);
for (const seed of seeds) {
  const one = coarse.filter((r) => r.config.seed === seed);
  bar(`earlier method: seed ${seed} alone, coarse grid`, one, one);
}
// Majority vote: on the coarse grid, a rate is stable at a size when most of the seeds trained there.
{
  const trainedId = new Set(all.sizes.flatMap((s) => s.points.filter((p) => p.trained).map((p) => p.runId)));
  const voted: Run[] = [];
  for (const N of [...new Set(coarse.map((r) => r.config.N!))]) {
    for (const lr of rates) {
      const cell = coarse.filter((r) => r.config.N === N && lrOf(r) === lr);
      const yes = cell.filter((r) => trainedId.has(r.config.id));
      const pick = yes.length * 2 > cell.length ? yes[0] : cell.find((r) => !trainedId.has(r.config.id));
      if (pick) voted.push({ ...pick, config: { ...pick.config, seed: 0 } });
    }
  }
  bar('majority vote over seeds per coarse rate', voted, voted);
}

if (setUps.length > 1) {
  const largestBase = baseRuns.filter((r) => widthOf(r) === largestWidth);
  const mitigated = setUps.slice(1).flatMap((s) => runsOf(s.name));
  // Compared on the same seeds and the upper grid's range: the baseline's runs there, refined as well.
  const common = largestBase.filter((r) => mitigationSeeds.includes(r.config.seed!) && lrOf(r) >= upper[0]! * (1 - 1e-9));
  const comparison = stabilityForecast([...largestBase.filter((r) => mitigationSeeds.includes(r.config.seed!)), ...mitigated]);
  console.log(`\nmitigations at width ${largestWidth}, seeds ${mitigationSeeds.join(',')}: ${comparison.mitigationSentence ?? 'none'}`);
  const baseSize = comparison.sizes.find((s) => s.N === largest)!;
  console.log(`  baseline: ${seedCell(baseSize)}; mean ${f(baseSize.threshold)}`);
  for (const m of comparison.mitigations)
    console.log(
      `  ${m.name} (N ${m.size.N}): ${seedCell(m.size)}; mean ${f(m.size.threshold)}; ratio ${f(m.ratio)} (se of ln ${f(m.logSe, 2)}); ${m.verdict}; logit growth ${f(m.size.attentionGrowth)}, output-logit RMS growth ${f(m.size.outputLogitGrowth)}`,
    );
  const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)] : undefined);
  type Key = 'maxAttentionLogit' | 'outputLogitRms' | 'outputLogZ';
  // The largest logged value; for mean log Z (logged since this bench's z-loss sweep; absent from older runs) the last one.
  const maxOf = (r: Run, key: Key) => {
    const v = r.trajectory.map((p) => p[key]).filter((x): x is number => x !== undefined && Number.isFinite(x));
    return !v.length ? NaN : key === 'outputLogZ' ? v[v.length - 1]! : Math.max(...v);
  };
  const title = { maxAttentionLogit: 'largest attention logit', outputLogitRms: 'largest output-logit RMS', outputLogZ: 'last logged mean log Z (output logits; 0 = normalised)' };
  const groups: [string, Run[]][] = [['baseline', common], ...setUps.slice(1).map((s) => [s.name, runsOf(s.name)] as [string, Run[]])];
  for (const key of ['maxAttentionLogit', 'outputLogitRms', 'outputLogZ'] as const) {
    console.log(`  ${title[key]} by coarse lr (median over seeds; d = diverged runs of the seeds): ${groups.map((g) => g[0]).join(' / ')}`);
    for (const lr of upper) {
      const cells = groups.map(([, runs]) => {
        const cell = runs.filter((r) => lrOf(r) === lr);
        const d = cell.filter((r) => r.summary?.status === 'diverged').length;
        return `${f(median(cell.map((r) => maxOf(r, key)).filter(Number.isFinite)))}${d ? ` (${d}d)` : ''}`;
      });
      console.log(`    lr ${f(lr)}: ${cells.join(' / ')}`);
    }
  }
  // Wortsman et al.'s LR sensitivity over the coarse upper grid, capped at the loss at initialisation.
  const L0 = Math.log(16);
  const sens: string[] = [];
  for (const [name, runs] of groups) {
    const s = await lrSensitivity(
      runs.filter(isCoarse).filter((r) => lrOf(r) >= upper[0]! * (1 - 1e-9)),
      { initialLoss: L0 },
    );
    sens.push(`${name} ${f(s.sizes[0]!.sensitivity)} (best ${f(s.sizes[0]!.bestLoss, 4)} at lr ${f(s.sizes[0]!.bestLr)})`);
  }
  console.log(`  LR sensitivity over lr ${f(upper[0])}-${f(upper[upper.length - 1])} (coarse, all seeds, L0 = ln 16): ${sens.join('; ')}`);
}
