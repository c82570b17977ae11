import { InputError, show } from '../core/errors.js';
import type { Goal } from '../extrapolation/curve.js';
import { rng } from '../core/rng.js';
import { better, type Decision, type PeerRun, type RunView, type StopRule } from './rule.js';

/**
 * Replays a stopping rule over complete curves, as in Domhan et al. 2015 (§5) and Baker et al.
 * 2017: the curves of a study are trained one after another in a random order; at each checkpoint
 * the rule sees the run so far, the best final value of the runs that finished, and the runs before
 * it; a stopped run is discarded (its final value is never known). Against training every run to
 * the end it reports the speed-up in epochs and the regret of the best final value found.
 */
export interface ReplayOptions {
  goal: Goal;
  /** Points seen at each decision (e.g. 10%, 20%, 40%, 80% of the epochs). */
  checkpoints: readonly number[];
  /** Random orderings of the curves. @default 40 */
  orderings?: number;
  /** Runs per ordering (the budget of full runs without stopping). @default 20 */
  budget?: number;
  /** @default 0 */
  seed?: number;
  range?: readonly [number, number];
  /** Regret is reported as a fraction of this span. @default max - min of the curves' final values */
  span?: number;
}

/** The result of `replay`: speed-up and regret of the rule, averaged over orderings. */
export interface ReplayResult {
  rule: string;
  orderings: number;
  budget: number;
  /** Mean over orderings of (budget x epochs) / epochs trained under the rule. */
  speedup: number;
  /** Mean over orderings of (best final without stopping - best final with the rule), improving direction, as a fraction of `span`. */
  regret: number;
  /** Largest regret of any ordering, same units. */
  maxRegret: number;
  /** Fraction of orderings whose best final value is the same as without stopping. */
  sameBest: number;
  span: number;
}

/** Replays a stopping rule over complete curves (see `ReplayOptions`). */
export function replay(curves: readonly Float64Array[], rule: StopRule, options: ReplayOptions): ReplayResult {
  const plan = replayPlan(curves, options);
  const outcomes = plan.orders.map((order) => runOrdering(curves, order, plan, (view) => rule.decide(view)));
  return summarize(rule.name, outcomes, plan);
}

/**
 * `replay` for rules whose decisions need work that is best done in parallel (a prediction per
 * run and epoch): `prefetch` is awaited before each decision, so it can fill a cache that the
 * rule's predictor then reads synchronously. All orderings run at once and wait on `prefetch`
 * together, so a worker pool behind it sees many requests; orderings and results are those of
 * `replay` with the same seed.
 */
export async function replayAsync(curves: readonly Float64Array[], rule: StopRule, options: ReplayOptions & { prefetch: (view: RunView) => Promise<void> }): Promise<ReplayResult> {
  const plan = replayPlan(curves, options);
  const { prefetch } = options;
  const outcomes = await Promise.all(
    plan.orders.map(async (order) => {
      // The same loop as runOrdering, with an await before each decision.
      const steps = runOrderingSteps(curves, order, plan);
      let next = steps.next();
      while (!next.done) {
        await prefetch(next.value);
        next = steps.next(rule.decide(next.value));
      }
      return next.value;
    }),
  );
  return summarize(rule.name, outcomes, plan);
}

interface Plan {
  goal: Goal;
  checkpoints: readonly number[];
  range?: readonly [number, number];
  length: number;
  budget: number;
  finals: number[];
  span: number;
  steps: Float64Array;
  orders: number[][];
}

interface Outcome {
  epochs: number;
  best?: number;
  bestAll: number;
}

function replayPlan(curves: readonly Float64Array[], options: ReplayOptions): Plan {
  const { goal, checkpoints, orderings = 40, budget = 20, seed = 0, range } = options;
  if (curves.length < budget) throw new InputError(`replay: budget: ${show(budget)} runs but only ${curves.length} curves`, 'budget');
  const length = curves[0]!.length;
  for (const m of checkpoints) {
    if (!(Number.isInteger(m) && m >= 1 && m < length)) throw new InputError(`replay: checkpoints: each must be an integer in [1, ${length}), got ${show(m)}`, 'checkpoints');
  }
  const finals = curves.map((c) => c[c.length - 1]!);
  const span = options.span ?? Math.max(...finals) - Math.min(...finals);
  const steps = Float64Array.from({ length }, (_, i) => i + 1);
  const random = rng(seed);
  const orders = Array.from({ length: orderings }, () => random.shuffle(curves.map((_, i) => i)).slice(0, budget));
  return { goal, checkpoints, range, length, budget, finals, span, steps, orders };
}

/** One ordering as a generator: yields each view to decide on, receives the decision. */
function* runOrderingSteps(curves: readonly Float64Array[], order: readonly number[], plan: Plan): Generator<RunView, Outcome, Decision> {
  const { goal, checkpoints, range, length, finals, steps } = plan;
  let best: number | undefined;
  let bestAll: number | undefined;
  let epochs = 0;
  const peers: PeerRun[] = [];
  for (const i of order) {
    const c = curves[i]!;
    if (bestAll === undefined || better(goal, finals[i]!, bestAll)) bestAll = finals[i]!;
    let stoppedAt = length;
    for (const m of checkpoints) {
      const d = yield { id: i, steps: steps.subarray(0, m), values: c.subarray(0, m), goal, horizon: length, range, bestFinal: best, peers };
      if (d.stop) {
        stoppedAt = m;
        break;
      }
    }
    epochs += stoppedAt;
    peers.push({ id: i, values: c.subarray(0, stoppedAt), finished: stoppedAt === length });
    if (stoppedAt === length && (best === undefined || better(goal, finals[i]!, best))) best = finals[i]!;
  }
  return { epochs, best, bestAll: bestAll! };
}

function runOrdering(curves: readonly Float64Array[], order: readonly number[], plan: Plan, decide: (view: RunView) => Decision): Outcome {
  const steps = runOrderingSteps(curves, order, plan);
  let next = steps.next();
  while (!next.done) next = steps.next(decide(next.value));
  return next.value;
}

function summarize(rule: string, outcomes: readonly Outcome[], plan: Plan): ReplayResult {
  const { budget, length, span } = plan;
  const orderings = outcomes.length;
  let speedup = 0,
    regret = 0,
    maxRegret = 0,
    same = 0;
  for (const { epochs, best, bestAll } of outcomes) {
    speedup += (budget * length) / epochs / orderings;
    const r = best === undefined ? 1 : Math.abs(bestAll - best) / span;
    regret += r / orderings;
    maxRegret = Math.max(maxRegret, r);
    if (best === bestAll) same += 1 / orderings;
  }
  return { rule, orderings, budget, speedup, regret, maxRegret, sameBest: same, span };
}
