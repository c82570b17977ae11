import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lcNasMetrics, runLcNas } from '../../src/curves/lc-nas.js';

const dir = fileURLToPath(new URL('../../../shared/data/nas-curves', import.meta.url));

describe('lc-nas reproduction (every 100th curve, short chains)', () => {
  it('reports each ensemble figure next to its baseline, and the stopping replay', async () => {
    const report = await runLcNas({ dir, stride: 100, threads: 1, predictors: ['ensemble', 'pow3', 'last'], extrapolate: { steps: 40 } });
    const metrics = lcNasMetrics(report);
    const names = metrics.map((m) => m.metric);
    expect(names).toContain('lstm_ptb 40% MAE (baseline: last value)');
    expect(names).toContain('metaqnn_cifar10 20% 90% coverage, conformal (target 0.9)');
    expect(names).toContain('deep_resnets_cifar10 predictive termination speed-up (bar 2x)');
    for (const m of metrics) expect(Number.isFinite(m.ours), m.metric).toBe(true);
    const speedup = metrics.find((m) => m.metric === 'lstm_ptb predictive termination speed-up (bar 2x)')!;
    expect(speedup.ours).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
