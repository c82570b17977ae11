// Many sweep processes on one store, with SIGKILLs in between: the harness of
// test/proxy/sweep-concurrency.test.ts and bench/proxy-crash.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/io/store.js';
import { runSweep } from '../../src/proxy/sweep.js';
import { expandSweep, type SweepSpec } from '../../src/proxy/sweep-spec.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CrashOptions {
  spec: SweepSpec;
  /** Sweep processes running at once. */
  processes: number;
  /** SIGKILLs, each of a process caught with a run part-way through, replaced by a fresh process. */
  kills: number;
  /** Extra arguments of every `scalelaw sweep`. */
  args?: string[];
  log?: (line: string) => void;
}

export interface CrashReport {
  expected: string[];
  /** Run directories in the store. */
  dirs: string[];
  /** Runs whose summary says finished. */
  finished: string[];
  /** Processes killed, and the runs they held when killed. */
  killed: { pid: number; held: string[] }[];
  /** Runs each surviving process reports having trained (`--json` finished lists), flattened. */
  trainedBySurvivors: string[];
  /** Runs trained more than once by survivors. */
  trainedTwice: string[];
  /** Partial attempts kept apart, by run. */
  attempts: Record<string, number>;
  /** Attempts kept apart that had finished (a finished run trained again): must be none. */
  finishedAttempts: string[];
  /** Runs whose trajectory repeats a step or goes back. */
  badSteps: string[];
  /** Runs whose config.json or trajectory.jsonl differ from the uninterrupted sweep's, or whose summary does (timing left out). */
  differ: string[];
  /** Seconds the reference (uninterrupted, one process) and the crashing sweeps took. */
  referenceSeconds: number;
  crashSeconds: number;
  store: string;
}

const TIMING = new Set(['wallSeconds', 'tokensPerSecond']);
const summaryWithoutTiming = (path: string) => JSON.stringify(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>).filter(([k]) => !TIMING.has(k)));

/**
 * Trains the sweep once uninterrupted in this process (the reference), then with `processes`
 * CLI sweeps at once on a second store, SIGKILLing `kills` of them mid-run (each replaced), and a
 * last sweep to take over what the killed ones left; compares the two stores.
 */
export async function crashSweeps(options: CrashOptions): Promise<CrashReport> {
  const { spec, processes, kills, args = [], log = () => {} } = options;
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-many-'));
  const reference = join(dir, 'reference');
  const store = join(dir, 'runs');
  const specPath = join(dir, 'spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const expected = expandSweep(spec)
    .map((r) => r.run.id)
    .sort();
  let t = performance.now();
  await runSweep(spec, { store: reference });
  const referenceSeconds = (performance.now() - t) / 1000;
  log(`reference: ${expected.length} runs in ${referenceSeconds.toFixed(1)} s`);

  t = performance.now();
  const outputs: Promise<string | undefined>[] = [];
  const live = new Set<ChildProcess>();
  const start = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'sweep', specPath, '--store', store, '--json', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    live.add(child);
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => (out += c));
    outputs.push(
      new Promise((resolve) =>
        child.on('exit', (code, signal) => {
          live.delete(child);
          resolve(signal === null && code === 0 ? out : undefined);
        }),
      ),
    );
    return child;
  };
  for (let i = 0; i < processes; i++) start();
  const killed: CrashReport['killed'] = [];
  const heldBy = (pid: number): string[] => {
    if (!existsSync(store)) return [];
    const s = openStore(store);
    return s.ids().filter((id) => {
      const lease = s.lease(id);
      const trajectory = join(store, id, 'trajectory.jsonl');
      return lease?.pid === pid && !lease.stale && existsSync(trajectory) && readFileSync(trajectory).length > 0;
    });
  };
  const deadline = Date.now() + 240_000;
  while (killed.length < kills && live.size > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 30));
    // A process caught with a run part-way through its trajectory.
    const victim = [...live].find((c) => heldBy(c.pid!).length > 0);
    if (!victim) continue;
    const held = heldBy(victim.pid!);
    victim.kill('SIGKILL');
    killed.push({ pid: victim.pid!, held });
    log(`kill ${killed.length}: pid ${victim.pid} holding ${held.join(', ')}`);
    live.delete(victim);
    start();
  }
  const firstRound = await Promise.all(outputs.splice(0));
  // One more sweep takes over the runs the killed processes held (their pids are dead: stale at once).
  start();
  const last = await Promise.all(outputs);
  const crashSeconds = (performance.now() - t) / 1000;
  const reports = [...firstRound, ...last].filter((o): o is string => o !== undefined).map((o) => JSON.parse(o) as { finished: string[] });
  const trainedBySurvivors = reports.flatMap((r) => r.finished);
  const trainedTwice = [...new Set(trainedBySurvivors.filter((id, i) => trainedBySurvivors.indexOf(id) !== i))];

  const s = openStore(store);
  const badSteps: string[] = [];
  const differ: string[] = [];
  const attempts: Record<string, number> = {};
  const finishedAttempts: string[] = [];
  for (const id of s.ids()) {
    const steps = s.load(id).trajectory.map((p) => p.step);
    if (steps.some((v, i) => i > 0 && v <= steps[i - 1]!)) badSteps.push(id);
    for (const f of ['config.json', 'trajectory.jsonl']) {
      if (!existsSync(join(reference, id, f)) || !readFileSync(join(store, id, f)).equals(readFileSync(join(reference, id, f)))) differ.push(`${id}/${f}`);
    }
    if (!existsSync(join(store, id, 'summary.json')) || summaryWithoutTiming(join(store, id, 'summary.json')) !== summaryWithoutTiming(join(reference, id, 'summary.json')))
      differ.push(`${id}/summary.json`);
    const kept = s.attempts(id);
    if (kept.length) attempts[id] = kept.length;
    for (const a of kept) if (existsSync(join(a, 'summary.json')) && readFileSync(join(a, 'summary.json'), 'utf8').includes('"finished"')) finishedAttempts.push(a);
  }
  return {
    expected,
    dirs: readdirSync(store)
      .filter((n) => !n.startsWith('.'))
      .sort(),
    finished: s.finished().sort(),
    killed,
    trainedBySurvivors,
    trainedTwice,
    attempts,
    finishedAttempts,
    badSteps,
    differ,
    referenceSeconds,
    crashSeconds,
    store,
  };
}
