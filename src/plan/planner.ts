import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import { quantile } from '../core/stats.js';
import { predictWith, type CurveFit, type ScalingFit } from '../fit/result.js';
import { getLaw } from '../laws/registry.js';
import { bestSchedule, bestWsdCooldown, budgetFromFit } from './schedule-choice.js';
import { finalLosses } from '../fit/predict-curve.js';
import { loadFit } from '../fit/load.js';
import { resolveBudget, type BudgetInput, type ComputeBudget } from './budget.js';
import type { StabilityForecast } from '../batch/stability-forecast.js';
import { chinchillaOptimal, numericOptimal } from './optimal.js';
import { backtestSummary, type ScalingBacktestRecord } from './backtest.js';
import { checkFitValues, floorInterval, rangeWarnings, type FittedRange, type RangeMargins } from './honesty.js';

/** A number with its interval at the plan's level, where one could be computed. */
export interface Estimate {
  value: number;
  lower?: number;
  upper?: number;
}

/** What each fit is used for. */
export type FitRole = 'scaling' | 'critical-batch' | 'batch' | 'learning-rate' | 'schedule';

/** A fit the planner reads: a scaling-type law (ScalingFit) or a whole-loss-curve law (CurveFit). */
export type PlannerFit = ScalingFit | CurveFit;

/** Laws the planner knows, by role; each is evaluated at the inputs named here. */
const ROLES: Record<string, FitRole> = {
  chinchilla: 'scaling',
  kaplan: 'scaling',
  'kaplan-bcrit': 'critical-batch',
  'bcrit-n': 'critical-batch',
  'bcrit-d': 'critical-batch',
  'batch-opt-c': 'batch',
  'lr-opt-c': 'learning-rate',
  'lr-opt-n': 'learning-rate',
};

/**
 * Published relations used when no fit of that role is given, each labelled as such in the plan:
 * DeepSeek LLM (Bi et al. 2024, eq. 1): lr_opt = 0.3118 C^-0.1250, B_opt = 0.2920 C^0.3271 tokens.
 */
const PUBLISHED = {
  'learning-rate': { k: 0.3118, e: -0.125, source: 'published: DeepSeek LLM (Bi et al. 2024, eq. 1), lr_opt = 0.3118 C^-0.125' },
  batch: { k: 0.292, e: 0.3271, source: 'published: DeepSeek LLM (Bi et al. 2024, eq. 1), B_opt = 0.2920 C^0.3271 tokens' },
} as const;

/** Options of `plan`. */
export interface PlanOptions {
  /** The compute budget. */
  budget: BudgetInput;
  /**
   * Fits to plan from: exactly one scaling law in N and D (e.g. Chinchilla), and optionally a
   * critical-batch law (kaplan-bcrit, bcrit-n, bcrit-d), an optimal-batch law (batch-opt-c) and a
   * learning-rate law (lr-opt-c, lr-opt-n), and a whole-loss-curve fit (kind "curve-fit") for the
   * schedule. Each is a fit object or `{ fit, source }`, `source` naming it in the plan.
   */
  fits: readonly (PlannerFit | { fit: PlannerFit; source: string })[];
  /** Tokens per sequence of the planned run. @default 2048 */
  seqLen?: number;
  /**
   * Unit of the batch sizes the batch fits were made in: 'sequences' (as RunConfig.batchSize) or
   * 'tokens'. @default 'sequences'
   */
  batchUnit?: 'sequences' | 'tokens';
  /** Tokens per sequence of the runs the batch fits came from (to turn their sequences into tokens). @default seqLen */
  fitSeqLen?: number;
  /** Central level of the intervals; the scaling fit's bootstrap level when it has one. @default 0.9 */
  level?: number;
  /**
   * Where the scaling fit's data lie (`rangeOf`, or `findFitData` for a saved fit). A plan beyond
   * it by more than `margins` says how far, in `warnings`. @default unknown (the plan says so)
   */
  range?: FittedRange;
  /** Factors beyond the fitted range that a plan may go before it warns. @default { N: 10, D: 10, C: 100 } */
  margins?: RangeMargins;
  /**
   * A loss no model can beat, e.g. a synthetic language's entropy rate: the loss interval is
   * clipped to it, with a note. @default none (an interval below the fitted E is flagged instead)
   */
  floor?: { value: number; source: string };
  /** The scaling fit's rolling-over-N backtest (`backtestScaling`), stated beside the predicted loss. @default none */
  backtest?: ScalingBacktestRecord;
  /**
   * Replaces the compute-optimal allocation of the scaling fit's parameters p at compute C, for the
   * point estimate (k = -1) and bootstrap resample k, e.g. the data-constrained optimum under a
   * unique-token budget (src/plan/data-constrained.ts). An InputError drops a resample. @default optimumAt
   */
  optimum?: (p: Float64Array, C: number, k: number) => { N: number; D: number; loss: number; method: string };
}

/** What a plan says about how well its scaling fit predicted sizes it had not seen. */
export interface PlanBacktest {
  /** Mean |predicted - observed| / observed over every held-out run of every cut. */
  meanRelativeError: number;
  /** Share of held-out runs inside the cut's interval, where the backtest ran a bootstrap. */
  coverage?: number;
  level: number;
  heldOut: number;
  /** Per cut: the training limit, the largest extrapolation it made, its error and coverage. */
  cuts: { trainMaxN: number; largestTrainN: number; largestRatio: number; meanRelativeError: number; coverage?: number }[];
  /**
   * The `level` quantile of |predicted - observed| / observed over every held-out run: how far off
   * a prediction at the backtest's reach was, at most, in that share of cases.
   */
  errorQuantile: number;
  /** One line for the report. */
  summary: string;
  date: string;
}

/** A plan for one training run, as plain data: `report()` reads it, `toJSON()` saves it. */
export interface PlanRecord {
  kind: 'plan';
  version: 1;
  budget: ComputeBudget;
  /** Central level of every interval. */
  level: number;
  fits: { role: FitRole; law: string; source: string; bootstrap: number }[];
  /** Compute-optimal allocation, C = 6 N D. */
  model: {
    N: Estimate;
    D: Estimate;
    tokensPerParameter: number;
    /** The fitted curve's loss with its bootstrap interval: the spread of the curve, not of a new run. */
    loss: Estimate;
    /**
     * Where a new run's loss may land: the split-conformal interval of the backtest, [l / (1 + q),
     * l / (1 - q)] around the predicted loss l with q the backtest's `errorQuantile` (the held-out
     * losses predicted within relative error q), joined with the bootstrap interval (which is wider
     * where the plan extrapolates further than the backtest reached), clipped at a known floor. Only
     * where a backtest was given. On the bundled Chinchilla backtest, leave one cut out, the 95%
     * interval covered 190 of 200 held-out runs (`npx tsx bench/predictive-interval.ts`).
     */
    predictive?: { lower: number; upper: number; errorQuantile: number };
    method: string;
  };
  batch?: {
    /** Critical batch in tokens, where a critical-batch fit was given. */
    critical?: Estimate;
    /** Recommended batch in tokens: a power-of-two number of sequences. */
    recommended: number;
    recommendedSequences: number;
    seqLen: number;
    source: string;
  };
  learningRate?: { value: number; lower?: number; upper?: number; source: string };
  /** Optimizer steps: D / recommended batch tokens. */
  steps?: number;
  /** The best standard schedule and WSD cooldown (filled by `withSchedule`). */
  schedule?: { best: string; cooldownFraction?: number; predictedLoss: Record<string, number>; gainOverCosine: number; source: string; note?: string };
  /**
   * The learning-rate divergence forecast at the planned N from the proxies' LR sweeps at several
   * sizes (Wortsman et al. 2023; filled by `scalelaw plan --store` where the store holds such sweeps).
   */
  stability?: StabilityForecast;
  /** Questions the plan could not answer, and why. */
  unanswered: { item: string; reason: string }[];
  /**
   * What a reader must know before trusting the numbers: extrapolation far beyond the fitted range
   * (and how far), intervals clipped at or crossing a floor, intervals that could not be computed.
   */
  warnings: string[];
  /** The fitted range of the scaling fit, where known. */
  range?: FittedRange;
  /** The scaling fit's rolling backtest, where its data were available. */
  backtest?: PlanBacktest;
}

/**
 * The loss-minimising N and D = C / (6 N) at compute C for a law with parameters p, by the fitting
 * engine's allocation (src/plan/optimal.ts): Chinchilla's closed form (Hoffmann et al. 2022, eq. 4),
 * a numeric minimum along the IsoFLOP line for any other law of N and D.
 */
export function optimumAt(lawName: string, p: Float64Array, C: number): { N: number; D: number; loss: number; method: string } {
  if (lawName === 'chinchilla') {
    const [A, B, E, alpha, beta] = Array.from(p) as [number, number, number, number, number];
    const a = chinchillaOptimal({ A, B, E, alpha, beta }, C);
    return { N: a.N, D: a.D, loss: a.loss, method: 'closed form (Hoffmann et al. 2022, eq. 4)' };
  }
  const a = numericOptimal(getLaw(lawName), p, C);
  return { N: a.N, D: a.D, loss: a.loss, method: 'numeric minimum of L(N, C / 6N)' };
}

/** optimumAt for a bootstrap resample, NaN where the resample has no finite optimum (it then drops out of the interval). */
export function drawAt(lawName: string, p: Float64Array, C: number): { N: number; D: number; loss: number } {
  try {
    return optimumAt(lawName, p, C);
  } catch (error) {
    if (error instanceof InputError) return { N: Number.NaN, D: Number.NaN, loss: Number.NaN };
    throw error;
  }
}

function drawWith(optimum: () => { N: number; D: number; loss: number }): { N: number; D: number; loss: number } {
  try {
    return optimum();
  } catch (error) {
    if (error instanceof InputError) return { N: Number.NaN, D: Number.NaN, loss: Number.NaN };
    throw error;
  }
}

function percentileInterval(values: number[], level: number): [number, number] | undefined {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length < 2) return undefined;
  const at = (q: number) => {
    const h = (finite.length - 1) * q;
    const lo = Math.floor(h);
    return finite[lo]! + (h - lo) * ((finite[Math.min(lo + 1, finite.length - 1)] ?? finite[lo]!) - finite[lo]!);
  };
  return [at((1 - level) / 2), at((1 + level) / 2)];
}

function estimate(value: number, samples: number[] | undefined, level: number): Estimate {
  const interval = samples && samples.length > 1 ? percentileInterval(samples, level) : undefined;
  return interval ? { value, lower: interval[0], upper: interval[1] } : { value };
}

/** Reads a saved fit of either kind, naming the file in errors (`loadFit(path, 'any')`). */
export function readFitFile(path: string): PlannerFit {
  return loadFit(path, 'any');
}

function roleOf(fit: PlannerFit, source: string): FitRole {
  if (fit.kind === 'curve-fit') return 'schedule';
  const role = ROLES[fit.law];
  if (!role) throw new InputError(`${source}: the planner has no use for law ${show(fit.law)}; it takes ${Object.keys(ROLES).join(', ')}`, 'fit');
  return role;
}

/** Bootstrap parameter vectors of a fit, or none. */
function samplesOf(fit: ScalingFit): Float64Array[] {
  return (fit.bootstrap?.samples ?? []).map((s) => Float64Array.from(s));
}

/**
 * Plans a training run: compute-optimal N and D for the budget with bootstrap intervals, the loss
 * it should reach, batch size, learning rate and steps, and the time and cost. Whatever the fits
 * given cannot answer is listed in `unanswered`, with the reason.
 */
export function plan(options: PlanOptions): PlanRecord {
  const { seqLen = 2048, batchUnit = 'sequences' } = options;
  const { fitSeqLen = seqLen } = options;
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new InputError(`seqLen must be a positive integer; got ${show(seqLen)}`, 'seqLen');
  if (!(fitSeqLen > 0)) throw new InputError(`fitSeqLen must be positive; got ${show(fitSeqLen)}`, 'fitSeqLen');
  const budget = resolveBudget(options.budget);
  const byRole = new Map<FitRole, { fit: PlannerFit; source: string }>();
  const named = (entry: PlannerFit | { fit: PlannerFit; source: string }) =>
    'source' in entry && 'fit' in entry ? entry : { fit: entry, source: entry.kind === 'scaling-fit' ? entry.data.source : `curve fit (${entry.law})` };
  for (const entry of options.fits) {
    const item = named(entry);
    const role = roleOf(item.fit, item.source);
    const previous = byRole.get(role);
    if (previous) throw new InputError(`two ${role} fits given: ${previous.source} (${previous.fit.law}) and ${item.source} (${item.fit.law}); give one`, 'fit');
    byRole.set(role, item);
  }
  const scaling = byRole.get('scaling') as { fit: ScalingFit; source: string } | undefined;
  const scalingRole = (role: FitRole) => byRole.get(role) as { fit: ScalingFit; source: string } | undefined;
  if (!scaling) {
    const got = options.fits.map(named).map((e) => `${e.source} (${e.fit.kind === 'curve-fit' ? 'curve fit, ' : ''}law ${e.fit.law})`);
    throw new InputError(`the planner needs a scaling-law fit in N and D (law chinchilla or kaplan, e.g. fits/chinchilla-epoch2024.json); got ${got.length ? got.join(', ') : 'no fits'}`, 'fit');
  }
  checkFitValues(scaling.fit, scaling.source);
  const level = options.level ?? scaling.fit.bootstrap?.level ?? 0.9;
  if (!(level > 0 && level < 1)) throw new InputError(`level must be in (0, 1); got ${show(level)}`, 'level');
  const C = budget.compute;
  const unanswered: PlanRecord['unanswered'] = [];

  // Compute-optimal allocation at C (Hoffmann et al. 2022, eq. 4 for Chinchilla), and the same for
  // every bootstrap resample: the percentile interval of N_opt, D_opt and L_opt.
  const point = options.optimum ? options.optimum(scaling.fit.vector(), C, -1) : optimumAt(scaling.fit.law, scaling.fit.vector(), C);
  if (!(point.N >= 1) || !(point.D >= 1)) {
    throw new InputError(
      `budget: ${show(C)} FLOPs is too small: the compute-optimal model of ${scaling.source} would have N = ${formatNumber(point.N, 3)} parameters and D = ${formatNumber(point.D, 3)} tokens, fewer than one`,
      'compute',
    );
  }
  if (!(point.loss > 0)) throw new InputError(`${scaling.source}: the fit predicts a loss of ${formatNumber(point.loss, 4)} at ${show(C)} FLOPs, which no loss can be; check its parameters`, 'fit');
  const draws = samplesOf(scaling.fit).map((p, k) => (options.optimum ? drawWith(() => options.optimum!(p, C, k)) : drawAt(scaling.fit.law, p, C)));
  if (draws.length === 0) unanswered.push({ item: 'intervals on N, D and loss', reason: `${scaling.source} has no bootstrap; refit with --bootstrap to get them` });
  const warnings: string[] = [];
  const finiteDraws = draws.filter((d) => Number.isFinite(d.loss));
  if (draws.length > 0 && finiteDraws.length < 2)
    warnings.push(`intervals on N, D and loss: not identified (${draws.length - finiteDraws.length} of ${draws.length} resamples have no finite optimum at this budget)`);
  const lossEstimate = estimate(
    point.loss,
    draws.map((d) => d.loss),
    level,
  );
  const floored = floorInterval(lossEstimate, {
    ...(options.floor ? { floor: options.floor } : {}),
    ...(scaling.fit.values.E !== undefined && !options.floor ? { fittedE: scaling.fit.values.E } : {}),
    ...(options.floor && finiteDraws.length > 0 ? { share: finiteDraws.filter((d) => d.loss < options.floor!.value).length / finiteDraws.length } : {}),
    what: 'final loss',
  });
  const { warnings: floorWarnings, clippedFrom: _clipped, ...loss } = floored;
  const model: PlanRecord['model'] = {
    N: estimate(
      point.N,
      draws.map((d) => d.N),
      level,
    ),
    D: estimate(
      point.D,
      draws.map((d) => d.D),
      level,
    ),
    tokensPerParameter: point.D / point.N,
    loss,
    method: point.method,
  };
  if (options.range) warnings.push(...rangeWarnings(options.range, { N: point.N, D: point.D, C }, options.margins));
  else warnings.push(`the fitted range of ${scaling.source} is unknown (its data were not found), so how far this plan extrapolates cannot be said`);
  warnings.push(...floorWarnings);

  // Inputs any auxiliary law may read, per draw (index -1 is the point estimate).
  const inputsAt = (k: number) => {
    const d = k < 0 ? point : (draws[k % Math.max(1, draws.length)] ?? point);
    return { N: d.N, D: d.D, C, L: d.loss };
  };
  const evaluate = (fit: ScalingFit) => {
    const law = getLaw(fit.law);
    const value = predictWith(law, fit.vector(), inputsAt(-1))[0]!;
    const samples = samplesOf(fit);
    // Pair resample k of this fit with resample k of the scaling fit (independent fits: a joint draw).
    const n = Math.max(samples.length, draws.length);
    const values: number[] = [];
    for (let k = 0; k < n; k++) {
      // A resample whose law has no finite optimum at C (loss or N infinite) has nothing to pair with.
      const inputs = inputsAt(k);
      if (![inputs.N, inputs.D, inputs.L].every(Number.isFinite)) continue;
      values.push(predictWith(law, samples[k % samples.length] ?? fit.vector(), inputs)[0]!);
    }
    return estimate(value, values, level);
  };
  const toTokens = (x: number) => (batchUnit === 'sequences' ? x * fitSeqLen : x);

  // Batch size: the critical batch where a fit gives it (McCandlish et al. 2018: beyond it, more
  // batch buys little speed), else the published compute-optimal batch.
  let batch: PlanRecord['batch'];
  const bcrit = scalingRole('critical-batch');
  const bopt = scalingRole('batch');
  const powerOfTwoBelow = (sequences: number) => 2 ** Math.max(0, Math.floor(Math.log2(Math.max(1, sequences))));
  if (bcrit) {
    const e = evaluate(bcrit.fit);
    const critical: Estimate = { value: toTokens(e.value), ...(e.lower !== undefined ? { lower: toTokens(e.lower), upper: toTokens(e.upper!) } : {}) };
    const sequences = powerOfTwoBelow(critical.value / seqLen);
    batch = {
      critical,
      recommended: sequences * seqLen,
      recommendedSequences: sequences,
      seqLen,
      source: `${bcrit.source} (law ${bcrit.fit.law}); recommended: the largest power-of-two number of sequences at or below B_crit`,
    };
  } else {
    unanswered.push({
      item: 'critical batch size',
      reason: 'no critical-batch fit given (laws kaplan-bcrit, bcrit-n, bcrit-d: fit one with `scalelaw batch` on runs at several batch sizes, or plan from --store)',
    });
    const published = bopt
      ? { value: toTokens(evaluate(bopt.fit).value), source: `${bopt.source} (law ${bopt.fit.law})` }
      : { value: PUBLISHED.batch.k * C ** PUBLISHED.batch.e, source: PUBLISHED.batch.source };
    const sequences = powerOfTwoBelow(published.value / seqLen);
    batch = { recommended: sequences * seqLen, recommendedSequences: sequences, seqLen, source: `${published.source}; rounded down to a power-of-two number of sequences` };
  }

  let learningRate: PlanRecord['learningRate'];
  const lr = scalingRole('learning-rate');
  if (lr) {
    const e = evaluate(lr.fit);
    learningRate = { ...e, source: `${lr.source} (law ${lr.fit.law})` };
  } else {
    const published = PUBLISHED['learning-rate'];
    learningRate = { value: published.k * C ** published.e, source: published.source };
  }

  const steps = Math.ceil(point.D / batch.recommended);
  let schedule: PlanRecord['schedule'];
  const curve = byRole.get('schedule') as { fit: CurveFit; source: string } | undefined;
  if (curve) schedule = scheduleAdvice(curve.fit, curve.source, steps);
  else unanswered.push({ item: 'best schedule and WSD cooldown', reason: 'no loss-curve fit given (kind "curve-fit": fit one with `scalelaw curve fit`)' });
  if (budget.gpuHours === undefined) unanswered.push({ item: 'wall-clock and cost', reason: 'no GPU FLOP rate given (--gpu-flops, with --utilization, --gpus and --price)' });
  else if (budget.cost === undefined) unanswered.push({ item: 'cost', reason: 'no price per GPU-hour given (--price)' });

  const fits = [...byRole.entries()].map(([role, { fit, source }]) => ({
    role,
    law: fit.law,
    source,
    bootstrap: fit.bootstrap?.resamples ?? 0,
  }));
  const backtest = options.backtest ? planBacktest(options.backtest) : undefined;
  if (backtest) {
    const q = backtest.errorQuantile;
    if (Number.isFinite(q) && q < 1) {
      const v = model.loss.value;
      const lower = Math.max(Math.min(model.loss.lower ?? v, v / (1 + q)), options.floor?.value ?? 0);
      model.predictive = { lower, upper: Math.max(model.loss.upper ?? v, v / (1 - q)), errorQuantile: q };
    }
    const reach = Math.max(...backtest.cuts.map((c) => c.largestRatio));
    const largestN = options.range?.N?.[1];
    if (largestN !== undefined && model.N.value / largestN > reach * 1.5)
      warnings.push(
        `the plan's N is ${formatNumber(model.N.value / largestN, 3)}x the largest fitted; the backtest reached ${formatNumber(reach, 3)}x, so its error (and the predictive interval built from it) is measured at a shorter reach than this plan's`,
      );
  }
  return {
    kind: 'plan',
    version: 1,
    budget,
    level,
    fits,
    model,
    batch,
    learningRate,
    steps,
    ...(schedule ? { schedule } : {}),
    unanswered,
    warnings,
    ...(options.range ? { range: options.range } : {}),
    ...(backtest ? { backtest } : {}),
  };
}

/** The plan's digest of a backtest. */
function planBacktest(b: ScalingBacktestRecord): PlanBacktest {
  return {
    meanRelativeError: b.meanRelativeError,
    ...(b.coverage !== undefined ? { coverage: b.coverage } : {}),
    level: b.level,
    heldOut: b.heldOut,
    cuts: b.cuts.map((c) => ({
      trainMaxN: c.trainMaxN,
      largestTrainN: c.largestTrainN,
      largestRatio: Math.max(...c.sizes.map((s) => s.ratio)),
      meanRelativeError: c.meanRelativeError,
      ...(c.coverage !== undefined ? { coverage: c.coverage } : {}),
    })),
    errorQuantile: quantile(
      b.cuts.flatMap((c) => c.points.map((p) => Math.abs(p.relativeError))).sort((x, y) => x - y),
      b.level,
    ),
    summary: backtestSummary(b),
    date: b.date,
  };
}

/**
 * The best standard schedule and WSD cooldown for `steps` under a whole-curve law, with the fit's
 * own peak rate and warmup, and the predicted gain over cosine to peak / 10. The law was fitted on
 * some other run's curves, so its loss levels belong to that run: the ranking and the gain are what
 * carry over.
 */
function scheduleAdvice(fit: CurveFit, source: string, steps: number): NonNullable<PlanRecord['schedule']> {
  const base = budgetFromFit(fit, steps);
  // A warmup as long as the fit's own may not fit in a shorter run; keep it to 5% there.
  const warmup = (base.warmup ?? 0) < steps / 4 ? (base.warmup ?? 0) : Math.round(steps * 0.05);
  const budget = { ...base, warmup };
  const ranked = bestSchedule(fit, budget);
  const wsd = bestWsdCooldown(fit, budget, { fractions: Array.from({ length: 19 }, (_, i) => (i + 1) / 20) });
  const cosine = finalLosses(fit, [{ type: 'cosine', peak: budget.peak, final: budget.peak / 10, steps, warmup }])[0]!;
  const best = ranked[0]!;
  // A family varies the value its name gives in parentheses (the power schedule its exponent).
  const param = /\((.*)\)$/.exec(best.family)?.[1];
  const bestName = `${best.family.replace(/ \(.*\)$/, '')} ${best.family.includes('fraction') ? `cooldown ${Math.round(best.value * 100)}%` : param === undefined || param === 'final / peak' ? `final/peak ${best.value}` : `${param} ${best.value}`}`;
  return {
    best: bestName,
    cooldownFraction: wsd.fraction,
    predictedLoss: { 'cosine (final/peak 0.1)': cosine, [bestName]: best.final, [`wsd exponential, cooldown ${Math.round(wsd.fraction * 100)}%`]: wsd.final },
    gainOverCosine: cosine - best.final,
    source: `${source} (law ${fit.law}), peak ${budget.peak}, warmup ${warmup}, ${steps} steps`,
    note: 'the curve law describes the run it was fitted on; its ranking of schedules and the gain carry over, its loss levels do not',
  };
}
