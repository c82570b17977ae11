// The momentum law (Tissue et al. 2024) on Luo et al.'s protocol, in the variants measured before
// choosing the default: lambda fitted from several starts, lambda fixed, L-BFGS-B or early-stopped
// AdamW, warmup rises counted or not. Run: npx tsx bench/mpl-momentum-variants.ts
import { getLaw } from '../src/laws/registry.js';
import { curvePoints, type CurvePoints } from '../src/laws/curve-points.js';
import { fitCurves } from '../src/fit/fit-curves.js';
import { curveErrors } from '../src/reproductions/mpl.js';
import { mplCurve, mplTestCurves, mplTrainCurves } from '../src/reproductions/mpl-data.js';
import { initialStarts } from '../src/fit/curve-starts.js';

for (const size of ['25', '100'] as const) {
  const train = mplTrainCurves.map((n) => mplCurve(size, n));
  const test = mplTestCurves.map((n) => mplCurve(size, n));
  const report = (variant: string, fit: ReturnType<typeof fitCurves>) => {
    const e = curveErrors(fit, test);
    console.log(
      JSON.stringify({
        size,
        variant,
        PredE: +e.predE.toFixed(6),
        WorstE: +e.worstE.toFixed(6),
        lambda: +fit.values.lambda!.toFixed(5),
        objective: +fit.objective.value!.toExponential(4),
        worstPerCurve: Object.fromEntries(e.perCurve.map((c) => [c.name, +c.worstE.toFixed(4)])),
      }),
    );
  };
  // Lambda fitted (the default) from starts at several lambdas: one optimum or several?
  const { x, y } = curvePoints(train);
  const start = initialStarts(getLaw<CurvePoints>('momentum'), x, y!)[0]!;
  for (const lambda of [0.99, 0.995, 0.999, 0.9999]) {
    report(`lambda fitted from ${lambda}`, fitCurves(train, { law: 'momentum', starts: [{ ...start, lambda, C: (start.C! * (1 - lambda)) / (1 - 0.999) }] }));
  }
  for (const law of ['momentum', 'momentum-warmup']) {
    for (const optimizer of ['lbfgsb', 'adamw'] as const) {
      for (const lambda of [undefined, 0.999, 0.998]) {
        report(`${law}, ${optimizer}, lambda ${lambda ?? 'fitted'}`, fitCurves(train, { law, optimizer, ...(lambda ? { fixed: { lambda } } : {}) }));
      }
    }
  }
}
