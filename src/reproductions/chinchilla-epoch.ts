// `scalelaw reproduce chinchilla-epoch`. Heavy modules load only when it runs.
import type { ReproducedMetric, Reproduction } from './reproduction.js';

export const chinchillaEpochReproduction: Reproduction = {
  id: 'chinchilla-epoch',
  description: 'Besiroglu et al. 2024: Chinchilla Approach 3 on the 240 Epoch points (4,500-start grid, Huber 1e-3 in log space), bootstrap standard errors (1,000 resamples)',
  async run(options = {}) {
    const { seed = 0, onProgress, onWarning } = options;
    const { loadEpochPoints } = await import('./chinchilla-epoch-data.js');
    const { fitLaw } = await import('../fit/fit.js');
    const { bootstrap } = await import('../fit/bootstrap.js');
    const { chinchillaOptimal } = await import('../plan/optimal.js');
    const table = loadEpochPoints();
    onProgress?.(`fitting ${table.length} points from 4,500 starts`);
    const fit = await fitLaw('chinchilla', table);
    for (const w of fit.warnings ?? []) onWarning?.(`chinchilla fit: ${w.message}`);
    onProgress?.('bootstrap: 1,000 resamples');
    const withErrors = await bootstrap(fit, table, { resamples: 1000, seed });
    const v = withErrors.values;
    const se = Object.fromEntries(withErrors.params.map((p) => [p.name, p.stderr!]));
    const a = v.beta! / (v.alpha! + v.beta!);
    const best = chinchillaOptimal(v as never, 5.76e23);
    const metrics: ReproducedMetric[] = [
      { metric: 'A', published: 477.8, ours: v.A!, note: 'grid fit' },
      { metric: 'B', published: 2143.9, ours: v.B!, note: 'grid fit' },
      { metric: 'E', published: 1.8172, ours: v.E!, note: 'grid fit' },
      { metric: 'alpha', published: 0.3473, ours: v.alpha!, note: 'grid fit' },
      { metric: 'beta', published: 0.3672, ours: v.beta!, note: 'grid fit' },
      { metric: 'a = beta/(alpha+beta)', published: 0.513, ours: a },
      { metric: 'SE(E)', published: 0.026, ours: se.E!, note: 'Epoch: 4,000 resamples' },
      { metric: 'SE(alpha)', published: 0.015, ours: se.alpha! },
      { metric: 'SE(beta)', published: 0.021, ours: se.beta! },
      { metric: 'N_opt(5.76e23)', published: 7.23e10, ours: best.N, note: "published from Epoch's headline fit" },
      { metric: 'D_opt(5.76e23)', published: 1.33e12, ours: best.D },
    ];
    return metrics;
  },
};
