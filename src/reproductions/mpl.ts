import type { ReproducedMetric } from './reproduction.js';
import { curvePoints } from '../laws/curve-points.js';
import { fitCurves, type CurveFit, type CurveFitOptions } from '../fit/fit-curves.js';
import { lawOf } from '../fit/predict-curve.js';
import { mplCurve, mplPublished, mplTestCurves, mplTrainCurves } from './mpl-data.js';

/** Prediction errors of a fit on one curve (Luo et al. 2025, §4): relative to the measured loss. */
export interface CurveErrors {
  name: string;
  /** mean |L - Lhat| / L over the curve's points. */
  predE: number;
  /** max |L - Lhat| / L over the curve's points. */
  worstE: number;
}

/** PredE and WorstE of a fit on curves it was not fitted on, per curve and averaged over curves. */
export function curveErrors(fit: CurveFit, curves: Parameters<typeof curvePoints>[0]): { perCurve: CurveErrors[]; predE: number; worstE: number } {
  const law = lawOf(fit);
  const perCurve = curves.map((curve) => {
    const { x, y } = curvePoints([curve]);
    const out = new Float64Array(x.length);
    law.evaluate(fit.vector(), x, out);
    let sum = 0;
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const e = Math.abs(out[i]! - y![i]!) / y![i]!;
      sum += e;
      worst = Math.max(worst, e);
    }
    return { name: curve.name ?? 'curve', predE: sum / x.length, worstE: worst };
  });
  const mean = (f: (c: CurveErrors) => number) => perCurve.reduce((a, c) => a + f(c), 0) / perCurve.length;
  return { perCurve, predE: mean((c) => c.predE), worstE: mean((c) => c.worstE) };
}

/**
 * Luo et al. 2025's protocol: fit on cosine_24000, constant_24000 and wsdcon_9 of one model size,
 * predict constant_72000, cosine_72000, wsd_20000_24000, wsdld_20000_24000, wsdcon_3 and wsdcon_18.
 */
export function mplProtocol(size: '25' | '100', law: 'mpl' | 'momentum', options: CurveFitOptions & { dir?: string } = {}) {
  const { dir, ...fitOptions } = options;
  const fit = fitCurves(
    mplTrainCurves.map((n) => mplCurve(size, n, dir)),
    { law, ...fitOptions },
  );
  return {
    fit,
    ...curveErrors(
      fit,
      mplTestCurves.map((n) => mplCurve(size, n, dir)),
    ),
  };
}

/**
 * The reproduction behind `scalelaw reproduce mpl-25m` / `mpl-100m`: both laws, published vs ours.
 * The multi-power law twice: by `fitCurves`' default (L-BFGS-B to an optimum of the objective) and
 * by Luo et al.'s own early-stopped AdamW (`optimizer: 'adamw-early-stopped'`), whose published
 * figures come from that procedure.
 */
export function reproduceMpl(size: '25' | '100', onProgress?: (message: string) => void, onWarning?: (message: string) => void): ReproducedMetric[] {
  const metrics: ReproducedMetric[] = [];
  const runs = [
    { law: 'mpl', label: 'multi-power law', options: {} },
    { law: 'mpl', label: "multi-power law, Luo et al.'s early-stopped AdamW", options: { optimizer: 'adamw-early-stopped' } },
    { law: 'momentum', label: 'momentum law', options: {} },
  ] as const;
  for (const { law, label, options } of runs) {
    onProgress?.(`fitting the ${label} to the three ${size}M training curves`);
    const result = mplProtocol(size, law, options);
    for (const w of result.fit.warnings ?? []) onWarning?.(`${size}M, ${label}: ${w.message}`);
    const published = mplPublished[size][law];
    const how = 'optimizer' in options ? "Luo et al.'s procedure: at most 200 AdamW steps, patience 20, mean of 4" : 'default fit: L-BFGS-B to convergence';
    metrics.push({ metric: `${label} PredE`, published: published.predE, ours: result.predE, note: `mean over the 6 test curves of mean |L - Lhat| / L; ${how}` });
    metrics.push({ metric: `${label} WorstE`, published: published.worstE, ours: result.worstE, note: `mean over the 6 test curves of max |L - Lhat| / L; ${how}` });
  }
  return metrics;
}
