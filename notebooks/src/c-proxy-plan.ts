// %% [markdown]
// # Proxy sweep → scaling law → critical batch size → plan
//
// Train small transformers on a synthetic Markov language whose entropy rate (the irreducible
// loss) is known exactly, fit the Chinchilla law to their final losses, measure the critical batch
// size from runs at several batch sizes, and plan a run 1,000 times larger than the largest proxy.
// The sweep is kept small so the notebook runs in well under a minute: three widths, each at four
// lengths (16 to 128 steps, a factor of 8 in tokens). Four lengths, not two, are what let the data
// fix the data exponent beta: with two lengths per width, B and beta trade off along a flat ridge
// (an earlier version of this notebook reported beta = 27 with B = 2e88, and the fit report flagged
// beta as not identified). `npm run demo` runs the same pipeline on real English text.

// %%
import { bootstrap, createDataset, display, fitsFromRuns, lossCurvesChart, openStore, plan, planCharts, planReport, runSweep, scalingChart, stepsExamplesChart } from 'scalelaw';

const context = 8;
const sweep = {
  name: 'notebook',
  base: {
    model: { family: 'transformer' as const, width: 4, depth: 1, heads: 1, context },
    data: { type: 'markov' as const, vocab: 8, order: 2, branching: 3, zipf: 1, seed: 0 },
    batchSize: 16,
    schedule: { type: 'cosine' as const, peak: 1e-2, final: 1e-4, warmup: 4 },
    evalTokens: 512,
    logEvery: 2,
    microBatches: 1,
    seed: 0,
  },
  list: [
    // Scaling runs: three widths at four lengths, batch 16.
    ...[4, 6, 8].flatMap((width) => [16, 32, 64, 128].map((steps) => ({ width, tokens: steps * 16 * context, batchSize: 16 }))),
    // Batch-size runs: width 4 at batch 8 and 32 (with batch 16 above).
    ...[8, 32].map((batchSize) => ({ width: 4, tokens: 32 * 16 * context, batchSize })),
  ],
};
const dir = await Deno.makeTempDir({ prefix: 'scalelaw-notebook-' });
const result = await runSweep(sweep, { store: dir, workers: 1 });
const runs = openStore(dir).runs();
`${result.finished.length} runs finished, ${result.diverged.length} diverged, ${result.failed.length} failed`;

// %%
await display({
  title: 'the sweep',
  charts: [
    lossCurvesChart(
      runs
        .filter((r) => r.config.batchSize === 16)
        .sort((a, b) => a.config.N - b.config.N || a.config.D - b.config.D)
        .map((r) => ({ name: `N=${r.config.N} D=${r.config.D}`, observed: r.trajectory.filter((p) => p.evalLoss !== undefined).map((p) => ({ step: p.step, loss: p.evalLoss! })) })),
      { title: 'eval loss of the scaling runs', yScale: 'linear', legend: 'run (by N, then D)', ordered: true },
    ),
  ],
});

// %% [markdown]
// ## Fits
// E is fixed at the language's entropy rate, which is known exactly; the runs determine A, B,
// alpha and beta, and 200 bootstrap refits over the runs give each a 90% interval. Read the report
// below before the plan: no parameter is flagged as not identified (the covariance gives each a
// finite standard error), but B and beta are correlated at about +0.999, so B's bootstrap
// interval spans orders of magnitude while the predicted losses along the ridge barely move.
// The critical batch size comes from the steps each batch size needed to reach a few target
// losses (McCandlish et al. 2018), and Kaplan's B_crit(L) carries it to the planned loss. It rests
// on three batch sizes (8, 16, 32) at one width, so each target loss has at most three points, and
// the per-target fits in the second chart disagree widely: read the recommended batch below as a
// rough figure (the plan's interval on it comes from the B_crit(L) fit alone, not from these runs).

// %%
const entropyRate = createDataset(sweep.base.data).floor!;
const fits = await fitsFromRuns(runs, {
  fixed: { E: entropyRate },
  source: 'notebook sweep',
  bootstrap: (fit, data) => bootstrap(fit, data, { resamples: 200, seed: 0, level: 0.9, threads: 1 }),
});
const cb = fits.criticalBatch!;
await display(fits.scaling, {
  title: `Chinchilla fit (E fixed at the entropy rate ${entropyRate.toFixed(4)})`,
  charts: [
    scalingChart(
      { points: fits.observations.map((o) => ({ x: o.loss, y: fits.scaling.predict({ N: o.N, D: o.D })[0] })), law: [{ x: 1, y: 1 }, { x: 3, y: 3 }] },
      { title: 'fitted against observed final loss', xLabel: 'observed loss (nats/token)', yLabel: 'fitted loss (nats/token)', lawLabel: 'y = x' },
    ),
    stepsExamplesChart({
      points: cb.analysis.targets.flatMap((t) => t.points.map((p) => ({ group: `loss ${t.target.toFixed(3)}`, steps: p.steps, examples: p.steps * p.batchSize, batchSize: p.batchSize }))),
      fits: cb.analysis.targets.map((t) => ({ group: `loss ${t.target.toFixed(3)}`, sMin: t.Smin, eMin: t.Emin })),
    }, { legend: 'target loss' }),
  ],
});

// %% [markdown]
// ## The plan: 1,000 times the largest proxy run
//
// The intervals come from the bootstrap above. The plan is only as good as the sweep: twelve runs
// of at most 128 steps on an 8-symbol language sit far from the regime of language models (look at
// the tokens per parameter below), and the plan warns where it goes more than 10x past the fitted
// N or D, or 100x past the fitted compute.

// %%
const span = (v: number[]) => [Math.min(...v), Math.max(...v)] as const;
const fitted = {
  N: span(fits.observations.map((o) => o.N)),
  D: span(fits.observations.map((o) => o.D)),
  C: span(fits.observations.map((o) => 6 * o.N * o.D)),
  source: 'notebook sweep',
};
const planned = plan({
  budget: { compute: 1000 * fitted.C[1] },
  fits: [{ fit: fits.scaling, source: 'notebook sweep' }, { fit: cb.fit, source: 'notebook batch runs' }],
  range: fitted,
  floor: { value: entropyRate, source: "the language's entropy rate" },
  seqLen: context,
  fitSeqLen: context,
});
await display({ text: planReport(planned), charts: planCharts(planned, fits.scaling, { observations: fits.observations }) });
