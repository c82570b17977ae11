import { InputError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';
import type { Run } from '../core/run.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { squared } from '../fit/objective.js';
import type { ScalingFit } from '../fit/result.js';
import { kaplanLossSteps } from '../laws/kaplan-batch.js';

/** Parameters of Kaplan et al. 2020's L(N, S_min): `fit.values` of a 'kaplan-n-smin' fit, or published values. */
export type LossStepsParams = Readonly<Record<string, number>>;
/** Parameters of B_crit(L) = B* / L^(1 / alpha_B): `fit.values` of a 'kaplan-bcrit' fit, or published values. */
export type BcritParams = Readonly<Record<string, number>>;

export interface BatchPlanOptions {
  /** Parameters of the model to be trained. */
  N: number;
  /** Batch size the run will use, in the unit B_crit was fitted in (sequences or tokens). */
  batchSize: number;
  /** Tokens per batch-size unit (the sequence length when batches count sequences). @default 1 */
  tokensPerExample?: number;
}

export interface StepsToLoss {
  loss: number;
  /** Critical batch size at this loss. */
  bcrit: number;
  /** Steps at a batch size far below B_crit: S_min = S_c / (L - (N_c / N)^alpha_N)^(1 / alpha_S). */
  Smin: number;
  /** Steps at the chosen batch size, S = S_min (1 + B_crit / B) (Kaplan et al. 2020, eq. 5.4). */
  steps: number;
  /** Examples processed, S B. */
  examples: number;
  /** Tokens processed, S B tokensPerExample. */
  tokens: number;
}

const p4 = (law: LossStepsParams) => {
  const { Nc, alphaN, Sc, alphaS } = law;
  if (![Nc, alphaN, Sc, alphaS].every((v) => v !== undefined && Number.isFinite(v))) {
    throw new InputError(`loss law: needs params Nc, alphaN, Sc, alphaS, got ${show(law)}`, 'params');
  }
  return { Nc: Nc!, alphaN: alphaN!, Sc: Sc!, alphaS: alphaS! };
};
const bcritAt = (law: BcritParams, loss: number): number => {
  const { Bstar, alphaB } = law;
  if (Bstar === undefined || alphaB === undefined) throw new InputError(`B_crit law: needs params Bstar, alphaB, got ${show(law)}`, 'params');
  return Bstar * Math.pow(loss, -1 / alphaB); // Kaplan et al. 2020, eq. 5.3
};

function checkPlan(options: BatchPlanOptions): Required<BatchPlanOptions> {
  const { N, batchSize, tokensPerExample = 1 } = options;
  for (const [name, v] of [
    ['N', N],
    ['batchSize', batchSize],
    ['tokensPerExample', tokensPerExample],
  ] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`${name}: must be positive, got ${show(v)}`, name);
  }
  return { N, batchSize, tokensPerExample };
}

/**
 * Steps and tokens to reach a target loss at a given batch size, from Kaplan et al. 2020's
 * L(N, S_min) (eq. 5.6) and B_crit(L) (eq. 5.3). The target must lie above the model's limit
 * (N_c / N)^alpha_N, the loss with unlimited steps.
 */
export function stepsToLoss(lossLaw: LossStepsParams, bcritLaw: BcritParams, target: number, options: BatchPlanOptions): StepsToLoss {
  const { N, batchSize, tokensPerExample } = checkPlan(options);
  const { Nc, alphaN, Sc, alphaS } = p4(lossLaw);
  const floor = Math.pow(Nc / N, alphaN);
  if (!(target > floor)) throw new InputError(`target loss ${show(target)} is not above the model's limit ${show(Number(floor.toPrecision(6)))} at N=${show(N)}`, 'target');
  const Smin = Sc / Math.pow(target - floor, 1 / alphaS);
  const bcrit = bcritAt(bcritLaw, target);
  const steps = Smin * (1 + bcrit / batchSize);
  return { loss: target, bcrit, Smin, steps, examples: steps * batchSize, tokens: steps * batchSize * tokensPerExample };
}

export interface TrajectoryOptions extends BatchPlanOptions {
  /** Last step of the predicted trajectory. */
  steps: number;
  /** First step of the predicted trajectory. @default 1 */
  from?: number;
  /** Number of points, spaced evenly in log step from `from` to `steps`. @default 50 */
  points?: number;
}

/**
 * The full predicted loss trajectory of a run at a chosen batch size: at each step s, the loss L
 * that solves s = S_min(L) (1 + B_crit(L) / B). Steps needed grow monotonically as L falls, so
 * bisection on L between the model's limit and a loss reached in one step finds it.
 */
export function predictBatchTrajectory(lossLaw: LossStepsParams, bcritLaw: BcritParams, options: TrajectoryOptions): StepsToLoss[] {
  const plan = checkPlan(options);
  const { steps: last, points = 50, from = 1 } = options;
  if (!(last >= 1) || !Number.isFinite(last)) throw new InputError(`steps: must be at least 1, got ${show(last)}`, 'steps');
  if (!(from > 0 && from <= last)) throw new InputError(`from: must be in (0, steps], got ${show(from)}`, 'from');
  if (!Number.isInteger(points) || points < 2) throw new InputError(`points: must be an integer of at least 2, got ${show(points)}`, 'points');
  const { Nc, alphaN } = p4(lossLaw);
  const floor = Math.pow(Nc / plan.N, alphaN);
  const out: StepsToLoss[] = [];
  for (let k = 0; k < points; k++) {
    const s = Math.exp(Math.log(from) + ((Math.log(last) - Math.log(from)) * k) / (points - 1));
    let lo = floor,
      hi = floor + 1;
    while (stepsToLoss(lossLaw, bcritLaw, hi, plan).steps > s) hi = floor + 2 * (hi - floor);
    for (let it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid <= floor || stepsToLoss(lossLaw, bcritLaw, mid, plan).steps > s) lo = mid;
      else hi = mid;
    }
    out.push({ ...stepsToLoss(lossLaw, bcritLaw, hi, plan), steps: s, examples: s * plan.batchSize, tokens: s * plan.batchSize * plan.tokensPerExample });
  }
  return out;
}

export interface LossStepsFitOptions {
  /** Which logged loss to use. @default 'evalLoss' */
  metric?: 'evalLoss' | 'trainLoss';
  /** Trajectory points before this step are left out (early transients, Kaplan et al. 2020, Sec. 5.2). @default 1 */
  minStep?: number;
  /** Options for the fitting engine. */
  fit?: FitOptions;
}

/**
 * Fits L(N, S_min) (Kaplan et al. 2020, eq. 5.6) to every logged point of every run: each point's
 * steps are converted to S_min = S / (1 + B_crit(L) / B) with the B_crit law fitted across targets.
 */
export async function fitLossVsSteps(runs: readonly Run[], bcritLaw: BcritParams, options: LossStepsFitOptions = {}): Promise<ScalingFit> {
  const { metric = 'evalLoss', minStep = 1, fit = {} } = options;
  const N: number[] = [],
    Smin: number[] = [],
    loss: number[] = [];
  for (const run of runs) {
    const { N: n, batchSize, id } = run.config;
    if (n === undefined || !(n > 0)) throw new InputError(`run ${show(id)}: config.N must be a positive number, got ${show(n)}`, 'N');
    if (batchSize === undefined || !(batchSize > 0)) throw new InputError(`run ${show(id)}: config.batchSize must be a positive number, got ${show(batchSize)}`, 'batchSize');
    for (const p of run.trajectory) {
      const l = p[metric];
      if (l === undefined || !Number.isFinite(l) || l <= 0 || p.step < minStep) continue;
      N.push(n);
      Smin.push(p.step / (1 + bcritAt(bcritLaw, l) / batchSize)); // Kaplan et al. 2020, eq. 5.4
      loss.push(l);
    }
  }
  if (loss.length < 4) throw new InputError(`L(N, S_min) needs at least 4 logged points at step >= ${show(minStep)}, got ${loss.length}`, metric);
  return fitLaw(kaplanLossSteps, { inputs: { N, Smin }, loss, source: 'run trajectories' }, { loss: squared(), space: 'log', ...fit });
}

/** What `batchTrajectoryReport` describes: the two fits, the planned run, its trajectory and, optionally, when it reaches a loss. */
export interface BatchTrajectoryReportInput {
  /** The B_crit(L) fit (`fitBcritVsLoss`). */
  bcrit: ScalingFit;
  /** The L(N, S_min) fit (`fitLossVsSteps`). */
  loss: ScalingFit;
  plan: BatchPlanOptions;
  /** `predictBatchTrajectory`'s points. */
  trajectory: readonly StepsToLoss[];
  /** `stepsToLoss` at a target loss. */
  reach?: StepsToLoss;
}

/** The predicted trajectory as text: both fitted laws, a table of the trajectory, and the steps and tokens to `reach`'s loss. */
export function batchTrajectoryReport(input: BatchTrajectoryReportInput): string {
  const { bcrit, loss, plan, trajectory, reach } = input;
  const out = [
    `B_crit(L) = ${formatNumber(bcrit.values.Bstar!)} / L^(1 / ${formatNumber(bcrit.values.alphaB!)})`,
    `L(N, S_min) = (${formatNumber(loss.values.Nc!)} / N)^${formatNumber(loss.values.alphaN!)} + (${formatNumber(loss.values.Sc!)} / S_min)^${formatNumber(loss.values.alphaS!)}${loss.converged ? '' : ' (fit NOT converged)'}`,
    '',
    `predicted for N = ${formatNumber(plan.N)} at batch size ${formatNumber(plan.batchSize)}:`,
    formatTable(
      trajectory.map((p) => [p.steps, p.tokens, p.loss, p.bcrit, p.Smin]),
      ['step', 'tokens', 'loss', 'B_crit', 'S_min'],
    ),
  ];
  if (reach) out.push('', `loss ${reach.loss}: ${formatNumber(reach.steps)} steps, ${formatNumber(reach.tokens)} tokens (S_min ${formatNumber(reach.Smin)}, B_crit ${formatNumber(reach.bcrit)})`);
  return out.join('\n');
}
