// %% [markdown]
// # Extrapolate learning curves and stop the hopeless ones early
//
// Real curves from Baker et al. (2017): validation perplexity of LSTM language models on Penn
// Treebank, 60 epochs each. First extrapolate one curve from its first 12 epochs with the Bayesian
// ensemble of eleven curve families (Domhan et al., 2015), then run 20 configurations one after the
// other with predictive termination: stop a run when the probability that it ends better than the
// best finished run falls below 5%.

// %%
import { display, extrapolate, learningCurve, lossCurvesChart, predictive, readCurveSet, replay, stoppingChart } from 'scalelaw';

const set = readCurveSet('../data/nas-curves/lstm_ptb.csv', { prefix: 'ep_', goal: 'min', range: [1, Infinity], name: 'lstm_ptb' });
// Some configurations diverge to huge perplexities; keep the ones that train.
const curves = set.curves.filter((c) => c.every(Number.isFinite) && c[c.length - 1] < 400).slice(0, 60);
`${set.curves.length} curves of ${set.length} epochs; ${curves.length} used here`;

// %%
const curve = curves[3];
const seen = 12;
const epochs = Float64Array.from({ length: set.length }, (_, i) => i + 1);
const partial = learningCurve(epochs.subarray(0, seen), curve.subarray(0, seen), { goal: 'min', range: set.range, source: 'lstm 3' });
const future = Array.from({ length: set.length - seen }, (_, i) => seen + 1 + i);
const predicted = extrapolate(partial, { to: future, seed: 0 });
const final = predicted.at(set.length);
const [lo, hi] = final.interval(0.9);
await display({
  title: `epoch ${set.length}: predicted ${final.median.toFixed(1)} (90% interval ${lo.toFixed(1)} to ${hi.toFixed(1)}), measured ${curve[set.length - 1].toFixed(1)}`,
  charts: [
    lossCurvesChart(
      [
        { name: `first ${seen} epochs`, observed: Array.from(curve.subarray(0, seen), (loss, i) => ({ step: i + 1, loss })) },
        { name: 'measured afterwards', observed: Array.from(curve.subarray(seen - 1), (loss, i) => ({ step: seen + i, loss })) },
        { name: 'ensemble prediction', predicted: predicted.points.map((p) => { const [l, u] = p.interval(0.9); return { step: p.step, loss: p.median, lower: l, upper: u }; }) },
      ],
      { title: 'extrapolating one LSTM curve from 12 of 60 epochs', xLabel: 'epoch', yLabel: 'validation perplexity', cutoff: seen },
    ),
  ],
});

// %% [markdown]
// ## Predictive termination over 20 runs
// Runs are trained in order; each is checked at epochs 6, 12, 24 and 48. The fast extrapolator
// (least-squares families with Laplace intervals) makes each decision in milliseconds.

// %%
const rule = predictive({ delta: 0.05 });
const checkpoints = [6, 12, 24, 48];
const order = curves.slice(0, 20);
let bestFinal: number | undefined;
const decisions = order.map((c, i) => {
  let stoppedAt = set.length;
  for (const m of checkpoints) {
    const d = rule.decide({ id: i, steps: epochs.subarray(0, m), values: c.subarray(0, m), goal: 'min', horizon: set.length, range: set.range, bestFinal });
    if (d.stop) { stoppedAt = m; break; }
  }
  if (stoppedAt === set.length && (bestFinal === undefined || c[set.length - 1] < bestFinal)) bestFinal = c[set.length - 1];
  return { id: `run ${i}`, stoppedAt, values: c };
});
const bestIndex = decisions.reduce((b, d, i) => (d.stoppedAt === set.length && d.values[set.length - 1] < decisions[b].values[set.length - 1] ? i : b), decisions.findIndex((d) => d.stoppedAt === set.length));
const trained = decisions.reduce((a, d) => a + d.stoppedAt, 0);
const summary = replay(curves, rule, { goal: 'min', checkpoints, orderings: 5, budget: 20, seed: 0, range: set.range });
await display({
  title: `${decisions.filter((d) => d.stoppedAt < set.length).length} of 20 runs stopped early: ${trained} of ${20 * set.length} epochs trained (${((20 * set.length) / trained).toFixed(2)}x faster)`,
  text: `replay over ${summary.orderings} random orderings of ${curves.length} curves: speed-up ${summary.speedup.toFixed(2)}x, mean regret ${(100 * summary.regret).toFixed(2)}% of the range of final perplexities, same best run in ${(100 * summary.sameBest).toFixed(0)}% of orderings`,
  charts: [
    stoppingChart(
      decisions.map((d, i) => ({
        id: d.id,
        decision: i === bestIndex ? 'best' : d.stoppedAt < set.length ? 'stopped' : 'completed',
        stoppedAt: d.stoppedAt,
        points: Array.from(d.values.subarray(0, d.stoppedAt), (value, k) => ({ step: k + 1, value })),
      })),
      { yLabel: 'validation perplexity', yScale: 'log' },
    ),
  ],
});
