// `scalelaw reproduce kim-infinite-compute`. Heavy modules load only when it runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReproducedMetric, Reproduction } from './reproduction.js';

/** The bundled K -> infinity asymptotes of Kim et al. 2025 (data/kim2025/ensemble-asymptotes.csv, Apache-2.0; see data/README.md). */
export function kimAsymptotesPath(): string {
  let dir = new URL('.', import.meta.url);
  for (let k = 0; k < 5; k++) {
    const candidate = new URL('data/kim2025/ensemble-asymptotes.csv', dir);
    if (existsSync(fileURLToPath(candidate))) return fileURLToPath(candidate);
    dir = new URL('..', dir);
  }
  return fileURLToPath(new URL('../../data/kim2025/ensemble-asymptotes.csv', import.meta.url));
}

/** The seed-token budget of the paper's headline figures: 800 steps of 64 x 4096 tokens. */
export const KIM_BUDGET = 209715200;

/**
 * The joint-scaling asymptote (N, K -> infinity) at 200M tokens, as the paper prints it (figure 6
 * right, section 4.3; `infinite_compute_asymptote = 3.17` in the authors' plotting code), with the
 * tolerance its two decimals allow: half a unit of the last, 0.005.
 */
export const KIM_JOINT_ASYMPTOTE = { value: 3.17, tolerance: 0.005 } as const;

/** The asymptotes of one token budget, as points for `fitParameterScaling`. */
export async function kimAsymptotes(U: number): Promise<{ N: number; loss: number }[]> {
  const { readObservations } = await import('../io/read-observations.js');
  const table = readObservations(kimAsymptotesPath(), { source: 'kim2025/ensemble-asymptotes.csv', derive: false });
  const us = table.extra.U as number[];
  return Array.from(table.loss, (loss, i) => ({ N: table.N![i]!, loss, U: us[i]! }))
    .filter((p) => p.U === U)
    .map(({ N, loss }) => ({ N, loss }));
}

export const kimInfiniteComputeReproduction: Reproduction = {
  id: 'kim-infinite-compute',
  description: "Kim et al. 2025: the asymptote of the ensembles' K -> infinity asymptotes in N at 200M tokens (joint scaling, 3.17), least squares as the authors fit it, on their released asymptotes",
  async run(options = {}) {
    const { seed = 0, onProgress, onWarning } = options;
    const { fitParameterScaling } = await import('../plan/infinite-compute.js');
    onProgress?.("fitting L(N) = E + A / N^alpha to the 4 member sizes' K -> infinity asymptotes at 209.7M tokens (least squares, as scipy curve_fit)");
    const fit = await fitParameterScaling(await kimAsymptotes(KIM_BUDGET), { seed, resamples: 200, source: 'kim2025/ensemble-asymptotes.csv' });
    for (const w of fit.warnings) onWarning?.(w);
    const i = fit.asymptote.interval;
    const metrics: ReproducedMetric[] = [
      {
        metric: 'joint asymptote (N, K -> infinity) at 200M tokens',
        published: KIM_JOINT_ASYMPTOTE.value,
        ours: fit.E,
        note: `figure 6 right; tolerance 0.005 (two decimals)${i ? `; 90% residual-bootstrap interval ${i[0].toFixed(3)} to ${i[1].toFixed(3)} (1 degree of freedom: rough)` : ''}`,
      },
    ];
    return metrics;
  },
};
