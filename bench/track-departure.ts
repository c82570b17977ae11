// How `scalelaw track` (detectDeparture) behaves on synthetic runs of a known law: false alarms on
// runs generated from the prediction itself (white, EMA-smoothed and heavy-tailed noise; with the
// banded prediction and with a zero-width band, the hardest case), and the delay from the step a
// departing run leaves its band to the flag, as a fraction of the run, for jumps, plateaus and drifts.
//   npx tsx bench/track-departure.ts [seeds] [departure seeds]      (default 1000 and 40)
// The prediction: Luo et al. 2025's 25M multi-power fit on their cosine schedule (24,000 steps,
// logged every 24), with a synthetic bootstrap (every parameter jittered by 0.5%: band about 0.027
// on each side); noise 0.01 per logged point.
import { rng } from '../src/core/rng.js';
import { predictCurve } from '../src/fit/predict-curve.js';
import { lossPrediction } from '../src/plan/track-prediction.js';
import { detectDeparture, type Band } from '../src/plan/track.js';
import { savedFit, values } from '../test/plan/published-25m-fit.js';

const seeds = Number(process.argv[2] ?? 1000);
const departureSeeds = Number(process.argv[3] ?? 40);
const jitter = rng(1);
const samples = Array.from({ length: 100 }, () => values.map((v) => v * (1 + 0.005 * jitter.normal())));
const fit = savedFit(samples);
const schedule = { type: 'cosine', peak: 3e-4, final: 3e-5, warmup: 2160, steps: 24000 } as const;
const T = 24000;
const sigma = 0.01;
const p = lossPrediction(fit, schedule, { every: 24 });
const banded: Band = { steps: p.steps, loss: p.loss, lower: p.lower!, upper: p.upper! };
const zeroWidth: Band = { steps: p.steps, loss: p.loss, lower: p.loss, upper: p.loss };
const half = p.upper!.map((u, i) => (u - p.lower![i]!) / 2);

type Noise = 'white' | 'ema' | 't3';
function noise(kind: Noise, seed: number): number[] {
  const g = rng(1000 + seed);
  let e = 0;
  return p.loss.map(() => {
    if (kind === 'white') return sigma * g.normal();
    // AR(1) 0.8, the marginal sd kept at sigma (an EMA-logged loss).
    if (kind === 'ema') return sigma * (e = 0.8 * e + 0.6 * g.normal());
    // Student t with 3 degrees of freedom, scale sigma (loss spikes).
    const chi = g.normal() ** 2 + g.normal() ** 2 + g.normal() ** 2;
    return (sigma * g.normal()) / Math.sqrt(chi / 3);
  });
}

const start = Date.now();
console.log(`false alarms on runs generated from the prediction (${seeds} seeds, ${p.steps.length} logged points each):`);
for (const [label, band] of [
  ['banded prediction', banded],
  ['zero-width band', zeroWidth],
] as const) {
  for (const kind of ['white', 'ema', 't3'] as const) {
    let flagged = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const e = noise(kind, seed);
      if (detectDeparture(band, { steps: p.steps, loss: p.loss.map((v, i) => v + e[i]!) }).departure) flagged++;
    }
    console.log(`  ${label.padEnd(18)} ${kind.padEnd(6)} ${flagged} / ${seeds}`);
  }
}
// Runs following one of the band's own parameter draws: each lies outside a 90% pointwise band
// somewhere about a tenth of the time, so these count flags of runs that did leave it.
let drawFlags = 0;
let drawOutside = 0;
for (let seed = 0; seed < Math.min(seeds, 100); seed++) {
  const draw = predictCurve({ law: 'mpl', vector: () => Float64Array.from(samples[seed]!) }, schedule, { steps: p.steps }).loss;
  if (draw.some((v, i) => v > p.upper![i]! + 1e-12 || v < p.lower![i]! - 1e-12)) drawOutside++;
  const e = noise('white', seed);
  if (detectDeparture(banded, { steps: p.steps, loss: Array.from(draw, (v, i) => v + e[i]!) }).departure) drawFlags++;
}
console.log(`  bootstrap-draw runs: ${drawFlags} / ${Math.min(seeds, 100)} flagged; ${drawOutside} of them leave the band somewhere without noise`);

console.log(`\ndelay from leaving the band to the flag, fraction of the run (${departureSeeds} seeds, departure at a random 25-90% of the run):`);
const kinds = {
  'jump 2 half-widths': (v: number, i: number) => v + 2 * half[i]!,
  'jump 1.2 half-widths': (v: number, i: number) => v + 1.2 * half[i]!,
  'plateau (stops learning)': (_: number, __: number, i0: number) => p.loss[i0]!,
  'drift +0.5 per run': (_v: number, i: number, i0: number) => p.loss[i]! + ((p.steps[i]! - p.steps[i0]!) / T) * 0.5,
  'drift +0.2 per run': (_v: number, i: number, i0: number) => p.loss[i]! + ((p.steps[i]! - p.steps[i0]!) / T) * 0.2,
} as const;
for (const [name, depart] of Object.entries(kinds)) {
  const delays: number[] = [];
  let missed = 0;
  let early = 0;
  for (let seed = 0; seed < departureSeeds; seed++) {
    const g = rng(5000 + seed);
    const from = Math.round(T * (0.25 + 0.65 * g.next()));
    const i0 = p.steps.findIndex((s) => s >= from);
    const truth = p.loss.map((v, i) => (i < i0 ? v : depart(v, i, i0)));
    const exitIndex = truth.findIndex((v, i) => v > p.upper![i]!);
    if (exitIndex < 0) continue;
    const loss = truth.map((v) => v + sigma * g.normal());
    const d = detectDeparture(banded, { steps: p.steps, loss }).departure;
    if (!d) missed++;
    else if (d.step < p.steps[exitIndex]!) early++;
    else delays.push((d.step - p.steps[exitIndex]!) / T);
  }
  delays.sort((a, b) => a - b);
  const median = delays.length ? delays[Math.floor(delays.length / 2)]! : NaN;
  const within = delays.filter((d) => d <= 0.05).length;
  console.log(
    `  ${name.padEnd(26)} median ${median.toFixed(3)}  max ${delays.length ? delays[delays.length - 1]!.toFixed(3) : 'n/a'}  within 5%: ${within} / ${delays.length + missed + early}  (not flagged by the end: ${missed}; flagged before leaving: ${early})`,
  );
}
console.log(`\n${((Date.now() - start) / 1000).toFixed(0)} s`);
