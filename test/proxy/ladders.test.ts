import { describe, expect, it } from 'vitest';
import { ladderNames, modelLadder } from '../../src/proxy/ladders.js';
import { parameterCount, resolveModel, trainingFlopsPerToken, trainingFlopsPerTokenNonEmbedding } from '../../src/proxy/model-config.js';

const gpt2 = { kind: 'tokens' as const, vocab: 50304 };

describe('modelLadder', () => {
  it('builds valid transformers, smallest first, for every ladder', () => {
    for (const name of ladderNames) {
      const ladder = modelLadder(name, { context: 128 });
      const sizes = ladder.map((m) => parameterCount(resolveModel(m), gpt2).nonEmbedding);
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
      for (const m of ladder) expect(m.width % m.heads!).toBe(0);
    }
  });

  it("matches Pythia's published non-embedding counts to 0.5% (ours have no attention biases)", () => {
    // Biderman et al. 2023, Table 1: 14M ... 1B.
    const published = [1_189_888, 4_739_072, 18_915_328, 85_056_000, 302_311_424, 805_736_448];
    const ours = modelLadder('pythia', { context: 2048 }).map((m) => parameterCount(m, gpt2).nonEmbedding);
    published.forEach((n, i) => expect(Math.abs(ours[i]! / n - 1)).toBeLessThan(0.005));
  });

  it('spans 1M-60M non-embedding parameters for the Su et al. range', () => {
    const sizes = modelLadder('su-1m-60m', { context: 512 }).map((m) => parameterCount(m, gpt2).nonEmbedding);
    expect(sizes[0]).toBeGreaterThan(1e6);
    expect(sizes.at(-1)).toBeLessThan(6e7);
    for (const m of modelLadder('su-1m-60m', { context: 512 })) expect(m.width / m.depth).toBe(64);
  });

  it('sets muP with the smallest width as base, and counts FLOPs with and without the readout', () => {
    const ladder = modelLadder('tiny', { context: 64, parameterization: 'mup' });
    expect(ladder.every((m) => m.parameterization === 'mup' && m.baseWidth === 32)).toBe(true);
    const m = ladder[2]!;
    const data = { kind: 'tokens' as const, vocab: 256 };
    const n = parameterCount(m, data).nonEmbedding;
    const attention = 6 * m.depth * m.context * m.width;
    expect(trainingFlopsPerTokenNonEmbedding(m, data)).toBe(6 * n + attention);
    expect(trainingFlopsPerToken(m, data)).toBe(6 * (n + m.width * 256) + attention);
    expect(() => modelLadder('gpt5' as never, { context: 8 })).toThrow('ladder: unknown ladder "gpt5"');
  });
});
