// Loads the Epoch replication points (Besiroglu et al. 2024) for tests, with the published protocol:
// D = C / (6 N), drop the 5 highest-loss rows.
import { readFileSync } from 'node:fs';
import { referenceData } from '../reference-data.js';

export const EPOCH_CSV = referenceData('chinchilla-epoch/svg_extracted_data.csv');

export function epochPoints(): { N: Float64Array; D: Float64Array; loss: Float64Array } {
  const [header, ...lines] = readFileSync(EPOCH_CSV, 'utf8').trim().split('\n');
  const names = header!.split(',');
  const col = (name: string) => names.indexOf(name);
  let rows = lines.map((line) => {
    const cells = line.split(',');
    return { N: Number(cells[col('Model Size')]), C: Number(cells[col('Training FLOP')]), loss: Number(cells[col('loss')]) };
  });
  rows = rows.sort((a, b) => a.loss - b.loss).slice(0, rows.length - 5);
  return {
    N: Float64Array.from(rows, (r) => r.N),
    D: Float64Array.from(rows, (r) => r.C / (6 * r.N)),
    loss: Float64Array.from(rows, (r) => r.loss),
  };
}
