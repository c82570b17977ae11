import { InputError, show } from '../core/errors.js';
import { quantile } from '../core/stats.js';
import { stepsToLoss, type BcritParams, type LossStepsParams } from './batch-trajectory.js';

/** Options of `batchRamp`. */
export interface BatchRampOptions {
  /** Parameters of the planned model. */
  N: number;
  /** The loss the run trains to. */
  target: number;
  /** The constant batch size compared against, in B_crit's unit. */
  constantBatch: number;
  /** Batch sizes the ramp may use, in B_crit's unit. @default [1, Infinity] */
  range?: readonly [number, number];
  /** Loss-grid intervals, evenly spaced in log S_min from 1 step to the target. @default 400 */
  intervals?: number;
  /** Paired parameter draws (bootstrap samples) of the two laws, for intervals. */
  samples?: { readonly bcrit: readonly BcritParams[]; readonly loss: readonly LossStepsParams[] };
  /** Central coverage of the intervals. @default 0.9 */
  level?: number;
}

/** One stretch of the ramp: the batch used from one loss to the next, and the steps it takes. */
export interface RampStage {
  readonly fromLoss: number;
  readonly toLoss: number;
  readonly batch: number;
  readonly steps: number;
}

/** A batch-size ramp against a constant batch, to the same target loss. */
export interface BatchRamp {
  readonly target: number;
  readonly constant: { readonly batch: number; readonly steps: number; readonly examples: number };
  /** The ramp using as many examples as the constant batch: fewer steps. */
  readonly sameExamples: { readonly steps: number; readonly examples: number; readonly stepSaving: number; readonly stages: readonly RampStage[] };
  /** The ramp taking as many steps as the constant batch: fewer examples (GPU-hours at a fixed throughput per example). */
  readonly sameSteps: { readonly steps: number; readonly examples: number; readonly exampleSaving: number };
  /** Percentile intervals of the two savings over the parameter draws, when given. */
  readonly intervals?: { readonly level: number; readonly stepSaving: readonly [number, number]; readonly exampleSaving: readonly [number, number]; readonly draws: number };
  readonly notes: readonly string[];
}

/** The run cut into intervals of S_min: their lengths, their midpoint loss and B_crit there. */
export interface RampGrid {
  readonly dSmin: Float64Array;
  readonly bcrit: Float64Array;
  readonly loss: Float64Array;
}

/** The loss grid of `batchRamp`: K intervals evenly spaced in log S_min from 1 step to the target. */
export function rampGrid(lossLaw: LossStepsParams, bcritLaw: BcritParams, N: number, target: number, K: number): RampGrid {
  const end = stepsToLoss(lossLaw, bcritLaw, target, { N, batchSize: 1 }).Smin;
  if (!(end > 1)) throw new InputError(`target: loss ${show(target)} is reached within one minimal step at N = ${show(N)}`, 'target');
  const { Nc, alphaN, Sc, alphaS } = lossLaw as Record<string, number>;
  const floor = (Nc! / N) ** alphaN!;
  const lossAt = (Smin: number) => floor + (Sc! / Smin) ** alphaS!; // Kaplan et al. 2020, eq. 5.6
  const dSmin = new Float64Array(K);
  const bcrit = new Float64Array(K);
  const loss = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const a = end ** (k / K);
    const b = end ** ((k + 1) / K);
    dSmin[k] = b - a;
    loss[k] = lossAt(Math.sqrt(a * b));
    bcrit[k] = stepsToLoss(lossLaw, bcritLaw, loss[k]!, { N, batchSize: 1 }).bcrit;
  }
  return { dSmin, bcrit, loss };
}

/** Steps and examples of a batch schedule over the grid: dS = dS_min (1 + B_crit / B), dE = dS_min (B + B_crit). */
export function scheduleCost(g: RampGrid, batch: (k: number) => number): { steps: number; examples: number } {
  let steps = 0;
  let examples = 0;
  for (let k = 0; k < g.dSmin.length; k++) {
    const B = batch(k);
    steps += g.dSmin[k]! * (1 + g.bcrit[k]! / B);
    examples += g.dSmin[k]! * (B + g.bcrit[k]!);
  }
  return { steps, examples };
}

/** lambda with f(lambda) = goal for f increasing in lambda, by bisection in log lambda. */
function solve(f: (lambda: number) => number, goal: number): number {
  let lo = 1e-30;
  let hi = 1e30;
  for (let it = 0; it < 300; it++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) < goal) lo = mid;
    else hi = mid;
    if (hi / lo < 1 + 1e-13) break;
  }
  return Math.sqrt(lo * hi);
}

/**
 * A batch-size ramp for a run to a target loss, against a constant batch: the schedule B(L) that
 * minimises the steps for the examples the constant batch uses (and the examples for its steps).
 *
 * Along the run, at loss L, Kaplan et al. 2020's steps/examples trade-off (eq. 5.4-5.5, McCandlish
 * et al. 2018) gives dS = dS_min (1 + B_crit(L) / B) and dE = dS_min (B + B_crit(L)), with S_min(L)
 * from the loss-curve law L(N, S_min) (eq. 5.6) and B_crit(L) = B* / L^(1 / alpha_B) (eq. 5.3). The
 * Lagrangian dE + lambda dS is minimised pointwise by B(L) = sqrt(lambda B_crit(L)) (held to
 * `range`); lambda is found so the ramp uses as many examples (or takes as many steps) as the
 * constant batch. The same calculation over paired parameter draws gives the intervals.
 *
 * @example batchRamp(lossFit.values, bcritFit.values, { N: 1.2e9, target: 2.74, constantBatch: 2048 })
 */
export function batchRamp(lossLaw: LossStepsParams, bcritLaw: BcritParams, options: BatchRampOptions): BatchRamp {
  const { N, target, constantBatch, range = [1, Infinity], intervals = 400, level = 0.9 } = options;
  if (!(constantBatch > 0) || !Number.isFinite(constantBatch)) throw new InputError(`constantBatch: not a positive number: ${show(constantBatch)}`, 'constantBatch');
  if (!(range[0] > 0 && range[1] >= range[0])) throw new InputError(`range: not 0 < min <= max: ${show(range)}`, 'range');
  if (constantBatch < range[0] || constantBatch > range[1]) throw new InputError(`constantBatch: ${show(constantBatch)} outside range ${show(range)}`, 'constantBatch');
  if (!Number.isInteger(intervals) || intervals < 2) throw new InputError(`intervals: not an integer of at least 2: ${show(intervals)}`, 'intervals');
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  const notes: string[] = [];
  const g = rampGrid(lossLaw, bcritLaw, N, target, intervals);
  const central = rampOn(g, constantBatch, range);
  const bMin = Math.min(...g.bcrit);
  const bMax = Math.max(...g.bcrit);
  notes.push(`B_crit runs from ${+bMin.toPrecision(4)} to ${+bMax.toPrecision(4)} over the run; the constant batch is ${+(constantBatch / bMax).toPrecision(3)} x its largest value`);
  let ranges: BatchRamp['intervals'];
  if (options.samples) {
    const { bcrit, loss } = options.samples;
    if (bcrit.length !== loss.length || bcrit.length < 2) throw new InputError(`samples: need paired draws of both laws (at least 2), got ${bcrit.length} and ${loss.length}`, 'samples');
    const steps: number[] = [];
    const examples: number[] = [];
    let failed = 0;
    for (let i = 0; i < bcrit.length; i++) {
      try {
        const r = rampOn(rampGrid(loss[i]!, bcrit[i]!, N, target, intervals), constantBatch, range);
        steps.push(r.stepSaving);
        examples.push(r.exampleSaving);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        failed++;
      }
    }
    if (failed > 0) notes.push(`${failed} of ${bcrit.length} parameter draws put the target at or below the model's limit and were left out`);
    if (steps.length >= 2) {
      steps.sort((a, b) => a - b);
      examples.sort((a, b) => a - b);
      const q = (v: number[]) => [quantile(v, (1 - level) / 2), quantile(v, (1 + level) / 2)] as const;
      ranges = { level, stepSaving: q(steps), exampleSaving: q(examples), draws: steps.length };
    }
  }
  return {
    target,
    constant: { batch: constantBatch, ...central.constant },
    sameExamples: { ...central.sameExamples, stepSaving: central.stepSaving },
    sameSteps: { ...central.sameSteps, exampleSaving: central.exampleSaving },
    ...(ranges ? { intervals: ranges } : {}),
    notes,
  };
}

function rampOn(g: RampGrid, B0: number, range: readonly [number, number]) {
  const clamp = (B: number) => Math.min(range[1], Math.max(range[0], B));
  const constant = scheduleCost(g, () => B0);
  const schedule = (lambda: number) => (k: number) => clamp(Math.sqrt(lambda * g.bcrit[k]!));
  // Examples grow and steps fall with lambda.
  const lambdaE = solve((l) => scheduleCost(g, schedule(l)).examples, constant.examples);
  const lambdaS = solve((l) => -scheduleCost(g, schedule(l)).steps, -constant.steps);
  const sameExamples = scheduleCost(g, schedule(lambdaE));
  const sameSteps = scheduleCost(g, schedule(lambdaS));
  const B = schedule(lambdaE);
  const stages: RampStage[] = [];
  for (let k = 0; k < g.dSmin.length; k++) {
    const steps = g.dSmin[k]! * (1 + g.bcrit[k]! / B(k));
    const last = stages[stages.length - 1];
    // Merge intervals whose batch differs by under 1% into one stage.
    if (last && Math.abs(B(k) / last.batch - 1) < 0.01) stages[stages.length - 1] = { ...last, toLoss: g.loss[k]!, steps: last.steps + steps };
    else stages.push({ fromLoss: g.loss[k]!, toLoss: g.loss[k]!, batch: B(k), steps });
  }
  return {
    constant,
    sameExamples: { ...sameExamples, stages },
    sameSteps,
    stepSaving: 1 - sameExamples.steps / constant.steps,
    exampleSaving: 1 - sameSteps.examples / constant.examples,
  };
}
