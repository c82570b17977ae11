// scalelaw side of the Chinchilla backtest (bar: mean relative error the same as scipy's,
// bench/backtest-chinchilla.py): the Epoch points with the 5 highest losses dropped (Besiroglu et
// al. 2024), the chinchilla law fitted by its 4,500-start grid on N <= 2.5e9, every model with
// N >= 5e9 predicted; a 200-resample bootstrap of the fit gives the 90% interval coverage.
// Prints one JSON line. Run: npx tsx bench/backtest-chinchilla.ts [path/to/svg_extracted_data.csv] [resamples]
import { fileURLToPath } from 'node:url';
import { filterObservations } from '../src/core/observations.js';
import { readObservations } from '../src/io/read-observations.js';
import { backtestScaling } from '../src/plan/backtest.js';

async function main(): Promise<void> {
  const path = process.argv[2] ?? fileURLToPath(new URL('../data/chinchilla-epoch/svg_extracted_data.csv', import.meta.url));
  const resamples = Number(process.argv[3] ?? 200);
  const points = readObservations(path);
  const worst = [...points.loss].sort((a, b) => b - a)[4]!;
  const kept = filterObservations(points, (i) => points.loss[i]! < worst, 'one of the 5 highest losses (Besiroglu et al. 2024 protocol)');
  const started = performance.now();
  const result = await backtestScaling('chinchilla', kept, { cuts: [2.5e9], testMinN: 5e9, bootstrap: resamples, seed: 0, level: 0.9 });
  const wall = (performance.now() - started) / 1000;
  const cut = result.cuts[0]!;
  console.log(
    JSON.stringify({
      impl: 'scalelaw',
      trainRows: cut.trainRows,
      heldOut: result.heldOut,
      wall_s: wall,
      ...cut.values,
      meanRelativeError: result.meanRelativeError,
      coverage: result.coverage,
      level: result.level,
      resamples,
      sizes: cut.sizes.map((s) => ({ N: s.N, rows: s.rows, meanRelativeError: s.meanRelativeError, bias: s.bias, coverage: s.coverage })),
    }),
  );
}

void main();
