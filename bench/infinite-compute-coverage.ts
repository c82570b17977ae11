// Coverage of Kim et al. 2025's asymptote intervals on a known truth: how often the 90% intervals
// of fitEnsembleScaling (each member size's K -> infinity asymptote, and the joint N, K -> infinity
// limit with the members' resamples propagated) contain the true values, over many noise draws.
//
//   npm run bench -- infinite-compute-coverage [seeds=30] [resamples=100]
//
// Truth: member sizes N = 1e8 ... 1.6e9 (five, doubling), E_N = 3.0 + 50 / N^0.25 (joint limit 3.0),
// L_N(K) = E_N + 0.3 / K at K = 1..5, Gaussian noise 0.003 per run, known to the fit (parametric
// bootstrap). Prints the coverage of the joint and member intervals and the joint interval's
// median width. Results in BENCHMARKS.md ("Kim et al. 2025: asymptote intervals").
import '../src/laws/builtins.js';
import { rng } from '../src/core/rng.js';
import { fitEnsembleScaling } from '../src/plan/infinite-compute.js';

const seeds = Number(process.argv[2] ?? 30);
const resamples = Number(process.argv[3] ?? 100);
const sizes = [1e8, 2e8, 4e8, 8e8, 1.6e9];
const memberE = (N: number) => 3.0 + 50 * N ** -0.25;
let joint = 0,
  members = 0,
  total = 0;
const widths: number[] = [];
const started = Date.now();
for (let seed = 100; seed < 100 + seeds; seed++) {
  const r = rng(seed);
  const runs = sizes.flatMap((N) => [1, 2, 3, 4, 5].map((K) => ({ N, K, loss: memberE(N) + 0.3 / K + 0.003 * r.normal() })));
  const e = await fitEnsembleScaling(runs, { noise: 0.003, resamples, seed });
  const [lo, hi] = e.joint!.asymptote.interval!;
  widths.push(hi - lo);
  if (lo < 3 && 3 < hi) joint++;
  for (const m of e.members) {
    total++;
    const [a, b] = m.asymptote.interval!;
    if (a < memberE(m.N) && memberE(m.N) < b) members++;
  }
}
widths.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    seeds,
    resamples,
    jointCoverage: joint / seeds,
    memberCoverage: members / total,
    jointMedianWidth: widths[Math.floor(seeds / 2)],
    seconds: (Date.now() - started) / 1000,
  }),
);
