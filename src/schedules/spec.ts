/**
 * Serialisable learning-rate schedule specifications. A spec is plain JSON stored in a run's config;
 * `lrSchedule(spec, steps)` (in `./schedule.ts`) turns it into a per-step Float64Array.
 *
 * Conventions (those of Luo et al. 2025's published code): the schedule is an array lr[0..T-1];
 * linear warmup is linspace(0, peak, warmup), so lr[0] = 0 and lr[warmup - 1] = peak.
 */
export type CooldownShape = 'linear' | 'cosine' | 'exponential' | 'sqrt';

export interface WarmupSpec {
  /** Number of warmup steps (linear from 0 to peak). @default 0 */
  warmup?: number;
}

export type ScheduleSpec =
  | ({ type: 'constant'; peak: number; steps: number } & WarmupSpec)
  | ({ type: 'linear'; peak: number; final?: number; steps: number } & WarmupSpec)
  | ({ type: 'cosine'; peak: number; final?: number; steps: number } & WarmupSpec)
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
  | ({ type: 'wsdld'; peak: number; final?: number; steps: number; decayStart: number } & WarmupSpec)
  | ({ type: 'multistep'; peak: number; steps: number; milestones: number[]; rates: number[] } & WarmupSpec)
  | ({ type: 'inverse-sqrt'; peak: number; steps: number; timescale?: number } & WarmupSpec)
  | ({ type: 'cyclic'; peak: number; final?: number; steps: number; period: number; shape?: 'triangle' | 'cosine' } & WarmupSpec)
  | { type: 'custom'; values: number[]; steps?: number };
