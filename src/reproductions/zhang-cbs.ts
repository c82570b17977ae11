import { readCsvCells } from '../io/csv.js';
import { fileURLToPath } from 'node:url';
import { InputError, show } from '../core/errors.js';
import type { ReproducedMetric, Reproduction } from './reproduction.js';
import { fitStepsVsBatch, zhangCriticalBatch, type StepsVsBatchFit } from '../batch/critical-batch.js';
import { fitBcritScaling } from '../batch/bcrit-scaling.js';

/** The bundled table of Zhang et al. 2024 (data/zhang2024-cbs/steps_to_target.csv, MIT). */
export const zhangTablePath = fileURLToPath(new URL('../../data/zhang2024-cbs/steps_to_target.csv', import.meta.url));

export interface ZhangRow {
  model: string;
  N: number;
  target: number;
  batchSize: number;
  steps: number;
}

/** Reads Zhang et al.'s steps-to-target table (columns model, n_params, target_c4_val_loss, batch_size_seqs, steps_to_target). */
export function readZhangTable(path = zhangTablePath): ZhangRow[] {
  const { header, rows } = readCsvCells(path);
  const col = (name: string) => {
    const j = header.indexOf(name);
    if (j < 0) throw new InputError(`${path}: missing column ${name}`, name);
    return j;
  };
  const [m, n, t, b, s] = ['model', 'n_params', 'target_c4_val_loss', 'batch_size_seqs', 'steps_to_target'].map(col) as [number, number, number, number, number];
  return rows.map((cells, i) => {
    const num = (j: number) => {
      const v = Number(cells[j]);
      if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`${path}: row ${i + 1}, column ${header[j]}: must be a positive number, got ${show(cells[j])}`, header[j]);
      return v;
    };
    return { model: cells[m]!, N: num(n), target: num(t), batchSize: num(b), steps: num(s) };
  });
}

export interface ZhangModelFit extends StepsVsBatchFit {
  model: string;
  N: number;
  /** Zhang et al.'s CBS: 20% step overhead over linear scaling from batch 256. */
  cbs: number;
}

/**
 * Zhang et al. 2024's protocol: per model, log S = log(S_min + E_min / B) by least squares
 * (B in sequences of 512 tokens), McCandlish's B_crit = E_min / S_min, their CBS at 20% overhead over
 * B0 = 256, and the power law CBS = k N_M^e (N_M in millions) fitted in log space.
 */
export async function zhangCbs(rows: readonly ZhangRow[] = readZhangTable()): Promise<{ models: ZhangModelFit[]; k: number; e: number }> {
  const models: ZhangModelFit[] = [];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const mine = rows.filter((r) => r.model === model);
    const fit = await fitStepsVsBatch(
      mine.map((r) => r.batchSize),
      mine.map((r) => r.steps),
    );
    models.push({ model, N: mine[0]!.N, ...fit, cbs: zhangCriticalBatch(fit, { referenceBatch: 256, overhead: 0.2 }) });
  }
  const trend = await fitBcritScaling(models.map((m) => ({ N: m.N / 1e6, bcrit: m.cbs })));
  return { models, k: trend.values.k!, e: trend.values.e! };
}

// Zhang et al. 2024, Fig. and Sec. 3 (published in the repository's plots/chinchilla.ipynb).
const published = {
  bcrit: { '85M': 2191, '151M': 3240, '302M': 5433, '604M': 7907, '1.2B': 11131 } as Record<string, number>,
  cbs: { '85M': 745, '151M': 955, '302M': 1394, '604M': 1889, '1.2B': 2533 } as Record<string, number>,
  k: 93.197,
  e: 0.46828,
};

export const zhangCbsReproduction: Reproduction = {
  id: 'zhang-cbs',
  description: 'Zhang et al. 2024: critical batch size per model (McCandlish B_crit and 20% CBS) and CBS = k N^e, from steps-to-target at 9 batch sizes',
  async run(options = {}) {
    const { models, k, e } = await zhangCbs();
    const metrics: ReproducedMetric[] = [];
    for (const m of models) {
      options.onProgress?.(`${m.model}: S_min ${m.Smin.toFixed(1)}, E_min ${m.Emin.toExponential(4)}`);
      if (published.bcrit[m.model] !== undefined) metrics.push({ metric: `B_crit ${m.model}`, published: published.bcrit[m.model]!, ours: m.Bcrit, note: 'sequences' });
    }
    for (const m of models) {
      if (published.cbs[m.model] !== undefined) metrics.push({ metric: `CBS 20% ${m.model}`, published: published.cbs[m.model]!, ours: m.cbs, note: 'sequences' });
    }
    metrics.push({ metric: 'CBS = k N_M^e: k', published: published.k, ours: k });
    metrics.push({ metric: 'CBS = k N_M^e: e', published: published.e, ours: e });
    return metrics;
  },
};
