// The batch-size ramp on Zhang et al. 2024's critical-batch data (../shared/data/zhang2024-cbs): per
// model, S(B) = S_min + E_min / B fitted to the steps each batch size needed to reach its target C4
// loss (B_crit = E_min / S_min, McCandlish et al. 2018); across the five models, B_crit(L) (Kaplan
// et al. 2020, eq. 5.3) and the loss-curve law L(N, S_min) (eq. 5.6); then `batchRamp` for the 1.2B
// model to its own target against a constant batch, the predicted step saving (same examples) and
// example / GPU-hour saving (same steps), with a 90% interval from a residual bootstrap of the
// per-model fits (every draw refits both laws).
//   npx tsx bench/batch-ramp-zhang.ts [draws] [min batch]      (default 100 draws, ramp >= 64 sequences)
import { readFileSync } from 'node:fs';
import { rng } from '../src/core/rng.js';
import { setWarn } from '../src/core/warn.js';
import { fitLaw } from '../src/fit/fit.js';
import { squared } from '../src/fit/objective.js';
import { kaplanLossSteps } from '../src/laws/kaplan-batch.js';
import { parseNumericCsv } from '../src/io/csv.js';
import { fitBcritVsLoss, fitStepsVsBatch, zhangCriticalBatch } from '../src/batch/critical-batch.js';
import { batchRamp } from '../src/batch/batch-ramp.js';

setWarn(() => {});
const draws = Number(process.argv[2] ?? 100);
const minBatch = Number(process.argv[3] ?? 64);
const text = readFileSync(new URL('../../shared/data/zhang2024-cbs/steps_to_target.csv', import.meta.url), 'utf8').replace(/^model,/, 'modelname,');
// The model column is text ("85M"); read the numeric ones.
const lines = text.trim().split('\n');
const header = lines[0]!.split(',');
const numeric = [header.slice(1).join(','), ...lines.slice(1).map((l) => l.split(',').slice(1).join(','))].join('\n');
const csv = parseNumericCsv(numeric, 'steps_to_target.csv');
const N = csv.columns.n_params!;
const models = [...new Set(Array.from(N))].sort((a, b) => a - b);

interface Model {
  N: number;
  target: number;
  B: number[];
  S: number[];
}
const data: Model[] = models.map((n) => {
  const rows = Array.from(N, (_, i) => i).filter((i) => N[i] === n);
  return { N: n, target: csv.columns.target_c4_val_loss![rows[0]!]!, B: rows.map((i) => csv.columns.batch_size_seqs![i]!), S: rows.map((i) => csv.columns.steps_to_target![i]!) };
});

async function laws(sets: Model[]) {
  const per = await Promise.all(sets.map((m) => fitStepsVsBatch(m.B, m.S)));
  const bcrit = await fitBcritVsLoss({ loss: sets.map((m) => m.target), bcrit: per.map((p) => p.Bcrit) });
  const loss = await fitLaw(
    kaplanLossSteps,
    { inputs: { N: sets.map((m) => m.N), Smin: per.map((p) => p.Smin) }, loss: sets.map((m) => m.target), source: 'zhang2024-cbs' },
    { loss: squared(), space: 'log' },
  );
  return { per, bcrit, loss };
}

const start = Date.now();
const central = await laws(data);
console.log('per model (sequences of 512 tokens):');
data.forEach((m, i) => {
  const p = central.per[i]!;
  console.log(`  N ${m.N.toExponential(2)} target ${m.target}: S_min ${p.Smin.toFixed(0)}, B_crit ${p.Bcrit.toFixed(0)}, Zhang CBS ${zhangCriticalBatch(p).toFixed(0)}`);
});
const b = central.bcrit.values;
const l = central.loss.values;
console.log(
  `B_crit(L) = ${b.Bstar!.toPrecision(4)} / L^(1 / ${b.alphaB!.toPrecision(4)}); L(N, S_min) = (${l.Nc!.toPrecision(4)} / N)^${l.alphaN!.toPrecision(4)} + (${l.Sc!.toPrecision(4)} / S_min)^${l.alphaS!.toPrecision(4)}${central.loss.converged ? '' : ' (not converged)'}`,
);

// Residual bootstrap: per model, log S = log(S_min + E_min / B) + resampled residuals.
const samples = { bcrit: [] as Record<string, number>[], loss: [] as Record<string, number>[] };
const g = rng(0);
for (let d = 0; d < draws; d++) {
  const sets = data.map((m, i) => {
    const p = central.per[i]!;
    const fitted = m.B.map((B) => p.Smin + p.Emin / B);
    const res = m.S.map((s, j) => Math.log(s) - Math.log(fitted[j]!));
    return { ...m, S: fitted.map((f) => f * Math.exp(res[Math.floor(g.next() * res.length)]!)) };
  });
  const r = await laws(sets);
  samples.bcrit.push({ ...r.bcrit.values });
  samples.loss.push({ ...r.loss.values });
}
const big = data[data.length - 1]!;
const bigFit = central.per[central.per.length - 1]!;
for (const [label, B0] of [
  ['B_crit at the target (McCandlish)', bigFit.Bcrit],
  ['Zhang CBS', zhangCriticalBatch(bigFit)],
] as const) {
  const r = batchRamp(central.loss.values, central.bcrit.values, { N: big.N, target: big.target, constantBatch: B0, range: [minBatch, Infinity], samples });
  const iv = r.intervals!;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  console.log(`\n1.2B to loss ${big.target}, constant batch ${B0.toFixed(0)} (${label}), ramp >= ${minBatch} sequences:`);
  console.log(`  constant: ${r.constant.steps.toFixed(0)} steps, ${(r.constant.examples * 512).toExponential(3)} tokens`);
  console.log(
    `  ramp, same tokens: ${r.sameExamples.steps.toFixed(0)} steps: step saving ${pct(r.sameExamples.stepSaving)} (90% interval ${pct(iv.stepSaving[0])} to ${pct(iv.stepSaving[1])}, ${iv.draws} draws)`,
  );
  console.log(
    `  ramp, same steps: ${(r.sameSteps.examples * 512).toExponential(3)} tokens: token / GPU-hour saving ${pct(r.sameSteps.exampleSaving)} (90% interval ${pct(iv.exampleSaving[0])} to ${pct(iv.exampleSaving[1])})`,
  );
  for (const n of r.notes) console.log(`  note: ${n}`);
}
console.log(`\n${((Date.now() - start) / 1000).toFixed(0)} s`);
