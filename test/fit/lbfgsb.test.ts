import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lbfgsb, type ValueAndGradient } from '../../src/fit/lbfgsb.js';
import { objective } from '../../src/fit/objective.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import { epochPoints } from './epoch-data.js';

interface Fixture {
  name: string;
  x0: number[];
  lower: number[] | null;
  upper: number[] | null;
  x: number[];
  f: number;
  nfev: number;
  /** scipy's first objective values, in evaluation order. */
  trace: number[];
  /** Where the end point depends on rounding (only the trace is compared). */
  roundingSensitive: boolean;
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/lbfgsb-scipy.json', import.meta.url), 'utf8')) as {
  quadratic: { Q: number[][]; b: number[] };
  problems: Fixture[];
};

const rosenbrock: ValueAndGradient = (x, g) => {
  const a = x[1]! - x[0]! ** 2;
  g[0] = -400 * x[0]! * a - 2 * (1 - x[0]!);
  g[1] = 200 * a;
  return 100 * a * a + (1 - x[0]!) ** 2;
};

// The L-BFGS-B distribution's driver1 problem.
const driver1: ValueAndGradient = (x, g) => {
  const n = x.length;
  let f = 0.25 * (x[0]! - 1) ** 2;
  for (let i = 1; i < n; i++) f += 4 * (x[i]! - x[i - 1]! ** 2) ** 2;
  let t1 = x[1]! - x[0]! ** 2;
  g[0] = 2 * (x[0]! - 1) - 16 * x[0]! * t1;
  for (let i = 1; i < n - 1; i++) {
    const t2 = t1;
    t1 = x[i + 1]! - x[i]! ** 2;
    g[i] = 8 * t2 - 16 * x[i]! * t1;
  }
  g[n - 1] = 8 * t1;
  return f;
};

const { Q, b } = fixtures.quadratic;
const quadratic: ValueAndGradient = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    let qx = 0;
    for (let j = 0; j < x.length; j++) qx += Q[i]![j]! * x[j]!;
    g[i] = qx - b[i]!;
    f += 0.5 * x[i]! * qx - b[i]! * x[i]!;
  }
  return f;
};

const epoch = epochPoints();
const chinchillaObjective = objective(chinchilla, { N: epoch.N, D: epoch.D }, epoch.loss).valueAndGradient;

function functionFor(name: string): ValueAndGradient {
  if (name.startsWith('rosenbrock')) return rosenbrock;
  if (name === 'driver1') return driver1;
  if (name.startsWith('quadratic')) return quadratic;
  // Our Chinchilla parameters are (A, B, E, alpha, beta) with A, B, E on a log scale: the same
  // internal vector (a, b, e, alpha, beta) as the scipy script's LSE form.
  return chinchillaObjective;
}

const bound = (values: number[] | null, fill: number) => values?.map((v) => (Math.abs(v) >= 1e308 ? fill : v));

describe('lbfgsb against scipy 1.17 L-BFGS-B', () => {
  for (const problem of fixtures.problems) {
    it(`${problem.name}: the same path as scipy`, () => {
      const fn = functionFor(problem.name);
      const trace: number[] = [];
      lbfgsb(
        (x, g) => {
          const f = fn(x, g);
          trace.push(f);
          return f;
        },
        problem.x0,
        {
          lower: bound(problem.lower, -Infinity),
          upper: bound(problem.upper, Infinity),
        },
      );
      // Same algorithm step for step: the first 15 evaluations agree with scipy's to 1e-7.
      const k = Math.min(15, problem.trace.length);
      for (let i = 0; i < k; i++) expect(Math.abs(trace[i]! - problem.trace[i]!)).toBeLessThanOrEqual(1e-7 * Math.max(Math.abs(problem.trace[i]!), 1e-3));
    });
    if (problem.roundingSensitive) continue;
    it(`${problem.name}: the same minimum as scipy`, () => {
      const result = lbfgsb(functionFor(problem.name), problem.x0, {
        lower: bound(problem.lower, -Infinity),
        upper: bound(problem.upper, Infinity),
      });
      expect(result.converged).toBe(true);
      // Objective: no worse than scipy's beyond 1e-7 relative (1e-9 absolute near zero).
      expect(result.f).toBeLessThanOrEqual(problem.f + Math.max(1e-7 * Math.abs(problem.f), 1e-9));
      const scale = problem.name.startsWith('chinchilla') ? 1e-3 : 1e-4;
      result.x.forEach((xi, i) => expect(Math.abs(xi - problem.x[i]!)).toBeLessThanOrEqual(scale * Math.max(1, Math.abs(problem.x[i]!))));
      // Same algorithm, so a comparable amount of work.
      expect(result.evaluations).toBeLessThanOrEqual(2 * problem.nfev + 5);
    });
  }
});

describe('lbfgsb', () => {
  it('respects bounds at every evaluation', () => {
    const lower = [-1.5, -1.5],
      upper = [0.8, 2];
    let outside = 0;
    lbfgsb(
      (x, g) => {
        if (x[0]! < lower[0]! || x[0]! > upper[0]! || x[1]! < lower[1]! || x[1]! > upper[1]!) outside++;
        return rosenbrock(x, g);
      },
      [-1.2, 1],
      { lower, upper },
    );
    expect(outside).toBe(0);
  });

  it('projects a start outside the box onto it', () => {
    const result = lbfgsb(
      (x, g) => {
        g[0] = 2 * (x[0]! - 3);
        return (x[0]! - 3) ** 2;
      },
      [10],
      { upper: [2] },
    );
    expect(result.x[0]).toBe(2);
    expect(result.status).toBe('gradient');
  });

  it('stops at the iteration limit and says so', () => {
    const result = lbfgsb(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.status).toBe('max-iterations');
    expect(result.iterations).toBe(3);
  });

  it('reports a non-finite objective instead of looping', () => {
    const result = lbfgsb(
      (x, g) => {
        g[0] = NaN;
        return NaN;
      },
      [1],
    );
    expect(result.status).toBe('non-finite');
    expect(result.converged).toBe(false);
  });

  it('rejects bounds with min > max', () => {
    expect(() => lbfgsb(rosenbrock, [0, 0], { lower: [1, 0], upper: [0, 1] })).toThrow('bounds of variable 0: min > max: [1, 0]');
  });

  it('rejects a non-finite start', () => {
    expect(() => lbfgsb(rosenbrock, [NaN, 0])).toThrow('start, variable 0: not a finite number: NaN');
  });
});
