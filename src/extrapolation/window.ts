import type { LearningCurve } from './curve.js';
import { pow3 } from '../laws/families.js';
import { projectionFit } from './projection.js';

/**
 * Where the part of a curve that predicts its future begins.
 *
 * Parametric families describe one smooth regime. A step in the learning-rate schedule starts a new
 * one: the curve jumps, then flattens (CIFAR ResNets at epoch 30, PTB LSTMs after a plateau), and a
 * family fitted through the jump extrapolates its slope. So the window is chosen by backtesting:
 * for each candidate start j (every m/8 points, and the last start that leaves 3 points), fit pow3 (by
 * variable projection) on points j..m-h-1 and predict the last h = max(1, round(m / 10)) points; the start whose fit gives those points the highest Gaussian log
 * density (with the noise its own residuals show) wins, ties going to the longer window. A curve in one regime keeps j = 0.
 *
 * @returns the index of the first point to fit (at least 3 points remain).
 */
export function fitWindowStart(curve: LearningCurve): number {
  const { x, z } = curve;
  const m = x.length;
  const h = Math.max(1, Math.round(m / 10));
  // Each candidate needs 3 points to fit before the held-out tail.
  const last = m - h - 3;
  const stride = Math.max(1, Math.floor(m / 8));
  const candidates: number[] = [];
  for (let j = 0; j <= last; j += stride) candidates.push(j);
  if (last > 0 && candidates[candidates.length - 1] !== last) candidates.push(last);
  if (candidates.length <= 1) return 0;
  let best = 0;
  let bestScore = -Infinity;
  const hx = x.subarray(m - h);
  const pred = new Float64Array(h);
  for (const j of candidates) {
    const fit = projectionFit('pow3', x.subarray(j, m - h), z.subarray(j, m - h));
    pow3.evaluate(fit.params, { step: hx }, pred);
    // Gaussian log density of the held-out points, with the noise the window's own residuals show
    // (floored at 1e-3 of the observed span): a window through a jump has large residuals.
    const n = m - h - j;
    const s2 = Math.max(fit.sse / Math.max(1, n - 3), 1e-6 * 0.64);
    let score = 0;
    for (let i = 0; i < h; i++) score += -0.5 * Math.log(s2) - (pred[i]! - z[m - h + i]!) ** 2 / (2 * s2);
    if (score > bestScore) {
      best = j;
      bestScore = score;
    }
  }
  return best;
}
