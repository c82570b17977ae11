import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { filterObservations, type ObservationTable } from '../core/observations.js';
import { readObservations } from '../io/read-observations.js';

/** The bundled Epoch points (data/chinchilla-epoch/svg_extracted_data.csv; see data/README.md). */
export function epochDataPath(): string {
  // src/fit/x.ts and dist/src/fit/x.js both sit below the package root; walk up to find data/.
  let dir = new URL('.', import.meta.url);
  for (let k = 0; k < 5; k++) {
    const candidate = new URL('data/chinchilla-epoch/svg_extracted_data.csv', dir);
    if (existsSync(fileURLToPath(candidate))) return fileURLToPath(candidate);
    dir = new URL('..', dir);
  }
  return fileURLToPath(new URL('../../data/chinchilla-epoch/svg_extracted_data.csv', import.meta.url));
}

/**
 * The Epoch replication points (Besiroglu et al. 2024, digitised from Hoffmann et al. 2022, Fig. 4)
 * under the published protocol: D = C / (6 N), and the 5 rows with the highest loss left out (recorded
 * in `excluded`), leaving 240.
 */
export function loadEpochPoints(path = epochDataPath()): ObservationTable {
  const table = readObservations(path, { source: path.endsWith('svg_extracted_data.csv') ? 'chinchilla-epoch/svg_extracted_data.csv' : path });
  const order = Array.from(table.loss.keys()).sort((a, b) => table.loss[b]! - table.loss[a]!);
  const highest = new Set(order.slice(0, 5));
  return filterObservations(table, (i) => !highest.has(i), 'one of the 5 highest losses (Besiroglu et al. 2024 protocol)');
}
