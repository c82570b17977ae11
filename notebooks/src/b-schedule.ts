// %% [markdown]
// # Predict a loss curve for a new schedule from two curves, and pick the best cooldown
//
// The multi-power law (Luo et al., ICLR 2025) predicts a whole loss curve from the learning-rate
// schedule alone. Fit it on two published curves of a 25M-parameter model (cosine and constant, 24,000
// steps), predict a warmup-stable-decay (WSD) schedule it never saw and compare with the measured
// curve, then search the WSD cooldown fraction that the law says gives the lowest final loss.

// %%
import { bestSchedule, bestWsdCooldown, budgetFromFit, display, fitCurves, lossCurvesChart, predictCurve, scalingChart } from 'scalelaw';
// Luo et al.'s published curves come with the reproduction of their paper, not with the library.
import { mplCurve } from '../src/reproductions/mpl-data.ts';

const cosine = mplCurve('25', 'cosine_24000');
const constant = mplCurve('25', 'constant_24000');
// A few bootstrap resamples of the points give a (rough) band; more resamples, a steadier one.
const fit = fitCurves([cosine, constant], { law: 'mpl', resamples: 8, seed: 0 });
Object.fromEntries(Object.entries(fit.values).map(([k, v]) => [k, Number(v.toPrecision(4))]));

// %% [markdown]
// ## A schedule the fit never saw
// `wsd_20000_24000`: constant to step 20,000, then an exponential cooldown to 3e-5.

// %%
const heldOut = mplCurve('25', 'wsd_20000_24000');
// Curves are logged from the end of warmup (step 2,160); during warmup the law's loss is not meaningful.
const curvePoints = (p: { steps: Int32Array; loss: Float64Array; lower?: Float64Array; upper?: Float64Array }) =>
  Array.from(p.steps, (step, i) => ({ step, loss: p.loss[i], lower: p.lower?.[i], upper: p.upper?.[i] })).filter((q) => q.step >= 2160);
const prediction = predictCurve(fit, heldOut.schedule);
const measured = Array.from(heldOut.steps, (step, i) => ({ step, loss: heldOut.loss![i] }));
// The same prediction at the logged steps, to score it.
const atLogged = predictCurve(fit, heldOut.schedule, { steps: heldOut.steps });
const errors = measured.map((p, i) => Math.abs(atLogged.loss[i] - p.loss) / p.loss);
const series = [
  { name: 'cosine (fitted)', observed: Array.from(cosine.steps, (step, i) => ({ step, loss: cosine.loss![i] })) },
  { name: 'constant (fitted)', observed: Array.from(constant.steps, (step, i) => ({ step, loss: constant.loss![i] })) },
  {
    name: 'wsd 20000-24000 (held out)',
    observed: measured,
    predicted: curvePoints(prediction),
  },
];
await display({
  title: 'held-out WSD curve: measured (solid) and predicted (dashed, with band)',
  text: `relative error on the held-out curve: mean ${(100 * errors.reduce((a, b) => a + b, 0) / errors.length).toFixed(3)}%, worst ${(100 * Math.max(...errors)).toFixed(3)}%, over ${errors.length} logged steps`,
  charts: [lossCurvesChart(series, { title: 'multi-power law fitted on cosine and constant', yScale: 'linear' })],
});

// %% [markdown]
// Two curves leave the loss-drop term loosely determined (here its exponent gamma ends at 0), and
// the prediction undershoots the cooldown's drop; Luo et al.'s protocol fits a third curve
// (`wsdcon_9`, a two-stage schedule) for exactly this reason.
//
// ## The best cooldown for a 24,000-step run
// Every WSD cooldown fraction from 1% to 99% (exponential shape, peak 3e-4, warmup 2,160 as in the
// fitted curves), and the best member of each standard family.

// %%
const budget = budgetFromFit(fit, 24000);
const wsd = bestWsdCooldown(fit, budget);
const families = bestSchedule(fit, budget);
const best = predictCurve(fit, wsd.schedule);
const cos = predictCurve(fit, { type: 'cosine', peak: budget.peak, final: budget.peak / 10, warmup: budget.warmup, steps: 24000 });
await display({
  title: `best WSD cooldown: ${Math.round(wsd.fraction * 100)}% of the steps, predicted final loss ${wsd.final.toFixed(4)} (cosine: ${cos.final.toFixed(4)})`,
  table: { header: ['family', 'best value', 'predicted final loss'], rows: families.map((f) => [f.family, f.value, Number(f.final.toFixed(5))]) },
  charts: [
    scalingChart(
      { points: wsd.table.map((r) => ({ x: r.fraction, y: r.final })) },
      { title: 'predicted final loss against WSD cooldown fraction', xLabel: 'cooldown fraction of the run', yLabel: 'predicted final loss (nats/token)', xScale: 'linear', yScale: 'linear' },
    ),
    lossCurvesChart(
      [
        { name: 'cosine to 3e-5', predicted: curvePoints(cos) },
        { name: `wsd, ${Math.round(wsd.fraction * 100)}% cooldown`, predicted: curvePoints(best) },
      ],
      { title: 'predicted curves: cosine against the best WSD', yScale: 'linear' },
    ),
  ],
});
