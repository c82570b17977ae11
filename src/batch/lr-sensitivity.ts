import { InputError, show } from '../core/errors.js';
import { formatNumber, formatTable } from '../core/format.js';
import type { Run } from '../core/run.js';
import { fitLaw, type FitOptions } from '../fit/fit.js';
import { squared } from '../fit/objective.js';
import type { ScalingFit } from '../fit/result.js';
import { lrOptInN, powerLawStart } from '../laws/batch-power.js';
import { finalLoss, initialLoss, peakLr } from './run-quantities.js';

export interface LrSensitivityOptions {
  /** Which final loss to compare. @default 'evalLoss' */
  metric?: 'evalLoss' | 'trainLoss';
  /** A learning rate is near-optimal when its loss is within this fraction of the best. @default 0.01 */
  tolerance?: number;
  /**
   * Loss at initialisation, which caps diverged or poor runs in Wortsman et al.'s sensitivity.
   * @default the median first logged loss of each size's runs
   */
  initialLoss?: number;
  /** Options for the fitting engine when fitting the trend lr_opt = k N^e. */
  fit?: FitOptions;
}

export interface LrSweepPoint {
  runId: string;
  lr: number;
  /** Final loss; Infinity for a diverged run. */
  loss: number;
}

export interface SizeSensitivity {
  N: number;
  /** The sweep at this size, by increasing learning rate. */
  points: LrSweepPoint[];
  /** The learning rate of the best run. */
  bestLr: number;
  bestLoss: number;
  /**
   * Optimal learning rate refined by a parabola in log lr through the best run and its two
   * neighbours (the best run's rate when it sits at an edge).
   */
  optimalLr: number;
  /** True when the best run has the smallest or largest rate of the sweep: widen the sweep. */
  atEdge: false | 'low' | 'high';
  /** Near-optimal band [low, high] of learning rates (loss <= best (1 + tolerance)), interpolated in log lr. */
  band: [number, number];
  /** log10(high / low). */
  bandDecades: number;
  /** The band reaches the end of the sweep on this side, so its true width is larger. */
  bandOpen: ('low' | 'high')[];
  /**
   * Wortsman et al. 2023, Sec. 3.2: LR sensitivity = mean over the sweep of min(loss, L0) - best loss,
   * with L0 the loss at initialisation.
   */
  sensitivity: number;
}

export interface LrSensitivity {
  sizes: SizeSensitivity[];
  /** lr_opt = k N^e over the sizes whose best rate is not at the edge; undefined with fewer than 2. */
  trend?: ScalingFit;
  /** Sizes left out of the trend because their best rate is at the sweep's edge. */
  edgeSizes: number[];
}

/**
 * Learning-rate sensitivity across model sizes (Wortsman et al. 2023): runs grouped by config.N,
 * final loss against peak learning rate, the optimal rate per size and its trend in N, the width of
 * the near-optimal band, and a flag for sizes whose best rate sits at the edge of the sweep.
 */
export async function lrSensitivity(runs: readonly Run[], options: LrSensitivityOptions = {}): Promise<LrSensitivity> {
  const { metric = 'evalLoss', tolerance = 0.01, initialLoss: fixedL0, fit = {} } = options;
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) throw new InputError(`tolerance: must be positive, got ${show(tolerance)}`, 'tolerance');
  const bySize = runsBySize(runs);
  const sizes: SizeSensitivity[] = [];
  for (const [N, list] of [...bySize].sort((a, b) => a[0] - b[0])) {
    const points = list.map((r) => ({ runId: r.config.id, lr: peakLr(r), loss: finalLoss(r, metric) })).sort((a, b) => a.lr - b.lr);
    if (new Set(points.map((p) => p.lr)).size < 3) {
      throw new InputError(`size N=${show(N)}: needs at least 3 distinct learning rates, got ${show(points.map((p) => p.lr))}`, 'lr');
    }
    const i = points.reduce((bi, p, j) => (p.loss < points[bi]!.loss ? j : bi), 0);
    const best = points[i]!;
    if (!Number.isFinite(best.loss)) throw new InputError(`size N=${show(N)}: every run diverged`, 'loss');
    const atEdge = i === 0 ? 'low' : i === points.length - 1 ? 'high' : false;
    let optimalLr = best.lr;
    if (!atEdge) {
      // Vertex of the parabola through three points in (log lr, loss).
      const [a, b, c] = [points[i - 1]!, best, points[i + 1]!];
      if (Number.isFinite(a.loss) && Number.isFinite(c.loss)) {
        const [x0, x1, x2] = [Math.log(a.lr), Math.log(b.lr), Math.log(c.lr)];
        const num = (x1 - x0) ** 2 * (b.loss - c.loss) - (x1 - x2) ** 2 * (b.loss - a.loss);
        const den = (x1 - x0) * (b.loss - c.loss) - (x1 - x2) * (b.loss - a.loss);
        if (den !== 0) optimalLr = Math.exp(Math.min(x2, Math.max(x0, x1 - num / (2 * den))));
      }
    }
    const limit = best.loss * (1 + tolerance);
    const bandOpen: ('low' | 'high')[] = [];
    const edge = (step: -1 | 1): number => {
      let j = i;
      while (j + step >= 0 && j + step < points.length && points[j + step]!.loss <= limit) j += step;
      const inside = points[j]!,
        outside = points[j + step];
      if (!outside) {
        bandOpen.push(step < 0 ? 'low' : 'high');
        return inside.lr;
      }
      if (!Number.isFinite(outside.loss)) return inside.lr;
      const w = (limit - inside.loss) / (outside.loss - inside.loss);
      return Math.exp(Math.log(inside.lr) + w * (Math.log(outside.lr) - Math.log(inside.lr)));
    };
    const band: [number, number] = [edge(-1), edge(1)];
    const L0s = list
      .map((r) => initialLoss(r, metric))
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    const L0 = fixedL0 ?? (L0s.length > 0 ? L0s[Math.floor(L0s.length / 2)]! : Math.max(...points.map((p) => p.loss).filter(Number.isFinite)));
    const sensitivity = points.reduce((s, p) => s + Math.min(p.loss, L0) - best.loss, 0) / points.length;
    sizes.push({ N, points, bestLr: best.lr, bestLoss: best.loss, optimalLr, atEdge, band, bandDecades: Math.log10(band[1] / band[0]), bandOpen, sensitivity });
  }
  const inner = sizes.filter((s) => !s.atEdge);
  const edgeSizes = sizes.filter((s) => s.atEdge).map((s) => s.N);
  let trend: ScalingFit | undefined;
  if (inner.length >= 2) {
    const N = Float64Array.from(inner, (s) => s.N);
    const lr = Float64Array.from(inner, (s) => s.optimalLr);
    const [k, e] = powerLawStart(N, lr);
    trend = await fitLaw(lrOptInN, { inputs: { N }, loss: lr, source: 'optimal learning rates' }, { loss: squared(), space: 'log', starts: [{ k, e }], ...fit });
  }
  return { sizes, ...(trend ? { trend } : {}), edgeSizes };
}

/**
 * The analysis as text: a table of the sizes (optimal rate, best loss, near-optimal band within
 * `tolerance`, its width in decades, the sensitivity, edge flags), the sizes whose sweep to widen,
 * and the trend lr_opt = k N^e.
 */
export function lrSensitivityReport(r: LrSensitivity, options: Pick<LrSensitivityOptions, 'tolerance'> = {}): string {
  const { tolerance = 0.01 } = options;
  const sections = [
    formatTable(
      r.sizes.map((s) => [
        formatNumber(s.N),
        s.points.length,
        s.optimalLr,
        s.bestLoss,
        `${formatNumber(s.band[0])}..${formatNumber(s.band[1])}${s.bandOpen.length ? ' (open)' : ''}`,
        s.bandDecades,
        s.sensitivity,
        s.atEdge ? `best at ${s.atEdge} edge` : '',
      ]),
      ['N', 'rates', 'optimal lr', 'best loss', `band (within ${formatNumber(tolerance * 100)}%)`, 'decades', 'sensitivity', ''],
    ),
  ];
  if (r.edgeSizes.length) sections.push(`widen the sweep for N = ${r.edgeSizes.map((n) => formatNumber(n)).join(', ')}: the best rate is at its edge (left out of the trend)`);
  if (r.trend) sections.push(`lr_opt = ${formatNumber(r.trend.values.k!)} N^${formatNumber(r.trend.values.e!)}`);
  return sections.join('\n\n');
}

/** Runs grouped by model size (config.N), each size's runs in input order; refuses a run without a positive N, and no runs. */
export function runsBySize(runs: readonly Run[]): Map<number, Run[]> {
  const bySize = new Map<number, Run[]>();
  for (const run of runs) {
    const N = run.config.N;
    if (N === undefined || !(N > 0)) throw new InputError(`run ${show(run.config.id)}: config.N must be a positive number, got ${show(N)}`, 'N');
    bySize.set(N, [...(bySize.get(N) ?? []), run]);
  }
  if (bySize.size === 0) throw new InputError('runs: no runs given', 'runs');
  return bySize;
}
