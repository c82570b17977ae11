import { describe, expect, it } from 'vitest';
import { lcNasMetrics, runLcNas } from '../../src/reproductions/lc-nas.js';
import { referenceData } from '../reference-data.js';

const dir = referenceData('nas-curves');

describe('lc-nas reproduction (fixed subsets, short chains)', () => {
  it('every 20th curve: each ensemble and ensemble+learned figure next to its baseline, and the replay at the cutoffs', async () => {
    const report = await runLcNas({ dir, stride: 20, threads: 1, extrapolate: { steps: 40 }, perEpoch: false });
    const metrics = lcNasMetrics(report);
    const names = metrics.map((m) => m.metric);
    expect(names).toContain('lstm_ptb 40% MAE (baseline: last value)');
    expect(names).toContain('metaqnn_cifar10 20% 90% coverage, conformal (target 0.9)');
    expect(names).toContain('lstm_ptb 10% ensemble+learned MAE (baseline: pow3 fit)');
    expect(names).toContain('deep_resnets_cifar10 80% ensemble+learned 90% coverage (target 0.9)');
    expect(names).toContain('deep_resnets_cifar10 predictive termination (ensemble), at the cutoffs, speed-up (bar 2x)');
    expect(names).toContain('lstm_ptb predictive termination (ensemble+learned), at the cutoffs, regret / span (bar 0.005)');
    for (const m of metrics) expect(Number.isFinite(m.ours), m.metric).toBe(true);
    const speedup = metrics.find((m) => m.metric === 'lstm_ptb predictive termination (ensemble), at the cutoffs, speed-up (bar 2x)')!;
    expect(speedup.ours).toBeGreaterThanOrEqual(1);
    // Even on 50 MetaQNN curves the correction learned from the other folds beats the last value at 20%.
    const m = metrics.find((x) => x.metric === 'metaqnn_cifar10 20% ensemble+learned MAE (baseline: last value)')!;
    expect(m.ours).toBeLessThan(m.published);
  }, 180_000);

  it('every 100th curve: the replay with a decision every epoch (fast extrapolator)', async () => {
    const report = await runLcNas({ dir, stride: 100, threads: 1, predictors: ['fast', 'pow3', 'last'] });
    const names = lcNasMetrics(report).map((m) => m.metric);
    expect(names).toContain('metaqnn_cifar10 predictive termination (fast), every epoch, speed-up (bar 2x)');
    expect(names).toContain('lstm_ptb predictive termination (fast), every epoch, regret / span (bar 0.005)');
    // Three and five LSTM / ResNet curves are too few to cross-fit a correction.
    expect(names.some((n) => n.includes('+learned'))).toBe(false);
    expect(report.stopping.filter((s) => s.decisions === 'every epoch').map((s) => s.result.budget)).toEqual([10, 5, 3]);
  }, 60_000);

  it('every 50th curve: the PFN beside the baselines, raw, and its replay every epoch without widening', async () => {
    const report = await runLcNas({ dir, stride: 50, threads: 1, predictors: ['pfn', 'pow3', 'last'], learned: false });
    const metrics = lcNasMetrics(report);
    const names = metrics.map((m) => m.metric);
    expect(names).toContain('metaqnn_cifar10 20% pfn MAE (baseline: last value)');
    expect(names).toContain('lstm_ptb 80% pfn MAE (baseline: pow3 fit)');
    expect(names).toContain('deep_resnets_cifar10 40% pfn raw 90% coverage (bar [0.85, 0.95])');
    expect(names).toContain('metaqnn_cifar10 predictive termination (pfn (raw)), every epoch, speed-up (bar 2x)');
    for (const m of metrics) expect(Number.isFinite(m.ours), m.metric).toBe(true);
    // The raw rows are the network's own quantiles: no conformal factor enters them.
    const raw = report.scores.find((s) => s.predictor === 'pfn' && s.file === 'lstm_ptb' && s.fraction === 0.4)!;
    const file = report.files.find((f) => f.name === 'lstm_ptb')!;
    const c = file.cutoffs.indexOf(raw.points);
    const cover = file.preds.pfn![c]!.filter((p, i) => file.truths[i]! >= p.quantiles[4]! && file.truths[i]! <= p.quantiles[94]!).length / file.curves.length;
    expect(raw.coverage90).toBeCloseTo(cover, 12);
  }, 120_000);
});
