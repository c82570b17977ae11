import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import type { ScalingFit } from '../fit/result.js';

/** Where a scaling fit's data lie: the smallest and largest value of each input it was fitted on. */
export interface FittedRange {
  N?: readonly [number, number];
  D?: readonly [number, number];
  /** Training FLOPs, C = 6 N D where the data give N and D. */
  C?: readonly [number, number];
  /** Names the data. */
  source: string;
}

/**
 * How far beyond the fitted range a prediction may go before it says so: a factor past the largest
 * (or below the smallest) fitted value. Scaling laws are fitted over a few decades of compute and
 * each further decade adds error that no bootstrap of the fitted points shows.
 */
export interface RangeMargins {
  /** Parameters. @default 10 */
  N?: number;
  /** Tokens. @default 10 */
  D?: number;
  /** Training FLOPs. @default 100 */
  C?: number;
}

const NAMES = { N: 'N (parameters)', D: 'D (tokens)', C: 'compute C' } as const;

/** The range of N, D and C = 6 N D in columns of fitted data. */
export function rangeOf(data: { N?: ArrayLike<number>; D?: ArrayLike<number>; C?: ArrayLike<number> }, source: string): FittedRange {
  const span = (values: ArrayLike<number> | undefined): readonly [number, number] | undefined => {
    if (!values || values.length === 0) return undefined;
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return hi >= lo ? [lo, hi] : undefined;
  };
  let C = data.C;
  if (!C && data.N && data.D && data.N.length === data.D.length) C = Float64Array.from({ length: data.N.length }, (_, i) => 6 * data.N![i]! * data.D![i]!);
  const out: FittedRange = { source };
  const N = span(data.N),
    D = span(data.D),
    c = span(C);
  return { ...out, ...(N ? { N } : {}), ...(D ? { D } : {}), ...(c ? { C: c } : {}) };
}

/**
 * One warning per input that lies further outside the fitted range than its margin, saying how far:
 * "N (parameters) = 7.2e11 is 45x the largest fitted (1.6e10; margin 10x)".
 *
 * @example rangeWarnings({ N: [1e8, 1.6e10], source: 'epoch' }, { N: 7.2e11 }) // ['N (parameters) = 7.2e11 is 45x ...']
 */
export function rangeWarnings(range: FittedRange | undefined, at: { N?: number; D?: number; C?: number }, margins: RangeMargins = {}): string[] {
  if (!range) return [];
  const { N: mN = 10, D: mD = 10, C: mC = 100 } = margins;
  const margin = { N: mN, D: mD, C: mC };
  const out: string[] = [];
  for (const key of ['N', 'D', 'C'] as const) {
    const value = at[key],
      span = range[key];
    if (value === undefined || span === undefined || !Number.isFinite(value)) continue;
    const [lo, hi] = span;
    if (value > hi * margin[key]) {
      out.push(
        `${NAMES[key]} = ${formatNumber(value, 3)} is ${times(value / hi)} the largest fitted (${formatNumber(hi, 3)}; margin ${margin[key]}x): an extrapolation the fitted points cannot check`,
      );
    } else if (value < lo / margin[key]) {
      out.push(`${NAMES[key]} = ${formatNumber(value, 3)} is ${times(lo / value)} below the smallest fitted (${formatNumber(lo, 3)}; margin ${margin[key]}x): outside the fitted range`);
    }
  }
  return out;
}

function times(ratio: number): string {
  return `${ratio >= 100 ? formatNumber(ratio, 2) : formatNumber(ratio, 3)}x`;
}

/** A loss interval after `floorInterval`, with the note to print beside it where one was clipped or flagged. */
export interface FlooredInterval {
  value: number;
  lower?: number;
  upper?: number;
  /** What was done to the interval and why, to print as a warning. */
  warnings: string[];
  /** The lower end before clipping, where it was clipped. */
  clippedFrom?: number;
}

/**
 * Holds a loss interval to what the loss can be. Below a known floor (a language's entropy rate: no
 * model beats it) the lower end is clipped to the floor, with a note; below the fitted irreducible
 * loss E (an estimate, itself uncertain) it is flagged, not clipped. A point value below the known
 * floor is flagged too. `floor` and `fittedE` are optional; `share` is the fraction of resamples
 * that fell below the floor, where known.
 */
export function floorInterval(
  estimate: { value: number; lower?: number; upper?: number },
  options: { floor?: { value: number; source: string }; fittedE?: number; share?: number; what?: string } = {},
): FlooredInterval {
  const { floor, fittedE, share, what = 'loss' } = options;
  const warnings: string[] = [];
  let { value, lower, upper } = estimate;
  let clippedFrom: number | undefined;
  if (floor && Number.isFinite(floor.value)) {
    if (value < floor.value) {
      warnings.push(
        `predicted ${what} ${formatNumber(value, 4)} lies below ${floor.source} ${formatNumber(floor.value, 4)}, which no model can beat: the fit is off by at least ${formatNumber(floor.value - value, 3)}`,
      );
    }
    const bound = Math.min(floor.value, value);
    if (lower !== undefined && lower < bound) {
      clippedFrom = lower;
      warnings.push(
        `${what} interval clipped at ${formatNumber(bound, 4)} (${floor.source}${bound < floor.value ? ', or the point value below it' : ''}): its lower end was ${formatNumber(lower, 4)}` +
          (share !== undefined ? `, ${Math.round(share * 100)}% of resamples predicted less than the floor` : ''),
      );
      lower = bound;
      if (upper !== undefined && upper < lower) upper = lower;
    }
  }
  if (fittedE !== undefined && Number.isFinite(fittedE) && lower !== undefined && lower < fittedE && clippedFrom === undefined) {
    warnings.push(
      `${what} interval's lower end ${formatNumber(lower, 4)} lies below the fitted irreducible loss E = ${formatNumber(fittedE, 4)}: resamples with a smaller E pull it down; the lower end is no firmer than E itself`,
    );
  }
  return { value, ...(lower !== undefined ? { lower } : {}), ...(upper !== undefined ? { upper } : {}), warnings, ...(clippedFrom !== undefined ? { clippedFrom } : {}) };
}

/** "[lo, hi]", or "not identified" when either end is not a finite number. */
export function formatRange(range: readonly [number, number] | undefined, digits = 4): string {
  if (!range) return '';
  return Number.isFinite(range[0]) && Number.isFinite(range[1]) ? `[${formatNumber(range[0], digits)}, ${formatNumber(range[1], digits)}]` : 'not identified';
}

/**
 * Refuses a fit whose parameters lie outside its law's bounds (a loss with E = -5 is no loss): the
 * fit file was edited or made by something else, and every answer from it would be impossible.
 */
export function checkFitValues(fit: ScalingFit, source = fit.data.source): void {
  let law;
  try {
    law = fit.lawObject();
  } catch {
    return;
  }
  for (const [j, spec] of law.params.entries()) {
    const value = fit.params[j]?.value;
    if (value === undefined) continue;
    const min = spec.min ?? -Infinity,
      max = spec.max ?? Infinity;
    if (value < min || value > max) {
      throw new InputError(
        `${source}: parameter ${spec.name} = ${show(value)} lies outside the bounds of law ${show(law.name)} [${min}, ${max}]${spec.name === 'E' ? ': an irreducible loss below 0 would predict negative losses' : ''}`,
        spec.name,
      );
    }
  }
}

/** Refuses a predicted loss that no loss can be: negative, zero or not a number. */
export function checkLoss(loss: number, where: string): void {
  if (!(loss > 0) || !Number.isFinite(loss)) {
    throw new InputError(`${where}: the fit predicts a loss of ${formatNumber(loss, 4)}, which no cross-entropy loss can be; check the fit's parameters`, 'fit');
  }
}

/** Standard errors of a fit's parameters, for printing: non-finite ones read "not identified". */
function parameterLines(fit: ScalingFit, floor?: { value: number; source: string }): string[] {
  const width = Math.max(...fit.params.map((p) => p.name.length));
  return fit.params.map((p) => {
    let line = `${p.name.padEnd(width)}  ${formatNumber(p.value, 5)}`;
    if (p.fixed) line += ' (fixed)';
    const unidentified = p.stderr !== undefined && !Number.isFinite(p.stderr);
    if (p.stderr !== undefined) line += unidentified ? ' +/- not identified (the resamples do not pin it down)' : ` +/- ${formatNumber(p.stderr!, 4)}`;
    // An unidentified parameter's percentile interval is not an answer: its ends are shown as evidence only.
    const end = (v: number) => (Number.isFinite(v) ? formatNumber(v, 4) : 'unbounded');
    if (unidentified && p.interval) line += `  interval not identified (resamples ranged ${end(p.interval[0])} to ${end(p.interval[1])})`;
    // The irreducible loss cannot lie below a known floor: its interval is clipped there, with a note.
    else if (p.interval && p.name === 'E' && floor && p.interval[0] < floor.value && Number.isFinite(p.interval[1])) {
      line += `  ${formatRange([Math.min(floor.value, p.interval[1]), p.interval[1]], 4)} (clipped at ${floor.source} ${formatNumber(floor.value, 4)}; resamples reached ${formatNumber(p.interval[0], 4)})`;
    } else if (p.interval) line += `  ${formatRange(p.interval, 4)}`;
    if (p.covarianceStderr !== undefined) line += Number.isFinite(p.covarianceStderr) ? `  (covariance: +/- ${formatNumber(p.covarianceStderr, 4)})` : '  (covariance: not identified)';
    if (p.atBound && !p.fixed) line += '  at bound';
    return line;
  });
}

/**
 * `fit.report()` with every non-finite standard error or interval end written "not identified"
 * (ScalingFit.report prints them as numbers: "+/- Infinity"), and the interval of E clipped at a
 * known `floor` (an entropy rate), with a note.
 */
export function honestFitReport(fit: ScalingFit, floor?: { value: number; source: string }): string {
  const lines = fit.report().split('\n');
  const start = lines.findIndex((l) => l.startsWith('[[Parameters]]'));
  if (start < 0) return lines.join('\n');
  const params = parameterLines(fit, floor).map((l) => `    ${l}`);
  lines.splice(start + 1, fit.params.length, ...params);
  return lines.join('\n');
}
