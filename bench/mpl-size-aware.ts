// Size-aware whole-curve law: fit the three 25M training curves plus the 100M constant_24000 curve,
// predict the six 100M test curves. Run: npx tsx bench/mpl-size-aware.ts
import { fitCurves } from '../src/fit/fit-curves.js';
import { curveErrors } from '../src/reproductions/mpl.js';
import { mplCurve, mplTestCurves, mplTrainCurves } from '../src/reproductions/mpl-data.js';

const train = [...mplTrainCurves.map((n) => mplCurve('25', n)), { ...mplCurve('100', 'constant_24000'), name: 'constant_24000 (100M)' }];
const t0 = performance.now();
// gamma (how the annealing benefit grows with N) is not identified: the only 100M curve is never
// annealed, so it is held at 0.
const fit = fitCurves(train, { law: 'size-aware', fixed: { gamma: 0 } });
const wall = performance.now() - t0;
const errors = curveErrors(
  fit,
  mplTestCurves.map((n) => mplCurve('100', n)),
);
console.log(JSON.stringify({ law: fit.law, fit_ms: Math.round(wall), PredE: errors.predE, WorstE: errors.worstE, perCurve: errors.perCurve, params: fit.params, message: fit.message }, null, 1));
