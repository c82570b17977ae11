// How much the multi-power-law fit's test error depends on its starting point: the data-driven start
// and 8 perturbed copies (B x 0.97..1.03, L0 x 0.999 / 1.001), for one early-stopped AdamW fit (Luo
// et al.'s procedure), for the default mean of 4 such fits, and for L-BFGS-B; then the default
// estimator (mean of 4, and of 8) from the data-driven start with jitter seeds 1-3.
// Run: npx tsx bench/mpl-start-sensitivity.ts
import { getLaw } from '../src/laws/registry.js';
import { curvePoints, type CurvePoints } from '../src/laws/curve-points.js';
import { fitCurves } from '../src/fit/fit-curves.js';
import { curveErrors } from '../src/reproductions/mpl.js';
import { mplCurve, mplTestCurves, mplTrainCurves } from '../src/reproductions/mpl-data.js';
import { initialStarts } from '../src/fit/curve-starts.js';

const quantiles = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return { min: +s[0]!.toFixed(6), median: +s[Math.floor(s.length / 2)]!.toFixed(6), max: +s[s.length - 1]!.toFixed(6) };
};
for (const size of ['25', '100'] as const) {
  const train = mplTrainCurves.map((n) => mplCurve(size, n));
  const test = mplTestCurves.map((n) => mplCurve(size, n));
  const { x, y } = curvePoints(train);
  const start = initialStarts(getLaw<CurvePoints>('mpl'), x, y!)[0]!;
  const starts = [start];
  for (const b of [0.97, 0.99, 1.01, 1.03]) for (const l of [0.999, 1.001]) starts.push({ ...start, B: start.B! * b, L0: start.L0! * l });
  for (const [optimizer, members] of [
    ['adamw', 1],
    ['adamw', 4],
    ['lbfgsb', 1],
  ] as const) {
    const predE: number[] = [],
      worstE: number[] = [],
      objective: number[] = [];
    for (const s of starts) {
      const fit = fitCurves(train, { law: 'mpl', optimizer, starts: [s], adamw: { members } });
      const e = curveErrors(fit, test);
      predE.push(e.predE);
      worstE.push(e.worstE);
      objective.push(fit.objective.value!);
    }
    console.log(
      JSON.stringify({
        size,
        optimizer,
        ...(optimizer === 'adamw' ? { members } : {}),
        starts: starts.length,
        PredE: quantiles(predE),
        WorstE: quantiles(worstE),
        objective: quantiles(objective),
        PredE_each: predE.map((v) => +v.toFixed(6)),
      }),
    );
  }
}

// The default estimator (the mean of `members` early-stopped fits from jittered starts) with other
// jitter seeds, for 4 (the default) and 8 members.
for (const size of ['25', '100'] as const) {
  const train = mplTrainCurves.map((n) => mplCurve(size, n));
  const test = mplTestCurves.map((n) => mplCurve(size, n));
  for (const members of [4, 8]) {
    const rows = [1, 2, 3].map((seed) => {
      const t0 = performance.now();
      const fit = fitCurves(train, { law: 'mpl', seed, adamw: { members } });
      const e = curveErrors(fit, test);
      return { seed, PredE: +e.predE.toFixed(6), WorstE: +e.worstE.toFixed(6), ms: Math.round(performance.now() - t0) };
    });
    console.log(JSON.stringify({ size, optimizer: 'adamw', members, bySeed: rows }));
  }
}
