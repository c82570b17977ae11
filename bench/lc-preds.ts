// Predictions saved by bench/lc-eval.ts --save-preds, read back as FilePredictions.
import { readFileSync, writeFileSync } from 'node:fs';
import type { FilePredictions, StoredPrediction } from '../src/reproductions/lc-evaluate.js';
import { readNasCurves } from '../src/reproductions/nas-data.js';

export function loadPreds(path: string, only = ''): FilePredictions[] {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as any[];
  const sets = readNasCurves(new URL('../data/nas-curves', import.meta.url).pathname);
  return saved
    .filter((f) => !only || only.split(',').includes(f.name))
    .map((f) => {
      const set = sets.find((s) => s.name === f.name)!;
      const preds = Object.fromEntries(
        Object.entries(f.preds as Record<string, { q: number[]; l: number[] }[][]>).map(([k, rows]) => [
          k,
          rows.map((row) => row.map((p): StoredPrediction => ({ quantiles: Float64Array.from(p.q), logDensity: Float64Array.from(p.l) }))),
        ]),
      );
      return { ...f, truths: Float64Array.from(f.truths), curves: (f.index as number[]).map((i) => set.curves[i]!), preds, seconds: {} };
    });
}

/** Quantiles and log densities per predictor, cutoff and curve (6 significant digits). */
export function savePreds(path: string, files: readonly FilePredictions[]): void {
  const round = (v: number) => Number(v.toPrecision(6));
  writeFileSync(
    path,
    JSON.stringify(
      files.map((f) => ({
        name: f.name,
        goal: f.goal,
        length: f.length,
        fractions: f.fractions,
        cutoffs: f.cutoffs,
        index: f.index,
        truths: Array.from(f.truths),
        preds: Object.fromEntries(Object.entries(f.preds).map(([k, rows]) => [k, rows!.map((row) => row.map((p) => ({ q: Array.from(p.quantiles, round), l: Array.from(p.logDensity, round) })))])),
      })),
    ),
  );
}
