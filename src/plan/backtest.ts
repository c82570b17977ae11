import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import { bootstrap, optionsOf, predictInterval } from '../fit/bootstrap.js';
import { fitLaw, prepareData, type FitData, type FitOptions } from '../fit/fit.js';
import type { ScalingFit } from '../fit/result.js';
import type { Inputs } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';

/** Options of `backtestScaling`: where to cut, what to score, and the bootstrap of each cut. */
export interface ScalingBacktestOptions {
  /**
   * Cuts N_k: each fits on the rows with N <= N_k and predicts every larger size. @default four
   * cuts, at the largest size at or below N_max / 2, / 4, / 8 and / 16 (extrapolating 2x to 16x)
   */
  cuts?: readonly number[];
  /** Score only held-out sizes with N >= this (e.g. 5e9: predict the 5B+ models). @default every size above the cut */
  testMinN?: number;
  /** Bootstrap resamples of each cut's fit, for the interval coverage; 0 for none. @default 100 */
  bootstrap?: number;
  /** Seed of the bootstrap. @default 0 */
  seed?: number;
  /** Central level of the intervals whose coverage is counted. @default 0.9 */
  level?: number;
  /** N values within this relative gap of the group's smallest count as one model size. @default 0.02 */
  sizeTolerance?: number;
  /**
   * Fit settings of every cut. @default those of the fit given (its loss, residual space, fixed
   * values and bounds, from `optionsOf`), else fitLaw's defaults
   */
  fitOptions?: FitOptions;
  /** Worker threads for the fits and resamples. @default every core */
  threads?: number;
}

/** One held-out row: the observed loss, the prediction from the cut's fit, and its interval. */
export interface BacktestPoint {
  readonly N: number;
  readonly D: number;
  readonly loss: number;
  readonly predicted: number;
  /** (predicted - loss) / loss. */
  readonly relativeError: number;
  readonly interval?: readonly [number, number];
  readonly covered?: boolean;
}

/** One held-out model size (rows whose N lie within `sizeTolerance` of each other). */
export interface BacktestSize {
  /** Geometric mean of the group's N. */
  readonly N: number;
  readonly rows: number;
  /** N / the cut's largest training N: how far the fit extrapolated. */
  readonly ratio: number;
  /** Mean of |predicted - loss| / loss over the size's rows. */
  readonly meanRelativeError: number;
  /** Mean of (predicted - loss) / loss: positive where the fit predicts too high a loss. */
  readonly bias: number;
  /** Share of rows inside the interval, where a bootstrap was run. */
  readonly coverage?: number;
}

/** One cut N_k: the fit on N <= N_k and its predictions of the larger sizes. */
export interface BacktestCut {
  /** The cut N_k: rows with N <= N_k trained the fit. */
  readonly trainMaxN: number;
  /** Largest N among the training rows. */
  readonly largestTrainN: number;
  readonly trainRows: number;
  readonly trainSizes: number;
  readonly converged: boolean;
  /** The cut's fitted parameters, by name. */
  readonly values: Readonly<Record<string, number>>;
  readonly sizes: readonly BacktestSize[];
  readonly points: readonly BacktestPoint[];
  /** Mean |relative error| over the cut's held-out rows. */
  readonly meanRelativeError: number;
  readonly coverage?: number;
}

/** A rolling-over-N backtest as plain data (what `toJSON` and the cache files hold). */
export interface ScalingBacktestRecord {
  readonly kind: 'scaling-backtest';
  readonly version: 1;
  readonly law: string;
  readonly data: { readonly source: string; readonly rows: number };
  readonly objective: { readonly loss: string; readonly settings: Readonly<Record<string, number>>; readonly space: 'log' | 'linear' };
  readonly fixed: Readonly<Record<string, number>>;
  /** ISO date the backtest ran. */
  readonly date: string;
  readonly level: number;
  /** Resamples per cut (0: no intervals). */
  readonly bootstrap: number;
  readonly seed: number;
  readonly testMinN?: number;
  readonly cuts: readonly BacktestCut[];
  /** Held-out rows scored, over all cuts. */
  readonly heldOut: number;
  /** Mean |relative error| over every (cut, held-out row). */
  readonly meanRelativeError: number;
  /** Share of every (cut, held-out row) inside its interval, where a bootstrap was run. */
  readonly coverage?: number;
}

/** The result of `backtestScaling`, with `report()`. */
/** A backtest with its readable `report()`; `toJSON()` gives the plain record. */
export interface ScalingBacktest extends ScalingBacktestRecord {
  report(): string;
  toJSON(): ScalingBacktestRecord;
}

/** Training needs this many distinct sizes: two points fix no exponent and no curvature. */
const MIN_TRAIN_SIZES = 3;

/**
 * Rolling-over-N backtest of a scaling fit, as model ladders are checked (Choshen et al. 2024, "A
 * Hitchhiker's Guide to Scaling Law Estimation"): for each cut N_k, fit the law on the rows with
 * N <= N_k, predict every held-out size above it, and score the prediction against the observed
 * loss (relative error) and against a bootstrap interval of the cut's fit (coverage). The interval
 * is the spread of the fitted curve, not of one new run's loss, so its coverage is an honest
 * lower reading of how far the curve can be trusted. Cuts that leave fewer than 3 sizes to train
 * on, or nothing to predict, are skipped.
 *
 * `lawOrFit` is a law name (fitLaw's defaults) or a fit, whose objective, fixed values and bounds
 * each cut then reproduces. Relative errors are |Lhat - L| / L per held-out row; the means are over
 * rows, and per size over that size's rows.
 *
 * @example (await backtestScaling('chinchilla', table, { cuts: [2.5e9], testMinN: 5e9 })).report()
 */
export async function backtestScaling(lawOrFit: string | ScalingFit, data: FitData, options: ScalingBacktestOptions = {}): Promise<ScalingBacktest> {
  const { testMinN, bootstrap: resamples = 100, seed = 0, level = 0.9, sizeTolerance = 0.02, threads } = options;
  const fitOptions: FitOptions = { ...(typeof lawOrFit === 'string' ? {} : optionsOf(lawOrFit)), ...options.fitOptions, ...(threads !== undefined ? { threads } : {}) };
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  if (!(Number.isInteger(resamples) && (resamples === 0 || resamples >= 2))) throw new InputError(`bootstrap: must be 0 or an integer >= 2, got ${show(resamples)}`, 'bootstrap');
  if (!(sizeTolerance >= 0 && sizeTolerance < 1)) throw new InputError(`sizeTolerance: not in [0, 1): ${show(sizeTolerance)}`, 'sizeTolerance');
  if (testMinN !== undefined && !(testMinN > 0)) throw new InputError(`testMinN: must be a positive number of parameters, got ${show(testMinN)}`, 'testMinN');
  const law = getLaw<Inputs>(typeof lawOrFit === 'string' ? lawOrFit : lawOrFit.law);
  if (!law.inputs.includes('N')) throw new InputError(`backtest: law ${show(law.name)} does not read N (inputs: ${law.inputs.join(', ')}); the backtest rolls over model sizes`, 'law');
  const space = fitOptions.space ?? 'log';
  const fixed = fitOptions.fixed ?? {};
  const free = law.params.filter((p) => !(p.name in fixed)).length;
  const prepared = prepareData(law, data, space, free);
  const N = prepared.inputs.N!;
  const rows = prepared.y.length;

  // Model sizes: sorted N, a new size wherever N moves more than sizeTolerance past the group's first.
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => N[a]! - N[b]!);
  const sizeOf = new Int32Array(rows);
  const groups: { lo: number; hi: number; members: number[] }[] = [];
  for (const i of order) {
    const last = groups[groups.length - 1];
    if (last && N[i]! <= last.lo * (1 + sizeTolerance)) {
      last.members.push(i);
      last.hi = N[i]!;
    } else groups.push({ lo: N[i]!, hi: N[i]!, members: [i] });
    sizeOf[i] = groups.length - 1;
  }
  const nMax = groups[groups.length - 1]!.hi;
  const requested = options.cuts ?? [2, 4, 8, 16].map((f) => nMax / f);
  for (const c of requested) if (!(c > 0) || !Number.isFinite(c)) throw new InputError(`cuts: each must be a positive number of parameters, got ${show(c)}`, 'cuts');
  // Snap each cut to the last size at or below it, so two cuts between the same sizes run once.
  const cuts = [
    ...new Set(
      requested.map((c) => {
        const g = groups.findLastIndex((s) => s.hi <= c);
        return g < 0 ? -1 : g;
      }),
    ),
  ]
    .filter((g) => g >= MIN_TRAIN_SIZES - 1 && g < groups.length - 1)
    .sort((a, b) => a - b);
  if (cuts.length === 0) {
    throw new InputError(
      `cuts: none leaves ${MIN_TRAIN_SIZES} sizes to fit on and a larger one to predict; the data have ${groups.length} sizes from N = ${formatNumber(groups[0]!.lo, 3)} to ${formatNumber(nMax, 3)}, cuts asked: ${requested.map((c) => formatNumber(c, 3)).join(', ')}`,
      'cuts',
    );
  }

  const out: BacktestCut[] = [];
  for (const g of cuts) {
    const trainMaxN = options.cuts ? Math.max(...requested.filter((c) => groups.findLastIndex((s) => s.hi <= c) === g)) : groups[g]!.hi;
    const train = order.filter((i) => sizeOf[i]! <= g);
    const test = order.filter((i) => sizeOf[i]! > g && (testMinN === undefined || N[i]! >= testMinN));
    if (test.length === 0) continue;
    const pick = (idx: number[]) => ({
      inputs: Object.fromEntries(law.inputs.map((name) => [name, Float64Array.from(idx, (i) => prepared.inputs[name]![i]!)])),
      loss: Float64Array.from(idx, (i) => prepared.y[i]!),
      source: `${prepared.source} (N <= ${formatNumber(trainMaxN, 3)})`,
    });
    const trainData = pick(train);
    let fit = await fitLaw(law, trainData, fitOptions);
    if (resamples > 0) fit = await bootstrap(fit, trainData, { resamples, seed, level, ...(threads !== undefined ? { threads } : {}) });
    const testInputs = pick(test).inputs;
    const predicted = fit.predict(testInputs);
    const band = resamples > 0 ? predictInterval(fit, testInputs, { level }) : undefined;
    const points: BacktestPoint[] = test.map((i, k) => {
      const loss = prepared.y[i]!,
        p = predicted[k]!;
      const point: BacktestPoint = { N: N[i]!, D: prepared.inputs.D?.[i] ?? Number.NaN, loss, predicted: p, relativeError: (p - loss) / loss };
      if (!band) return point;
      const interval = [band.lower[k]!, band.upper[k]!] as const;
      return { ...point, interval, covered: loss >= interval[0] && loss <= interval[1] };
    });
    const largestTrainN = groups[g]!.hi;
    const sizes: BacktestSize[] = [];
    for (let s = g + 1; s < groups.length; s++) {
      const at = points.filter((_, k) => sizeOf[test[k]!] === s);
      if (at.length === 0) continue;
      const logMean = at.reduce((a, p) => a + Math.log(p.N), 0) / at.length;
      sizes.push({
        N: Math.exp(logMean),
        rows: at.length,
        ratio: Math.exp(logMean) / largestTrainN,
        meanRelativeError: mean(at.map((p) => Math.abs(p.relativeError))),
        bias: mean(at.map((p) => p.relativeError)),
        ...(band ? { coverage: mean(at.map((p) => (p.covered ? 1 : 0))) } : {}),
      });
    }
    out.push({
      trainMaxN,
      largestTrainN,
      trainRows: train.length,
      trainSizes: g + 1,
      converged: fit.converged,
      values: { ...fit.values },
      sizes,
      points,
      meanRelativeError: mean(points.map((p) => Math.abs(p.relativeError))),
      ...(band ? { coverage: mean(points.map((p) => (p.covered ? 1 : 0))) } : {}),
    });
  }
  if (out.length === 0) throw new InputError(`testMinN: no held-out size at or above ${formatNumber(testMinN!, 3)} for any cut; the largest N is ${formatNumber(nMax, 3)}`, 'testMinN');
  const all = out.flatMap((c) => c.points);
  const reference = typeof lawOrFit === 'string' ? undefined : lawOrFit;
  const loss = fitOptions.loss;
  const record: ScalingBacktestRecord = {
    kind: 'scaling-backtest',
    version: 1,
    law: law.name,
    data: { source: reference?.data.source ?? prepared.source, rows },
    objective: reference
      ? { loss: reference.objective.loss, settings: { ...reference.objective.settings }, space: reference.objective.space }
      : { loss: loss?.name ?? 'huber', settings: loss ? { ...loss.settings } : { delta: 1e-3 }, space },
    fixed: { ...fixed },
    date: new Date().toISOString().slice(0, 10),
    level,
    bootstrap: resamples,
    seed,
    ...(testMinN !== undefined ? { testMinN } : {}),
    cuts: out,
    heldOut: all.length,
    meanRelativeError: mean(all.map((p) => Math.abs(p.relativeError))),
    ...(resamples > 0 ? { coverage: mean(all.map((p) => (p.covered ? 1 : 0))) } : {}),
  };
  return withReport(record);
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

/** Gives a backtest record its `report()` and `toJSON()`; frozen. */
function withReport(record: ScalingBacktestRecord): ScalingBacktest {
  const plain = structuredClone(record);
  const out: ScalingBacktest = {
    ...plain,
    report: () => backtestReport(plain),
    toJSON: () => structuredClone(plain),
  };
  return Object.freeze(out);
}

/** Rebuilds a backtest from its JSON (a cache file); `source` names the file in errors. */
export function backtestFromJSON(json: unknown, source = 'backtest'): ScalingBacktest {
  const r = json as Partial<ScalingBacktestRecord> | null;
  if (!r || typeof r !== 'object' || r.kind !== 'scaling-backtest') throw new InputError(`${source}: kind must be "scaling-backtest", got ${show(r?.kind)}`, 'kind');
  if (r.version !== 1) throw new InputError(`${source}: unsupported backtest version ${show(r.version)}`, 'version');
  if (!Array.isArray(r.cuts) || typeof r.meanRelativeError !== 'number') throw new InputError(`${source}: cuts and meanRelativeError are missing`, 'cuts');
  return withReport(r as ScalingBacktestRecord);
}

/** The backtest as a readable report: one block per cut, a line per held-out size, then the means. */
export function backtestReport(b: ScalingBacktestRecord): string {
  const lines: string[] = [];
  const level = `${Math.round(b.level * 100)}%`;
  lines.push(`[[Backtest]] ${b.law}, rolling over N: fit on N <= N_k, predict each larger size`);
  lines.push(`    data:        ${b.data.source} (${b.data.rows} rows)`);
  lines.push(
    `    objective:   ${b.objective.loss}${
      Object.keys(b.objective.settings).length
        ? `(${Object.entries(b.objective.settings)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`
        : ''
    } on ${b.objective.space} residuals${
      Object.keys(b.fixed).length
        ? `; fixed ${Object.entries(b.fixed)
            .map(([k, v]) => `${k} = ${formatNumber(v, 4)}`)
            .join(', ')}`
        : ''
    }`,
  );
  lines.push(
    `    intervals:   ${b.bootstrap > 0 ? `${level} bootstrap percentile intervals of each cut's fit (${b.bootstrap} resamples, seed ${b.seed}): the fitted curve's spread, not a new run's` : 'none (no bootstrap)'}`,
  );
  if (b.testMinN !== undefined) lines.push(`    scored:      held-out sizes with N >= ${formatNumber(b.testMinN, 3)}`);
  for (const c of b.cuts) {
    lines.push(
      `[[Cut]] N <= ${formatNumber(c.trainMaxN, 3)}: ${c.trainRows} rows, ${c.trainSizes} sizes up to ${formatNumber(c.largestTrainN, 3)}${c.converged ? '' : ' (fit NOT CONVERGED)'}; ${Object.entries(
        c.values,
      )
        .map(([k, v]) => `${k} = ${formatNumber(v, 4)}`)
        .join(', ')}`,
    );
    lines.push(
      `    ${'held-out N'.padEnd(11)}${'rows'.padStart(5)}${'x trained'.padStart(11)}${'mean |rel err|'.padStart(16)}${'bias'.padStart(10)}${b.bootstrap > 0 ? `${'coverage'.padStart(10)}` : ''}`,
    );
    for (const s of c.sizes) {
      lines.push(
        `    ${formatNumber(s.N, 3).padEnd(11)}${String(s.rows).padStart(5)}${formatNumber(s.ratio, 3).padStart(11)}${pct(s.meanRelativeError).padStart(16)}${signedPct(s.bias).padStart(10)}${s.coverage !== undefined ? pct(s.coverage).padStart(10) : ''}`,
      );
    }
    lines.push(`    mean over ${c.points.length} held-out rows: |rel err| ${pct(c.meanRelativeError)}${c.coverage !== undefined ? `, ${level} interval coverage ${pct(c.coverage)}` : ''}`);
  }
  lines.push(
    `[[Mean]] over ${b.cuts.length} cut${b.cuts.length > 1 ? 's' : ''}, ${b.heldOut} held-out rows: |rel err| ${pct(b.meanRelativeError)}${b.coverage !== undefined ? `, ${level} interval coverage ${pct(b.coverage)}` : ''}`,
  );
  return lines.join('\n');
}

/** One line for a plan: how well the law predicted sizes it had not seen. */
export function backtestSummary(b: ScalingBacktestRecord): string {
  const largest = Math.max(...b.cuts.flatMap((c) => c.sizes.map((s) => s.ratio)));
  const cuts = b.cuts.map((c) => formatNumber(c.trainMaxN, 3)).join(', ');
  return `refitted on N <= ${cuts} and predicting larger sizes (up to ${formatNumber(largest, 3)}x the largest fitted): mean relative error ${pct(b.meanRelativeError)} over ${b.heldOut} held-out runs${b.coverage !== undefined ? `; ${Math.round(b.level * 100)}% intervals covered ${pct(b.coverage)}` : ''}`;
}

/**
 * Whether a backtest belongs to a fit: same law, data source, row count, objective and fixed
 * values (the backtest refits the cuts, so the fit's own values do not enter).
 */
export function backtestMatches(b: ScalingBacktestRecord, fit: ScalingFit): boolean {
  const fixed = Object.fromEntries(fit.params.filter((p) => p.fixed).map((p) => [p.name, p.value]));
  return (
    b.law === fit.law &&
    b.data.source === fit.data.source &&
    b.data.rows === fit.data.rows &&
    b.objective.loss === fit.objective.loss &&
    b.objective.space === fit.objective.space &&
    JSON.stringify(b.objective.settings) === JSON.stringify(fit.objective.settings) &&
    JSON.stringify(b.fixed) === JSON.stringify(fixed)
  );
}
