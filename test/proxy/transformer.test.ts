// The token loss of src/proxy/transformer.ts: cross-entropy, z-loss (Chowdhery et al. 2022; Wortsman et al. 2023) and the forward statistics.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '../../src/proxy/backend.js';
import type { ForwardStats } from '../../src/proxy/model-types.js';
import { tokenLoss } from '../../src/proxy/transformer.js';

beforeAll(async () => {
  await useBackend('cpu');
});

// Two sequences of two positions over a vocabulary of 3; position 0 is not scored (lossStart 1).
const z = [
  [2, -1, 0.5],
  [-3, -4, -2],
  [0, 0, 0],
  [1.5, 7, -2],
];
const target = [0, 2, 1, 1];
const lse = (row: number[]) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
const scored = [1, 3];
const ce = scored.reduce((a, i) => a + lse(z[i]!) - z[i]![target[i]!]!, 0) / 2;
const meanLogZ = scored.reduce((a, i) => a + lse(z[i]!), 0) / 2;
const meanLogZ2 = scored.reduce((a, i) => a + lse(z[i]!) ** 2, 0) / 2;

function loss(zLoss: number, stats?: ForwardStats) {
  return tokenLoss(tf.tensor2d(z), tf.tensor1d(target, 'int32'), 2, 2, 3, { zLoss, lossStart: 1, stats });
}

describe('tokenLoss', () => {
  it('adds z * mean(log^2 Z) over the scored positions to the cross-entropy, and reports the task loss and mean log Z apart', () => {
    const stats: ForwardStats = {};
    const value = loss(1e-2, stats).dataSync()[0]!;
    expect(value).toBeCloseTo(ce + 1e-2 * meanLogZ2, 5);
    expect(stats.taskLoss!.dataSync()[0]!).toBeCloseTo(ce, 5);
    expect(stats.outputLogZ!.dataSync()[0]!).toBeCloseTo(meanLogZ, 5);
    expect(loss(0).dataSync()[0]!).toBeCloseTo(ce, 5);
  });

  it('has the gradient 2 z log Z softmax / count from the z-loss, on top of the cross-entropy’s', () => {
    const grad = (zl: number) =>
      tf
        .grad((x: tf.Tensor) => tokenLoss(x, tf.tensor1d(target, 'int32'), 2, 2, 3, { zLoss: zl, lossStart: 1, stats: undefined }))(tf.tensor2d(z))
        .arraySync() as number[][];
    const diff = grad(0.1).map((row, i) => row.map((v, j) => v - grad(0)[i]![j]!));
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 3; j++) {
        const expected = scored.includes(i) ? (2 * 0.1 * lse(z[i]!) * Math.exp(z[i]![j]! - lse(z[i]!))) / 2 : 0;
        expect(diff[i]![j]!).toBeCloseTo(expected, 5);
      }
  });
});
