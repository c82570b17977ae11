// Writes fits/mpl-25m.json and fits/mpl-100m.json: the multi-power law fitted by Luo et al.'s
// protocol (cosine_24000, constant_24000, wsdcon_9) on the bundled curves. Run: npx tsx bench/mpl-save-fits.ts
import { writeFileSync } from 'node:fs';
import { mplProtocol } from '../src/reproductions/mpl.js';

for (const size of ['25', '100'] as const) {
  const { fit, predE, worstE } = mplProtocol(size, 'mpl', { date: new Date().toISOString().slice(0, 10) });
  const record = { ...fit, source: `data/multipowerlaw/csv_${size} (Luo et al. 2025, MIT); test PredE ${predE.toFixed(5)}, WorstE ${worstE.toFixed(5)}` };
  writeFileSync(`fits/mpl-${size}m.json`, JSON.stringify(record, null, 2) + '\n');
  console.log(size, predE, worstE);
}
