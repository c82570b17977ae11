// Calibration of the learning-curve PFN on its own prior: held-out prior curves (a seed the training
// never draws), the share whose observed target value lies in the network's central 90% interval,
// by goal, point count, seen fraction, estimated noise and learning-rate schedule. Under the prior the network should cover
// about 0.9 in every cell; where it does and a real file is covered far from 0.9, the gap is the
// prior's, not the network's. Also the mean log predictive density of the observed target value
// (higher is better; comparable between weights on the same curves). Given an ensemble, each
// member is also scored alone. Not a timing.
//   npx tsx bench/pfn-prior-calibration.ts [count=20000] [seed=12345] [weights.json ...]
import { PFN_FEATURES, pfnFeatures } from '../src/extrapolation/pfn-features.js';
import { loadPfn, pfnPredictMany } from '../src/extrapolation/pfn.js';
import { asEnsemble, type PfnEnsemble } from '../src/extrapolation/pfn-network.js';
import type { PointPredictive } from '../src/extrapolation/predictive.js';
import { samplePrior } from '../src/extrapolation/pfn-prior.js';
import { table } from '../src/cli/util.js';

const [count = '20000', seed = '12345', ...files] = process.argv.slice(2);
const models: [string, PfnEnsemble][] = [];
for (const file of files.length > 0 ? files : [undefined]) {
  const ensemble = loadPfn(file);
  const name = file ?? 'fits/pfn-lc.json';
  models.push([name, ensemble]);
  if (ensemble.members.length > 1) ensemble.members.forEach((m, k) => models.push([`${name} member ${k + 1} (seed ${String(m.training.seed)})`, asEnsemble(m)]));
}
// Prefixes within the prior's reach (the network warns beyond 25x the last seen step).
const samples = samplePrior(Number(count), Number(seed)).filter((s) => s.steps[s.steps.length - 1]! / s.target >= 0.04);
const queries = samples.map((s) => ({ steps: s.steps, values: s.values, goal: s.goal, range: s.range, target: s.target, horizon: s.horizon }));
for (const [name, network] of models) {
  const preds = pfnPredictMany(queries, { network });
  console.log(`\n${name}: mean log predictive density ${(preds.reduce((a, p, i) => a + p.logDensity(samples[i]!.truth), 0) / samples.length).toFixed(4)}`);
  calibration(preds);
}
console.log(`prior seed ${seed}, ${samples.length} curves`);

function calibration(preds: PointPredictive[]): void {
  const features = new Float32Array(PFN_FEATURES);
  const NOISE = 2 * 24 + 2 * 8 + 3; // index of the robust-noise feature, (log10(noise) + 2) / 2
  const order = [
    'all',
    'goal max',
    'goal min',
    'points < 20',
    'points >= 20',
    'seen < 20%',
    'seen 20-50%',
    'seen >= 50%',
    'noise < 1%',
    'noise 1-10%',
    'noise > 10%',
    'schedule constant',
    'schedule step',
    'schedule multistep',
    'schedule cosine',
    'schedule linear',
  ];
  const cells = new Map<string, { n: number; inside: number }>(order.map((k) => [k, { n: 0, inside: 0 }]));
  const add = (key: string, inside: boolean) => {
    const c = cells.get(key) ?? { n: 0, inside: 0 };
    c.n++;
    if (inside) c.inside++;
    cells.set(key, c);
  };
  samples.forEach((s, i) => {
    const [lo, hi] = preds[i]!.interval(0.9);
    const inside = s.truth >= lo && s.truth <= hi;
    pfnFeatures(s.steps, s.values, s.goal, s.range, s.target, s.horizon, features);
    const seen = s.steps[s.steps.length - 1]! / s.target;
    const noise = features[NOISE]! < 0 ? 'noise < 1%' : features[NOISE]! < 0.5 ? 'noise 1-10%' : 'noise > 10%';
    add('all', inside);
    add(`goal ${s.goal}`, inside);
    add(s.steps.length < 20 ? 'points < 20' : 'points >= 20', inside);
    add(seen < 0.2 ? 'seen < 20%' : seen < 0.5 ? 'seen 20-50%' : 'seen >= 50%', inside);
    add(noise, inside);
    add(`schedule ${s.schedule}`, inside);
  });
  console.log(
    table(
      [...cells].filter(([, c]) => c.n > 0).map(([k, c]) => [k, c.n, c.inside / c.n]),
      ['cell', 'curves', 'cover90'],
    ),
  );
}
