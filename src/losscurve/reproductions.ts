// Registers `scalelaw reproduce mpl-25m` and `mpl-100m`.
import { addReproduction } from '../core/reproductions.js';
import { reproduceMpl } from './protocol.js';

for (const size of ['25', '100'] as const) {
  addReproduction({
    id: `mpl-${size}m`,
    description: `Luo et al. 2025, ${size}M curves: fit cosine_24000, constant_24000, wsdcon_9; PredE/WorstE on the other six, multi-power and momentum laws`,
    run: async (options = {}) => reproduceMpl(size, options.onProgress),
  });
}
