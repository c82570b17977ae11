// %% [markdown]
// # Proxy sweep → scaling law → critical batch size → plan
//
// Train small transformers on a synthetic Markov language whose entropy rate (the irreducible
// loss) is known exactly, fit the Chinchilla law to their final losses, measure the critical batch
// size from runs at several batch sizes, and plan a run 1,000 times larger than the largest proxy.
// The sweep here is kept tiny so the notebook runs in well under a minute; `npm run demo` runs the
// same pipeline on a larger sweep (`demoSweep`).

// %%
import { createDataset, display, fitsFromRuns, lossCurvesChart, openStore, plan, planCharts, planReport, runSweep, scalingChart, stepsExamplesChart } from 'scalelaw';

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
    // Scaling runs: three widths at two lengths, batch 16.
    ...[4, 6, 8].flatMap((width) => [16, 32].map((steps) => ({ width, tokens: steps * 16 * context, batchSize: 16 }))),
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
      runs.filter((r) => r.config.batchSize === 16).map((r) => ({ name: `N=${r.config.N} D=${r.config.D}`, observed: r.trajectory.filter((p) => p.evalLoss !== undefined).map((p) => ({ step: p.step, loss: p.evalLoss! })) })),
      { title: 'eval loss of the scaling runs', yScale: 'linear' },
    ),
  ],
});

// %% [markdown]
// ## Fits
// E is fixed at the language's entropy rate, which is known exactly; the runs determine A, B,
// alpha and beta. The critical batch size comes from the steps each batch size needed to reach
// a few target losses (McCandlish et al. 2018), and Kaplan's B_crit(L) carries it to the planned loss.

// %%
const entropyRate = createDataset(sweep.base.data).floor!;
const fits = await fitsFromRuns(runs, { fixed: { E: entropyRate }, source: 'notebook sweep' });
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
    }),
  ],
});

// %% [markdown]
// ## The plan: 1,000 times the largest proxy run
//
// Six short runs pin down the exponents poorly (look at beta above, and at the tokens per parameter
// below): the plan is only as good as the sweep. `npm run demo` trains 16 longer runs for this reason,
// and `bootstrap` from the fitting engine puts intervals on every number here.

// %%
const largest = Math.max(...fits.observations.map((o) => 6 * o.N * o.D));
const planned = plan({
  budget: { compute: 1000 * largest },
  fits: [{ fit: fits.scaling, source: 'notebook sweep' }, { fit: cb.fit, source: 'notebook batch runs' }],
  seqLen: context,
  fitSeqLen: context,
});
await display({ text: planReport(planned), charts: planCharts(planned, fits.scaling, { observations: fits.observations }) });
