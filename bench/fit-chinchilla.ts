// scalelaw's Chinchilla grid fit (4,500 starts, worker threads) on the Epoch points: the counterpart
// of bench/fit-chinchilla.py. Prints one JSON line: wall and CPU seconds (all threads), the 1-minute load average, best objective, parameters.
// Run: npx tsx bench/fit-chinchilla.ts [--threads N]
import { loadavg } from 'node:os';
import { fitLaw } from '../src/fit/fit.js';
import { loadEpochPoints } from '../src/reproductions/chinchilla-epoch-data.js';

const threadsArg = process.argv.indexOf('--threads');
const threads = threadsArg > 0 ? Number(process.argv[threadsArg + 1]) : undefined;
const table = loadEpochPoints();
const t0 = performance.now();
const c0 = process.cpuUsage(); // all threads of the process, workers included
const fit = await fitLaw('chinchilla', table, threads ? { threads } : {});
const wall = (performance.now() - t0) / 1000;
const cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
console.log(
  JSON.stringify({ impl: 'scalelaw', threads: threads ?? 'default', starts: fit.starts.count, wall_s: wall, cpu_s: cpu, load1: loadavg()[0], objective: fit.objective.value, ...fit.values }),
);
