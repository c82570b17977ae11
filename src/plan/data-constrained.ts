import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import type { ScalingFit } from '../fit/result.js';
import { checkDataConstrainedValues, dataConstrained, parametersForUniqueTokens, type DataConstrainedValues } from '../laws/data-constrained.js';
import type { Inputs, Law } from '../laws/law.js';
import { chinchillaOptimal, numericOptimal } from './optimal.js';

/** A data-constrained allocation: parameters, tokens, epochs over the unique tokens, loss. */
export interface DataConstrainedAllocation {
  C: number;
  N: number;
  D: number;
  /** D / U: passes over the unique tokens (1 or fewer: no repetition). */
  epochs: number;
  loss: number;
}

/** The data-constrained law at a fixed U, as a law of N and D for the IsoFLOP minimiser. */
function atUniqueTokens(U: number): Law<Inputs> {
  return {
    ...dataConstrained,
    name: 'data-constrained (fixed U)',
    inputs: ['N', 'D'],
    evaluate(p, x, out) {
      dataConstrained.evaluate(p, { N: x.N!, D: x.D!, U: new Float64Array(x.N!.length).fill(U) }, out);
    },
  };
}

function checkPositive(value: number, name: string): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new InputError(`${name}: must be a positive finite number, got ${show(value)}`, name);
}

/**
 * The loss-minimising N and D = C / (6 N) at compute C when only U tokens are unique, under the
 * data-constrained law (Muennighoff et al. 2023): a numeric minimum along the IsoFLOP line (their
 * README uses a grid search; there is no closed form). Where Chinchilla's optimum needs no more than
 * U tokens the answer is Chinchilla's, since the law equals Chinchilla's there and exceeds it elsewhere.
 *
 * @example dataConstrainedOptimum({ A: 520.4, B: 1488.2, E: 1.869, alpha: 0.3527, beta: 0.3527, RD: 15.39, RN: 5.31 }, 1e22, 25e9) // N ≈ 7.0e9, epochs ≈ 9.5
 */
export function dataConstrainedOptimum(values: DataConstrainedValues, C: number, U: number): DataConstrainedAllocation {
  checkPositive(C, 'compute');
  checkPositive(U, 'uniqueTokens');
  checkDataConstrainedValues(values, 'data-constrained law');
  const fresh = chinchillaOptimal(values, C);
  if (fresh.D <= U) return { C, N: fresh.N, D: fresh.D, epochs: fresh.D / U, loss: fresh.loss };
  const p = Float64Array.of(values.A, values.B, values.E, values.alpha, values.beta, values.RD, values.RN);
  const a = numericOptimal(atUniqueTokens(U), p, C);
  return { C, N: a.N, D: a.D, epochs: a.D / U, loss: a.loss };
}

/** One step of the frontier at a fixed unique-token budget: the optimum at C and what the last doubling bought. */
export interface FrontierPoint extends DataConstrainedAllocation {
  /** Loss lowered by this doubling of compute, data-constrained. */
  gain: number;
  /** Loss the same doubling lowers with unlimited unique data (Chinchilla). */
  freshGain: number;
}

/** Options of `dataConstrainedSummary`. */
export interface DataConstrainedSummaryOptions {
  /** Most doublings of compute the frontier walks from where the limit starts to bind. @default 30 */
  doublings?: number;
  /**
   * A doubling of compute "stops paying" once it buys less than this share of what the same
   * doubling buys with unlimited unique data (Chinchilla's optimum). @default 0.1
   */
  paysBelow?: number;
  /** Names the source of R_D* and R_N* in the summary. @default 'data-constrained fit' */
  source?: string;
}

/** The planner's answer under a unique-token budget, beside the unconstrained one. */
export interface DataConstrainedSummary {
  uniqueTokens: number;
  values: DataConstrainedValues;
  source: string;
  /** The data-constrained optimum at the budget. */
  constrained: DataConstrainedAllocation;
  /** Chinchilla's optimum at the budget, ignoring the limit (its epochs: D / U). */
  unconstrained: DataConstrainedAllocation;
  /** Whether the limit changes the answer: Chinchilla's optimum needs more than U tokens. */
  binding: boolean;
  /** The compute at which Chinchilla's optimum needs exactly U tokens: beyond it the limit binds. */
  bindsFrom: number;
  /** U_N: the parameters U tokens support compute-optimally; parameters beyond it are excess. */
  excessFrom: number;
  /** The N at which one more parameter is worth half a non-excess one: U_N (1 + R_N* ln 2). */
  halfWorth: number;
  /** The loss no compute reaches on U unique tokens: E + A / (U_N (1 + R_N*))^alpha + B / (U (1 + R_D*))^beta. */
  floor: number;
  /** The optimum at each doubling of compute from `bindsFrom`, with what the doubling bought, up to `stopsPaying`. */
  frontier: FrontierPoint[];
  /**
   * The first doubling from `bindsFrom` that bought less than `paysBelow` of the fresh-data gain:
   * more compute (parameters and epochs) past it is mostly wasted on these unique tokens.
   */
  stopsPaying?: FrontierPoint;
  /** Whether the budget lies past `stopsPaying`. */
  pastStop: boolean;
  paysBelow: number;
}

/**
 * What a unique-token budget U does to the plan at compute C: the data-constrained optimum (N,
 * epochs, loss) next to Chinchilla's, the size beyond which parameters are excess and the worth of
 * an excess parameter halves, the loss floor on U tokens, and the compute past which doubling it
 * buys less than `paysBelow` of what it would with fresh data.
 */
export function dataConstrainedSummary(values: DataConstrainedValues, C: number, U: number, options: DataConstrainedSummaryOptions = {}): DataConstrainedSummary {
  const { doublings = 30, paysBelow = 0.1, source = 'data-constrained fit' } = options;
  if (!Number.isInteger(doublings) || doublings < 1) throw new InputError(`doublings: must be a positive integer, got ${show(doublings)}`, 'doublings');
  if (!(paysBelow > 0 && paysBelow < 1)) throw new InputError(`paysBelow: must be in (0, 1), got ${show(paysBelow)}`, 'paysBelow');
  const constrained = dataConstrainedOptimum(values, C, U);
  const fresh = chinchillaOptimal(values, C);
  const unconstrained = { C, N: fresh.N, D: fresh.D, epochs: fresh.D / U, loss: fresh.loss };
  const excessFrom = parametersForUniqueTokens(values, U);
  const bindsFrom = 6 * excessFrom * U;
  const frontier: FrontierPoint[] = [];
  let previous = dataConstrainedOptimum(values, bindsFrom, U),
    previousFresh = previous.loss;
  let stopsPaying: FrontierPoint | undefined;
  for (let k = 1; k <= doublings && !stopsPaying; k++) {
    const next = dataConstrainedOptimum(values, bindsFrom * 2 ** k, U);
    const freshLoss = chinchillaOptimal(values, bindsFrom * 2 ** k).loss;
    const point = { ...next, gain: previous.loss - next.loss, freshGain: previousFresh - freshLoss };
    frontier.push(point);
    if (point.gain < paysBelow * point.freshGain) stopsPaying = point;
    previous = next;
    previousFresh = freshLoss;
  }
  return {
    uniqueTokens: U,
    values,
    source,
    constrained,
    unconstrained,
    binding: fresh.D > U,
    bindsFrom,
    excessFrom,
    halfWorth: excessFrom * (1 + values.RN * Math.LN2),
    floor: values.E + values.A / (excessFrom * (1 + values.RN)) ** values.alpha + values.B / (U * (1 + values.RD)) ** values.beta,
    frontier,
    ...(stopsPaying ? { stopsPaying } : {}),
    pastStop: stopsPaying !== undefined && C > stopsPaying.C,
    paysBelow,
  };
}

/** The data-constrained law's values from a Chinchilla fit (A, B, E, alpha, beta) and R_D*, R_N*. */
export function combineRepetition(scaling: ScalingFit, repetition: Pick<RepetitionConstants, 'RD' | 'RN'>, source: string): DataConstrainedValues {
  if (scaling.law !== 'chinchilla') throw new InputError(`${source}: --unique-tokens needs a chinchilla fit for A, B, E, alpha and beta; got law ${show(scaling.law)}`, 'fit');
  const v = scaling.values;
  return checkDataConstrainedValues({ A: v.A!, B: v.B!, E: v.E!, alpha: v.alpha!, beta: v.beta!, RD: repetition.RD, RN: repetition.RN }, source);
}

/** R_D* and R_N* with where they come from, and bootstrap draws of them where a fit has them. */
export interface RepetitionConstants {
  RD: number;
  RN: number;
  source: string;
  /** Resampled (RD, RN) pairs, paired in turn with the scaling fit's resamples. @default none */
  samples?: readonly { RD: number; RN: number }[];
  /** Where the runs the constants were fitted on lie, for the out-of-range warnings. @default unknown */
  range?: { U: [number, number]; N: [number, number]; epochs: [number, number] };
}

/**
 * Muennighoff et al. 2023's released fit (huggingface/datablations README, "Parametric Fit"), made
 * with their C4 Chinchilla constants held fixed: R_D* = 15.387756, R_N* = 5.309743. Used by
 * `plan --unique-tokens` when no --repetition-fit is given.
 */
export const PUBLISHED_REPETITION: RepetitionConstants = {
  RD: 15.387756,
  RN: 5.309743,
  source: 'published: Muennighoff et al. 2023 (huggingface/datablations README), R_D* = 15.387756, R_N* = 5.309743, fitted with their C4 Chinchilla constants',
  // The 182 runs of data/muennighoff2023/runs.csv.
  range: { U: [1e8, 1.78e11], N: [7098752, 8.67e9], epochs: [1, 9000] },
};

/**
 * Warnings for a data-constrained plan beyond the runs R_D* and R_N* were fitted on: unique tokens,
 * model size or epochs more than `margin` times outside their range, or a range that is unknown.
 */
export function repetitionRangeWarnings(s: DataConstrainedSummary, repetition: RepetitionConstants, margin = 10): string[] {
  const r = repetition.range;
  if (!r) return [`the runs ${repetition.source} was fitted on are not known here, so how far this plan extrapolates R_D* and R_N* cannot be said`];
  const out: string[] = [];
  const check = (name: string, v: number, [lo, hi]: [number, number], factor: number) => {
    if (v > hi * factor) out.push(`${name} = ${formatNumber(v, 3)} is ${formatNumber(v / hi, 3)}x the largest in the runs R_D*, R_N* were fitted on (${formatNumber(hi, 3)})`);
    if (v < lo / factor) out.push(`${name} = ${formatNumber(v, 3)} is below the smallest in the runs R_D*, R_N* were fitted on (${formatNumber(lo, 3)}) by more than ${factor}x`);
  };
  check('unique tokens U', s.uniqueTokens, r.U, margin);
  check('N', s.constrained.N, r.N, margin);
  check('epochs', s.constrained.epochs, r.epochs, 1);
  return out;
}

/** R_D* and R_N* of a fit of the data-constrained law, with its bootstrap draws. */
export function repetitionFromFit(fit: ScalingFit, source: string): RepetitionConstants {
  if (fit.law !== 'data-constrained') throw new InputError(`${source}: a repetition fit must be of law data-constrained; got law ${show(fit.law)}`, 'repetitionFit');
  const j = (name: string) => fit.params.findIndex((p) => p.name === name);
  const [jd, jn] = [j('RD'), j('RN')];
  const samples = (fit.bootstrap?.samples ?? []).map((s) => ({ RD: s[jd]!, RN: s[jn]! }));
  return { RD: fit.values.RD!, RN: fit.values.RN!, source: `${source} (law data-constrained)`, ...(samples.length ? { samples } : {}) };
}

/**
 * The planner's `optimum` hook for a unique-token budget U: the data-constrained optimum for a
 * Chinchilla parameter vector p = (A, B, E, alpha, beta), with R_D*, R_N* from `repetition` (its
 * resample k, where it has resamples, for the scaling fit's resample k).
 */
export function uniqueTokenOptimum(repetition: RepetitionConstants, U: number): (p: Float64Array, C: number, k: number) => DataConstrainedAllocation & { method: string } {
  checkPositive(U, 'uniqueTokens');
  return (p, C, k) => {
    const r = k >= 0 && repetition.samples?.length ? repetition.samples[k % repetition.samples.length]! : repetition;
    const [A, B, E, alpha, beta] = Array.from(p) as [number, number, number, number, number];
    const a = dataConstrainedOptimum({ A, B, E, alpha, beta, RD: r.RD, RN: r.RN }, C, U);
    return { ...a, method: `numeric minimum of the data-constrained loss L(N, C / 6N, U = ${formatNumber(U, 3)}) (Muennighoff et al. 2023, eq. 7)` };
  };
}

/** A few lines for the plan's text report. */
export function dataConstrainedReport(s: DataConstrainedSummary): string {
  const f = (x: number) => formatNumber(x, 3);
  const lines = [
    `Unique tokens: ${f(s.uniqueTokens)} (R_D* = ${formatNumber(s.values.RD, 4)}, R_N* = ${formatNumber(s.values.RN, 4)} from ${s.source})`,
    `  data-constrained optimum: N = ${f(s.constrained.N)}, D = ${f(s.constrained.D)} (${formatNumber(s.constrained.epochs, 3)} epochs), loss ${formatNumber(s.constrained.loss, 4)}`,
    `  unconstrained (Chinchilla): N = ${f(s.unconstrained.N)}, D = ${f(s.unconstrained.D)} (${formatNumber(s.unconstrained.epochs, 3)} epochs of U), loss ${formatNumber(s.unconstrained.loss, 4)}`,
    s.binding ? '  the limit binds: the unconstrained optimum needs more tokens than are unique' : '  the limit does not bind: the unconstrained optimum fits in the unique tokens, so the plans agree',
    `  parameters beyond ${f(s.excessFrom)} are excess; past ${f(s.halfWorth)} one more is worth less than half a parameter`,
    `  no compute gets below loss ${formatNumber(s.floor, 4)} on these unique tokens`,
    `  the limit binds from ${f(s.bindsFrom)} FLOPs (where the Chinchilla-optimal run needs exactly U tokens)`,
    s.stopsPaying
      ? `  more compute stops paying at ${f(s.stopsPaying.C)} FLOPs (N = ${f(s.stopsPaying.N)}, ${formatNumber(s.stopsPaying.epochs, 3)} epochs): doubling it there buys ${formatNumber(s.stopsPaying.gain, 3)}, under ${s.paysBelow * 100}% of the ${formatNumber(s.stopsPaying.freshGain, 3)} that fresh data would`
      : `  every doubling up to ${f(s.frontier.at(-1)?.C ?? s.bindsFrom)} FLOPs still buys at least ${s.paysBelow * 100}% of what fresh data would`,
    ...(s.pastStop
      ? [`  the budget is past that point: its optimum is within ${formatNumber(s.constrained.loss - s.floor, 3)} of the floor, and runs of other sizes at this budget do about as well`]
      : []),
  ];
  return lines.join('\n');
}
