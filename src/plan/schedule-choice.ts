import { InputError, show } from '../core/errors.js';
import { validateSchedule } from '../schedules/schedule.js';
import type { CooldownShape, ScheduleSpec } from '../core/schedule-spec.js';
import type { CurveFit } from '../fit/fit-curves.js';
import { finalLosses } from '../fit/predict-curve.js';
import { quantile } from '../core/stats.js';
import { getLaw } from '../laws/registry.js';
import { makePoints, prepareCurve, type CurvePoints } from '../laws/curve-points.js';

/** A candidate schedule and the final loss a fit predicts for it. */
export interface RankedSchedule {
  readonly name: string;
  readonly schedule: ScheduleSpec;
  readonly final: number;
}

/** Ranks candidate schedules by predicted final loss, lowest first. */
export function rankSchedules(fit: CurveFit, candidates: readonly { name?: string; schedule: ScheduleSpec }[], options: { N?: number } = {}): RankedSchedule[] {
  if (candidates.length === 0) throw new InputError('candidates: no schedules to rank', 'candidates');
  const finals = finalLosses(
    fit,
    candidates.map((c) => c.schedule),
    options.N,
  );
  return candidates.map((c, i) => ({ name: c.name ?? `candidate ${i + 1}`, schedule: c.schedule, final: finals[i]! })).sort((a, b) => a.final - b.final);
}

/** What a schedule family shares: the budget, the peak and the warmup. */
export interface Budget {
  /** Total steps. */
  steps: number;
  peak: number;
  /** @default 0 */
  warmup?: number;
  /** Rate at the end of a decay; 0 decays to zero (every shape but the exponential). @default peak / 10 */
  final?: number;
  /** Model size, for size-aware laws. */
  N?: number;
}

/** The peak and warmup a fit was trained with (its first curve with a spec), to default a budget. */
export function budgetFromFit(fit: CurveFit, steps: number): Budget {
  const spec = fit.curves.find((c) => c.schedule && c.schedule.type !== 'custom')?.schedule as Extract<ScheduleSpec, { peak: number }> | undefined;
  if (!spec) throw new InputError('fit: none of its curves has a schedule spec with a peak; give the peak and warmup', 'peak');
  const final = 'final' in spec ? spec.final : undefined;
  return { steps, peak: spec.peak, warmup: spec.warmup ?? 0, ...(final !== undefined ? { final } : {}) };
}

/**
 * The best WSD cooldown fraction for a budget: every fraction on a grid (default 0.01, 0.02, ...,
 * 0.99, those whose cooldown starts after warmup) with the given cooldown shape (default
 * 'exponential', or 'linear' when the budget decays to final 0, which an exponential cannot reach).
 * When the fit has bootstrap samples, `interval` is the percentile interval (`level`, default 0.9)
 * of the best fraction over them and `identified` is false when it spans the whole grid.
 */
export function bestWsdCooldown(
  fit: CurveFit,
  budget: Budget,
  options: { shape?: CooldownShape; fractions?: readonly number[]; level?: number } = {},
): { fraction: number; final: number; shape: CooldownShape; schedule: ScheduleSpec; table: { fraction: number; final: number }[]; interval?: readonly [number, number]; identified?: boolean } {
  const { shape = budget.final === 0 ? 'linear' : 'exponential' } = options;
  const { steps, warmup = 0 } = budget;
  const fractions = (options.fractions ?? Array.from({ length: 99 }, (_, i) => (i + 1) / 100)).filter((f) => Math.round(steps * (1 - f)) >= warmup);
  if (fractions.length === 0) throw new InputError(`fractions: none leaves the ${warmup}-step warmup before the cooldown`, 'fractions');
  const choice = chooseCooldown(fit, budget, { shapes: [shape], fractions, ...(options.level !== undefined ? { level: options.level } : {}) });
  return {
    fraction: choice.best.fraction,
    final: choice.best.final,
    shape,
    schedule: choice.best.schedule,
    table: choice.table.map(({ fraction, final }) => ({ fraction, final })),
    ...(choice.bootstrap ? { interval: choice.bootstrap.fraction, identified: choice.identified! } : {}),
  };
}

/** A one-parameter family of schedules: the value to vary and how to build a member. */
export interface ScheduleFamily {
  name: string;
  values: readonly number[];
  build(value: number, budget: Budget): ScheduleSpec;
}

const ratios = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
const fractions = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8];

/** The families `bestSchedule` compares: decays by final/peak ratio, WSD by cooldown fraction per shape. */
export const scheduleFamilies: readonly ScheduleFamily[] = [
  { name: 'constant', values: [1], build: (_, b) => ({ type: 'constant', peak: b.peak, steps: b.steps, warmup: b.warmup ?? 0 }) },
  ...(['cosine', 'linear'] as const).map((type) => ({
    name: `${type} (final / peak)`,
    values: ratios,
    build: (r: number, b: Budget): ScheduleSpec => ({ type, peak: b.peak, final: Math.max(r, 1e-3) * b.peak, steps: b.steps, warmup: b.warmup ?? 0 }),
  })),
  ...(['linear', 'cosine', 'exponential', 'sqrt'] as const).map((shape) => ({
    name: `wsd ${shape} (cooldown fraction)`,
    values: fractions,
    build: (f: number, b: Budget): ScheduleSpec => ({
      type: 'wsd',
      peak: b.peak,
      final: b.final ?? b.peak / 10,
      steps: b.steps,
      warmup: b.warmup ?? 0,
      cooldownFraction: f,
      shape,
    }),
  })),
  ...literatureFamilies(),
];

/**
 * Schedules from the literature: linear decay to zero (Defazio et al. 2023's worst-case optimum),
 * and the horizon-free power schedule (Shen et al. 2024) by exponent, and by the fraction of a linear
 * cooldown to the budget's final rate (default 0) at Shen et al.'s exponent 0.51. The power
 * timescale is the warmup, or 1% of the steps without one.
 */
function literatureFamilies(): ScheduleFamily[] {
  const timescale = (b: Budget) => (b.warmup ? b.warmup : Math.max(1, Math.round(b.steps / 100)));
  const power = (b: Budget, exponent: number) => ({ type: 'power' as const, peak: b.peak, steps: b.steps, warmup: b.warmup ?? 0, exponent, timescale: timescale(b) });
  return [
    { name: 'linear to zero', values: [0], build: (_, b) => ({ type: 'linear', peak: b.peak, final: 0, steps: b.steps, warmup: b.warmup ?? 0 }) },
    { name: 'power (exponent)', values: [0.25, 0.35, 0.51, 0.75, 1], build: (e, b) => power(b, e) },
    { name: 'power + linear cooldown (fraction)', values: fractions, build: (f, b) => ({ ...power(b, 0.51), cooldownFraction: f, final: b.final ?? 0, shape: 'linear' }) },
  ];
}

/**
 * Defazio et al. 2023's refinement of a run's gradient norms as a family over the median-filter
 * `smoothing` (fractions of the run), to rank beside `scheduleFamilies`.
 *
 * @example bestSchedule(fit, budget, [...scheduleFamilies, refinedFamily(gradNorms)])
 */
export function refinedFamily(gradNorms: readonly number[], smoothing: readonly number[] = [0, 0.01, 0.05, 0.1, 0.2]): ScheduleFamily {
  return {
    name: 'refined from grad norms (smoothing)',
    values: smoothing,
    build: (tau, b) => ({ type: 'refined', peak: b.peak, steps: b.steps, warmup: b.warmup ?? 0, gradNorms: [...gradNorms], smoothing: tau }),
  };
}

/**
 * The best member of each schedule family for a budget, families ranked by their best member's
 * predicted final loss; with the fit's bootstrap samples, each row's `interval` is the percentile
 * interval (`level`, default 0.9) of the family's best value over them. A family none of whose
 * members is a valid schedule for the budget is left out (the exponential WSD cooldown when the
 * budget decays to final 0). Decays end at max(ratio, 0.001) x peak so the multi-power law never raises
 * a zero rate to a negative power.
 */
export function bestSchedule(fit: CurveFit, budget: Budget, families: readonly ScheduleFamily[] = scheduleFamilies, options: { level?: number } = {}) {
  const { level = 0.9 } = options;
  if (!Number.isInteger(budget.steps) || budget.steps < 2) throw new InputError(`steps: not an integer of at least 2: ${show(budget.steps)}`, 'steps');
  const rows = families.flatMap((family) => {
    const members = family.values.filter((v) => {
      try {
        validateSchedule(family.build(v, budget));
        return true;
      } catch {
        return false;
      }
    });
    if (members.length === 0) return [];
    const specs = members.map((v) => family.build(v, budget));
    const finals = finalLosses(fit, specs, budget.N);
    let best = 0;
    finals.forEach((v, i) => {
      if (v < finals[best]!) best = i;
    });
    const interval = bootstrapArgmin(fit, specs, members, budget.N, level);
    return [{ family: family.name, value: members[best]!, schedule: specs[best]!, final: finals[best]!, ...(interval ? { interval } : {}) }];
  });
  return rows.sort((a, b) => a.final - b.final);
}

/** Percentile interval of the best value over the fit's bootstrap samples, when it has any. */
function bootstrapArgmin(fit: CurveFit, specs: readonly ScheduleSpec[], values: readonly number[], N: number | undefined, level: number): [number, number] | undefined {
  const samples = fit.bootstrap?.samples ?? [];
  if (samples.length === 0) return undefined;
  const law = getLaw<CurvePoints>(fit.law);
  const curves = specs.map((s, i) => prepareCurve(s, { name: `candidate ${i + 1}`, ...(N !== undefined ? { N } : {}) }));
  const x = makePoints(
    curves,
    Int32Array.from(curves, (_, i) => i),
    Int32Array.from(curves, (c) => c.lr.length - 1),
  );
  const out = new Float64Array(x.length);
  const picks = samples
    .map((v) => {
      law.evaluate(Float64Array.from(v), x, out);
      return values[out.reduce((b, value, i) => (value < out[b]! ? i : b), 0)]!;
    })
    .sort((a, b) => a - b);
  return [quantile(picks, (1 - level) / 2), quantile(picks, (1 + level) / 2)];
}

/** The cooldown shapes `chooseCooldown` searches by default ('sqrt' is Hägele et al. 2024's 1 - sqrt). */
export const cooldownShapes: readonly CooldownShape[] = ['linear', 'sqrt', 'cosine', 'exponential'];

/** Options of `chooseCooldown`: what it searches and the coverage of its intervals. */
export interface CooldownChoiceOptions {
  /** Shapes to search; 'exponential' is left out (with a note) when the budget decays to 0. @default cooldownShapes */
  shapes?: readonly CooldownShape[];
  /** Cooldown fractions to search (those that start after warmup). @default 0.05, 0.10, ..., 0.95 */
  fractions?: readonly number[];
  /** Central coverage of the bootstrap intervals, in (0, 1). @default 0.9 */
  level?: number;
}

/** One searched cooldown: its shape, the best fraction for that shape and the predicted final loss. */
export interface CooldownCandidate {
  readonly shape: CooldownShape;
  readonly fraction: number;
  readonly final: number;
}

/**
 * A WSD cooldown decision with its uncertainty: the best (shape, fraction) under the fit, the
 * runner-up shape and the predicted gap to it, each with a bootstrap percentile interval when the
 * fit carries bootstrap samples (every sample re-ranks the whole grid).
 */
export interface CooldownChoice {
  readonly kind: 'cooldown-choice';
  readonly budget: Budget;
  readonly fractions: readonly number[];
  readonly shapes: readonly CooldownShape[];
  /** Best of every candidate under the fit's parameters. */
  readonly best: CooldownCandidate & { readonly schedule: ScheduleSpec };
  /** The best member of every searched shape, best first. */
  readonly byShape: readonly CooldownCandidate[];
  /** Every searched (shape, fraction) with its predicted final loss under the fit, by shape then fraction. */
  readonly table: readonly CooldownCandidate[];
  /** The best member of the second-best shape, when more than one shape was searched. */
  readonly runnerUp?: CooldownCandidate;
  /** Predicted final loss of the runner-up minus the best's (> 0). */
  readonly gap?: number;
  /** Bootstrap: resamples used, level, and percentile intervals. */
  readonly bootstrap?: {
    readonly resamples: number;
    readonly level: number;
    /** Interval of the best fraction for the best shape, over resamples. */
    readonly fraction: readonly [number, number];
    /** Interval of the gap between the best members of the two shapes, over resamples. */
    readonly gap?: readonly [number, number];
    /** How often each shape wins, over resamples. */
    readonly shapeWins: Readonly<Record<string, number>>;
  };
  /**
   * False when the bootstrap interval of the fraction spans the searched range (from its first to
   * its last fraction): these curves do not identify the cooldown length. Undefined without a bootstrap.
   */
  readonly identified?: boolean;
  /** False when the gap's interval contains 0: the curves do not tell the two shapes apart. */
  readonly shapeIdentified?: boolean;
  readonly notes: readonly string[];
  /** A readable summary. */
  report(): string;
}

/**
 * The best WSD cooldown (shape and fraction) for a budget, with the predicted gap to the best other
 * shape and, when the fit has bootstrap samples (`fitCurves(..., { resamples })`), their percentile
 * intervals and whether the curves identify the fraction at all.
 *
 * @example
 * const fit = fitCurves(curves, { law: 'mpl', resamples: 20 });
 * console.log(chooseCooldown(fit, { steps: 50000, peak: 1e-3, warmup: 300, final: 0 }).report());
 */
export function chooseCooldown(fit: CurveFit, budget: Budget, options: CooldownChoiceOptions = {}): CooldownChoice {
  const { level = 0.9 } = options;
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  if (!Number.isInteger(budget.steps) || budget.steps < 2) throw new InputError(`steps: not an integer of at least 2: ${show(budget.steps)}`, 'steps');
  const { steps, peak, warmup = 0 } = budget;
  const final = budget.final ?? peak / 10;
  const notes: string[] = [];
  let shapes = [...(options.shapes ?? cooldownShapes)];
  if (shapes.length === 0) throw new InputError('shapes: no cooldown shapes to search', 'shapes');
  if (final === 0 && shapes.includes('exponential')) {
    if (options.shapes) throw new InputError('shapes: an exponential cooldown cannot decay to final 0; leave it out or give a positive final', 'shapes');
    shapes = shapes.filter((s) => s !== 'exponential');
    notes.push('exponential cooldown not searched: it cannot decay to final 0');
  }
  const grid = options.fractions ?? Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
  const fractions = grid.filter((f) => f > 0 && f < 1 && Math.round(steps * (1 - f)) >= warmup);
  if (fractions.length === 0) throw new InputError(`fractions: none in (0, 1) leaves the ${warmup}-step warmup before the cooldown`, 'fractions');
  const spec = (shape: CooldownShape, f: number): ScheduleSpec => ({ type: 'wsd', peak, final, steps, warmup, cooldownFraction: f, shape });

  const law = getLaw<CurvePoints>(fit.law);
  const draws = [Float64Array.from(fit.vector()), ...(fit.bootstrap?.samples ?? []).map((v) => Float64Array.from(v))];
  // finals[d][s][f]: final loss of shape s, fraction f under parameter draw d (0 = the fit itself).
  const finals = draws.map(() => shapes.map(() => new Float64Array(fractions.length)));
  shapes.forEach((shape, si) => {
    const curves = fractions.map((f) => prepareCurve(spec(shape, f), { name: `${shape} ${f}`, ...(budget.N !== undefined ? { N: budget.N } : {}) }));
    const x = makePoints(
      curves,
      Int32Array.from(curves, (_, i) => i),
      Int32Array.from(curves, (c) => c.lr.length - 1),
    );
    law.validate?.(x);
    draws.forEach((p, d) => law.evaluate(p, x, finals[d]![si]!));
  });
  const argmin = (v: Float64Array) => v.reduce((b, value, i) => (value < v[b]! ? i : b), 0);
  const bestOf = (d: number) =>
    shapes.map((shape, si) => {
      const fi = argmin(finals[d]![si]!);
      return { shape, fraction: fractions[fi]!, final: finals[d]![si]![fi]! };
    });

  const byShape = bestOf(0).sort((a, b) => a.final - b.final);
  const best = byShape[0]!;
  const runnerUp = byShape[1];
  const bestIndex = shapes.indexOf(best.shape);
  const runnerIndex = runnerUp ? shapes.indexOf(runnerUp.shape) : -1;
  let bootstrap: CooldownChoice['bootstrap'];
  let identified: boolean | undefined;
  let shapeIdentified: boolean | undefined;
  if (draws.length > 1) {
    const fr: number[] = [];
    const gaps: number[] = [];
    const shapeWins: Record<string, number> = Object.fromEntries(shapes.map((s) => [s, 0]));
    for (let d = 1; d < draws.length; d++) {
      const members = bestOf(d);
      fr.push(members[bestIndex]!.fraction);
      if (runnerUp) gaps.push(members[runnerIndex]!.final - members[bestIndex]!.final);
      const winner = members.reduce((a, b) => (b.final < a.final ? b : a));
      shapeWins[winner.shape]! += 1 / (draws.length - 1);
    }
    const interval = (v: number[]): [number, number] => {
      const sorted = [...v].sort((a, b) => a - b);
      return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
    };
    const fraction = interval(fr);
    const gap = runnerUp ? interval(gaps) : undefined;
    bootstrap = { resamples: draws.length - 1, level, fraction, ...(gap ? { gap } : {}), shapeWins };
    identified = !(fractions.length > 1 && fraction[0] <= fractions[0]! && fraction[1] >= fractions[fractions.length - 1]!);
    if (gap) shapeIdentified = gap[0] > 0;
  } else {
    notes.push('no bootstrap samples in the fit: refit with resamples for intervals');
  }

  const choice = {
    kind: 'cooldown-choice' as const,
    budget: { ...budget },
    fractions,
    shapes,
    best: { ...best, schedule: spec(best.shape, best.fraction) },
    byShape,
    table: shapes.flatMap((shape, si) => fractions.map((fraction, fi) => ({ shape, fraction, final: finals[0]![si]![fi]! }))),
    ...(runnerUp ? { runnerUp, gap: runnerUp.final - best.final } : {}),
    ...(bootstrap ? { bootstrap } : {}),
    ...(identified !== undefined ? { identified } : {}),
    ...(shapeIdentified !== undefined ? { shapeIdentified } : {}),
    notes,
  };
  return Object.freeze({ ...choice, report: () => cooldownReport(choice) });
}

const shapeNames: Record<CooldownShape, string> = { linear: 'linear', sqrt: '1-sqrt', cosine: 'cosine', exponential: 'exponential' };

function cooldownReport(c: Omit<CooldownChoice, 'report'>): string {
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  const f = (v: number) => String(+v.toPrecision(4));
  const b = c.bootstrap;
  const lines = [`WSD cooldown for ${c.budget.steps} steps (peak ${c.budget.peak}, warmup ${c.budget.warmup ?? 0}, final ${c.budget.final ?? c.budget.peak / 10}):`];
  if (c.identified === false) {
    lines.push(
      `  cooldown fraction: not identified by these curves (the ${pct(b!.level)} bootstrap interval ${f(b!.fraction[0])}-${f(b!.fraction[1])} spans the searched ${c.fractions[0]}-${c.fractions[c.fractions.length - 1]}); best under the fit ${c.best.fraction}`,
    );
  } else {
    lines.push(
      `  best: ${shapeNames[c.best.shape]} cooldown, fraction ${c.best.fraction}${b ? ` (${pct(b.level)} interval ${f(b.fraction[0])}-${f(b.fraction[1])})` : ''}, predicted final loss ${c.best.final.toFixed(5)}`,
    );
  }
  if (c.runnerUp) {
    const gap = b?.gap ? ` (${pct(b.level)} interval ${b.gap[0].toFixed(5)} to ${b.gap[1].toFixed(5)}${c.shapeIdentified === false ? ': the shapes are not told apart by these curves' : ''})` : '';
    lines.push(`  runner-up: ${shapeNames[c.runnerUp.shape]}, fraction ${c.runnerUp.fraction}, ${c.gap!.toFixed(5)} higher${gap}`);
  }
  for (const s of c.byShape)
    lines.push(`    ${shapeNames[s.shape].padEnd(12)} best fraction ${String(s.fraction).padEnd(5)} final ${s.final.toFixed(5)}${b ? `  wins ${pct(b.shapeWins[s.shape] ?? 0)} of resamples` : ''}`);
  for (const n of c.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
