// The batch analyses' text reports, on hand-made results (the CLI prints these after its header line).
import { describe, expect, it } from 'vitest';
import { criticalBatchReport, type CriticalBatchAnalysis } from '../../src/batch/critical-batch.js';
import { gnsSeriesReport, type GnsSeries } from '../../src/batch/gns.js';

describe('batch reports', () => {
  it('criticalBatchReport: a section per target, then the runs left out', () => {
    const analysis = {
      referenceBatch: 256,
      overhead: 0.2,
      targets: [
        {
          target: 4,
          Smin: 150,
          Emin: 15000,
          Bcrit: 100,
          zhang: 327.2,
          fit: { converged: false },
          points: [
            { batchSize: 16, steps: 1088, runId: 'b16', runs: 1 },
            { batchSize: 512, steps: 179.3, runId: 'b512', runs: 1 },
          ],
        },
      ],
      unreached: [{ runId: 'bX', batchSize: 1024, target: 4, bestLoss: 9.5 }],
    } as unknown as CriticalBatchAnalysis;
    expect(criticalBatchReport(analysis, { metric: 'trainLoss' })).toBe(
      [
        'target trainLoss 4:',
        'batch  steps  examples   run',
        '-----  -----  --------  ----',
        '16      1088     17408   b16', // 16 x 1088 = 17408: whole numbers print whole
        '512    179.3     91800  b512',
        'S(B) = S_min + E_min / B: S_min 150, E_min 15000 (fit NOT converged)',
        'B_crit = E_min / S_min = 100 (McCandlish et al. 2018)',
        'CBS at 20% step overhead over linear scaling from B0 = 256: 327.2 (Zhang et al. 2024)',
        '',
        'left out (target not reached):',
        '  run "bX" (batch 1024): target 4, best trainLoss 9.5',
      ].join('\n'),
    );
  });

  it('gnsSeriesReport: smoothed and overall B_simple, and every k-th value', () => {
    const series = {
      step: Float64Array.of(1, 2, 4),
      bSimple: Float64Array.of(250, 251.9, 249.4),
      final: { bSimple: 249.4, G2: 4.005, trSigma: 998.6 },
      overall: { bSimple: 249.4 },
    } as unknown as GnsSeries;
    expect(gnsSeriesReport(series, { beta: 0.99 })).toBe('B_simple (moving averages, beta 0.99): 249.4  |G|^2 4.005  tr(Sigma) 998.6\nB_simple (all rows, ratio of means):    249.4');
    expect(gnsSeriesReport(series, { beta: 0.9, every: 2 }).split('\n').slice(2)).toEqual(['', 'step  B_simple', '----  --------', '2        251.9']);
  });
});
