import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { InputError, show } from '../core/errors.js';
import type { LbfgsbStatus } from './lbfgsb.js';
import type { MultistartRuns, Problem } from './multistart.js';
import type { Objective } from './objective.js';

/**
 * Levenberg-Marquardt (ml-levenberg-marquardt) from every start, in the same internal units as
 * L-BFGS-B (log-scale parameters as logs). Least squares only: the squared loss, in log or linear
 * space. The library clips to bounds and its error tolerance is absolute, so convergence is judged
 * here, by the objective's gradient at the end (infinity norm <= 1e-4 times max(1, f)).
 */
export function levenbergMarquardtStarts(problem: Problem, obj: Objective, starts: Float64Array, maxIterations = 500): MultistartRuns {
  if (problem.loss.name !== 'squared') {
    throw new InputError(`optimizer "lm" supports only the squared loss; got ${show(problem.loss.name)}`, 'optimizer');
  }
  const { law, inputs, y, space, weights } = problem;
  const dim = obj.dimension;
  const np = law.params.length;
  const rows = y.length;
  const index = Float64Array.from({ length: rows }, (_, i) => i);
  const target = space === 'log' ? y.map(Math.log) : y;
  const pred = new Float64Array(rows);
  const jac = new Float64Array(rows * np);
  const p = new Float64Array(np);
  const model = (theta: number[]) => {
    obj.toNatural(theta, p);
    law.evaluate(p, inputs, pred);
    const values = space === 'log' ? pred.map(Math.log) : Float64Array.from(pred);
    return (i: number) => values[i]!;
  };
  const analytic = law.valueAndJacobian !== undefined || law.jacobian !== undefined;
  const jacobianFunction = (theta: number[]) => {
    obj.toNatural(theta, p);
    if (law.valueAndJacobian) law.valueAndJacobian(p, inputs, pred, jac);
    else {
      law.evaluate(p, inputs, pred);
      law.jacobian!(p, inputs, jac);
    }
    return (i: number) => {
      const row = new Array<number>(dim);
      for (let k = 0; k < dim; k++) {
        const j = obj.free[k]!;
        let d = jac[i * np + j]!;
        if (law.params[j]!.scale === 'log') d *= p[j]!;
        if (space === 'log') d /= pred[i]!;
        row[k] = d;
      }
      return row;
    };
  };
  const count = starts.length / dim;
  const out: MultistartRuns = {
    dimension: dim,
    f: new Float64Array(count),
    theta: new Float64Array(count * dim),
    status: new Array<LbfgsbStatus>(count),
    iterations: new Int32Array(count),
    evaluations: new Int32Array(count),
  };
  const grad = new Float64Array(dim);
  for (let s = 0; s < count; s++) {
    const start = Array.from(starts.subarray(s * dim, (s + 1) * dim));
    let theta: Float64Array;
    let iterations = 0;
    try {
      const result = levenbergMarquardt({ x: index, y: target }, model, {
        initialValues: start,
        minValues: Array.from(obj.lower, (v) => (Number.isFinite(v) ? v : -1e300)),
        maxValues: Array.from(obj.upper, (v) => (Number.isFinite(v) ? v : 1e300)),
        maxIterations,
        errorTolerance: 1e-14,
        damping: 1e-2,
        ...(weights ? { weights } : {}),
        ...(analytic ? { jacobianFunction } : { centralDifference: true, gradientDifference: 1e-6 }),
      });
      theta = Float64Array.from(result.parameterValues);
      iterations = result.iterations;
    } catch {
      theta = Float64Array.from(start);
    }
    const f = obj.valueAndGradient(theta, grad);
    let gnorm = 0;
    for (let k = 0; k < dim; k++) gnorm = Math.max(gnorm, Math.abs(grad[k]!));
    out.f[s] = Number.isFinite(f) ? f : NaN;
    out.theta.set(theta, s * dim);
    out.status[s] = !Number.isFinite(f) ? 'non-finite' : gnorm <= 1e-4 * Math.max(1, f) ? 'gradient' : 'max-iterations';
    out.iterations[s] = iterations;
    out.evaluations[s] = iterations;
  }
  return out;
}
