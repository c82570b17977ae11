// IsoFLOP Approach 2 on simulated noisy sweeps of a known Chinchilla law (Hoffmann et al. 2022's
// fit, so a = beta / (alpha + beta) is the truth): mean |a - truth| of the default estimator (Akima
// minimum per budget) and of the windowed parabola (factor 3, neighbours 1), and how often the
// default's 95% bootstrap interval on a covers the truth.
//   npx tsx bench/isoflop-noise.ts [sweeps] [noise]      (default 40 sweeps, noise 0.004 nats)
import { observations } from '../src/core/observations.js';
import { rng } from '../src/core/rng.js';
import { setWarn } from '../src/core/warn.js';
import { isoflop, type IsoflopOptions } from '../src/plan/isoflop.js';

setWarn(() => {});
const law = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const lossAt = (N: number, D: number) => law.E + law.A / N ** law.alpha + law.B / D ** law.beta;
const trueA = law.beta / (law.alpha + law.beta);
const G = ((law.alpha * law.A) / (law.beta * law.B)) ** (1 / (law.alpha + law.beta));
const budgets = [1e17, 4e17, 1.6e18, 6.4e18, 2.56e19, 1e20, 4e20, 1.6e21];

function sweep(seed: number, noise: number) {
  const random = rng(seed);
  const N: number[] = [],
    C: number[] = [],
    loss: number[] = [];
  for (const c of budgets) {
    // 11 sizes a factor 1.3 apart, about N_opt with a random shift of up to a step, as real grids sit.
    const shift = random.next() - 0.5;
    for (let j = 0; j < 11; j++) {
      const n = G * (c / 6) ** trueA * 1.3 ** (j - 5 + shift);
      N.push(n);
      C.push(c);
      loss.push(lossAt(n, c / (6 * n)) + noise * random.normal());
    }
  }
  return observations({ N, C, loss }, { source: `sweep ${seed}` });
}

const sweeps = Number(process.argv[2] ?? 40);
const noise = Number(process.argv[3] ?? 0.004);
const variants: [string, IsoflopOptions][] = [
  ['default (akima)', {}],
  ['parabola, factor:3', { window: { factor: 3 } }],
  ['parabola, neighbours:1', { window: { neighbours: 1 } }],
];
const errors = variants.map(() => [] as number[]);
let covered = 0;
for (let s = 0; s < sweeps; s++) {
  const table = sweep(s, noise);
  variants.forEach(([, options], v) => errors[v]!.push(Math.abs(isoflop(table, options).a - trueA)));
  const { interval } = isoflop(table, { bootstrap: 400, seed: s });
  if (interval && interval.a[0] <= trueA && trueA <= interval.a[1]) covered++;
}
console.log(`${sweeps} sweeps of ${budgets.length} budgets x 11 sizes, loss noise sd ${noise}; true a = ${trueA.toFixed(4)}`);
variants.forEach(([name], v) => console.log(`${name.padEnd(24)} mean |a - truth| ${(errors[v]!.reduce((x, y) => x + y, 0) / sweeps).toFixed(4)}`));
console.log(`default 95% bootstrap interval on a covers the truth in ${covered} of ${sweeps} sweeps`);
