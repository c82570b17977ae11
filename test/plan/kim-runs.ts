// Runs in Kim et al. 2025's layout at U = 209,715,200 unique tokens, from known laws with noise:
// the regularised single models L(N) = 3.43 + 0.05 / (N / 1e9)^1.02 (their fit at 200M tokens, 16
// or 8 epochs) and ensembles of 1 to 5 members with E_N = 3.0 + 50 / (10 N)^0.25 and L_N(K) =
// E_N + 0.35 / K (double the epochs). Synthetic: the shapes follow the paper, the numbers do not
// come from its runs.
import { rng } from '../../src/core/rng.js';

export const KIM_U = 209715200;

export interface KimRuns {
  single: { N: number; loss: number; tokens: number }[];
  ensemble: { N: number; K: number; loss: number; tokens: number }[];
}

/** The runs, with noise of standard deviation 0.003 in loss drawn from `seed`. */
export function kimRuns(seed = 0): KimRuns {
  const r = rng(seed);
  const single = (
    [
      [1.5e8, 16],
      [3e8, 16],
      [6e8, 8],
      [1.4e9, 8],
    ] as const
  ).map(([N, epochs]) => ({ N, loss: 3.43 + 0.05 / (N / 1e9) ** 1.02 + 0.003 * r.normal(), tokens: epochs * KIM_U }));
  const ensemble = (
    [
      [1.5e8, 32],
      [3e8, 32],
      [6e8, 16],
      [1.4e9, 16],
    ] as const
  ).flatMap(([N, epochs]) => [1, 2, 3, 4, 5].map((K) => ({ N, K, loss: 3.0 + 50 * (N * 10) ** -0.25 + 0.35 / K + 0.003 * r.normal(), tokens: epochs * KIM_U })));
  return { single, ensemble };
}

/** The same runs as a CSV for `plan --compare-ensembles` (columns N, D, U, K, recipe, loss). */
export function kimRunsCsv(seed = 0): string {
  const { single, ensemble } = kimRuns(seed);
  const lines = ['N,D,U,K,recipe,loss', ...single.map((x) => `${x.N},${x.tokens},${KIM_U},1,single,${x.loss}`), ...ensemble.map((x) => `${x.N},${x.tokens},${KIM_U},${x.K},ensemble,${x.loss}`)];
  return lines.join('\n') + '\n';
}
