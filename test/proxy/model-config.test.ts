import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/proxy/backend.js';
import { createModel } from '../../src/proxy/model.js';
import { parameterCount, parameterShapes, resolveModel, trainingFlopsPerToken } from '../../src/proxy/model-config.js';

describe('model sizes', () => {
  it('counts exactly the parameters of the tensors the transformer creates', async () => {
    await useBackend('wasm');
    for (const config of [
      { family: 'transformer' as const, width: 16, depth: 2, heads: 4, context: 8 },
      { family: 'transformer' as const, width: 24, depth: 3, heads: 3, context: 12, qkNorm: true, mlpRatio: 2, parameterization: 'mup' as const },
    ]) {
      const model = createModel(config, { kind: 'tokens', vocab: 11 }, 0);
      const actual = model.variables.reduce((a, v) => a + v.size, 0);
      const embedding = model.variables.filter((_, i) => ['embed', 'pos', 'unembed'].includes(model.names[i]!)).reduce((a, v) => a + v.size, 0);
      expect(parameterCount(config, { kind: 'tokens', vocab: 11 })).toEqual({ total: actual, embedding, nonEmbedding: actual - embedding });
      model.dispose();
    }
  });

  it('counts exactly the parameters of the MLP', async () => {
    await useBackend('wasm');
    const config = { family: 'mlp' as const, width: 10, depth: 3 };
    const model = createModel(config, { kind: 'regression', inputDim: 7, outputDim: 1 }, 0);
    const actual = model.variables.reduce((a, v) => a + v.size, 0);
    // 7*10 + 10, 10*10 + 10 twice, 10*1 + 1
    expect(actual).toBe(80 + 110 + 110 + 11);
    expect(parameterCount(config, { kind: 'regression', inputDim: 7, outputDim: 1 }).total).toBe(actual);
    model.dispose();
  });

  it("matches Kaplan's 12 n_layer d^2 plus biases and norms, and the FLOPs formula", () => {
    const config = { family: 'transformer' as const, width: 128, depth: 4, heads: 4, context: 128 };
    const d = 128,
      L = 4,
      V = 256,
      T = 128;
    // per block: 12 d^2 weights, LayerNorm gains and biases 2 x 2d, MLP biases 4d + d
    const nonEmbedding = L * (12 * d * d + 4 * d + 5 * d) + 2 * d;
    const count = parameterCount(config, { kind: 'tokens', vocab: V });
    expect(count.nonEmbedding).toBe(nonEmbedding);
    expect(count.embedding).toBe(V * d + T * d + d * V);
    // Kaplan et al. 2020, Table 1: C_forward = 2N + 2 n_layer n_ctx d + 2 d n_vocab; training = 3x
    expect(trainingFlopsPerToken(config, { kind: 'tokens', vocab: V })).toBe(6 * nonEmbedding + 6 * L * T * d + 6 * d * V);
  });

  it('lists the qk-norm tensors only when asked', () => {
    const names = (qkNorm: boolean) => parameterShapes({ family: 'transformer', width: 8, depth: 1, heads: 2, context: 4, qkNorm }, { kind: 'tokens', vocab: 5 }).map(([n]) => n);
    expect(names(true).filter((n) => n.includes('qn') || n.includes('kn'))).toEqual(['b0.qn.g', 'b0.qn.b', 'b0.kn.g', 'b0.kn.b']);
    expect(names(false).some((n) => n.includes('qn'))).toBe(false);
  });

  it('rejects bad model configs with the field and value', () => {
    expect(() => resolveModel({ family: 'rnn', width: 8, depth: 1 })).toThrow('model.family: unknown model family "rnn"; expected one of transformer, mlp');
    expect(() => resolveModel({ family: 'transformer', width: 8, depth: 1, context: 4, heads: 3 })).toThrow('model.heads: 3 does not divide width 8');
    expect(() => resolveModel({ family: 'transformer', width: 0, depth: 1, context: 4 })).toThrow('model.width: expected a positive integer, got 0');
  });
});
