import { InputError, show } from '../core/errors.js';
import type { Run } from '../core/run.js';
import { runsBySize } from './lr-sensitivity.js';
import { rng } from '../core/rng.js';
import { quantile } from '../core/stats.js';
import { finalLoss, initialLoss, peakLr } from './run-quantities.js';

/** Options of `stabilityForecast`. */
export interface StabilityOptions {
  /** Which logged loss decides whether a run trained. @default 'evalLoss' */
  metric?: 'evalLoss' | 'trainLoss';
  /** Model size at which to forecast the divergence threshold. */
  at?: number;
  /** Central coverage of the forecast interval. @default 0.9 */
  level?: number;
  /** Draws for the interval. @default 2000 */
  draws?: number;
  /** Seed of the draws. @default 0 */
  seed?: number;
  /**
   * Loss at initialisation (Wortsman et al. 2023's cap L0): a run that ends at or above it did not
   * train. @default the median first logged loss of the runs of each size and set-up
   */
  initialLoss?: number;
}

/** The set-up of a sweep that Wortsman et al. 2023 vary as mitigations. */
export interface StabilityVariant {
  /** LayerNorm on queries and keys (`extra.model.qkNorm`, else `tags.qkNorm`). */
  readonly qkNorm: boolean;
  /** z-loss coefficient (`extra.zLoss`, else `tags.zLoss`), 0 without. */
  readonly zLoss: number;
  /** Warmup steps of the schedule (`schedule.warmup`), 0 without. */
  readonly warmup: number;
}

/** One seed's runs at one size, read for stability. */
export interface SeedStability {
  /** `config.seed`; undefined for runs that name none (read together as one seed). */
  readonly seed?: number;
  readonly runs: number;
  /** Largest rate whose run trained: it did not diverge and ended below the loss at initialisation. */
  readonly stableLr?: number;
  /** Smallest rate above `stableLr` whose run did not train. */
  readonly divergedLr?: number;
  /** Geometric midpoint of the two, where both exist. */
  readonly threshold?: number;
}

/** One size's learning-rate sweep (every seed of one set-up), read for stability. */
export interface SizeStability {
  readonly N: number;
  readonly runs: number;
  /**
   * The loss at initialisation a run must end below to count as trained: `initialLoss` if given, else
   * the median first logged loss of the size's runs (of a mitigation's runs, the baseline's at its size).
   */
  readonly initialLoss: number;
  /** Every run: its rate, seed and whether it trained (did not diverge, ended below the loss at initialisation). */
  readonly points: readonly { readonly runId: string; readonly lr: number; readonly seed?: number; readonly trained: boolean }[];
  /** Per seed: its own bracket of the threshold. */
  readonly seeds: readonly SeedStability[];
  /**
   * Over the seeds with a bracket: the geometric mean of their largest stable rates (with one seed,
   * its largest stable rate; with no bracket, the largest rate that trained in any seed).
   */
  readonly stableLr?: number;
  /** Over the seeds with a bracket: the geometric mean of the smallest rates above it that did not train. */
  readonly divergedLr?: number;
  /** The threshold: geometric mean over the seeds with a bracket of their thresholds. */
  readonly threshold?: number;
  /** Standard deviation over seeds of the natural log of their thresholds (2 or more seeds with a bracket). */
  readonly spread?: number;
  /**
   * Growth of the largest attention logit with the rate over the runs that trained and logged it:
   * the slope of log max logit against log lr (Wortsman et al. 2023's attention-logit growth).
   */
  readonly attentionGrowth?: number;
  /** The same slope for the largest logged output-logit RMS (Wortsman et al.'s output-logit divergence). */
  readonly outputLogitGrowth?: number;
}

/** What a set-up other than the baseline did to the divergence threshold at one size. */
export interface MitigationEffect {
  /** The set-up's difference from the baseline, e.g. "qk-layernorm", "z-loss 0.0001", "warmup 100 steps". */
  readonly name: string;
  readonly variant: StabilityVariant;
  /** The set-up's sweep. */
  readonly size: SizeStability;
  /** The baseline's sweep it is compared with (the size within 10% of N). */
  readonly baseline: SizeStability;
  /**
   * threshold / baseline threshold (geometric means over seeds); with seeds that never diverged, a
   * lower bound (their largest stable rate in place of the threshold, `open`).
   */
  readonly ratio?: number;
  /** Standard error of log(ratio): the seeds' spread on both sides and the rate brackets' widths. */
  readonly logSe?: number;
  /** Some seeds of the set-up never diverged in the sweep: `ratio` is a lower bound. */
  readonly open: boolean;
  /**
   * 'wider' when log(ratio) exceeds 2 standard errors (a lower bound suffices), 'narrower' when it is
   * below -2, 'no clear change' between; 'unknown' where a side has no threshold to compare.
   */
  readonly verdict: 'wider' | 'narrower' | 'no clear change' | 'unknown';
}

/** Where the proxies diverge, and the forecast for a larger model. */
export interface StabilityForecast {
  /** The baseline set-up's sizes, which the trend is fitted on. */
  readonly sizes: readonly SizeStability[];
  /** The set-up swept at the most sizes (ties: the fewest mitigations). */
  readonly baseline: StabilityVariant;
  /** threshold = k N^e, least squares in log-log over the sizes with a threshold. */
  readonly trend?: {
    readonly k: number;
    readonly e: number;
    readonly sizes: number;
    /**
     * Scatter of the sizes' log thresholds about the trend beyond what their seeds and brackets
     * explain (lack of fit; 3 or more sizes). The forecast's intervals count it, with n - 2 degrees of freedom.
     */
    readonly scatter?: number;
  };
  readonly forecast?: {
    readonly N: number;
    readonly threshold: number;
    /** Where one run's threshold falls: the trend's uncertainty and the seed-to-seed spread. */
    readonly interval: readonly [number, number];
    /** Where the mean threshold over seeds falls: the trend's uncertainty only. */
    readonly meanInterval: readonly [number, number];
    readonly level: number;
    /** Pooled seed-to-seed spread of log threshold (standard deviation), where sizes had 2+ seeds. */
    readonly seedSpread?: number;
  };
  /** Set-ups other than the baseline, each against the baseline at its size. */
  readonly mitigations: readonly MitigationEffect[];
  /** "At N = ..., LR above ... is predicted to diverge (interval)", when there is a forecast. */
  readonly sentence?: string;
  /** Which set-ups the proxies showed to widen the stable range (and which not), when there are any. */
  readonly mitigationSentence?: string;
  readonly notes: readonly string[];
}

/** The set-up of a run: qk-layernorm, z-loss, warmup (`StabilityVariant`). */
export function stabilityVariant(run: Run): StabilityVariant {
  const extra = run.config.extra ?? {};
  const model = (extra.model ?? {}) as Record<string, unknown>;
  const tags = run.config.tags ?? {};
  const qkNorm = model.qkNorm === true || tags.qkNorm === true;
  const z = typeof extra.zLoss === 'number' ? extra.zLoss : typeof tags.zLoss === 'number' ? tags.zLoss : 0;
  const s = run.config.schedule as { warmup?: unknown } | undefined;
  const warmup = s && typeof s.warmup === 'number' ? s.warmup : 0;
  return { qkNorm, zLoss: z, warmup };
}

const variantKey = (v: StabilityVariant) => `${v.qkNorm ? 1 : 0}|${v.zLoss}|${v.warmup}`;
const mitigationCount = (v: StabilityVariant) => Number(v.qkNorm) + Number(v.zLoss > 0);

/** What sets `v` apart from `base`, in words. */
function variantName(v: StabilityVariant, base: StabilityVariant): string {
  const parts: string[] = [];
  if (v.qkNorm !== base.qkNorm) parts.push(v.qkNorm ? 'qk-layernorm' : 'no qk-layernorm');
  if (v.zLoss !== base.zLoss) parts.push(v.zLoss > 0 ? `z-loss ${v.zLoss}` : 'no z-loss');
  if (v.warmup !== base.warmup) parts.push(`warmup ${v.warmup} steps`);
  return parts.join(' + ');
}

/**
 * The divergence threshold of the learning rate from proxy sweeps at several sizes (Wortsman et
 * al. 2023), read per seed. A run trained if it did not diverge and ended below the loss at
 * initialisation (Wortsman et al.'s cap L0 in LR sensitivity). Per size and seed, the threshold is
 * the geometric midpoint of the largest rate that trained and the smallest above it that did not;
 * a size's threshold is the geometric mean over its seeds, their spread the standard deviation of
 * log threshold. The trend threshold = k N^e is fitted in log-log on the baseline set-up (the one
 * swept at the most sizes), and the forecast at `at` has two intervals over draws that resample
 * each size's seeds and place each seed's threshold uniformly in log within its bracket:
 * `meanInterval` for the trend (the mean over seeds), and `interval` for one run, which adds a
 * seed's deviation from its size's mean drawn from the pooled seeds (with one seed per size there
 * is no spread to add, and a note says so). With 3 or more sizes both intervals also count the
 * sizes' scatter about the power law beyond their measurement noise (`trend.scatter`), as a Student
 * t with n - 2 degrees of freedom at the target's leverage. Runs of other set-ups (qk-layernorm,
 * z-loss, another warmup) are compared with the baseline at the same size (`mitigations`).
 */
export function stabilityForecast(runs: readonly Run[], options: StabilityOptions = {}): StabilityForecast {
  const { metric = 'evalLoss', level = 0.9, draws = 2000, seed = 0 } = options;
  if (!(level > 0 && level < 1)) throw new InputError(`level: not in (0, 1): ${show(level)}`, 'level');
  if (options.at !== undefined && !(options.at > 0)) throw new InputError(`at: not a positive model size: ${show(options.at)}`, 'at');
  if (options.initialLoss !== undefined && !Number.isFinite(options.initialLoss)) throw new InputError(`initialLoss: not a finite loss: ${show(options.initialLoss)}`, 'initialLoss');
  runsBySize(runs); // checks every run has a size, and that there are runs
  const notes: string[] = [];
  // Set-ups, each with its runs by size.
  const groups = new Map<string, { variant: StabilityVariant; runs: Run[] }>();
  for (const run of runs) {
    const variant = stabilityVariant(run);
    const key = variantKey(variant);
    const g = groups.get(key) ?? { variant, runs: [] };
    g.runs.push(run);
    groups.set(key, g);
  }
  const order = [...groups.values()].map((g) => ({ ...g, sizes: new Set(g.runs.map((r) => r.config.N)).size }));
  order.sort((a, b) => b.sizes - a.sizes || mitigationCount(a.variant) - mitigationCount(b.variant) || b.runs.length - a.runs.length);
  const sizes = readSizes(order[0]!.runs, metric, () => options.initialLoss, notes);
  // A mitigation leaves the loss at initialisation as it is: its runs are read against the baseline's L0 at the same size.
  const near = (N: number) => sizes.filter((s) => Math.abs(Math.log(s.N / N)) < Math.log(1.1)).sort((a, b) => Math.abs(Math.log(a.N / N)) - Math.abs(Math.log(b.N / N)))[0];
  const read = [
    { variant: order[0]!.variant, sizes },
    ...order.slice(1).map((g) => ({ variant: g.variant, sizes: readSizes(g.runs, metric, (N) => options.initialLoss ?? near(N)?.initialLoss, notes, variantName(g.variant, order[0]!.variant)) })),
  ];
  const base = read[0]!;
  if (read.length > 1) notes.push(`${read.length} set-ups in the runs: the trend uses the one swept at the most sizes (${describeVariant(base.variant)}), the others are compared with it`);
  const mitigations: MitigationEffect[] = [];
  for (const other of read.slice(1)) {
    for (const size of other.sizes) {
      const match = near(size.N);
      const name = variantName(other.variant, base.variant);
      if (!match) {
        notes.push(`${name} at N = ${size.N}: no baseline sweep within 10% of that size to compare with`);
        continue;
      }
      mitigations.push(compare(name, other.variant, size, match));
    }
  }
  mitigations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.size.N - b.size.N));
  const mitigationSentence = mitigations.length ? describeMitigations(mitigations) : undefined;
  const withMitigations = <T extends object>(r: T) => ({ ...r, mitigations, ...(mitigationSentence ? { mitigationSentence } : {}) });

  const bracketed = sizes.filter((s) => s.threshold !== undefined);
  if (bracketed.length < 2) {
    notes.push(`${bracketed.length} size(s) with a bracketed threshold: a trend needs 2`);
    return withMitigations({ sizes, baseline: base.variant, notes });
  }
  const x = bracketed.map((s) => Math.log(s.N));
  const fitLine = (y: readonly number[]) => {
    const e = slope(x, y);
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    return { e, logk: my - e * mx };
  };
  const central = fitLine(bracketed.map((s) => Math.log(s.threshold!)));
  // Scatter about the trend beyond what the seeds and brackets explain (lack of fit of the power law):
  // tau^2 = RSS / (n - 2) minus the mean variance of a size's measured mean (seeds' spread^2 / n and
  // the brackets' width^2 / 12 / n), at least 0. It needs 3 or more sizes.
  const measVar = bracketed.map((s) => {
    const closed = s.seeds.filter((q) => q.threshold !== undefined);
    const n = closed.length;
    return (s.spread !== undefined ? s.spread ** 2 / n : 0) + closed.reduce((a, q) => a + Math.log(q.divergedLr! / q.stableLr!) ** 2 / 12, 0) / n ** 2;
  });
  let scatter: number | undefined;
  if (bracketed.length >= 3) {
    const rss = bracketed.reduce((a, s, i) => a + (Math.log(s.threshold!) - central.logk - central.e * x[i]!) ** 2, 0);
    scatter = Math.sqrt(Math.max(0, rss / (bracketed.length - 2) - measVar.reduce((a, v) => a + v, 0) / measVar.length));
  }
  const trend = { k: Math.exp(central.logk), e: central.e, sizes: bracketed.length, ...(scatter !== undefined ? { scatter } : {}) };
  if (bracketed.length === 2) notes.push('two sizes: the interval counts the sweeps’ rate spacing and seeds only, not scatter about the trend');
  if (options.at === undefined) return withMitigations({ sizes, baseline: base.variant, trend, notes });
  const at = options.at;
  const brackets = bracketed.map((s) => s.seeds.filter((q) => q.threshold !== undefined).map((q) => [Math.log(q.stableLr!), Math.log(q.divergedLr! / q.stableLr!)] as const));
  const pool = brackets.map((b, i) => ({ b, i })).filter((p) => p.b.length >= 2);
  const poolWeight = pool.reduce((a, p) => a + p.b.length, 0);
  const g = rng(seed);
  const dof = bracketed.length - 2;
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
  const draw = ([lo, width]: readonly [number, number]) => lo + g.next() * width;
  const means: number[] = [];
  const singles: number[] = [];
  for (let d = 0; d < draws; d++) {
    // Each size's mean over its seeds, resampled (the bootstrap's spread scaled by sqrt(n / (n - 1)),
    // the small-sample correction of its variance), each seed placed within its bracket.
    const y = brackets.map((b) => {
      const u = b.map(draw);
      const n = u.length;
      const centre = u.reduce((a, v) => a + v, 0) / n;
      if (n === 1) return centre;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += u[Math.floor(g.next() * n)]!;
      return centre + (sum / n - centre) * Math.sqrt(n / (n - 1));
    });
    const line = fitLine(y);
    let m = line.logk + line.e * Math.log(at);
    // The target size scatters about the trend as the proxies do: tau times a Student t with n - 2
    // degrees of freedom (tau is estimated from that few residuals), with the line's leverage at `at`.
    if (scatter) {
      let chi = 0;
      for (let k = 0; k < dof; k++) chi += g.normal() ** 2;
      m += (g.normal() / Math.sqrt(chi / dof)) * scatter * Math.sqrt(1 + 1 / x.length + (Math.log(at) - mx) ** 2 / sxx);
    }
    means.push(Math.exp(m));
    if (!pool.length) {
      singles.push(Math.exp(m));
      continue;
    }
    // One run's deviation from its size's mean: a seed of a size drawn in proportion to its seeds.
    let pick = g.next() * poolWeight;
    let chosen = pool[0]!;
    for (const p of pool) {
      chosen = p;
      if ((pick -= p.b.length) < 0) break;
    }
    const u = chosen.b.map(draw);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    const n = u.length;
    singles.push(Math.exp(m + (u[Math.floor(g.next() * n)]! - mean) * Math.sqrt(n / (n - 1))));
  }
  means.sort((a, b) => a - b);
  singles.sort((a, b) => a - b);
  const q = (v: number[]) => [quantile(v, (1 - level) / 2), quantile(v, (1 + level) / 2)] as const;
  const threshold = trend.k * at ** trend.e;
  const interval = q(singles);
  const meanInterval = q(means);
  const spreads = bracketed.filter((s) => s.spread !== undefined);
  let seedSpread: number | undefined;
  if (spreads.length) {
    const dof = spreads.reduce((a, s) => a + s.seeds.filter((z) => z.threshold !== undefined).length - 1, 0);
    seedSpread = Math.sqrt(spreads.reduce((a, s) => a + (s.seeds.filter((z) => z.threshold !== undefined).length - 1) * s.spread! ** 2, 0) / dof);
  } else notes.push('one seed per size: the interval does not count the seed-to-seed spread of the threshold (sweep 2 or more seeds)');
  const maxN = Math.max(...bracketed.map((s) => s.N));
  if (at > 10 * maxN) notes.push(`N = ${at} is ${+(at / maxN).toPrecision(3)}x the largest proxy: the trend is extrapolated that far`);
  const f = (v: number) => String(+v.toPrecision(3));
  const seedsPer = bracketed.map((s) => s.seeds.filter((z) => z.threshold !== undefined).length);
  const seedText = Math.max(...seedsPer) > 1 ? `, ${Math.min(...seedsPer) === Math.max(...seedsPer) ? seedsPer[0] : `${Math.min(...seedsPer)}-${Math.max(...seedsPer)}`} seeds each` : '';
  const spreadText = seedSpread !== undefined ? `, for one run, with a seed-to-seed spread of x${f(Math.exp(seedSpread))}` : '';
  const scatterText = scatter ? `, scatter about it x${f(Math.exp(scatter))}` : '';
  if (scatter) notes.push(`the sizes scatter about the power law by x${f(Math.exp(scatter))} beyond their seeds and rate brackets; the intervals count it with ${dof} degree(s) of freedom`);
  const sentence = `At N = ${f(at)}, LR above ${f(threshold)} is predicted to diverge (${Math.round(100 * level)}% interval ${f(interval[0])}-${f(interval[1])}${spreadText}; threshold = ${f(trend.k)} N^${f(trend.e)} from ${bracketed.length} proxy sizes${seedText}${scatterText}).`;
  return withMitigations({
    sizes,
    baseline: base.variant,
    trend,
    forecast: { N: at, threshold, interval, meanInterval, level, ...(seedSpread !== undefined ? { seedSpread } : {}) },
    sentence,
    notes,
  });
}

/** Reads one set-up's runs: per size, per seed brackets, and their summary. */
function readSizes(runs: readonly Run[], metric: 'evalLoss' | 'trainLoss', fixedL0: (N: number) => number | undefined, notes: string[], label?: string): SizeStability[] {
  const tag = label ? `${label}, ` : '';
  const sizes: SizeStability[] = [];
  for (const [N, list] of [...runsBySize(runs)].sort((a, b) => a[0] - b[0])) {
    const starts = list.map((r) => initialLoss(r, metric)).filter((v): v is number => v !== undefined);
    const L0 =
      fixedL0(N) ??
      (starts.length
        ? quantile(
            [...starts].sort((a, b) => a - b),
            0.5,
          )
        : Infinity);
    const points = list.map((r) => {
      const end = finalLoss(r, metric);
      const logits = r.trajectory.map((p) => p.maxAttentionLogit).filter((v): v is number => v !== undefined && Number.isFinite(v));
      const rms = r.trajectory.map((p) => p.outputLogitRms).filter((v): v is number => v !== undefined && Number.isFinite(v));
      return {
        runId: r.config.id,
        lr: peakLr(r),
        seed: r.config.seed,
        trained: Number.isFinite(end) && end < L0,
        maxLogit: logits.length ? Math.max(...logits) : undefined,
        maxRms: rms.length ? Math.max(...rms) : undefined,
      };
    });
    const bySeed = new Map<number | undefined, typeof points>();
    for (const p of points) bySeed.set(p.seed, [...(bySeed.get(p.seed) ?? []), p]);
    const seeds: SeedStability[] = [];
    for (const [s, ps] of [...bySeed].sort((a, b) => (a[0] ?? -Infinity) - (b[0] ?? -Infinity))) {
      const stable = ps.filter((p) => p.trained).map((p) => p.lr);
      const stableLr = stable.length ? Math.max(...stable) : undefined;
      const above = ps.filter((p) => !p.trained && (stableLr === undefined || p.lr > stableLr)).map((p) => p.lr);
      const divergedLr = above.length ? Math.min(...above) : undefined;
      const who = `${tag}N = ${N}${bySeed.size > 1 || s !== undefined ? `, seed ${s ?? 'unnamed'}` : ''}`;
      if (stableLr !== undefined && ps.some((p) => !p.trained && p.lr < stableLr))
        notes.push(`${who}: a run below the largest stable rate ${stableLr} did not train either (seed noise or too low a rate)`);
      if (stableLr === undefined) notes.push(`${who}: no run trained; the threshold is below ${Math.min(...ps.map((p) => p.lr))}`);
      else if (divergedLr === undefined) notes.push(`${who}: no run above ${stableLr} diverged; the threshold is above the sweep`);
      seeds.push({
        ...(s !== undefined ? { seed: s } : {}),
        runs: ps.length,
        ...(stableLr !== undefined ? { stableLr } : {}),
        ...(divergedLr !== undefined ? { divergedLr } : {}),
        ...(stableLr !== undefined && divergedLr !== undefined ? { threshold: Math.sqrt(stableLr * divergedLr) } : {}),
      });
    }
    const closed = seeds.filter((q) => q.threshold !== undefined);
    const gmean = (v: number[]) => (v.length === 1 ? v[0]! : Math.exp(v.reduce((a, b) => a + Math.log(b), 0) / v.length));
    let stableLr: number | undefined;
    let divergedLr: number | undefined;
    let threshold: number | undefined;
    let spread: number | undefined;
    if (closed.length) {
      stableLr = gmean(closed.map((q) => q.stableLr!));
      divergedLr = gmean(closed.map((q) => q.divergedLr!));
      threshold = gmean(closed.map((q) => q.threshold!));
      if (closed.length >= 2) spread = sd(closed.map((q) => Math.log(q.threshold!)));
      if (closed.length < seeds.length) notes.push(`${tag}N = ${N}: ${seeds.length - closed.length} of ${seeds.length} seeds have no bracket; the threshold is over the other ${closed.length}`);
    } else {
      const open = seeds.filter((q) => q.stableLr !== undefined).map((q) => q.stableLr!);
      if (open.length) stableLr = Math.max(...open);
    }
    const growth = (value: (p: (typeof points)[number]) => number | undefined) => {
      const ok = points.filter((p) => p.trained && value(p) !== undefined && value(p)! > 0);
      return new Set(ok.map((p) => p.lr)).size >= 2
        ? slope(
            ok.map((p) => Math.log(p.lr)),
            ok.map((p) => Math.log(value(p)!)),
          )
        : undefined;
    };
    const attentionGrowth = growth((p) => p.maxLogit);
    const outputLogitGrowth = growth((p) => p.maxRms);
    sizes.push({
      N,
      runs: list.length,
      initialLoss: L0,
      points: points.map((p) => ({ runId: p.runId, lr: p.lr, ...(p.seed !== undefined ? { seed: p.seed } : {}), trained: p.trained })),
      seeds,
      ...(stableLr !== undefined ? { stableLr } : {}),
      ...(divergedLr !== undefined ? { divergedLr } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      ...(spread !== undefined ? { spread } : {}),
      ...(attentionGrowth !== undefined ? { attentionGrowth } : {}),
      ...(outputLogitGrowth !== undefined ? { outputLogitGrowth } : {}),
    });
  }
  return sizes;
}

/**
 * A set-up against the baseline at one size: the ratio of their thresholds (geometric means over
 * seeds; a seed that never diverged counts its largest stable rate, and the ratio is then a lower
 * bound) and its standard error in log: each side's variance of the mean over seeds (the sample
 * variance of log thresholds over n, or with one seed none) plus the rate brackets' width w as a
 * uniform's w^2 / 12 over n.
 */
function compare(name: string, variant: StabilityVariant, size: SizeStability, baseline: SizeStability): MitigationEffect {
  const side = (s: SizeStability) => {
    const vals = s.seeds
      .filter((q) => q.stableLr !== undefined)
      .map((q) => ({ log: Math.log(q.threshold ?? q.stableLr!), width: q.threshold !== undefined ? Math.log(q.divergedLr! / q.stableLr!) : 0, open: q.threshold === undefined }));
    if (!vals.length) return undefined;
    const n = vals.length;
    const mean = vals.reduce((a, v) => a + v.log, 0) / n;
    const varMean = (n >= 2 ? sd(vals.map((v) => v.log)) ** 2 / n : 0) + vals.reduce((a, v) => a + v.width ** 2 / 12, 0) / n ** 2;
    return { mean, varMean, open: vals.some((v) => v.open) };
  };
  const a = side(size);
  const b = side(baseline);
  const open = a?.open ?? false;
  if (!a || !b || b.open) return { name, variant, size, baseline, open, verdict: a && !b ? 'wider' : b && !a ? 'narrower' : 'unknown' };
  const log = a.mean - b.mean;
  const logSe = Math.sqrt(a.varMean + b.varMean);
  const verdict = log > 2 * logSe ? 'wider' : open ? 'unknown' : log < -2 * logSe ? 'narrower' : 'no clear change';
  return { name, variant, size, baseline, ratio: Math.exp(log), logSe, open, verdict };
}

function describeVariant(v: StabilityVariant): string {
  return [v.qkNorm ? 'qk-layernorm' : 'no qk-layernorm', v.zLoss > 0 ? `z-loss ${v.zLoss}` : 'no z-loss', `warmup ${v.warmup} steps`].join(', ');
}

function describeMitigations(effects: readonly MitigationEffect[]): string {
  const f = (v: number) => String(+v.toPrecision(3));
  const part = (m: MitigationEffect) => {
    const seeds = m.size.seeds.length;
    const ratio =
      m.ratio !== undefined ? ` (threshold x${f(m.ratio)}${m.open ? ' at least' : ''}${m.logSe !== undefined ? `, +/- x${f(Math.exp(m.logSe))}` : ''}, ${seeds} seed${seeds === 1 ? '' : 's'})` : '';
    return `${m.name} at N = ${f(m.size.N)}: ${m.verdict === 'wider' ? 'widened the stable range' : m.verdict === 'narrower' ? 'narrowed the stable range' : m.verdict === 'no clear change' ? 'no clear change' : 'not comparable'}${ratio}`;
  };
  const wider = effects.filter((m) => m.verdict === 'wider');
  const head = wider.length ? `The proxies showed ${[...new Set(wider.map((m) => m.name))].join(', ')} to widen the stable range` : 'No mitigation the proxies tried widened the stable range clearly';
  return `${head}: ${effects.map(part).join('; ')}.`;
}

/** Sample standard deviation. */
function sd(v: readonly number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/** Least-squares slope of y on x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}
