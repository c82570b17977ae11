import { describe, expect, it } from 'vitest';
import { decideRuns, runDecisionsReport } from '../../src/stopping/decide-runs.js';
import type { StopRule } from '../../src/stopping/rule.js';

// A rule that stops a run whose last value is worse than the bar, and records what it saw.
const seen: { id: unknown; peers: number; bestFinal: number | undefined; horizon: number }[] = [];
const worseThanBar: StopRule = {
  name: 'worse-than-bar',
  decide(view) {
    seen.push({ id: view.id, peers: view.peers!.length, bestFinal: view.bestFinal, horizon: view.horizon });
    const last = view.values[view.values.length - 1]!;
    return view.bestFinal !== undefined && last > view.bestFinal ? { stop: true, reason: `${last} > ${view.bestFinal}` } : { stop: false, reason: 'keep' };
  },
};

describe('decideRuns', () => {
  it('holds unfinished runs to the best finished one, with the others as peers', () => {
    const runs = [
      { id: 'done-a', steps: [1, 2, 3], values: [3, 2.5, 2.2] },
      { id: 'done-b', steps: [1, 2, 3], values: [3, 2.4, 2.1] },
      { id: 'slow', steps: [1, 2], values: [3.5, 3] },
      { id: 'fast', steps: [1, 2], values: [2.5, 2] },
    ];
    seen.length = 0;
    const r = decideRuns(runs, worseThanBar, { goal: 'min' });
    expect(r).toEqual({
      rule: 'worse-than-bar',
      horizon: 3,
      bestFinal: 2.1,
      decisions: [
        { id: 'done-a', stop: false, reason: 'finished' },
        { id: 'done-b', stop: false, reason: 'finished' },
        { id: 'slow', stop: true, reason: '3 > 2.1' },
        { id: 'fast', stop: false, reason: 'keep' },
      ],
    });
    expect(seen).toEqual([
      { id: 'slow', peers: 3, bestFinal: 2.1, horizon: 3 },
      { id: 'fast', peers: 3, bestFinal: 2.1, horizon: 3 },
    ]);
    expect(runDecisionsReport(r)).toBe(
      [
        'rule worse-than-bar, horizon 3, best finished 2.1',
        'run     decision       why',
        '------  --------  --------',
        'done-a  continue  finished',
        'done-b  continue  finished',
        'slow        STOP   3 > 2.1',
        'fast    continue      keep',
      ].join('\n'),
    );
    // A later horizon: nobody has finished, so there is no bar yet.
    expect(runDecisionsReport(decideRuns(runs.slice(2), worseThanBar, { goal: 'min', horizon: 10 })).split('\n')[0]).toBe('rule worse-than-bar, horizon 10, best finished (none yet)');
  });
});
