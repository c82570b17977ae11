import { describe, expect, it } from 'vitest';
import { stopRule } from '../../src/stopping/by-name.js';
import { shouldStop, stoppingStudy } from '../../src/stopping/live.js';
import { any } from '../../src/stopping/rule.js';
import { patience } from '../../src/stopping/rules.js';

// A finished run that reaches 0.9, and a run that stalls at 0.5.
const good = (t: number) => 0.9 - 0.6 * t ** -0.8;
const poor = (t: number) => 0.5 - 0.3 * t ** -1;

describe('live stopping', () => {
  it('stops a run that cannot beat the finished one, with the reason, and refuses reports after', () => {
    const study = stoppingStudy({ rule: stopRule('predictive', { extrapolate: { method: 'fast' } }), goal: 'max', horizon: 40, range: [0, 1] });
    const first = study.run('good');
    for (let t = 1; t <= 40; t++) {
      first.report(t, good(t));
      expect(shouldStop(first)).toBe(false);
    }
    expect(first.finished).toBe(true);
    expect(study.bestFinal()).toBeCloseTo(good(40), 12);
    const second = study.run('poor');
    let stoppedAt: number | undefined;
    for (let t = 1; t <= 40 && stoppedAt === undefined; t++) {
      second.report(t, poor(t));
      if (shouldStop(second)) stoppedAt = t;
    }
    expect(stoppedAt).toBeDefined();
    expect(stoppedAt!).toBeLessThan(10);
    expect(second.stopped).toBe(true);
    expect(second.decision!.reason).toMatch(/^predictive\(delta=0\.05\): P\(final better than 0\.8[0-9.]*\) = /);
    expect(() => second.report(40, 0.5)).toThrow('poor: report: the run has been stopped');
    expect(() => second.finish()).toThrow('poor: finish: the run was stopped early; it does not count as finished');
    // A stopped run does not count towards the bar.
    expect(study.bestFinal()).toBeCloseTo(good(40), 12);
  });

  it('composes rules, and never stops a run with nothing to compare with', () => {
    const study = stoppingStudy({ rule: any(stopRule('predictive', { extrapolate: { method: 'pfn' } }), patience({ patience: 3 })), goal: 'min', horizon: 100 });
    const run = study.run();
    expect(run.id).toBe('run 1');
    expect(shouldStop(run)).toBe(false);
    expect(run.decision!.reason).toBe('no report yet');
    const losses = [3, 2.5, 2.2, 2.1, 2.1, 2.1, 2.1];
    const said = losses.map((v, i) => {
      run.report(i + 1, v);
      return shouldStop(run);
    });
    // No run has finished, so predictive termination cannot stop it; patience does after 3 flat points.
    expect(said).toEqual([false, false, false, false, false, false, true]);
    expect(run.decision!.reason).toMatch(/^patience/);
  });

  it('takes a bar from earlier searches, and checks its input', () => {
    const study = stoppingStudy({ rule: stopRule('predictive', { extrapolate: { method: 'pfn' } }), goal: 'max', horizon: 50, range: [0, 1], bestFinal: 0.95 });
    const run = study.run('r');
    for (let t = 1; t <= 10; t++) run.report(t, poor(t));
    expect(shouldStop(run)).toBe(true);
    expect(() => run.report(11, 0.4)).toThrow('r: report: the run has been stopped');
    const other = study.run('s');
    other.report(2, 0.1);
    expect(() => other.report(2, 0.2)).toThrow('s: report: steps must increase, got 2 after 2');
    expect(() => other.report(3, NaN)).toThrow('s: report: value at step 3 is not a finite number: NaN');
    expect(() => stoppingStudy({ rule: patience(), goal: 'up' as never, horizon: 5 })).toThrow('goal: must be "min" or "max", got "up"');
    expect(() => stoppingStudy({ rule: patience(), goal: 'min', horizon: 0 })).toThrow('horizon: must be a positive number, got 0');
    expect(() => shouldStop({ id: 'x' } as never)).toThrow('shouldStop: not a run of a study (make it with stoppingStudy(...).run())');
  });
});
