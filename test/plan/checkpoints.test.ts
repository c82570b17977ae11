import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { checkpointBacktest } from '../../src/plan/checkpoint-backtest.js';
import { checkpointData, type CheckpointRow } from '../../src/plan/checkpoints.js';

const TRUTH = { A: 406.4, B: 410.7, E: 1.69, alpha: 0.34, beta: 0.28 };
const lossOf = (N: number, D: number) => TRUTH.E + TRUTH.A / N ** TRUTH.alpha + TRUTH.B / D ** TRUTH.beta;

/** Runs whose every checkpoint lies on the law, with seed noise of sd `sd(N)` in log loss, 20 checkpoints each. */
function runs(sd: (N: number) => number, seeds: number, seed = 0): CheckpointRow[] {
  const r = rng(seed);
  const rows: CheckpointRow[] = [];
  for (const N of [1e7, 3e7, 1e8, 3e8])
    for (const ratio of [10, 20, 40])
      for (let s = 0; s < (ratio === 10 ? seeds : 1); s++) {
        const offset = sd(N) * r.normal();
        for (let k = 1; k <= 20; k++) {
          const D = (ratio * N * k) / 20;
          rows.push({ run: `${N}-${ratio}-${s}`, N, D, loss: lossOf(N, D) * Math.exp(offset) });
        }
      }
  return rows;
}

describe('checkpointData', () => {
  it('keeps checkpoints past the fraction, weighs each run once, and 1 keeps the final checkpoint only', () => {
    const rows = runs(() => 0, 1);
    const d = checkpointData(rows, { seedWeights: false });
    expect(d.runs).toBe(12);
    expect(d.kept).toBe(12 * 19); // 20 checkpoints at 5%, 10%, ..., 100%: the first is below 10%
    const perRun = new Map<string, number>();
    d.groups.forEach((g, i) => perRun.set(g, (perRun.get(g) ?? 0) + d.weights[i]!));
    for (const w of perRun.values()) expect(w).toBeCloseTo(19, 9); // equal per run; mean weight 1 per row
    const finals = checkpointData(rows, { minFraction: 1 });
    expect(finals.kept).toBe(12);
    expect(finals.inputs.D).toEqual([...new Set(rows.map((r) => r.run))].map((run) => Math.max(...rows.filter((r) => r.run === run).map((r) => r.D))));
  });

  it('recovers how seed noise falls with size and weighs noisy small models down', () => {
    const d = checkpointData(
      runs((N) => 0.02 * (N / 1e7) ** -0.5, 4, 1),
      { seedWeights: true },
    );
    expect(d.seedNoise!.configurations).toBe(4);
    expect(d.seedNoise!.s).toBeCloseTo(-0.5, 0);
    const w = (N: number) => d.weights[d.inputs.N.indexOf(N)]!;
    expect(w(3e8) / w(1e7)).toBeGreaterThan(5);
    expect(
      checkpointData(
        runs(() => 0.01, 1),
        { seedWeights: true },
      ).seedNoise,
    ).toBeUndefined();
  });

  it('refuses bad rows and options, naming them', () => {
    expect(() => checkpointData([{ run: 'a', N: 1e7, D: 0, loss: 3 }])).toThrow('checkpoints: row 1, column D: must be positive and finite, got 0');
    expect(() =>
      checkpointData(
        runs(() => 0, 1),
        { minFraction: 2 },
      ),
    ).toThrow('minFraction: must be in [0, 1], got 2');
  });
});

describe('checkpointBacktest', () => {
  it('scores each variant on the held-out final losses of larger sizes; exact on a noise-free law', async () => {
    const b = await checkpointBacktest(
      runs(() => 0, 1),
      { fit: { threads: 1, starts: [TRUTH, { ...TRUTH, A: 200, alpha: 0.3 }] } },
    );
    expect(b.cuts.map((c) => c.trainSizes.length)).toEqual([2, 3]);
    expect(b.cuts.map((c) => c.heldOut)).toEqual([6, 3]);
    expect(b.heldOut).toBe(9);
    for (const v of b.variants) expect(b.meanRelativeError[v]).toBeLessThan(1e-4);
  });
});
