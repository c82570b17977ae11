// Wall time of a 1,000-resample bootstrap of the Chinchilla fit on the Epoch points (worker
// threads, every core), after the full 4,500-start fit (not timed). Prints one JSON line per run.
// Run: npx tsx bench/fit-bootstrap.ts [runs=3]
import { loadavg } from 'node:os';
import { bootstrap } from '../src/fit/bootstrap.js';
import { loadEpochPoints } from '../src/reproductions/chinchilla-epoch-data.js';
import { fitLaw } from '../src/fit/fit.js';

const runs = Number(process.argv[2] ?? 3);
const table = loadEpochPoints();
const fit = await fitLaw('chinchilla', table);
for (let run = 0; run < runs; run++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await bootstrap(fit, table, { resamples: 1000, seed: run });
  const wall = (performance.now() - t0) / 1000;
  const cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
  const se = Object.fromEntries(result.params.map((p) => [p.name, p.stderr]));
  const v = result.values;
  console.log(
    JSON.stringify({
      resamples: 1000,
      seed: run,
      wall_s: wall,
      cpu_s: cpu,
      load1: loadavg()[0],
      starts: result.bootstrap!.starts,
      unconverged: result.bootstrap!.unconverged,
      se,
      a: v.beta! / (v.alpha! + v.beta!),
    }),
  );
}
