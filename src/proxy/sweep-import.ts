import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, show } from '../core/errors.js';
import type { Run, RunConfig, RunSummary } from '../core/run.js';
import { importTensorBoard } from '../io/import-tensorboard.js';
import { importWandb } from '../io/import-wandb.js';
import type { RunStore } from '../io/store.js';
import { importEventDir } from '../io/tfevents.js';
import type { ImportSpec } from './sweep-spec.js';

/** Options of `importRuns`. */
export interface ImportRunsOptions {
  /** Directory relative paths are taken from. @default the current directory */
  cwd?: string;
  owner?: string;
  leaseSeconds?: number;
}

/**
 * Reads finished runs into a store so that a sweep mixes them with the runs it trains: a
 * TensorBoard log directory (event files, or CSV downloads `run-<run>-tag-<tag>.csv`), a list of
 * such files, or a W&B chart export. Each becomes a finished run whose summary records the source;
 * `configs` (by run name or id) adds what the logs do not say, such as N, D and batchSize, which
 * the scaling fits need. A run already in the store is left as it is. Returns the ids imported.
 *
 * @example importRuns(store, [{ tensorboard: 'logs/', configs: { small: { N: 1.2e7 } } }])
 */
export function importRuns(store: RunStore, specs: readonly ImportSpec[], options: ImportRunsOptions = {}): string[] {
  const { cwd = process.cwd(), owner = 'scalelaw import', leaseSeconds = 120 } = options;
  if (!Array.isArray(specs)) throw new InputError(`sweep.import: expected an array of { "tensorboard": path } or { "wandb": file }, got ${show(specs)}`, 'import');
  const all: { run: Run; source: string }[] = [];
  specs.forEach((spec, i) => {
    const where = `sweep.import[${i}]`;
    if (spec === null || typeof spec !== 'object') throw new InputError(`${where}: expected { "tensorboard": path } or { "wandb": file }, got ${show(spec)}`, 'import');
    const family = spec.family ?? 'imported';
    let runs: Run[];
    let source: string;
    if ('tensorboard' in spec) {
      const paths = (Array.isArray(spec.tensorboard) ? spec.tensorboard : [spec.tensorboard]).map((p: string) => resolve(cwd, String(p)));
      for (const p of paths) if (!existsSync(p)) throw new InputError(`${where}.tensorboard: no such file or directory: ${show(p)}`, 'import');
      source = paths.join(', ');
      runs = paths.flatMap((p: string) => {
        if (!statSync(p).isDirectory()) return importTensorBoard(p, { family });
        const csvs = readdirSync(p)
          .filter((n) => n.endsWith('.csv'))
          .map((n) => join(p, n));
        return [...importEventDir(p, { family }), ...(csvs.length ? importTensorBoard(csvs, { family }) : [])];
      });
    } else if ('wandb' in spec) {
      const p = resolve(cwd, String(spec.wandb));
      if (!existsSync(p)) throw new InputError(`${where}.wandb: no such file: ${show(p)}`, 'import');
      source = p;
      runs = importWandb(p, { family });
    } else throw new InputError(`${where}: expected a "tensorboard" or "wandb" key, got ${show(Object.keys(spec))}`, 'import');
    const configs = spec.configs ?? {};
    for (const run of runs) {
      const name = String(run.config.tags?.name ?? run.config.id);
      const extra = configs[name] ?? configs[run.config.id];
      if (extra) run.config = { ...run.config, ...extra, id: run.config.id, family: run.config.family, tags: { ...run.config.tags, ...(extra.tags ?? {}) } };
      all.push({ run, source });
    }
  });
  const imported: string[] = [];
  for (const { run, source } of all) {
    if (store.status(run.config.id) !== 'missing') continue;
    const claim = store.claim(run.config, { owner, leaseSeconds, retry: [] });
    if (!claim.claimed) continue;
    const { writer } = claim;
    for (const point of run.trajectory) writer.append(point);
    writer.finish(importedSummary(run, source));
    imported.push(run.config.id);
  }
  return imported;
}

function importedSummary(run: Run, source: string): RunSummary {
  const last = run.trajectory.at(-1);
  const lastOf = (key: string) => {
    for (let i = run.trajectory.length - 1; i >= 0; i--) if (run.trajectory[i]![key] !== undefined) return run.trajectory[i]![key];
    return undefined;
  };
  const summary: RunSummary = { status: 'finished', steps: last?.step ?? 0, imported: source };
  const tokens = lastOf('tokens') ?? (run.config as RunConfig).D;
  if (tokens !== undefined) summary.tokens = tokens;
  const train = lastOf('trainLoss');
  if (train !== undefined) summary.finalTrainLoss = train;
  const evalLoss = lastOf('evalLoss');
  if (evalLoss !== undefined) summary.finalEvalLoss = evalLoss;
  return summary;
}
