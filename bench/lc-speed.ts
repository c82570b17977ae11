// Speed of the curve extrapolators (BENCHMARKS.md, "Learning curves"): the ensemble's posterior
// predictive for one curve, and the fast extrapolator on a batch of 1,000 curves, one thread.
// npx tsx bench/lc-speed.ts (add --pfn-only to time the prior-fitted network alone)
import { learningCurve } from '../src/extrapolation/curve.js';
import { extrapolate } from '../src/extrapolation/extrapolate.js';
import { extrapolateMany } from '../src/extrapolation/many.js';
import { readNasCurves } from '../src/reproductions/nas-data.js';
import { loadPfn } from '../src/extrapolation/pfn.js';

const sets = readNasCurves(new URL('../data/nas-curves', import.meta.url).pathname);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pfnOnly = process.argv.includes('--pfn-only');

for (const set of pfnOnly ? [] : sets) {
  for (const fraction of [0.4, 0.8]) {
    const m = Math.round(fraction * set.length);
    const steps = Array.from({ length: m }, (_, i) => i + 1);
    const times: number[] = [],
      cpu: number[] = [];
    for (let k = 0; k < 7; k++) {
      const curve = learningCurve(steps, set.curves[k * 13]!.subarray(0, m), { goal: set.goal, range: set.range });
      const t0 = performance.now(),
        c0 = process.cpuUsage();
      extrapolate(curve, { to: set.length, seed: k }).at(set.length).interval(0.9);
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    // The first curve includes JIT warm-up; CPU time is what the process itself used (the machine is shared).
    console.log(
      `ensemble ${set.name} ${m} points: median ${median(times.slice(1)).toFixed(0)} ms wall, ${median(cpu.slice(1)).toFixed(0)} ms CPU per curve (max wall ${Math.max(...times.slice(1)).toFixed(0)})`,
    );
  }
}
const set = sets[0]!;
for (const fraction of pfnOnly ? [] : [0.4, 0.8]) {
  const m = Math.round(fraction * set.length);
  const steps = Array.from({ length: m }, (_, i) => i + 1);
  const batch = set.curves.slice(0, 1000).map((c) => ({ steps, values: c.subarray(0, m) }));
  const runs: number[] = [],
    cpu: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now(),
      c0 = process.cpuUsage();
    const out = extrapolateMany(batch, { to: set.length, goal: set.goal, range: set.range, method: 'fast' });
    for (const p of out) p.interval(0.9);
    runs.push((performance.now() - t0) / batch.length);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / batch.length);
  }
  console.log(
    `fast ${set.name} batch of ${batch.length}, ${m} points: median ${median(runs).toFixed(2)} ms wall, ${median(cpu).toFixed(2)} ms CPU per curve (wall runs: ${runs.map((v) => v.toFixed(2)).join(', ')})`,
  );
}
// The prior-fitted network on the same batches: features, one batched forward pass, then the 90%
// interval of each curve (issue 17's bar: <= 5 ms per curve in batches of 1,000).
loadPfn();
for (const fraction of [0.4, 0.8]) {
  const m = Math.round(fraction * set.length);
  const steps = Array.from({ length: m }, (_, i) => i + 1);
  const batch = set.curves.slice(0, 1000).map((c) => ({ steps, values: c.subarray(0, m) }));
  const runs: number[] = [],
    cpu: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now(),
      c0 = process.cpuUsage();
    const out = extrapolateMany(batch, { to: set.length, goal: set.goal, range: set.range, method: 'pfn' });
    for (const p of out) p.interval(0.9);
    runs.push((performance.now() - t0) / batch.length);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / batch.length);
  }
  console.log(
    `pfn ${set.name} batch of ${batch.length}, ${m} points: median ${median(runs).toFixed(3)} ms wall, ${median(cpu).toFixed(3)} ms CPU per curve (wall runs: ${runs.map((v) => v.toFixed(3)).join(', ')})`,
  );
}
