import { describe, expect, it } from 'vitest';
import { fitParameterScaling } from '../../src/plan/infinite-compute.js';
import { getReproduction } from '../../src/reproductions/index.js';
import { KIM_BUDGET, KIM_JOINT_ASYMPTOTE, kimAsymptotes } from '../../src/reproductions/kim-infinite-compute.js';

// scipy.optimize.curve_fit with the authors' p0 and bounds on the same file (bench/kim-reference.py, N in billions).
const SCIPY: Record<number, { A: number; alpha: number; E: number }> = {
  209715200: { A: 0.01581769, alpha: 1.59394365, E: 3.1689936 },
  419430400: { A: 0.0362182, alpha: 1.29145861, E: 2.98000921 },
  838860800: { A: 0.08970164, alpha: 0.97728525, E: 2.78931314 },
  1677721600: { A: 0.11861951, alpha: 0.89306457, E: 2.65679696 },
};

describe('reproduce kim-infinite-compute (Kim et al. 2025)', () => {
  it("gives the joint N, K -> infinity asymptote at 200M tokens within the paper's two decimals", async () => {
    const warnings: string[] = [];
    const metrics = await getReproduction('kim-infinite-compute').run({ onWarning: (w) => warnings.push(w) });
    expect(metrics).toHaveLength(1);
    const m = metrics[0]!;
    expect(m.published).toBe(3.17);
    expect(Math.abs(m.ours - KIM_JOINT_ASYMPTOTE.value)).toBeLessThan(KIM_JOINT_ASYMPTOTE.tolerance);
    expect(m.note).toMatch(/90% residual-bootstrap interval 3\.\d+ to 3\.\d+/);
    expect(warnings.join('\n')).toContain('1 degree of freedom');
  }, 60_000);

  it("matches scipy's curve_fit, the authors' optimiser, at every token budget", async () => {
    for (const [U, ref] of Object.entries(SCIPY)) {
      const fit = await fitParameterScaling(await kimAsymptotes(Number(U)), { resamples: 0 });
      expect(Math.abs(fit.E / ref.E - 1), `E at U = ${U}`).toBeLessThan(1e-6);
      expect(Math.abs(fit.alpha / ref.alpha - 1), `alpha at U = ${U}`).toBeLessThan(1e-5);
      // A in the authors' units (N in billions).
      expect(Math.abs((fit.A * 1e9 ** -fit.alpha) / ref.A - 1), `A at U = ${U}`).toBeLessThan(1e-5);
    }
    expect(await kimAsymptotes(KIM_BUDGET)).toHaveLength(4);
  }, 60_000);
});
