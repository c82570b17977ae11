import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataDir, runBar } from '../../bench/lr-scheduling-124m.js';

// The schedule-decision bar on Schaipp, Hägele et al. 2025's 124M runs (../shared/data, not
// bundled): the multi-power law fitted on the constant and cosine runs only predicts the final loss
// of the 27 cooldown runs within 0.3% on average and 1% at worst, and recommends a cooldown
// fraction within one grid step of the measured best at 3 of the 4 lengths (an unidentified one
// counts as a miss). With the default fit: the law's gamma is bounded to [0, 1] for a reason given
// in its TSDoc; with the old bound (5) the fit went to a degenerate corner and missed the bar (0.85% /
// 2.3%, 0 of 4: see bench/lr-scheduling-124m.ts). This set is a development set, so the test guards
// the measured figures; it is not evidence that the default generalises.
describe('schedule choice on lr-scheduling-124m', () => {
  it.skipIf(!existsSync(dataDir))(
    'meets the bar with the default multi-power fit',
    () => {
      // A small bootstrap over points, so that a recommendation the curves do not identify is a miss.
      const r = runBar('mpl', { resamples: 6 });
      expect(r.fit.converged).toBe(true);
      expect(r.finals.length).toBe(27);
      expect(r.meanError).toBeLessThan(0.003);
      expect(r.worstError).toBeLessThan(0.01);
      // The offset of the large final evaluation, from the training runs alone, is the README's 0.03-0.04.
      expect(r.offset).toBeGreaterThan(0.02);
      expect(r.offset).toBeLessThan(0.045);
      for (const b of r.best) expect(b.identified).toBeDefined();
      expect(r.best.filter((b) => b.hit).length).toBeGreaterThanOrEqual(3);
      // The old recommendation (0.2-0.25) was wrong: the measured best is 0.4-0.6 at every length.
      for (const b of r.best) expect(b.recommended).toBeGreaterThanOrEqual(0.3);
    },
    600_000,
  );
});
