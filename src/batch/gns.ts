import { InputError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';
import type { Run } from '../core/run.js';

/**
 * One measurement of the gradient noise scale from two batch sizes.
 *
 * McCandlish et al. 2018, App. A.1: the squared norm of a mean gradient over B examples has
 * expectation E|G_B|^2 = |G|^2 + tr(Sigma) / B, so two batch sizes give unbiased estimates
 *   |G|^2     = (B_big |G_big|^2 - B_small |G_small|^2) / (B_big - B_small),
 *   tr(Sigma) = (|G_small|^2 - |G_big|^2) / (1 / B_small - 1 / B_big),
 * and the simple noise scale B_simple = tr(Sigma) / |G|^2.
 */
export interface GnsEstimate {
  /** Estimate of |G|^2, the squared norm of the true gradient (may be negative for one noisy step). */
  G2: number;
  /** Estimate of tr(Sigma), the per-example gradient variance summed over parameters. */
  trSigma: number;
  /** B_simple = trSigma / G2. For a tracker, the ratio of the two moving averages. */
  bSimple: number;
}

/** Where a bad value came from, for error messages (e.g. 'gradnorms.csv: row 4'). */
type Where = string | undefined;

function check(where: Where, gSmallSq: number, gBigSq: number, bSmall: number, bBig: number): void {
  const at = where ? `${where}: ` : '';
  const positive = (name: string, v: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${at}${name}: not a finite number: ${show(v)}`, name);
    if (v <= 0) throw new InputError(`${at}${name}: must be positive, got ${show(v)}`, name);
  };
  positive('gradSqSmall', gSmallSq);
  positive('gradSqBig', gBigSq);
  positive('bSmall', bSmall);
  positive('bBig', bBig);
  if (bSmall >= bBig) throw new InputError(`${at}bSmall must be less than bBig, got bSmall ${show(bSmall)} and bBig ${show(bBig)}`, 'bSmall');
}

/**
 * The two-batch unbiased estimates of |G|^2 and tr(Sigma) for one step, and their ratio.
 * Inputs are squared gradient norms (|G_small|^2, |G_big|^2) of mean gradients over `bSmall` and
 * `bBig` examples (or sequences, or tokens: B_simple comes out in the same unit).
 *
 * @example gradientNoiseScale(19.625, 7.90625, 64, 256) // { G2: 4, trSigma: 1000, bSimple: 250 }
 */
export function gradientNoiseScale(gSmallSq: number, gBigSq: number, bSmall: number, bBig: number): GnsEstimate {
  check(undefined, gSmallSq, gBigSq, bSmall, bBig);
  return estimate(gSmallSq, gBigSq, bSmall, bBig);
}

function estimate(gSmallSq: number, gBigSq: number, bSmall: number, bBig: number): GnsEstimate {
  // McCandlish et al. 2018, App. A.1, eqs. A.2-A.3.
  const G2 = (bBig * gBigSq - bSmall * gSmallSq) / (bBig - bSmall);
  const trSigma = (gSmallSq - gBigSq) / (1 / bSmall - 1 / bBig);
  return { G2, trSigma, bSimple: trSigma / G2 };
}

export interface GnsTrackerOptions {
  /**
   * Weight of the past in the exponential moving averages, in [0, 1): each update does
   * ema = beta ema + (1 - beta) x. 0 keeps only the latest step.
   * @default 0.99
   */
  beta?: number;
  /**
   * Divide each average by (1 - beta^t) after t updates (as Adam does), so early estimates are
   * not pulled towards zero. The ratio B_simple is unaffected; G2 and trSigma are.
   * @default true
   */
  biasCorrection?: boolean;
}

/**
 * A small stateful estimator for use inside a training loop: feed it each step's two squared
 * gradient norms; it keeps separate moving averages of the |G|^2 and tr(Sigma) estimates and reports
 * their ratio. McCandlish et al. 2018, App. A.1: the single-step estimates are noisy (|G|^2 can
 * even be negative), and the mean of per-step ratios is biased, so the ratio is taken last.
 */
export interface GnsTracker {
  /** Adds one step and returns the smoothed estimate after it. */
  update(gSmallSq: number, gBigSq: number, bSmall: number, bBig: number): GnsEstimate;
  /** The smoothed estimate so far (NaN fields before the first update). */
  readonly estimate: GnsEstimate;
  /** Number of updates so far. */
  readonly count: number;
}

class Tracker implements GnsTracker {
  private emaG2 = 0;
  private emaS = 0;
  private t = 0;
  constructor(
    private readonly beta: number,
    private readonly biasCorrection: boolean,
  ) {}

  update(gSmallSq: number, gBigSq: number, bSmall: number, bBig: number): GnsEstimate {
    check(`step ${this.t + 1}`, gSmallSq, gBigSq, bSmall, bBig);
    const one = estimate(gSmallSq, gBigSq, bSmall, bBig);
    this.emaG2 = this.beta * this.emaG2 + (1 - this.beta) * one.G2;
    this.emaS = this.beta * this.emaS + (1 - this.beta) * one.trSigma;
    this.t++;
    return this.estimate;
  }

  get estimate(): GnsEstimate {
    if (this.t === 0) return { G2: NaN, trSigma: NaN, bSimple: NaN };
    const correction = this.biasCorrection ? 1 - Math.pow(this.beta, this.t) : 1;
    const G2 = this.emaG2 / correction;
    const trSigma = this.emaS / correction;
    return { G2, trSigma, bSimple: trSigma / G2 };
  }

  get count(): number {
    return this.t;
  }
}

/**
 * Creates a gradient-noise-scale tracker.
 *
 * @example
 * const gns = gnsTracker({ beta: 0.95 });
 * for (const step of steps) gns.update(step.gradSqSmall, step.gradSqBig, 8, 64);
 * gns.estimate.bSimple
 */
export function gnsTracker(options: GnsTrackerOptions = {}): GnsTracker {
  const { beta = 0.99, biasCorrection = true } = options;
  if (!(beta >= 0 && beta < 1)) throw new InputError(`beta: not in [0, 1): ${show(beta)}`, 'beta');
  return new Tracker(beta, biasCorrection);
}

/** One logged step: the fields a trainer writes into its trajectory (see TrajectoryPoint). */
export interface GradNormRow {
  step?: number;
  gradSqSmall?: number;
  gradSqBig?: number;
  bSmall?: number;
  bBig?: number;
}

export interface GnsFromLogOptions extends GnsTrackerOptions {
  /** Names the data in error messages. @default 'gradient norms' */
  source?: string;
  /**
   * Rows lacking all four fields (a trainer that measures the noise scale every k steps) are
   * skipped when true; an InputError otherwise. Rows with some but not all fields are always errors.
   * @default true
   */
  skipMissing?: boolean;
}

/** The noise scale over a logged run. */
export interface GnsSeries {
  /** Step of each used row (its 1-based position when the log has no step column). */
  step: Float64Array;
  /** Per-step (unsmoothed) estimates. */
  G2: Float64Array;
  trSigma: Float64Array;
  /** Smoothed B_simple after each row: ratio of the moving averages. */
  bSimple: Float64Array;
  /** The smoothed estimate after the last row. */
  final: GnsEstimate;
  /** B_simple from the plain means of all per-step estimates (no smoothing): sum trSigma / sum G2. */
  overall: GnsEstimate;
}

/**
 * Gradient noise scale from logged gradient norms: rows of { gradSqSmall, gradSqBig, bSmall, bBig }
 * (a CSV read into objects, or a run's trajectory). Validates every row, naming it in errors.
 */
export function gnsFromLog(rows: readonly GradNormRow[], options: GnsFromLogOptions = {}): GnsSeries {
  const { source = 'gradient norms', skipMissing = true, ...trackerOptions } = options;
  const tracker = gnsTracker(trackerOptions);
  const fields = ['gradSqSmall', 'gradSqBig', 'bSmall', 'bBig'] as const;
  const step: number[] = [],
    G2: number[] = [],
    trSigma: number[] = [],
    bSimple: number[] = [];
  let sumG2 = 0,
    sumS = 0;
  rows.forEach((row, i) => {
    const present = fields.filter((f) => row[f] !== undefined && row[f] !== null && !Number.isNaN(row[f]));
    if (present.length === 0 && skipMissing) return;
    const where = `${source}: row ${i + 1}`;
    if (present.length < fields.length) {
      const missing = fields.filter((f) => !present.includes(f));
      throw new InputError(`${where}: missing ${missing.join(', ')}`, missing[0]);
    }
    check(where, row.gradSqSmall!, row.gradSqBig!, row.bSmall!, row.bBig!);
    const one = estimate(row.gradSqSmall!, row.gradSqBig!, row.bSmall!, row.bBig!);
    tracker.update(row.gradSqSmall!, row.gradSqBig!, row.bSmall!, row.bBig!);
    step.push(row.step ?? i + 1);
    G2.push(one.G2);
    trSigma.push(one.trSigma);
    bSimple.push(tracker.estimate.bSimple);
    sumG2 += one.G2;
    sumS += one.trSigma;
  });
  if (step.length === 0) throw new InputError(`${source}: no rows with gradSqSmall, gradSqBig, bSmall and bBig`, 'gradSqSmall');
  const n = step.length;
  return {
    step: Float64Array.from(step),
    G2: Float64Array.from(G2),
    trSigma: Float64Array.from(trSigma),
    bSimple: Float64Array.from(bSimple),
    final: tracker.estimate,
    overall: { G2: sumG2 / n, trSigma: sumS / n, bSimple: sumS / sumG2 },
  };
}

/** The noise scale of one run, from the gradient norms its trainer logged. */
export interface RunGns extends GnsSeries {
  runId: string;
  batchSize?: number;
  N?: number;
}

/**
 * Gradient noise scale per run, from trajectories that log gradSqSmall, gradSqBig, bSmall and bBig
 * (the proxy trainer does when it splits a batch into micro-batches). Runs that log none are left
 * out; an InputError when no run logs them.
 */
export function gnsFromRuns(runs: readonly Run[], options: GnsTrackerOptions = {}): RunGns[] {
  const measured = runs.filter((r) => r.trajectory.some((p) => p.gradSqSmall !== undefined));
  if (measured.length === 0) {
    throw new InputError(`none of ${runs.length} runs logs gradSqSmall, gradSqBig, bSmall and bBig (train with micro-batches to log them)`, 'gradSqSmall');
  }
  return measured.map((r) => ({
    runId: r.config.id,
    ...(r.config.batchSize !== undefined ? { batchSize: r.config.batchSize } : {}),
    ...(r.config.N !== undefined ? { N: r.config.N } : {}),
    ...gnsFromLog(r.trajectory, { ...options, source: `run ${show(r.config.id)}` }),
  }));
}

/**
 * A series as text: the smoothed and the overall B_simple with the final |G|^2 and tr(Sigma), and
 * with `every` > 0 a table of every `every`-th smoothed value. `beta` is the moving averages' weight
 * the series was computed with (for the text).
 */
export function gnsSeriesReport(series: GnsSeries, options: { beta: number; every?: number }): string {
  const { beta, every = 0 } = options;
  const n = series.step.length;
  const out = [
    `B_simple (moving averages, beta ${beta}): ${formatNumber(series.final.bSimple)}  |G|^2 ${formatNumber(series.final.G2)}  tr(Sigma) ${formatNumber(series.final.trSigma)}`,
    `B_simple (all rows, ratio of means):    ${formatNumber(series.overall.bSimple)}`,
  ];
  if (every > 0) {
    const picked = [];
    for (let i = every - 1; i < n; i += every) picked.push([series.step[i]!, series.bSimple[i]!]);
    out.push('', formatTable(picked, ['step', 'B_simple']));
  }
  return out.join('\n');
}

/** The noise scale of each run of `gnsFromRuns` as a table (run, N, batch, measurements, smoothed and overall B_simple). */
export function gnsRunsReport(results: readonly RunGns[], options: { beta: number }): string {
  return formatTable(
    results.map((r) => [r.runId, r.N ?? '', r.batchSize ?? '', r.step.length, r.final.bSimple, r.overall.bSimple]),
    ['run', 'N', 'batch', 'measurements', `B_simple (EMA ${options.beta})`, 'B_simple (all)'],
  );
}
