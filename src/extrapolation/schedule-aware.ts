import { InputError, show } from '../core/errors.js';
import type { Inputs, Law, ParamSpec } from '../laws/law.js';
import type { LrSchedule } from '../schedules/lr-steps.js';

/** A validated schedule: the area under the rate and its drops. */
export interface ScheduleTime {
  /** Area under the learning rate from step[0] to `s` (in units of lr x steps). */
  area(s: number): number;
  /** Steps at which the rate decreases, with the decrease lr[i-1] - lr[i]. */
  drops: { step: number; by: number }[];
}

export function scheduleTime(schedule: LrSchedule, source = 'schedule'): ScheduleTime {
  const { step, lr } = schedule;
  if (!Array.isArray(step) || !Array.isArray(lr) || step.length === 0 || step.length !== lr.length) {
    throw new InputError(`${source}: needs as many learning rates as steps (at least one), got ${show(step?.length)} steps and ${show(lr?.length)} rates`, 'schedule');
  }
  for (let i = 0; i < step.length; i++) {
    if (!Number.isFinite(step[i]!) || step[i]! < 0 || (i > 0 && !(step[i]! > step[i - 1]!))) {
      throw new InputError(`${source}: step ${i + 1}: steps must be finite, >= 0 and increasing, got ${show(step[i])}`, 'schedule');
    }
    // A rate of 0 is legal (a warmup from 0, a decay to 0): no area accrues while it lasts.
    if (!(Number.isFinite(lr[i]!) && lr[i]! >= 0)) throw new InputError(`${source}: lr ${i + 1}: must be a finite number >= 0, got ${show(lr[i])}`, 'schedule');
  }
  if (!lr.some((r) => r > 0)) throw new InputError(`${source}: every learning rate is 0; at least one must be positive`, 'schedule');
  const cumulative = [0];
  for (let i = 1; i < step.length; i++) cumulative.push(cumulative[i - 1]! + lr[i - 1]! * (step[i]! - step[i - 1]!));
  const area = (s: number): number => {
    if (!(s >= step[0]!)) throw new InputError(`${source}: step ${show(s)} is before the schedule's first step ${show(step[0])}`, 'schedule');
    let i = step.length - 1;
    while (step[i]! > s) i--;
    return cumulative[i]! + lr[i]! * (s - step[i]!);
  };
  const drops = step.flatMap((s, i) => (i > 0 && lr[i]! < lr[i - 1]! ? [{ step: s, by: lr[i - 1]! - lr[i]! }] : []));
  return { area, drops };
}

/**
 * A curve family over the area under the learning rate instead of the step, plus one jump per
 * drop of the rate. Inputs are normalised areas x = area(step) / area(first step);
 * each drop sits at its own normalised area `at[k]`, and every point beyond it gets the jump.
 *
 * The first `seen` drops (those the curve has points after) have free jumps J_k >= 0, in the
 * normalised units of the curve. A later drop gets the jump of the last seen drop scaled by the
 * ratio of the two rate decreases (as the momentum law of Tissue et al. 2024 has the annealing gain
 * proportional to the decrease); with no drop seen, the jump is not identified and the caller must
 * not predict across a drop.
 */
export function withDrops(law: Law<Inputs>, at: readonly number[], by: readonly number[], seen: number): Law<Inputs> {
  const d = law.params.length;
  const jumps: ParamSpec[] = Array.from({ length: seen }, (_, k) => ({
    name: `jump${k + 1}`,
    init: 0.05,
    grid: [0, 0.1],
    min: 0,
    max: 4,
    description: `gain at the drop of the learning rate at normalised area ${at[k]}`,
  }));
  // Drops are in increasing order of area, so "the drops a point lies beyond" is a prefix: count
  // them by binary search and sum the scaled decreases from a prefix sum. A smooth schedule given as
  // thousands of rows (a cosine) is thousands of small drops; this keeps each evaluation O(n log m).
  const m = at.length;
  const scaled = new Float64Array(m + 1); // scaled[k]: sum of by[j] / by[seen - 1] over seen <= j < k
  for (let k = 0; k < m; k++) scaled[k + 1] = scaled[k]! + (k >= seen ? by[k]! / by[seen - 1]! : 0);
  const beyond = (s: number): number => {
    let lo = 0,
      hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s > at[mid]!) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const wrapped: Law<Inputs> = {
    ...law,
    name: `${law.name}+drops`,
    params: [...law.params, ...jumps],
    // The inner law's own one-pass version knows nothing of the jumps: replace it.
    valueAndJacobian(p, x, out, jac) {
      wrapped.evaluate(p, x, out);
      wrapped.jacobian!(p, x, jac);
    },
    evaluate(p, x, out) {
      law.evaluate(p, x, out);
      const s = x.step!;
      for (let i = 0; i < s.length; i++) {
        const c = beyond(s[i]!);
        for (let k = 0; k < Math.min(c, seen); k++) out[i]! += p[d + k]!;
        if (c > seen) out[i]! += p[d + seen - 1]! * scaled[c]!;
      }
    },
    jacobian(p, x, jac) {
      const s = x.step!;
      const n = s.length,
        D = d + seen;
      const inner = new Float64Array(n * d);
      law.jacobian!(p, x, inner);
      jac.fill(0, 0, n * D);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) jac[i * D + j] = inner[i * d + j]!;
        const c = beyond(s[i]!);
        for (let k = 0; k < Math.min(c, seen); k++) jac[i * D + d + k]! += 1;
        if (c > seen) jac[i * D + d + seen - 1]! += scaled[c]!;
      }
    },
  };
  return wrapped;
}
