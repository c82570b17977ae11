// Loss curves drawn exactly from the multi-power law with known parameters, for fitting tests.
import type { ScheduleSpec } from '../../src/core/schedule-spec.js';
import { curvePoints, type CurveInput } from '../../src/laws/curve-points.js';
import { multiPowerLaw } from '../../src/laws/multipower.js';

/** L0, A, alpha, B, C, beta, gamma. */
export const truth = [3.0, 0.5, 0.5, 400, 2, 0.6, 0.6];
export const base = { peak: 3e-4, warmup: 500, steps: 8000 } as const;

/** The curve of `spec` at 60 logged steps from the end of warmup, exactly on the law. */
export function synthetic(spec: ScheduleSpec, name: string): CurveInput {
  const steps = Array.from({ length: 60 }, (_, i) => 500 + i * 125);
  const { x } = curvePoints([{ schedule: spec, steps }]);
  const loss = new Float64Array(steps.length);
  multiPowerLaw({ tolerance: 0 }).evaluate(Float64Array.from(truth), x, loss);
  return { name, schedule: spec, steps, loss };
}
