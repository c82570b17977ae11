/**
 * Serialisable learning-rate schedule specifications. A spec is plain JSON stored in a run's config;
 * `lrSchedule(spec, steps)` (in `./schedule.ts`) turns it into a per-step Float64Array.
 *
 * Conventions (those of Luo et al. 2025's published code): the schedule is an array lr[0..T-1];
 * linear warmup is linspace(0, peak, warmup), so lr[0] = 0 and lr[warmup - 1] = peak. Every decay
 * measures its progress p = (s - start) / (T - start) from the step `start` where it begins
 * (the end of warmup, or the cooldown start), so lr[start] = peak and lr would reach `final` at s = T.
 */
export type CooldownShape = 'linear' | 'cosine' | 'exponential' | 'sqrt';

export interface WarmupSpec {
  /** Number of warmup steps (linear from 0 to peak, `linspace(0, peak, warmup)`). @default 0 */
  warmup?: number;
}

/** A learning-rate schedule as data, by `type`; `lrSchedule` turns it into per-step rates. */
export type ScheduleSpec =
  /** lr = peak after warmup. */
  | ({ type: 'constant'; peak: number; steps: number } & WarmupSpec)
  /**
   * Linear decay after warmup: lr = peak + (final - peak) p.
   * `final` @default peak / 10
   */
  | ({ type: 'linear'; peak: number; final?: number; steps: number } & WarmupSpec)
  /**
   * Cosine decay after warmup: lr = final + (peak - final) (1 + cos(pi p)) / 2.
   * `final` @default peak / 10
   */
  | ({ type: 'cosine'; peak: number; final?: number; steps: number } & WarmupSpec)
  /**
   * Warmup-stable-decay (Hu et al. 2024; Hägele et al. 2024): constant at peak, then a cooldown of
   * `shape` from `decayStart` to the end. Give `cooldownFraction` (decayStart = round(steps (1 - f)))
   * or `decayStart`. Shapes: linear peak + (final - peak) p; cosine as above; exponential
   * peak^(1 - p) final^p (Luo et al. 2025's `wsd`); sqrt final + (peak - final) (1 - sqrt(p)).
   * `final` @default peak / 10; `shape` @default 'exponential'
   */
  | ({
      type: 'wsd';
      peak: number;
      final?: number;
      steps: number;
      /** Fraction of the run spent in cooldown, in (0, 1). Or give `decayStart`. */
      cooldownFraction?: number;
      decayStart?: number;
      shape?: CooldownShape;
    } & WarmupSpec)
  /** WSD with a linear cooldown from `decayStart` (Luo et al. 2025's `wsdld`). `final` @default peak / 10 */
  | ({ type: 'wsdld'; peak: number; final?: number; steps: number; decayStart: number } & WarmupSpec)
  /**
   * Two stages: peak until `switchAt`, then `second` to the end (Luo et al. 2025's `wsdcon_K`:
   * peak 3e-4 to step 8000, then K * 1e-5).
   */
  | ({ type: 'two-stage'; peak: number; second: number; switchAt: number; steps: number } & WarmupSpec)
  /** Peak until milestones[0], then rates[i] from milestones[i] on (same lengths, increasing milestones). */
  | ({ type: 'multistep'; peak: number; steps: number; milestones: number[]; rates: number[] } & WarmupSpec)
  /**
   * Inverse square root (Vaswani et al. 2017): lr = peak sqrt(timescale / max(s, timescale)).
   * `timescale` @default warmup (required when there is no warmup)
   */
  | ({ type: 'inverse-sqrt'; peak: number; steps: number; timescale?: number } & WarmupSpec)
  /**
   * Cyclic between peak and final with the given period in steps, starting at peak after warmup.
   * `final` @default peak / 10; `shape` @default 'triangle'
   */
  | ({ type: 'cyclic'; peak: number; final?: number; steps: number; period: number; shape?: 'triangle' | 'cosine' } & WarmupSpec)
  /** Per-step rates given explicitly; `steps` (at most values.length) truncates. */
  | { type: 'custom'; values: number[]; steps?: number }
  /**
   * Power schedule (Shen et al. 2024's Power scheduler, OLMo-core's PowerLR): horizon-free
   * lr = peak (timescale / max(s, timescale))^exponent after warmup, optionally ended by a cooldown of
   * `shape` from `decayStart` (or `cooldownFraction`) to `final`, starting from the rate reached there.
   * Without a cooldown the rates do not depend on `steps`. `exponent` @default 0.51 (Shen et al.'s
   * b = -0.51); `timescale` @default warmup (required when there is no warmup); `final` @default 0;
   * `shape` @default 'linear'.
   */
  | ({
      type: 'power';
      peak: number;
      steps: number;
      exponent?: number;
      timescale?: number;
      final?: number;
      cooldownFraction?: number;
      decayStart?: number;
      shape?: CooldownShape;
    } & WarmupSpec)
  /**
   * Defazio et al. 2023's refinement of a previous run's gradient norms (`refineSchedule` in
   * schedules/refine.ts): after warmup, peak * w_t / max(w), w_t = g_t^-2 sum_{p > t} g_p^-2, the
   * norms median-filtered over a `smoothing` fraction of them, then resampled onto the post-warmup
   * steps. `smoothing` @default 0.
   */
  | ({ type: 'refined'; peak: number; steps: number; gradNorms: number[]; smoothing?: number } & WarmupSpec);

export type ScheduleType = ScheduleSpec['type'];

/** Every schedule type, in the order `validateSchedule` lists them. */
export const scheduleTypes: readonly ScheduleType[] = ['constant', 'linear', 'cosine', 'wsd', 'wsdld', 'two-stage', 'multistep', 'inverse-sqrt', 'cyclic', 'custom', 'power', 'refined'];
