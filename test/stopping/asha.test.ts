import { describe, expect, it } from 'vitest';
import { readCurveSet } from '../../src/extrapolation/read-curve.js';
import { asha } from '../../src/stopping/asha.js';
import { decideRuns } from '../../src/stopping/decide-runs.js';
import { replay } from '../../src/stopping/replay.js';
import { referenceData } from '../reference-data.js';

// Real learning curves of Baker et al. 2017 (../shared/data/nas-curves, else the bundled copy; MIT).
const dir = referenceData('nas-curves');
const sets = [
  readCurveSet(`${dir}/metaqnn_cifar10.csv`, { prefix: 'acc_', goal: 'max', range: [0, 1], name: 'metaqnn_cifar10' }),
  readCurveSet(`${dir}/deep_resnets_cifar10.csv`, { prefix: 'acc_', goal: 'max', range: [0, 1], name: 'deep_resnets_cifar10' }),
  readCurveSet(`${dir}/lstm_ptb.csv`, { prefix: 'ep_', goal: 'min', range: [1, Infinity], name: 'lstm_ptb' }),
];

describe('ASHA on real learning curves', () => {
  it.each(sets)('$name: 27 runs seen at half their epochs, stops two thirds and keeps the eventual best', (set) => {
    // Half of 20, 50 or 60 epochs is no rung of grace-1 ASHA (1, 3, 9, 27), which therefore decided nothing.
    const study = set.curves.slice(0, 27);
    const seen = set.length / 2;
    const runs = study.map((c, i) => ({ id: String(i), steps: Array.from({ length: seen }, (_, j) => j + 1), values: Array.from(c.subarray(0, seen)) }));
    const finals = study.map((c) => c[set.length - 1]!);
    const best = finals.indexOf(set.goal === 'max' ? Math.max(...finals) : Math.min(...finals));
    const result = decideRuns(runs, asha(), { goal: set.goal, horizon: set.length });
    expect(result.decisions.filter((d) => d.stop)).toHaveLength(18); // all 27 at the same rung: the top 9 go on
    expect(result.decisions[best]!.stop).toBe(false);
    expect(result.decisions[best]!.reason).toMatch(/rung \d+, value/);
  });

  it('metaqnn: replayed at 10/20/40/80% of the epochs, saves half the epochs or more at almost no regret', () => {
    // 40 orderings of 20 runs (replay's defaults); checkpoints 2, 4, 8, 16 of 20 epochs. Grace 3: rungs 3 and 9.
    const set = sets[0]!;
    const r = replay(set.curves, asha(), { goal: set.goal, checkpoints: [2, 4, 8, 16], range: set.range });
    expect(r.speedup).toBeGreaterThan(2); // measured 2.21
    expect(r.regret).toBeLessThan(0.001); // measured 0.0003 of the span of final accuracies
    expect(r.sameBest).toBeGreaterThan(0.9); // measured 0.975
    // Grace 1 (every run cut on its first epoch) is faster but keeps the best less often.
    const eager = replay(set.curves, asha({ minPoints: 1 }), { goal: set.goal, checkpoints: [2, 4, 8, 16], range: set.range });
    expect(eager.speedup).toBeGreaterThan(r.speedup);
    expect(eager.sameBest).toBeLessThan(r.sameBest);
  });
});
