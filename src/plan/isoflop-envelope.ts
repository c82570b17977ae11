import { InputError, show } from '../core/errors.js';
import type { Run, TrajectoryPoint } from '../core/run.js';
import { warn } from '../core/warn.js';
import type { IsoflopEnvelopeChartData } from '../plot/isoflop.js';
import { bootstrapTrend, checkBootstrapOptions, fitTrend, resampleCases, trendReport, type OptimalPoint, type Trend, type TrendBootstrapOptions } from './isoflop-trend.js';

/** The lowest loss reached at compute C by any run, and the run that reached it. */
export interface EnvelopePoint {
  C: number;
  /** Parameters of the run on the envelope at C. */
  N: number;
  /** Tokens that run had seen at C. */
  D: number;
  loss: number;
  run: string;
}

/** The result of `isoflopEnvelope`: the envelope points per compute budget, the power laws through them, and `report()`. */
export interface IsoflopEnvelopeResult extends Trend {
  approach: 1;
  /** The logged loss used. */
  metric: string;
  /** Runs whose trajectories were used. */
  runs: number;
  /** Envelope points kept for the fit (their minimum bracketed by smaller and larger models). */
  envelope: EnvelopePoint[];
  /** Envelope points left out because the best run there was the smallest or largest model that reached C. */
  atEdge: EnvelopePoint[];
  warnings: string[];
  predict(C: number): { N: number; D: number };
  report(): string;
}

/** Options of `isoflopEnvelope`. */
export interface IsoflopEnvelopeOptions extends TrendBootstrapOptions {
  /** Logged loss to use. @default 'evalLoss' where every run logs it, else 'trainLoss' */
  metric?: string;
  /** Log-spaced compute values at which the envelope is taken (Hoffmann et al. used 1500). @default 250 */
  points?: number;
  /** FLOPs per parameter per token, for C = k N D where a checkpoint logs no `flops`. @default 6 */
  flopsPerParameterToken?: number;
  /** Include runs whose status is 'diverged' or 'failed'. @default false */
  includeFailed?: boolean;
}

interface Curve {
  id: string;
  N: number;
  logC: number[];
  loss: number[];
  logD: number[];
}

/**
 * Hoffmann et al. 2022, Approach 1: the envelope of the training curves. At each of `points`
 * log-spaced compute values, every run whose trajectory spans that compute is read off (linear
 * interpolation in log C), the lowest loss is kept with its run's N and tokens, and N_opt = kN C^a,
 * D_opt = kD C^b are fitted in log-log. A point whose best run is the smallest or the largest model
 * that reached that compute has no bracketed minimum (a larger model might do better but was not
 * yet logged there) and is left out, with a warning. Bootstrap intervals resample runs (cases) and
 * recompute the envelope.
 *
 * The envelope is only as good as the curves: with a cosine schedule an intermediate checkpoint is
 * not the loss a run of that length would reach, so Approach 1 wants runs of several lengths (as
 * Hoffmann et al. trained) or constant-LR runs.
 *
 * @example isoflopEnvelope(openStore('runs/').runs(), { bootstrap: 1000, seed: 1 }).a
 */
export function isoflopEnvelope(runs: readonly Run[], options: IsoflopEnvelopeOptions = {}): IsoflopEnvelopeResult {
  const { points = 250, flopsPerParameterToken = 6, includeFailed = false } = options;
  const boot = checkBootstrapOptions(options);
  if (!(Number.isInteger(points) && points >= 2)) throw new InputError(`points: must be a whole number >= 2, got ${show(points)}`, 'points');
  if (!(flopsPerParameterToken > 0)) throw new InputError(`flopsPerParameterToken: must be positive, got ${show(flopsPerParameterToken)}`, 'flopsPerParameterToken');
  const used = runs.filter((run) => includeFailed || (run.summary?.status !== 'diverged' && run.summary?.status !== 'failed'));
  if (used.length === 0) throw new InputError(`runs: no usable run (${runs.length} given)`, 'runs');
  const metric = options.metric ?? (used.every((run) => run.trajectory.some((p) => Number.isFinite(p.evalLoss))) ? 'evalLoss' : 'trainLoss');
  const curves = used.map((run) => curveOf(run, metric, flopsPerParameterToken)).filter((c): c is Curve => c !== undefined);
  const warnings: string[] = [];
  const say = (message: string) => {
    warnings.push(message);
    warn(message);
  };
  if (curves.length < used.length) say(`isoflop: ${used.length - curves.length} of ${used.length} runs have fewer than 2 checkpoints with a finite ${metric}; left out`);
  if (new Set(curves.map((c) => c.N)).size < 3) throw new InputError(`runs: Approach 1 needs runs of at least 3 sizes with ${metric} logged; found ${new Set(curves.map((c) => c.N)).size}`, 'N');
  const grid = logGrid(curves, points);
  const { kept, atEdge } = envelopeOf(curves, grid);
  if (atEdge.length > 0) say(`isoflop: ${atEdge.length} of ${kept.length + atEdge.length} envelope points left out: the best run there was the smallest or largest model logged at that compute`);
  if (new Set(kept.map((p) => p.C)).size < 2) throw new InputError(`runs: the envelope has ${kept.length} points with a bracketed minimum; need at least 2 (add smaller and larger models)`, 'runs');
  const distinctN = new Set(kept.map((p) => p.N)).size;
  if (distinctN < 3) say(`isoflop: only ${distinctN} model sizes on the envelope; the exponent rests on a few steps of a staircase`);
  const trend = fitTrend(kept);
  const interval = bootstrapTrend((random) => {
    const sample = resampleCases(curves, random);
    if (new Set(sample.map((c) => c.N)).size < 3) return undefined;
    const { kept: points } = envelopeOf(sample, grid);
    // A resample whose envelope steps through fewer than three sizes gives no slope worth the name.
    return new Set(points.map((p) => p.N)).size < 3 ? undefined : (points as OptimalPoint[]);
  }, boot);
  const { a, kN, b, kD } = trend;
  const result: IsoflopEnvelopeResult = {
    approach: 1,
    metric,
    runs: curves.length,
    ...trend,
    ...(interval ? { interval } : {}),
    envelope: kept,
    atEdge,
    warnings,
    predict: (c: number) => ({ N: kN * c ** a, D: kD * c ** b }),
    report: () => envelopeReport(result),
  };
  return result;
}

/**
 * What `isoflopEnvelopeChart` draws for a result: each run's curve against compute (thinned to at
 * most 200 points a run) and the envelope kept for the fit.
 */
export function isoflopEnvelopeChartData(runs: readonly Run[], result: IsoflopEnvelopeResult, options: Pick<IsoflopEnvelopeOptions, 'flopsPerParameterToken'> = {}): IsoflopEnvelopeChartData {
  const { flopsPerParameterToken = 6 } = options;
  const curves = runs.flatMap((run) => {
    const curve = run.config.N === undefined ? undefined : curveOf(run, result.metric, flopsPerParameterToken);
    if (!curve) return [];
    const stride = Math.max(1, Math.ceil(curve.logC.length / 200));
    return curve.logC
      .filter((_, i) => i % stride === 0 || i === curve.logC.length - 1)
      .map((_, k) => {
        const i = Math.min(k * stride, curve.logC.length - 1);
        return { run: curve.id, N: curve.N, compute: Math.exp(curve.logC[i]!), loss: curve.loss[i]! };
      });
  });
  return { curves, envelope: result.envelope.map((p) => ({ compute: p.C, N: p.N, loss: p.loss })) };
}

function curveOf(run: Run, metric: string, k: number): Curve | undefined {
  const N = run.config.N;
  if (N === undefined) throw new InputError(`run ${show(run.config.id)}: config.N is missing; Approach 1 needs each run's parameter count`, 'N');
  const rows: { logC: number; loss: number; logD: number }[] = [];
  for (const p of run.trajectory) {
    const value = p[metric];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const tokens = tokensSeen(run, p);
    if (!(tokens > 0)) continue;
    const C = p.flops !== undefined && p.flops > 0 ? p.flops : k * N * tokens;
    rows.push({ logC: Math.log(C), loss: value, logD: Math.log(tokens) });
  }
  rows.sort((p, q) => p.logC - q.logC);
  const unique = rows.filter((r, i) => i === 0 || r.logC > rows[i - 1]!.logC);
  if (unique.length < 2) return undefined;
  return { id: run.config.id, N, logC: unique.map((r) => r.logC), loss: unique.map((r) => r.loss), logD: unique.map((r) => r.logD) };
}

function tokensSeen(run: Run, p: TrajectoryPoint): number {
  if (p.tokens !== undefined) return p.tokens;
  const { batchSize, seqLen } = run.config;
  if (batchSize === undefined) throw new InputError(`run ${show(run.config.id)}, step ${p.step}: no tokens logged and no config.batchSize to count them`, 'tokens');
  return p.step * batchSize * (seqLen ?? 1);
}

function logGrid(curves: Curve[], points: number): number[] {
  const lo = Math.min(...curves.map((c) => c.logC[0]!));
  const hi = Math.max(...curves.map((c) => c.logC[c.logC.length - 1]!));
  return Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
}

function envelopeOf(curves: readonly Curve[], grid: number[]): { kept: EnvelopePoint[]; atEdge: EnvelopePoint[] } {
  const kept: EnvelopePoint[] = [],
    atEdge: EnvelopePoint[] = [];
  for (const logC of grid) {
    let best: EnvelopePoint | undefined;
    let smallest = Infinity,
      largest = -Infinity;
    for (const curve of curves) {
      const xs = curve.logC;
      if (logC < xs[0]! || logC > xs[xs.length - 1]!) continue;
      smallest = Math.min(smallest, curve.N);
      largest = Math.max(largest, curve.N);
      let j = 1;
      while (j < xs.length - 1 && xs[j]! < logC) j++;
      const t = (logC - xs[j - 1]!) / (xs[j]! - xs[j - 1]!);
      const loss = curve.loss[j - 1]! + t * (curve.loss[j]! - curve.loss[j - 1]!);
      if (best === undefined || loss < best.loss) {
        best = { C: Math.exp(logC), N: curve.N, D: Math.exp(curve.logD[j - 1]! + t * (curve.logD[j]! - curve.logD[j - 1]!)), loss, run: curve.id };
      }
    }
    if (!best) continue;
    (best.N === smallest || best.N === largest ? atEdge : kept).push(best);
  }
  return { kept, atEdge };
}

function envelopeReport(result: IsoflopEnvelopeResult): string {
  const sizes = [...new Set(result.envelope.map((p) => p.N))].sort((x, y) => x - y);
  const C = result.envelope.map((p) => p.C);
  const lines = [
    `IsoFLOP Approach 1 (envelope of ${result.runs} training curves, ${result.metric}): ${result.envelope.length} envelope points, C ${Math.min(...C).toExponential(2)} to ${Math.max(...C).toExponential(2)}`,
    ...trendReport(result),
    `model sizes on the envelope: ${sizes.map((n) => n.toExponential(2)).join(', ')}`,
  ];
  if (result.warnings.length) lines.push('', ...result.warnings.map((w) => `warning: ${w}`));
  return lines.join('\n');
}
