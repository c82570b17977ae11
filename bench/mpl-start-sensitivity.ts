// How much the multi-power-law fit's test error depends on its starting point: the data-driven start
// and 8 perturbed copies (B x 0.97..1.03, L0 x 0.999 / 1.001), for Luo et al.'s early-stopped AdamW
// and for L-BFGS-B. Run: npx tsx bench/mpl-start-sensitivity.ts
import '../src/builtins.js';
import { getLaw } from '../src/laws/registry.js';
import { curvePoints, type CurvePoints } from '../src/losscurve/curves.js';
import { fitCurves } from '../src/losscurve/fit.js';
import { curveErrors } from '../src/losscurve/protocol.js';
import { mplCurve, mplTestCurves, mplTrainCurves } from '../src/losscurve/published.js';
import { initialStarts } from '../src/losscurve/starts.js';

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
  for (const optimizer of ['adamw', 'lbfgsb'] as const) {
    const predE: number[] = [], worstE: number[] = [], objective: number[] = [];
    for (const s of starts) {
      const fit = fitCurves(train, { law: 'mpl', optimizer, starts: [s] });
      const e = curveErrors(fit, test);
      predE.push(e.predE);
      worstE.push(e.worstE);
      objective.push(fit.objective);
    }
    console.log(JSON.stringify({ size, optimizer, starts: starts.length, PredE: quantiles(predE), WorstE: quantiles(worstE), objective: quantiles(objective), PredE_each: predE.map((v) => +v.toFixed(6)) }));
  }
}
