import { InputError, show } from '../core/errors.js';
import { formatNumber } from '../core/format.js';
import type { ScalingFit } from '../fit/result.js';
import { symmetricEigen } from '../fit/identifiability.js';
import type { Inputs, Law } from '../laws/law.js';
import { getLaw } from '../laws/registry.js';

/** A proxy run one could train next: parameters, tokens, and which seed of that configuration it would be. */
export interface CandidateRun {
  N: number;
  D: number;
  /** 1 for a new configuration; k + 1 for another seed of a configuration already run k times. */
  seed: number;
}

/** A candidate with what it is expected to buy and what it costs. */
export interface RankedRun extends CandidateRun {
  /** Training FLOPs, k N D. */
  cost: number;
  /** Expected standard deviation of the target's log loss after adding the run (about its relative sd). */
  sdAfter: number;
  /** Share of the target's standard deviation the run is expected to remove: 1 - sdAfter / sdNow. */
  narrowing: number;
}

/** Options of `rankNextRuns`. */
export interface NextRunsOptions {
  /** How many runs to return, best first. @default 5 */
  count?: number;
  /**
   * Runs to choose among. @default a grid: 9 sizes from the smallest proxy's N to 4x the largest's
   * (geometric), at 5, 10, 20, 40, 80 and 160 tokens per parameter, plus another seed of every
   * configuration already run; those costing more than `maxCost` left out
   */
  candidates?: readonly { N: number; D: number }[];
  /**
   * Most FLOPs one candidate may cost. @default the smaller of 4x the costliest run so far and a
   * tenth of the target's own cost (a proxy that costs as much as the target is no proxy)
   */
  maxCost?: number;
  /** FLOPs per parameter per token. @default 6 */
  flopsPerParameterToken?: number;
}

/** The ranking, with the evidence behind it. */
export interface NextRuns {
  target: { N: number; D: number; loss: number };
  /** Standard deviation of the target's log loss from the runs so far (linearised, Fisher information). */
  sdNow: number;
  /** Residual standard deviation of the fit (log loss), the noise a new run is assumed to carry, seed to seed. */
  noise: number;
  ranked: RankedRun[];
  /** How many candidates were scored. */
  scored: number;
  method: string;
  warnings: string[];
}

/** d log Lhat / d theta_j x |theta_j| at each row (relative parameter steps), free parameters only. */
function scaledLogJacobian(law: Law<Inputs>, p: Float64Array, free: number[], N: readonly number[], D: readonly number[]): { rows: number[][]; value: Float64Array } {
  const x = { N: Float64Array.from(N), D: Float64Array.from(D) };
  const n = N.length,
    m = law.params.length;
  const value = new Float64Array(n);
  law.evaluate(p, x, value);
  const jac = new Float64Array(n * m);
  if (law.jacobian) law.jacobian(p, { N: Float64Array.from(N), D: Float64Array.from(D) }, jac);
  else {
    const up = new Float64Array(n),
      down = new Float64Array(n);
    for (let j = 0; j < m; j++) {
      const h = 1e-6 * Math.max(1e-8, Math.abs(p[j]!));
      const q = Float64Array.from(p);
      q[j] = p[j]! + h;
      law.evaluate(q, { N: Float64Array.from(N), D: Float64Array.from(D) }, up);
      q[j] = p[j]! - h;
      law.evaluate(q, { N: Float64Array.from(N), D: Float64Array.from(D) }, down);
      for (let i = 0; i < n; i++) jac[i * m + j] = (up[i]! - down[i]!) / (2 * h);
    }
  }
  const rows = Array.from({ length: n }, (_, i) => free.map((j) => (jac[i * m + j]! / value[i]!) * Math.max(Math.abs(p[j]!), 1e-12)));
  return { rows, value };
}

/**
 * Ranks the proxy runs to train next by how much each is expected to narrow the interval of the
 * target prediction, the fit's loss at `target` (e.g. the plan's compute-optimal N and D): the
 * linearised (Fisher-information) covariance of the fitted law on the runs so far,
 * Sigma = s^2 (J'J)^-1 with J the Jacobian of the log predictions and s the residual standard
 * deviation, updated for one more run x by Sherman-Morrison: Var' = Var - (g' Sigma j)^2 / (s^2 +
 * j' Sigma j), g and j the gradients of log L at the target and at x. A repeat of a configuration
 * is a new seed: it carries the same noise s, so repeats are ranked like any other run.
 *
 * @example rankNextRuns(fit, { N: [...], D: [...], loss: [...] }, { N: 7e10, D: 1.4e12 }).ranked[0] // { N, D, seed, cost, narrowing }
 */
export function rankNextRuns(
  fit: ScalingFit,
  data: { N: readonly number[]; D: readonly number[]; loss: readonly number[] },
  target: { N: number; D: number },
  options: NextRunsOptions = {},
): NextRuns {
  const { count = 5, flopsPerParameterToken: k = 6 } = options;
  if (!Number.isInteger(count) || count < 1) throw new InputError(`count: must be a positive integer, got ${show(count)}`, 'count');
  const law = getLaw<Inputs>(fit.law);
  if (!law.inputs.includes('N') || !law.inputs.includes('D') || law.inputs.length !== 2) throw new InputError(`law ${show(fit.law)}: next runs are ranked for laws of N and D only`, 'law');
  const n = data.loss.length;
  if (n === 0 || data.N.length !== n || data.D.length !== n) throw new InputError(`data: N, D and loss must have the same, non-zero length; got ${data.N.length}, ${data.D.length}, ${n}`, 'data');
  for (const [name, v] of Object.entries(target)) if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`target ${name}: must be a positive number, got ${show(v)}`, name);
  const p = fit.vector();
  const free = fit.params.map((q, j) => (q.fixed ? -1 : j)).filter((j) => j >= 0);
  const m = free.length;
  const warnings: string[] = [];
  const { rows, value } = scaledLogJacobian(law, p, free, data.N, data.D);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (Math.log(value[i]!) - Math.log(data.loss[i]!)) ** 2;
  if (n <= m) throw new InputError(`data: ${n} runs for ${m} free parameters; the fit's uncertainty cannot be estimated (need more runs than parameters)`, 'data');
  const s2 = rss / (n - m);
  // Sigma = s^2 (J'J)^+ by eigendecomposition, directions the runs do not inform dropped (and said).
  const info = new Float64Array(m * m);
  for (const r of rows) for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) info[a * m + b]! += r[a]! * r[b]!;
  const { values, vectors } = symmetricEigen(info, m);
  const top = Math.max(...values);
  const sigma = new Float64Array(m * m);
  let dropped = 0;
  for (let e = 0; e < m; e++) {
    if (!(values[e]! > top * 1e-12)) {
      dropped++;
      continue;
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sigma[a * m + b]! += (s2 * vectors[a * m + e]! * vectors[b * m + e]!) / values[e]!;
  }
  if (dropped > 0) warnings.push(`${dropped} direction(s) of the parameters are not informed by the runs so far (information matrix singular); the ranking ignores them`);
  const times = (v: readonly number[]) => Array.from({ length: m }, (_, a) => v.reduce((s, x, b) => s + sigma[a * m + b]! * x, 0));
  const dot = (u: readonly number[], v: readonly number[]) => u.reduce((s, x, a) => s + x * v[a]!, 0);
  const targetRow = scaledLogJacobian(law, p, free, [target.N], [target.D]);
  const g = targetRow.rows[0]!;
  const sigmaG = times(g);
  const varNow = dot(g, sigmaG);
  const sdNow = Math.sqrt(Math.max(varNow, 0));

  // Candidates: the grid (or the caller's), and another seed of every configuration run so far.
  const costs = data.N.map((N, i) => k * N * data.D[i]!);
  const maxCost = options.maxCost ?? Math.min(4 * Math.max(...costs), 0.1 * k * target.N * target.D);
  if (!(maxCost > 0)) throw new InputError(`maxCost: must be positive, got ${show(maxCost)}`, 'maxCost');
  const seen = new Map<string, number>();
  data.N.forEach((N, i) => seen.set(`${N}|${data.D[i]}`, (seen.get(`${N}|${data.D[i]}`) ?? 0) + 1));
  let pool: { N: number; D: number }[];
  if (options.candidates) pool = [...options.candidates];
  else {
    const lo = Math.min(...data.N),
      hi = 4 * Math.max(...data.N);
    pool = [];
    for (let s = 0; s < 9; s++) {
      const N = lo * (hi / lo) ** (s / 8);
      for (const ratio of [5, 10, 20, 40, 80, 160]) pool.push({ N, D: ratio * N });
    }
    for (const key of seen.keys()) {
      const [N, D] = key.split('|').map(Number) as [number, number];
      pool.push({ N, D });
    }
  }
  for (const c of pool) if (!(c.N > 0 && c.D > 0)) throw new InputError(`candidates: N and D must be positive, got ${show(c)}`, 'candidates');
  const affordable = pool.filter((c) => k * c.N * c.D <= maxCost);
  if (affordable.length === 0) throw new InputError(`maxCost: no candidate costs ${formatNumber(maxCost, 3)} FLOPs or less`, 'maxCost');
  const jRows = scaledLogJacobian(
    law,
    p,
    free,
    affordable.map((c) => c.N),
    affordable.map((c) => c.D),
  ).rows;
  const scoredRuns: RankedRun[] = affordable.map((c, i) => {
    const j = jRows[i]!;
    const sigmaJ = times(j);
    const varAfter = varNow - dot(g, sigmaJ) ** 2 / (s2 + dot(j, sigmaJ));
    const sdAfter = Math.sqrt(Math.max(varAfter, 0));
    return { N: c.N, D: c.D, seed: (seen.get(`${c.N}|${c.D}`) ?? 0) + 1, cost: k * c.N * c.D, sdAfter, narrowing: sdNow > 0 ? 1 - sdAfter / sdNow : 0 };
  });
  scoredRuns.sort((a, b) => b.narrowing - a.narrowing || a.cost - b.cost);
  return {
    target: { ...target, loss: targetRow.value[0]! },
    sdNow,
    noise: Math.sqrt(s2),
    ranked: scoredRuns.slice(0, count),
    scored: scoredRuns.length,
    method: 'Fisher information of the fitted law on log loss (Sherman-Morrison update per candidate), noise = residual sd of the fit',
    warnings,
  };
}

/** A few lines for the plan's text report. */
export function nextRunsReport(r: NextRuns, level = 0.9): string {
  const z = level === 0.9 ? 1.645 : level === 0.95 ? 1.96 : 1.645;
  const lines = [
    `Next runs: which proxy runs narrow the loss prediction at N = ${formatNumber(r.target.N, 3)}, D = ${formatNumber(r.target.D, 3)} most (${r.scored} candidates scored)`,
    `  now: loss ${formatNumber(r.target.loss, 4)} +- ${formatNumber(z * r.sdNow * 100, 3)}% (${level * 100}%, linearised); noise per run ${formatNumber(r.noise * 100, 3)}% of the loss`,
    ...r.ranked.map(
      (c, i) =>
        `  ${i + 1}. N = ${formatNumber(c.N, 3)}, D = ${formatNumber(c.D, 3)}${c.seed > 1 ? ` (seed ${c.seed} of this configuration)` : ''}: cost ${formatNumber(c.cost, 3)} FLOPs, narrows the interval by ${formatNumber(c.narrowing * 100, 3)}%`,
    ),
    `  method: ${r.method}`,
    ...r.warnings.map((w) => `  warning: ${w}`),
  ];
  return lines.join('\n');
}
