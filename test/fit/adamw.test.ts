import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adamw } from '../../src/fit/adamw.js';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/adamw-torch.json', import.meta.url), 'utf8')) as {
  cases: { name: string; x0: number[]; rate: number[]; weightDecay: number; steps: number; trace: number[] }[];
};

const objectives: Record<string, (x: Float64Array, g: Float64Array) => number> = {
  rosenbrock(x, g) {
    const [a, b] = [x[0]!, x[1]!];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  },
  quadratic(x, g) {
    g[0] = 2 * (x[0]! - 3);
    g[1] = 20 * (x[1]! + 1);
    g[2] = x[2]!;
    return (x[0]! - 3) ** 2 + 10 * (x[1]! + 1) ** 2 + 0.5 * x[2]! ** 2;
  },
};

describe('adamw', () => {
  for (const c of fixtures.cases) {
    it(`follows torch.optim.AdamW step for step on ${c.name} (bench/fit-adamw-fixtures.py)`, () => {
      const r = adamw(objectives[c.name]!, c.x0, { rate: c.rate, weightDecay: c.weightDecay, maxSteps: c.steps, patience: c.steps, gradientTolerance: 0 });
      expect(r.steps).toBe(c.steps);
      for (let t = 0; t < c.steps; t++) expect(r.trace[t]).toBeCloseTo(c.trace[t]!, 10);
      expect(r.f).toBeCloseTo(Math.min(...c.trace), 12);
    });
  }

  it('stops after `patience` steps without improvement and keeps the best iterate', () => {
    // A step size far too large for the curvature makes the iterates overshoot forever.
    const r = adamw(
      (x, g) => {
        g[0] = 2 * x[0]!;
        return x[0]! ** 2;
      },
      [1],
      { rate: 10, patience: 5, maxSteps: 500 },
    );
    expect(r.message).toBe('no improvement in 5 steps');
    expect(r.steps).toBeLessThan(500);
    expect(r.f).toBe(Math.min(...r.trace));
  });

  it('clips to the box', () => {
    const r = adamw(
      (x, g) => {
        g[0] = 2 * (x[0]! - 5);
        return (x[0]! - 5) ** 2;
      },
      [0],
      { rate: 0.5, upper: [2], maxSteps: 100, weightDecay: 0 },
    );
    expect(r.x[0]).toBe(2);
  });

  it('rejects bad settings', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 0;
      return 0;
    };
    expect(() => adamw(f, [1], { rate: [1, 2] })).toThrow('adamw rate: expected 1 values, got 2');
    expect(() => adamw(f, [1], { rate: -1 })).toThrow('adamw rate[0]: not a positive number: -1');
    expect(() => adamw(f, [1], { maxSteps: 0 })).toThrow('adamw maxSteps: not a positive integer: 0');
  });
});
