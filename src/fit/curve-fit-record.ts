import type { CurveFit } from './result.js';
import { CurveFit as CurveFitClass } from './result.js';

/**
 * A saved curve fit read back (version 1 or 2).
 * @deprecated Use `CurveFit.fromJSON` (or `Fit.fromJSON` for any kind).
 */
export function curveFitFromJSON(json: unknown, source = 'fit'): CurveFit {
  return CurveFitClass.fromJSON(json, source);
}

/**
 * A readable summary of a curve fit.
 * @deprecated Use `fit.report()`.
 */
export function curveFitReport(fit: CurveFit): string {
  return fit.report();
}
