/**
 * Crash safety of `scalelaw sweep`, issue 6 bar (b): start the sweep with 2 workers, SIGKILL it while
 * runs are in flight (several times, at different moments), then rerun it to completion. Checks that
 * every run that had finished before a kill is byte-for-byte intact afterwards, that no run is
 * duplicated or has a repeated step, that the sweep completes, and that `scalelaw inspect` counts
 * exactly the runs the spec defines.
 *
 *   npx tsx bench/proxy-crash.ts [--kills 3] [--workers 2]
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openStore } from '../src/io/store.js';
import { expandSweep, type SweepSpec } from '../src/proxy/sweep-spec.js';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '3' }, workers: { type: 'string', default: '2' } } });
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scalelaw-crash-'));
const store = join(dir, 'runs');
const specPath = join(dir, 'spec.json');
const spec: SweepSpec = {
  base: { model: { family: 'transformer', width: 8, depth: 1, heads: 2, context: 8 }, data: { type: 'markov' }, batchSize: 8, lr: 1e-2, steps: 60, evalTokens: 256, backend: 'wasm' },
  grid: { width: [4, 8, 12], seed: [0, 1, 2, 3] },
};
writeFileSync(specPath, JSON.stringify(spec));
const expected = expandSweep(spec)
  .map((r) => r.run.id)
  .sort();
const cli = ['--import', 'tsx', main, 'sweep', specPath, '--store', store, '--workers', values.workers!];
const hash = (id: string) =>
  ['config.json', 'trajectory.jsonl', 'summary.json']
    .map((f) =>
      createHash('sha256')
        .update(readFileSync(join(store, id, f)))
        .digest('hex'),
    )
    .join();
const intact = new Map<string, string>();
const check = (ok: boolean, what: string) => {
  if (!ok) {
    console.error(`FAIL: ${what}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
};

for (let k = 0; k < Number(values.kills); k++) {
  const child = spawn(process.execPath, cli, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const finishedAtStart = existsSync(store) ? openStore(store).finished().length : 0;
  // Kill once a new run has finished and another has a partly written trajectory.
  for (;;) {
    await new Promise((r) => setTimeout(r, 25));
    if (!existsSync(store)) continue;
    const s = openStore(store);
    const running = s.list().filter((r) => r.status === 'running' && existsSync(join(store, r.id, 'trajectory.jsonl')) && readFileSync(join(store, r.id, 'trajectory.jsonl')).length > 0);
    if (s.finished().length > finishedAtStart && running.length > 0) break;
  }
  child.kill('SIGKILL');
  await exited;
  const s = openStore(store);
  const list = s.list();
  console.log(`kill ${k + 1}: ${list.filter((r) => r.status === 'finished').length} finished, ${list.filter((r) => r.status === 'running').length} in flight (killed mid-run)`);
  for (const [id, h] of intact) check(hash(id) === h, `run ${id} finished before kill ${k} is unchanged`);
  for (const id of s.finished()) if (!intact.has(id)) intact.set(id, hash(id));
}
const rerun = spawnSync(process.execPath, [...cli, '--json'], { encoding: 'utf8' });
check(rerun.status === 0, 'the rerun completes with exit code 0');
const result = JSON.parse(rerun.stdout) as { skipped: string[]; finished: string[] };
check(result.skipped.length === intact.size, `the rerun skipped exactly the ${intact.size} runs finished before the kills`);
for (const [id, h] of intact) check(hash(id) === h, `run ${id} is byte-for-byte intact`);
const s = openStore(store);
check(
  JSON.stringify(
    readdirSync(store)
      .filter((n) => !n.startsWith('.'))
      .sort(),
  ) === JSON.stringify(expected),
  `the store holds exactly the spec's ${expected.length} run directories`,
);
check(JSON.stringify(s.finished().sort()) === JSON.stringify(expected), 'every run finished');
for (const id of expected) {
  const steps = s.load(id).trajectory.map((p) => p.step);
  check(steps.length === 60 && steps.every((v, i) => v === i + 1), `run ${id}: steps 1..60, none repeated`);
}
const inspect = spawnSync(process.execPath, ['--import', 'tsx', main, 'inspect', store, '--json'], { encoding: 'utf8' });
const report = JSON.parse(inspect.stdout) as { runs: number; byStatus: Record<string, number> };
check(report.runs === expected.length && report.byStatus.finished === expected.length, `scalelaw inspect counts ${report.runs} runs, all finished (spec: ${expected.length})`);
