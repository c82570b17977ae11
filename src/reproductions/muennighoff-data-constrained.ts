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
 * R_N* to one decimal (15.4, 5.3), half a unit of which is 0.05; but the released fit is the higher
 * of two local minima the authors' starts reach (ours, the lowest, is 0.12% lower; see
 * `muennighoffReleasedMinimum`), so our fitted constants are compared through their bootstrap
 * interval, which must contain the published ones.
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

/**
 * Tolerances of `muennighoff-released-minimum`. The released constants are a float32 stopping point
 * of torch.optim.LBFGS near a local minimum of the objective: rerunning the authors' notebook code
 * (utils/parametric_fit.ipynb, cell "FIT OUR DOTS", torch 1.13, float32) on these 182 runs, the
 * starts that end in that basin stop at R_D* 15.337-15.385 and R_N* 5.307-5.321, within 0.4% of the
 * float64 minimum; 0.5% covers that scatter. The paper's rounding (15.4, 5.3) allows half a unit
 * of the last digit, 0.05. The objective is compared as in `MUENNIGHOFF_TOLERANCE` (float32, 1e-6).
 */
export const RELEASED_MINIMUM_TOLERANCE = { released: 0.005, paper: 0.05, objective: 1e-6 } as const;

/** One end point of the authors' procedure from one of their starts, and the basin it falls in. */
export interface StartEnd {
  start: { RD: number; RN: number };
  RD: number;
  RN: number;
  objective: number;
  /** Index into the basins, in order of first appearance in the authors' loop order. */
  basin: number;
}

/**
 * Each of the authors' nine starts (R_D*, R_N* in 20/3, 40/3, 20, in the notebook's loop order)
 * fitted on its own by L-BFGS-B to convergence (polished), with the C4 constants fixed, and the end
 * points grouped into basins (within 1e-4 relative in both constants). The objective has two
 * minima reachable from these starts: the released constants sit in the one the notebook's first
 * finite start (20/3, 20/3) falls into; the lower one lies at R_D* = 47, R_N* = 2.33.
 */
export async function fitFromEachStart(): Promise<{ ends: StartEnd[]; basins: { RD: number; RN: number; objective: number; starts: number }[] }> {
  const { readObservations } = await import('../io/read-observations.js');
  const { fitLaw } = await import('../fit/fit.js');
  const table = readObservations(muennighoffRunsPath(), { source: 'muennighoff2023/runs.csv' });
  const ends: StartEnd[] = [];
  const basins: { RD: number; RN: number; objective: number; starts: number }[] = [];
  for (const RD of MUENNIGHOFF_STARTS) {
    for (const RN of MUENNIGHOFF_STARTS) {
      const fit = await fitLaw('data-constrained', table, { fixed: { ...MUENNIGHOFF_C4 }, starts: [{ ...MUENNIGHOFF_C4, RD, RN }], threads: 1 });
      const end = { RD: fit.values.RD!, RN: fit.values.RN!, objective: fit.objective.value! };
      let basin = basins.findIndex((b) => Math.abs(b.RD / end.RD - 1) < 1e-4 && Math.abs(b.RN / end.RN - 1) < 1e-4);
      if (basin < 0) basin = basins.push({ ...end, starts: 0 }) - 1;
      basins[basin]!.starts++;
      ends.push({ start: { RD, RN }, ...end, basin });
    }
  }
  return { ends, basins };
}

/**
 * `scalelaw reproduce muennighoff-released-minimum`: the procedure that gives the released R_D* and
 * R_N*. Their fit is not the lowest objective over their starts (ours, 47 and 2.33, is 0.12% lower)
 * but the other local minimum, the one the notebook's loop reaches first: six of the nine starts
 * end there under L-BFGS-B (all nine under torch's LBFGS in float64), and the notebook's float32
 * run printed a stopping point 0.1% from it. `muennighoff-data-constrained` keeps the lowest
 * objective as its report line.
 */
export const muennighoffReleasedMinimum: Reproduction = {
  id: 'muennighoff-released-minimum',
  description:
    "Muennighoff et al. 2023's released R_D*, R_N* as the local minimum their first start reaches (the procedure that gives their numbers; the lower minimum is muennighoff-data-constrained's report)",
  async run(options = {}) {
    options.onProgress?.("fitting R_D* and R_N* from each of the authors' 9 starts on its own, to convergence");
    const { ends, basins } = await fitFromEachStart();
    const first = ends[0]!;
    const released = basins[first.basin]!;
    const lowest = basins.reduce((a, b) => (b.objective < a.objective ? b : a));
    const reached = `reached from ${released.starts} of the ${ends.length} starts`;
    if (lowest !== released)
      options.onWarning?.(
        `data-constrained fit: the released constants are a local minimum, not the lowest: R_D* = ${lowest.RD.toPrecision(4)}, R_N* = ${lowest.RN.toPrecision(4)} has an objective ${(((released.objective - lowest.objective) / released.objective) * 100).toFixed(2)}% lower`,
      );
    return [
      { metric: "R_D* at the first start's minimum (released)", published: MUENNIGHOFF_RELEASED.RD, ours: released.RD, note: `${reached}; float32 stopping scatter: tolerance 0.5% relative` },
      { metric: "R_N* at the first start's minimum (released)", published: MUENNIGHOFF_RELEASED.RN, ours: released.RN, note: 'tolerance 0.5% relative' },
      { metric: "R_D* at the first start's minimum (paper)", published: 15.4, ours: released.RD, note: 'paper rounds to one decimal: tolerance 0.05' },
      { metric: "R_N* at the first start's minimum (paper)", published: 5.3, ours: released.RN, note: 'tolerance 0.05' },
      { metric: "objective at the first start's minimum", published: MUENNIGHOFF_OBJECTIVE, ours: released.objective, note: "the notebook's printed float32 objective; tolerance 1e-6 relative" },
      {
        metric: 'objective at the lowest minimum',
        published: MUENNIGHOFF_OBJECTIVE,
        ours: lowest.objective,
        note: `R_D* = ${lowest.RD.toPrecision(4)}, R_N* = ${lowest.RN.toPrecision(4)}, reached from ${lowest.starts} starts: lower than the released fit's`,
      },
    ];
  },
};

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
      {
        metric: 'objective at our fit',
        published: MUENNIGHOFF_OBJECTIVE,
        ours: fit.objective.value!,
        note: 'lower than at the released constants: theirs is the higher of two local minima (scalelaw reproduce muennighoff-released-minimum)',
      },
    ];
    return metrics;
  },
};
