// `scalelaw reproduce muennighoff-data-constrained`. Heavy modules load only when it runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReproducedMetric, Reproduction } from './reproduction.js';

/** The bundled runs of Muennighoff et al. 2023 (data/muennighoff2023/runs.csv, Apache-2.0; see data/README.md). */
export function muennighoffRunsPath(): string {
  let dir = new URL('.', import.meta.url);
  for (let k = 0; k < 5; k++) {
    const candidate = new URL('data/muennighoff2023/runs.csv', dir);
    if (existsSync(fileURLToPath(candidate))) return fileURLToPath(candidate);
    dir = new URL('..', dir);
  }
  return fileURLToPath(new URL('../../data/muennighoff2023/runs.csv', import.meta.url));
}

/**
 * The C4 Chinchilla constants the authors hold fixed while fitting R_D* and R_N* (their fit of the
 * Chinchilla C4 IsoFLOP points with alpha = beta; huggingface/datablations README, "Parametric
 * Fit": a, b, e, alpha, beta = 6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, in log space).
 */
export const MUENNIGHOFF_C4 = { A: Math.exp(6.255414), B: Math.exp(7.3049974), E: Math.exp(0.6254804), alpha: 0.3526596, beta: 0.3526596 } as const;

/** Their released fit (README and utils/parametric_fit.ipynb, cell "FIT OUR DOTS"): R_D*, R_N*. */
export const MUENNIGHOFF_RELEASED = { RD: 15.387756, RN: 5.309743 } as const;

/**
 * Tolerances, from the precision of what is published. The notebook prints the objective at the
 * released fit from float32 arithmetic (about 7 significant digits): 1e-6 relative. The README
 * prints two losses at the released constants to 16 digits from float64, as ours are: 1e-9. Its
 * allocation is a grid search over 500 ratios in steps of 0.4% of N: 1%. The paper rounds R_D* and
 * R_N* to one decimal (15.4, 5.3), half a unit of which is 0.05; but the released fit is not a
 * minimum of its own objective (ours, from the same starts, is lower), so our fitted constants are
 * compared through their bootstrap interval, which must contain the published ones.
 */
export const MUENNIGHOFF_TOLERANCE = { objective: 1e-6, loss: 1e-9, allocation: 0.01, decayConstant: 0.05 } as const;

/**
 * The authors' starting grid for R_D* and R_N*: `np.linspace(0, 20, 4)` each, of which 0 gives a
 * NaN objective (division by zero) and drops out, leaving 20/3, 40/3 and 20 (utils/parametric_fit.ipynb).
 */
export const MUENNIGHOFF_STARTS: readonly number[] = [20 / 3, 40 / 3, 20];

const WIDE_STARTS = [1, 3, 10, 30, 100, 300];

/** The notebook's printed objective at the released fit (utils/parametric_fit.ipynb, "Min Loss"). */
export const MUENNIGHOFF_OBJECTIVE = 0.015825936570763588;

/** Huber(1e-3) on the log residual of one row, as the authors' objective. */
function huberLog(predicted: number, observed: number): number {
  const r = Math.abs(Math.log(predicted) - Math.log(observed));
  return r <= 1e-3 ? 0.5 * r * r : 1e-3 * (r - 0.5e-3);
}

export const muennighoffReproduction: Reproduction = {
  id: 'muennighoff-data-constrained',
  description:
    'Muennighoff et al. 2023: the data-constrained law on their 182 C4 runs (Huber 1e-3 on log loss, C4 Chinchilla constants fixed): objective, losses and 25B-token allocation at the released fit; our R_D*, R_N* with bootstrap intervals',
  async run(options = {}) {
    const { seed = 0, onProgress, onWarning } = options;
    const { readObservations } = await import('../io/read-observations.js');
    const { fitLaw } = await import('../fit/fit.js');
    const { bootstrap } = await import('../fit/bootstrap.js');
    const { dataConstrainedLoss } = await import('../laws/data-constrained.js');
    const { dataConstrainedOptimum } = await import('../plan/data-constrained.js');
    const table = readObservations(muennighoffRunsPath(), { source: 'muennighoff2023/runs.csv' });
    onProgress?.(`fitting R_D* and R_N* on ${table.length} runs from the authors' 9 starts, the C4 Chinchilla constants fixed`);
    const fit = await fitLaw('data-constrained', table, { fixed: { ...MUENNIGHOFF_C4 }, grid: { RD: MUENNIGHOFF_STARTS, RN: MUENNIGHOFF_STARTS }, threads: 1 });
    for (const w of fit.warnings ?? []) onWarning?.(`data-constrained fit: ${w.message}`);
    // The objective is nearly flat in R_D* and R_N*: say so when a wider search finds a lower minimum.
    const wide = await fitLaw('data-constrained', table, { fixed: { ...MUENNIGHOFF_C4 }, grid: { RD: WIDE_STARTS, RN: WIDE_STARTS }, threads: 1 });
    const [own, wider] = [fit.objective.value!, wide.objective.value!];
    if (wider < own * (1 - 1e-6)) {
      onWarning?.(
        `data-constrained fit: a wider grid (R_D*, R_N* in ${WIDE_STARTS.join(', ')}) finds a lower objective, ${wider.toPrecision(6)} against ${own.toPrecision(6)} (${(((own - wider) / own) * 100).toFixed(2)}% lower), at R_D* = ${wide.values.RD!.toPrecision(4)}, R_N* = ${wide.values.RN!.toPrecision(4)}: these runs identify the decay constants weakly`,
      );
    }
    onProgress?.('bootstrap: 200 resamples of the 182 runs');
    const withErrors = await bootstrap(fit, table, { resamples: 200, seed, level: 0.9, threads: 1 });
    const interval = (name: string) => withErrors.params.find((q) => q.name === name)!.interval!;
    const ours = { ...MUENNIGHOFF_C4, RD: fit.values.RD!, RN: fit.values.RN! };
    const released = { ...MUENNIGHOFF_C4, ...MUENNIGHOFF_RELEASED };
    const objectiveAt = (values: typeof released) => {
      let sum = 0;
      for (let i = 0; i < table.length; i++) sum += huberLog(dataConstrainedLoss(values, table.N![i]!, table.D![i]!, (table.extra.U as number[])[i]!), table.loss[i]!);
      return sum;
    };
    const best = dataConstrainedOptimum(released, 1e22, 25e9);
    const [rd, rn] = [interval('RD'), interval('RN')];
    const metrics: ReproducedMetric[] = [
      {
        metric: 'objective at the released R_D*, R_N*',
        published: MUENNIGHOFF_OBJECTIVE,
        ours: objectiveAt(released),
        note: 'same 182 runs, same law and Huber(1e-3) on log loss; tolerance 1e-6 relative (float32)',
      },
      { metric: 'L(6.34e9, 242e9, U = 25e9)', published: 2.2256440889984477, ours: dataConstrainedLoss(released, 6.34e9, 242e9, 25e9), note: 'README, released constants; tolerance 1e-9 relative' },
      { metric: 'L(8.67e9, 178e9, U = 25e9)', published: 2.2269634075087867, ours: dataConstrainedLoss(released, 8.67e9, 178e9, 25e9), note: 'README, released constants; tolerance 1e-9 relative' },
      { metric: 'N_opt(1e22 FLOPs, U = 25e9)', published: 7022364735.879969, ours: best.N, note: "README's grid search, released constants; tolerance 1%" },
      { metric: 'D_opt(1e22 FLOPs, U = 25e9)', published: 237336955477.55075, ours: best.D, note: 'tolerance 1%' },
      { metric: 'epochs at the optimum', published: 9.49347821910203, ours: best.epochs, note: 'tolerance 1%' },
      {
        metric: 'R_D* (our fit)',
        published: 15.4,
        ours: ours.RD,
        note: `90% bootstrap interval [${rd[0].toPrecision(3)}, ${rd[1].toPrecision(3)}]${rd[1] >= 0.999e4 ? ' (upper end at the bound 1e4: not identified above)' : ''} must contain the published value`,
      },
      { metric: 'R_N* (our fit)', published: 5.3, ours: ours.RN, note: `90% bootstrap interval [${rn[0].toPrecision(3)}, ${rn[1].toPrecision(3)}] must contain the published value` },
      { metric: 'R_D* 90% interval, lower', published: 15.4, ours: rd[0], note: 'at or below the published value' },
      { metric: 'R_D* 90% interval, upper', published: 15.4, ours: rd[1], note: 'at or above the published value' },
      { metric: 'R_N* 90% interval, lower', published: 5.3, ours: rn[0], note: 'at or below the published value' },
      { metric: 'R_N* 90% interval, upper', published: 5.3, ours: rn[1], note: 'at or above the published value' },
      { metric: 'objective at our fit', published: MUENNIGHOFF_OBJECTIVE, ours: fit.objective.value!, note: 'lower than at the released constants: theirs is not a minimum' },
    ];
    return metrics;
  },
};
