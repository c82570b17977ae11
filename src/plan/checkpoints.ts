import { InputError, show } from '../core/errors.js';

/** One logged checkpoint of a run: the run, its parameters, the tokens seen so far and the loss then. */
export interface CheckpointRow {
  run: string;
  N: number;
  D: number;
  loss: number;
}

/** Options of `checkpointData`. */
export interface CheckpointOptions {
  /**
   * Keep the checkpoints at or past this fraction of each run's final tokens. Choshen et al. 2024
   * ("A Hitchhiker's Guide to Scaling Law Estimation") find that fitting on intermediate checkpoints
   * past roughly the first 10% of training improves estimates; 1 keeps the final checkpoint only.
   * @default 0.1
   */
  minFraction?: number;
  /**
   * Weight configurations by the inverse of their seed-to-seed variance of log loss: runs with the
   * same N and final tokens are seeds of one configuration; their spread at the tokens they share
   * gives its variance, modelled as a power law in N across configurations (Choshen et al.: noise
   * falls with size) so that configurations run once get one too. Off (all 1) when no configuration
   * has two seeds. @default true
   */
  seedWeights?: boolean;
  /** Names the data in fit sources. @default 'checkpoints' */
  source?: string;
}

/** Checkpoints as fit data: inputs, loss, a weight per row (each run counts once), the run of each row (bootstrap groups). */
export interface CheckpointData {
  inputs: { N: number[]; D: number[] };
  loss: number[];
  weights: number[];
  groups: string[];
  source: string;
  /** The seed-to-seed noise model, where seeds were found: sd of log loss = exp(c) N^s. */
  seedNoise?: { c: number; s: number; configurations: number; note: string };
  /** Rows kept and runs used. */
  kept: number;
  runs: number;
}

/**
 * Turns checkpoint rows of several runs into weighted fit data for a scaling law of N and D: the
 * checkpoints past `minFraction` of each run's tokens, each run weighted once (its checkpoints share
 * one unit of weight) times the inverse seed variance of its configuration.
 *
 * @example const d = checkpointData(rows); await fitLaw('chinchilla', d, { weights: d.weights })
 */
export function checkpointData(rows: readonly CheckpointRow[], options: CheckpointOptions = {}): CheckpointData {
  const { minFraction = 0.1, seedWeights = true, source = 'checkpoints' } = options;
  if (!(minFraction >= 0 && minFraction <= 1)) throw new InputError(`minFraction: must be in [0, 1], got ${show(minFraction)}`, 'minFraction');
  const byRun = new Map<string, CheckpointRow[]>();
  rows.forEach((r, i) => {
    for (const [name, v] of [
      ['N', r.N],
      ['D', r.D],
      ['loss', r.loss],
    ] as const)
      if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`${source}: row ${i + 1}, column ${name}: must be positive and finite, got ${show(v)}`, name);
    byRun.set(r.run, [...(byRun.get(r.run) ?? []), r]);
  });
  if (byRun.size === 0) throw new InputError(`${source}: no rows`, 'rows');
  const kept = new Map<string, CheckpointRow[]>();
  const configOf = new Map<string, string>();
  for (const [run, list] of byRun) {
    const final = Math.max(...list.map((r) => r.D));
    const last = list.find((r) => r.D === final)!;
    kept.set(run, minFraction >= 1 ? [last] : list.filter((r) => r.D >= minFraction * final));
    configOf.set(run, `${list[0]!.N}|${final}`);
  }
  const noise = seedWeights ? seedNoiseModel(byRun, configOf) : undefined;
  const inputs = { N: [] as number[], D: [] as number[] },
    loss: number[] = [],
    weights: number[] = [],
    groups: string[] = [];
  for (const [run, list] of kept) {
    const N = list[0]!.N;
    const perSeed = noise ? Math.exp(-2 * (noise.c + noise.s * Math.log(N))) : 1;
    for (const r of list) {
      inputs.N.push(r.N);
      inputs.D.push(r.D);
      loss.push(r.loss);
      weights.push(perSeed / list.length);
      groups.push(run);
    }
  }
  // Weights average 1 per row, so a weighted objective stays on the scale of an unweighted one.
  const mean = weights.reduce((s, w) => s + w, 0) / weights.length;
  return {
    inputs,
    loss,
    weights: weights.map((w) => w / mean),
    groups,
    source: `${source} (checkpoints past ${minFraction * 100}% of each run${noise ? ', seed-variance weights' : ''})`,
    ...(noise ? { seedNoise: noise } : {}),
    kept: loss.length,
    runs: kept.size,
  };
}

/**
 * sd of log loss between seeds of one configuration, at the tokens all its runs logged, as
 * exp(c) N^s fitted by least squares on log sd over the configurations with seeds (a constant when
 * they share one N). Undefined when no configuration has two runs.
 */
function seedNoiseModel(byRun: Map<string, CheckpointRow[]>, configOf: Map<string, string>): CheckpointData['seedNoise'] {
  const configs = new Map<string, string[]>();
  for (const [run, config] of configOf) configs.set(config, [...(configs.get(config) ?? []), run]);
  const points: { logN: number; logSd: number }[] = [];
  for (const [config, runs] of configs) {
    if (runs.length < 2) continue;
    const maps = runs.map((run) => new Map(byRun.get(run)!.map((r) => [r.D, Math.log(r.loss)])));
    const shared = [...maps[0]!.keys()].filter((D) => maps.every((m) => m.has(D)));
    const final = Number(config.split('|')[1]);
    const late = shared.filter((D) => D >= 0.1 * final);
    if (late.length === 0) continue;
    let sum = 0;
    for (const D of late) {
      const v = maps.map((m) => m.get(D)!);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      sum += v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1);
    }
    const sd = Math.sqrt(sum / late.length);
    if (sd > 0) points.push({ logN: Math.log(Number(config.split('|')[0])), logSd: Math.log(sd) });
  }
  if (points.length === 0) return undefined;
  const mx = points.reduce((s, p) => s + p.logN, 0) / points.length,
    my = points.reduce((s, p) => s + p.logSd, 0) / points.length;
  const sxx = points.reduce((s, p) => s + (p.logN - mx) ** 2, 0);
  const s = sxx > 0 ? points.reduce((acc, p) => acc + (p.logN - mx) * (p.logSd - my), 0) / sxx : 0;
  return {
    c: my - s * mx,
    s,
    configurations: points.length,
    note: `seed sd of log loss from ${points.length} configuration(s) with repeated runs${sxx > 0 ? `, sd proportional to N^${s.toFixed(3)}` : ', one size: the same for all'}`,
  };
}
