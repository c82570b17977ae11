import { InputError } from '../core/errors.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { predictWith } from '../fit/result.js';
import { checkpointData, type CheckpointOptions, type CheckpointRow } from './checkpoints.js';

/** One way of turning checkpoints into fit data, by name. */
export interface CheckpointVariant {
  name: string;
  options: CheckpointOptions;
}

/**
 * The three fits Choshen et al. 2024 compare: final losses only, every checkpoint past 10% of each
 * run, and the same weighted by seed-to-seed variance.
 */
export const CHECKPOINT_VARIANTS: readonly CheckpointVariant[] = [
  { name: 'final loss only', options: { minFraction: 1, seedWeights: false } },
  { name: 'checkpoints past 10%', options: { minFraction: 0.1, seedWeights: false } },
  { name: 'checkpoints past 10%, seed-variance weights', options: { minFraction: 0.1, seedWeights: true } },
];

/** Options of `checkpointBacktest`. */
export interface CheckpointBacktestOptions {
  /** Fits to compare. @default CHECKPOINT_VARIANTS */
  variants?: readonly CheckpointVariant[];
  /** Law of N and D to fit. @default 'chinchilla' */
  law?: string;
  /** Which runs' final losses are predicted (e.g. not the reruns). @default every run */
  heldOut?: (run: string) => boolean;
  /** Fewest model sizes a cut trains on. @default 2 */
  minSizes?: number;
  /** Passed to `fitLaw` (grid, starts, threads). @default { threads: 1 } */
  fit?: FitOptions;
}

/** Per cut and overall: each variant's mean |predicted - observed| / observed on the held-out final losses. */
export interface CheckpointBacktest {
  variants: string[];
  cuts: { trainSizes: number[]; heldOut: number; meanRelativeError: Record<string, number> }[];
  /** Over every held-out run of every cut. */
  meanRelativeError: Record<string, number>;
  heldOut: number;
}

/**
 * Rolling backtest over model size, as in issue 10's backtest: for each cut, fit on the runs of the
 * smallest sizes (each variant turning them into data its own way) and predict the final loss of
 * every run of the larger sizes.
 */
export async function checkpointBacktest(rows: readonly CheckpointRow[], options: CheckpointBacktestOptions = {}): Promise<CheckpointBacktest> {
  const { variants = CHECKPOINT_VARIANTS, law = 'chinchilla', heldOut = () => true, minSizes = 2, fit = { threads: 1 } } = options;
  const sizes = [...new Set(rows.map((r) => r.N))].sort((a, b) => a - b);
  if (sizes.length <= minSizes) throw new InputError(`rows: ${sizes.length} model sizes; a backtest needs more than ${minSizes}`, 'rows');
  const finals = new Map<string, CheckpointRow>();
  for (const r of rows) if (!finals.has(r.run) || finals.get(r.run)!.D < r.D) finals.set(r.run, r);
  const cuts: CheckpointBacktest['cuts'] = [];
  const pooled: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let k = minSizes; k < sizes.length; k++) {
    const train = rows.filter((r) => r.N < sizes[k]!);
    const targets = [...finals.values()].filter((r) => r.N >= sizes[k]! && heldOut(r.run));
    const errors: Record<string, number> = {};
    for (const v of variants) {
      const data = checkpointData(train, { ...v.options, source: v.name });
      const f = await fitLaw(law, data, { ...fit, weights: data.weights });
      const predicted = predictWith(f.lawObject(), f.vector(), { N: targets.map((t) => t.N), D: targets.map((t) => t.D) });
      const e = targets.map((t, i) => Math.abs(predicted[i]! - t.loss) / t.loss);
      pooled[v.name]!.push(...e);
      errors[v.name] = e.reduce((s, x) => s + x, 0) / e.length;
    }
    cuts.push({ trainSizes: sizes.slice(0, k), heldOut: targets.length, meanRelativeError: errors });
  }
  return {
    variants: variants.map((v) => v.name),
    cuts,
    meanRelativeError: Object.fromEntries(Object.entries(pooled).map(([name, e]) => [name, e.reduce((s, x) => s + x, 0) / e.length])),
    heldOut: pooled[variants[0]!.name]!.length,
  };
}
