// Writes every `scalelaw reproduce` protocol's figures to a folder, or compares two such folders, so a
// restructuring can show that it changed no published/ours figure. lc-nas runs on every 10th curve
// (the whole file takes ~20 min on 2 cores); the others run in full.
//   npx tsx bench/reproduce-snapshot.ts write /tmp/before
//   npx tsx bench/reproduce-snapshot.ts compare /tmp/before /tmp/after
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listReproductions } from '../src/reproductions/index.js';
import { lcNasMetrics, runLcNas } from '../src/reproductions/lc-nas.js';

const [verb, a, b] = process.argv.slice(2);
if (verb === 'write' && a) {
  mkdirSync(a, { recursive: true });
  for (const r of listReproductions()) {
    const t0 = performance.now();
    const metrics = r.id === 'lc-nas' ? lcNasMetrics(await runLcNas({ stride: 10, seed: 0 })) : await r.run({ seed: 0 });
    writeFileSync(
      join(a, `${r.id}.json`),
      JSON.stringify(
        metrics.map(({ metric, published, ours }) => ({ metric, published, ours })),
        null,
        1,
      ) + '\n',
    );
    console.log(`${r.id}: ${metrics.length} figures, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
} else if (verb === 'compare' && a && b) {
  let differ = 0;
  for (const file of readdirSync(a).filter((f) => f.endsWith('.json'))) {
    const before = readFileSync(join(a, file), 'utf8');
    let after: string;
    try {
      after = readFileSync(join(b, file), 'utf8');
    } catch {
      console.log(`${file}: missing in ${b}`);
      differ++;
      continue;
    }
    const same = before === after;
    if (!same) differ++;
    console.log(`${file}: ${same ? 'identical' : 'DIFFERENT'}`);
  }
  process.exitCode = differ ? 1 : 0;
} else {
  console.error('usage: reproduce-snapshot.ts write <dir> | compare <before> <after>');
  process.exitCode = 2;
}
