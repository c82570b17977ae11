// Multi-power-law fit on Luo et al.'s three training curves, timed, with its test error; and the
// time to predict a 72,000-step curve for a new schedule. Run: npx tsx bench/mpl-fit.ts [25|100] [repeats]
// Compare with: /usr/bin/python3 bench/mpl-reference.py [25|100] [repeats]
import { fitCurves, type CurveFit } from '../src/fit/fit-curves.js';
import { curveErrors } from '../src/reproductions/mpl.js';
import { mplCurve, mplTestCurves, mplTrainCurves } from '../src/reproductions/mpl-data.js';
import type { ScheduleSpec } from '../src/core/schedule-spec.js';
import { predictCurve } from '../src/fit/predict-curve.js';

const size = (process.argv[2] ?? '25') as '25' | '100';
const repeats = Number(process.argv[3] ?? 3);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

// Curves read once (as the reference does); each repeat prepares them afresh (schedules, prefix
// sums, loss-drop terms) and fits: that is the timed part.
const train = mplTrainCurves.map((n) => mplCurve(size, n));
const test = mplTestCurves.map((n) => mplCurve(size, n));
const walls: number[] = [];
let fit: CurveFit | undefined;
for (let r = 0; r < repeats; r++) {
  const fresh = train.map((c) => ({ ...c, schedule: { ...(c.schedule as object) } as ScheduleSpec }));
  const t0 = performance.now();
  fit = fitCurves(fresh, { law: 'mpl' });
  walls.push(performance.now() - t0);
}
const errors = curveErrors(fit!, test);
console.log(
  JSON.stringify({
    size,
    law: 'mpl',
    wall_ms: walls.map(Math.round),
    median_ms: Math.round(median(walls)),
    PredE: errors.predE,
    WorstE: errors.worstE,
    objective: fit!.objective,
    message: fit!.message,
    params: fit!.params,
  }),
);

// Predicting a 72,000-step curve for a schedule the fit has not seen.
const times: Record<string, number[]> = { '1000 points': [], '546 logged points': [], 'final loss only': [] };
// CPU time of this process as well: on a shared machine wall time carries other people's load.
const cpu: Record<string, number[]> = { '1000 points': [], '546 logged points': [], 'final loss only': [] };
for (let r = 0; r < 7; r++) {
  for (const [label, steps] of [
    ['1000 points', undefined],
    ['546 logged points', Array.from({ length: 546 }, (_, i) => 2160 + 128 * i)],
    ['final loss only', [71999]],
  ] as const) {
    const spec = { type: 'wsd', peak: 3e-4, final: 3e-5, warmup: 2160, steps: 72000, cooldownFraction: 0.2 + r * 1e-3, shape: 'cosine' } as const;
    const c0 = process.cpuUsage().user;
    const t0 = performance.now();
    predictCurve(fit!, spec, steps ? { steps } : {});
    times[label]!.push(performance.now() - t0);
    cpu[label]!.push((process.cpuUsage().user - c0) / 1000);
  }
}
console.log(
  JSON.stringify({
    predict72000_ms: Object.fromEntries(
      Object.entries(times).map(([k, v]) => [k, { first: +v[0]!.toFixed(1), median: +median(v.slice(1)).toFixed(1), cpu_median: +median(cpu[k]!.slice(1)).toFixed(1) }]),
    ),
  }),
);
