// %% [markdown]
// # Fit Chinchilla on the published points, then plan a 1e23 FLOP run
//
// Hoffmann et al. (2022) fitted `L(N, D) = E + A / N^alpha + B / D^beta` to their training runs
// (Approach 3). Besiroglu et al. (2024) digitised the points of their Fig. 4 and found the published
// fit did not match them; this notebook refits those 245 points with the replication's protocol
// (drop the 5 highest losses; Huber(1e-3) on log residuals; L-BFGS-B from 4,500 grid starts) and
// plans a training run for a budget of 1e23 FLOPs.

// %%
import { bootstrap, display, filterObservations, fitLaw, plan, planCharts, planReport, readObservations, scalingChart } from 'scalelaw';

const points = readObservations('../../shared/data/chinchilla-epoch/svg_extracted_data.csv');
// The replication's protocol: leave out the five runs with the highest loss.
const cut = [...points.loss].sort((a, b) => b - a)[4];
const data = filterObservations(points, (i) => points.loss[i] < cut, 'one of the 5 highest losses');
`${points.length} points read, ${data.length} kept`;

// %% [markdown]
// ## The fit
// The grid is the published one (4,500 starts). The report shows the values; Epoch's grid fit on
// the same points is A = 477.8, B = 2143.9, E = 1.8172, alpha = 0.3473, beta = 0.3672.

// %%
// A bootstrap over the 240 points (200 resamples here; 1,000 for published numbers) gives every
// parameter a standard error and an interval, and the plan below its intervals.
const fit = await bootstrap(await fitLaw('chinchilla', data), data, { resamples: 200, seed: 0, level: 0.9, threads: 1 });
const N = Array.from(data.N!), D = Array.from(data.D!), loss = Array.from(data.loss);
const predicted = fit.predict({ N, D });
await display(fit, {
  table: { header: ['parameter', 'value', 'bootstrap s.e.', '90% interval'], rows: fit.params.map((p) => [p.name, p.value, p.stderr ?? '', p.interval ? `${p.interval[0].toPrecision(4)} to ${p.interval[1].toPrecision(4)}` : '']) },
  charts: [
    scalingChart(
      { points: N.map((n, i) => ({ x: 6 * n * D[i], y: loss[i], series: n < 2e8 ? 'N < 200M' : n < 2e9 ? '200M to 2B' : 'N >= 2B' })) },
      { title: 'Epoch points: loss against training compute', seriesLabel: 'model size' },
    ),
    scalingChart(
      { points: loss.map((l, i) => ({ x: l, y: predicted[i] })), law: [{ x: 2, y: 2 }, { x: 5, y: 5 }] },
      { title: 'fitted against observed loss (line: equality)', xLabel: 'observed loss (nats/token)', yLabel: 'fitted loss (nats/token)', lawLabel: 'y = x' },
    ),
  ],
});

// %% [markdown]
// ## A plan for 1e23 FLOPs
// Compute-optimal N and D for the budget, the loss it should reach, and (from published relations,
// labelled as such, since these points carry no batch-size information) batch size and learning
// rate; GPU time on H100s at 40% utilisation and 2 per GPU-hour.

// %%
const result = plan({ budget: { compute: 1e23, gpuFlops: 9.89e14, utilization: 0.4, gpus: 512, price: 2 }, fits: [{ fit, source: 'Epoch points, refit here' }] });
await display({ text: planReport(result), charts: planCharts(result, fit, { observations: N.map((n, i) => ({ N: n, D: D[i], loss: loss[i] })) }) });
