import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import { selectRows, type ObservationTable } from '../core/observations.js';
import type { ScalingFit } from '../fit/result.js';
import { readObservations } from '../io/read-observations.js';

/** The package's bundled data folder, where saved fits in fits/ name their data relative to it. */
const BUNDLED = fileURLToPath(new URL('../../data/', import.meta.url));

/** A fit's data found again, or why not. */
export type FitDataLookup = { found: true; path: string; table: ObservationTable } | { found: false; reason: string };

/**
 * Finds the data a saved fit was made from, so that its range and a backtest can be computed: the
 * fit's `data.source` as a path (relative to `cwd`, then to the package's data/ folder), read as
 * observations, with the rows the fit excluded (`data.excluded`, 1-based) left out again. The
 * result counts as found only when the row count matches the fit's: otherwise these are not the
 * fit's data.
 *
 * @example findFitData(loadFit('fits/chinchilla-epoch2024.json')) // { found: true, path: '.../data/chinchilla-epoch/svg_extracted_data.csv', table }
 */
export function findFitData(fit: ScalingFit, options: { cwd?: string } = {}): FitDataLookup {
  const { cwd = process.cwd() } = options;
  const source = fit.data.source;
  const candidates = isAbsolute(source) ? [source] : [resolve(cwd, source), join(BUNDLED, source)];
  const path = candidates.find((p) => existsSync(p) && !p.endsWith('/'));
  if (!path) return { found: false, reason: `the fit's data source ${JSON.stringify(source)} is not a file here` };
  let table: ObservationTable;
  try {
    table = readObservations(path);
  } catch (error) {
    if (error instanceof InputError) return { found: false, reason: `${path}: ${error.message}` };
    return { found: false, reason: `${path}: cannot read: ${(error as Error).message}` };
  }
  const excluded = new Set((fit.data.excluded ?? []).map((e) => e.row));
  const rows = Array.from({ length: table.length }, (_, i) => i).filter((i) => !excluded.has(i + 1));
  const kept = selectRows(table, rows, fit.data.excluded ?? []);
  if (kept.length !== fit.data.rows) return { found: false, reason: `${path} has ${kept.length} rows after the fit's exclusions; the fit used ${fit.data.rows}` };
  return { found: true, path, table: kept };
}
