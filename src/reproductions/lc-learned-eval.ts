import { InputError } from '../core/errors.js';
import { LEVELS, SCALES, type FilePredictions, type Predictor, type StoredPrediction } from './lc-evaluate.js';
import { correctionFeatures, fitCorrection, type CorrectionFitOptions, type CorrectionRow } from '../extrapolation/learned.js';

/**
 * The learned correction (`fitCorrection`) evaluated on a file of complete curves: at each cutoff,
 * curve i's final value is predicted by a correction trained on the other folds (curves assigned to
 * `folds` folds by position, as in `crossFittedScales`), so no curve is in its own training set,
 * and its intervals come from out-of-fold residuals within those training folds. Features come from
 * the stored predictions of `base`, 'fast' and 'pow3'. Returns preds[cutoff][curve].
 */
export function crossFittedCorrection(file: FilePredictions, options: CorrectionFitOptions & { base?: Predictor; folds?: number } = {}): StoredPrediction[][] {
  const { base = 'ensemble', folds = 5 } = options;
  const b = file.preds[base],
    fast = file.preds.fast,
    pow3 = file.preds.pow3;
  if (!b || !fast || !pow3) throw new InputError(`crossFittedCorrection: ${file.name}: needs stored ${base}, fast and pow3 predictions`, 'preds');
  const range: readonly [number, number] = file.goal === 'max' ? [0, 1] : [-Infinity, Infinity];
  return file.cutoffs.map((m, c) => {
    const rows: CorrectionRow[] = file.curves.map((curve, i) => {
      const seen = curve.subarray(0, m);
      const features = correctionFeatures(seen, file.goal, { base: b[c]![i]!.quantiles[49]!, fast: fast[c]![i]!.quantiles[49]!, pow3: pow3[c]![i]!.quantiles[49]! });
      return { features, offset: seen[m - 1]!, target: file.truths[i]! };
    });
    const out: StoredPrediction[] = new Array(rows.length);
    for (let f = 0; f < folds; f++) {
      const fit = fitCorrection(
        rows.filter((_, i) => i % folds !== f),
        { lambdas: options.lambdas, folds: options.folds },
      );
      for (let i = f; i < rows.length; i += folds) {
        const p = fit.predictive(rows[i]!, file.length, file.goal, range);
        const truth = file.truths[i]!;
        const median = p.median;
        out[i] = { quantiles: p.quantiles(LEVELS), logDensity: SCALES.map((s) => p.logDensity(median + (truth - median) / s) - Math.log(s)) };
      }
    }
    return out;
  });
}
