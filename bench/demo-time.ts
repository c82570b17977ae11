/**
 * Wall time of `npm run demo` from an empty output folder (every run trained from scratch), as
 * the README's main command experiences it. Issue 8's bar: under 5 minutes on 2 cores without a GPU.
 *
 *   npx tsx bench/demo-time.ts [--repeats 1]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '1' } } });
const times: number[] = [];
for (let i = 0; i < Number(values.repeats); i++) {
  const out = mkdtempSync(join(tmpdir(), 'scalelaw-demo-bench-'));
  const load = loadavg()[0]!;
  const started = performance.now();
  const run = spawnSync('npm', ['run', '--silent', 'demo', '--', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`demo exited with ${run.status}`);
  times.push(seconds);
  console.log(`run ${i + 1}: ${seconds.toFixed(1)} s (1-minute load average at start: ${load.toFixed(1)})`);
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)]!.toFixed(1)} s over ${times.length} run(s)`);
