import { InputError, show } from '../core/errors.js';
import { validateSchedule } from '../schedules/schedule.js';
import type { CooldownShape, ScheduleSpec } from '../core/schedule-spec.js';
import type { CurveFit } from '../fit/fit-curves.js';
import { finalLosses } from '../fit/predict-curve.js';

/** A candidate schedule and the final loss a fit predicts for it. */
export interface RankedSchedule {
  readonly name: string;
  readonly schedule: ScheduleSpec;
  readonly final: number;
}

/** Ranks candidate schedules by predicted final loss, lowest first. */
export function rankSchedules(fit: CurveFit, candidates: readonly { name?: string; schedule: ScheduleSpec }[], options: { N?: number } = {}): RankedSchedule[] {
  if (candidates.length === 0) throw new InputError('candidates: no schedules to rank', 'candidates');
  const finals = finalLosses(fit, candidates.map((c) => c.schedule), options.N);
  return candidates
    .map((c, i) => ({ name: c.name ?? `candidate ${i + 1}`, schedule: c.schedule, final: finals[i]! }))
    .sort((a, b) => a.final - b.final);
}

/** What a schedule family shares: the budget, the peak and the warmup. */
export interface Budget {
  /** Total steps. */
  steps: number;
  peak: number;
  /** @default 0 */
  warmup?: number;
  /** Rate at the end of a decay. @default peak / 10 */
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
 * 0.99, those whose cooldown starts after warmup) with the given cooldown shape.
 */
export function bestWsdCooldown(
  fit: CurveFit,
  budget: Budget,
  options: { shape?: CooldownShape; fractions?: readonly number[] } = {},
): { fraction: number; final: number; schedule: ScheduleSpec; table: { fraction: number; final: number }[] } {
  const { shape = 'exponential' } = options;
  const { steps, peak, warmup = 0 } = budget;
  const fractions = (options.fractions ?? Array.from({ length: 99 }, (_, i) => (i + 1) / 100)).filter(
    (f) => Math.round(steps * (1 - f)) >= warmup,
  );
  if (fractions.length === 0) throw new InputError(`fractions: none leaves the ${warmup}-step warmup before the cooldown`, 'fractions');
  const specs: ScheduleSpec[] = fractions.map((f) => ({
    type: 'wsd',
    peak,
    steps,
    warmup,
    cooldownFraction: f,
    shape,
    ...(budget.final !== undefined ? { final: budget.final } : {}),
  }));
  const finals = finalLosses(fit, specs, budget.N);
  let best = 0;
  finals.forEach((v, i) => {
    if (v < finals[best]!) best = i;
  });
  return { fraction: fractions[best]!, final: finals[best]!, schedule: specs[best]!, table: fractions.map((f, i) => ({ fraction: f, final: finals[i]! })) };
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
];

/**
 * The best member of each schedule family for a budget, families ranked by their best member's
 * predicted final loss. Decays end at max(ratio, 0.001) x peak so the multi-power law never raises
 * a zero rate to a negative power.
 */
export function bestSchedule(fit: CurveFit, budget: Budget, families: readonly ScheduleFamily[] = scheduleFamilies) {
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
    return [{ family: family.name, value: members[best]!, schedule: specs[best]!, final: finals[best]! }];
  });
  return rows.sort((a, b) => a.final - b.final);
}
