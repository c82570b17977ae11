// The published protocols of `scalelaw reproduce`: one list, the only registration. Not part of
// the package's API; imported by the CLI's `reproduce` command, bench/ and tests.
import { InputError, show } from '../core/errors.js';
import { chinchillaEpochReproduction } from './chinchilla-epoch.js';
import { kimInfiniteComputeReproduction } from './kim-infinite-compute.js';
import { lcNasReproduction } from './lc-nas.js';
import { reproduceMpl } from './mpl.js';
import { muennighoffReleasedMinimum, muennighoffReproduction } from './muennighoff-data-constrained.js';
import { olmoLadderReproduction } from './olmo-ladder.js';
import type { Reproduction } from './reproduction.js';
import { zhangCbsReproduction } from './zhang-cbs.js';

export type { ReproducedMetric, Reproduction } from './reproduction.js';

const mpl = (size: '25' | '100'): Reproduction => ({
  id: `mpl-${size}m`,
  description: `Luo et al. 2025, ${size}M curves: fit cosine_24000, constant_24000, wsdcon_9; PredE/WorstE on the other six, multi-power and momentum laws`,
  run: async (options = {}) => reproduceMpl(size, options.onProgress, options.onWarning),
});

export const reproductions: readonly Reproduction[] = [
  chinchillaEpochReproduction,
  lcNasReproduction,
  mpl('100'),
  mpl('25'),
  zhangCbsReproduction,
  muennighoffReproduction,
  olmoLadderReproduction,
  muennighoffReleasedMinimum,
  kimInfiniteComputeReproduction,
];

export function getReproduction(id: string): Reproduction {
  const r = reproductions.find((x) => x.id === id);
  if (!r)
    throw new InputError(
      `unknown reproduction: ${show(id)}; known: ${listReproductions()
        .map((x) => x.id)
        .join(', ')}`,
      'id',
    );
  return r;
}

export function listReproductions(): Reproduction[] {
  return [...reproductions].sort((a, b) => a.id.localeCompare(b.id));
}
