import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { storeStatus } from '../io/store-status.js';
import { formatDuration, progressPrinter } from '../proxy/progress.js';
import { runSweep } from '../proxy/sweep.js';
import { emitK8s, emitSlurm } from '../proxy/sweep-emit.js';
import { expandExternal } from '../proxy/sweep-external.js';
import { exampleSweep, expandSweep, parseShard, shardFromEnv, type SweepSpec } from '../proxy/sweep-spec.js';
import { readJsonFile } from './train.js';
import { action, numberOption, printJson, table } from './util.js';

interface SweepCliOptions {
  store?: string;
  workers: string;
  shard?: string;
  backend?: string;
  owner?: string;
  leaseSeconds?: string;
  emit?: string;
  tasks?: string;
  gpus?: string;
  cpus?: string;
  time?: string;
  partition?: string;
  image?: string;
  pvc?: string;
  parallelism?: string;
  scalelaw?: string;
  out?: string;
  submit?: boolean;
  spec?: string;
  example?: boolean;
  json?: boolean;
}

/** Run ids of a spec, built-in or external. */
function specIds(spec: SweepSpec): string[] {
  return spec !== null && typeof spec === 'object' && spec.trainer !== undefined ? expandExternal(spec).map((e) => e.run.id) : expandSweep(spec).map((r) => r.run.id);
}

const intOption = (name: string, text: string | undefined): number | undefined => {
  const v = numberOption(name, text);
  if (v !== undefined && !Number.isInteger(v)) throw new InputError(`--${name}: expected an integer, got ${show(text)}`, name);
  return v;
};

export function register(program: Command): void {
  program
    .command('sweep')
    .description(
      'train a grid or list of proxy runs into one store, safely from many processes (each run is leased); rerun to resume. ' +
        '`sweep status <store>` shows progress; `--emit slurm|k8s` writes a job array / Indexed Job for the sweep',
    )
    .argument('[spec]', 'sweep spec as JSON: { base, grid | list, trainer?, import? } (see --example), or "status"')
    .argument('[store]', 'with "status": the run store')
    .option('--store <dir>', 'run store directory')
    .option('--workers <n>', 'runs trained at once (worker threads, or external trainer processes)', '1')
    .option('--shard <i/n>', 'train only runs i, i+n, ... (0 <= i < n); default from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX/SCALELAW_SHARD_COUNT')
    .option('--backend <name>', 'force a backend in every run: auto, tensorflow, webgpu, wasm or cpu')
    .option('--owner <text>', 'name this process in the run leases (default: scalelaw sweep, and the shard)')
    .option('--lease-seconds <s>', 'a lease not renewed for this long is stale and its run is taken over', '120')
    .option('--emit <kind>', 'write a job script instead of training: slurm (job array) or k8s (Indexed Job manifest)')
    .option('--tasks <n>', 'with --emit: array tasks / completions (default: one per run)')
    .option('--gpus <n>', 'with --emit: GPUs per task', '0')
    .option('--cpus <n>', 'with --emit: CPU cores per task', '1')
    .option('--time <limit>', 'with --emit: time limit per task (minutes, HH:MM:SS or D-HH:MM:SS)')
    .option('--partition <name>', 'with --emit slurm: partition')
    .option('--image <image>', 'with --emit k8s: container image with scalelaw in it (required)')
    .option('--pvc <claim>', 'with --emit k8s: PersistentVolumeClaim holding the store, mounted at its parent directory')
    .option('--parallelism <n>', 'with --emit: tasks running at once (default: all)')
    .option('--scalelaw <command>', 'with --emit: how a task runs scalelaw (default: as this process was run; "scalelaw" for k8s)')
    .option('--out <file>', 'with --emit: write the script or manifest here instead of stdout')
    .option('--submit', 'with --emit: also submit it (sbatch, or kubectl apply -f); the file goes to --out or <store>/.slurm/')
    .option('--spec <file>', 'with "status": the sweep spec, to count runs not started yet')
    .option('--example', 'print a small ready-to-run spec and exit')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (specPath: string | undefined, storeArg: string | undefined, options: SweepCliOptions) => {
        if (options.example) return printJson(exampleSweep);
        if (specPath === 'status') return status(storeArg ?? options.store, options);
        if (specPath === undefined) throw new InputError('sweep: give a spec file (or --example to print one, or "status <store>")', 'spec');
        if (storeArg !== undefined) throw new InputError(`sweep: unexpected argument ${show(storeArg)}; give the store with --store`, 'store');
        if (options.store === undefined) throw new InputError('--store: required: the run store directory', 'store');
        const spec = readJsonFile(specPath, 'spec') as SweepSpec;
        if (options.emit !== undefined) return emit(spec, specPath, options);
        const workers = Number(options.workers);
        if (!Number.isInteger(workers) || workers < 1) throw new InputError(`--workers: expected a positive integer, got ${show(options.workers)}`, 'workers');
        const leaseSeconds = numberOption('lease-seconds', options.leaseSeconds)!;
        if (!(leaseSeconds > 0)) throw new InputError(`--lease-seconds: expected a positive number, got ${show(options.leaseSeconds)}`, 'lease-seconds');
        const fromEnv = options.shard === undefined ? shardFromEnv() : undefined;
        const shard = options.shard !== undefined ? parseShard(options.shard) : fromEnv;
        if (fromEnv) process.stderr.write(`scalelaw: shard ${fromEnv.index}/${fromEnv.count} from ${fromEnv.from}\n`);
        const owner = options.owner ?? `scalelaw sweep${shard ? ` shard ${shard.index}/${shard.count}` : ''}`;
        const result = await runSweep(spec, {
          store: options.store,
          workers,
          ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
          ...(options.backend !== undefined ? { backend: options.backend } : {}),
          owner,
          leaseSeconds,
          cwd: dirname(resolve(specPath)),
          onProgress: progressPrinter(process.stderr),
        });
        if (options.json) return printJson(result);
        const lines = [
          `${result.ids.length} runs: ${result.finished.length} trained, ${result.skipped.length} already done, ${result.busy.length} held by other processes, ` +
            `${result.diverged.length} diverged, ${result.failed.length} failed${result.reclaimed.length ? `, ${result.reclaimed.length} taken over from interrupted processes` : ''}` +
            `${result.imported.length ? `, ${result.imported.length} imported` : ''}; store ${options.store}`,
          ...result.busy.map((b) => `busy ${b.id}: held by ${b.holder}`),
          ...result.failed.map((f) => `failed ${f.id}: ${f.reason}`),
        ];
        process.stdout.write(lines.join('\n') + '\n');
        if (result.failed.length) process.exitCode = 1;
      }),
    );
}

function emit(spec: SweepSpec, specPath: string, options: SweepCliOptions): void {
  const kind = options.emit;
  if (kind !== 'slurm' && kind !== 'k8s') throw new InputError(`--emit: expected slurm or k8s, got ${show(kind)}`, 'emit');
  const ids = specIds(spec);
  const tasks = intOption('tasks', options.tasks) ?? ids.length;
  const parallelism = intOption('parallelism', options.parallelism);
  const args = [
    ...(options.workers !== '1' ? ['--workers', options.workers] : []),
    ...(options.backend ? ['--backend', options.backend] : []),
    ...(options.leaseSeconds !== '120' ? ['--lease-seconds', options.leaseSeconds!] : []),
  ];
  const common = {
    store: kind === 'slurm' ? resolve(options.store!) : options.store!,
    tasks,
    name: spec.name ? `scalelaw-${spec.name}` : 'scalelaw-sweep',
    gpus: intOption('gpus', options.gpus)!,
    cpus: intOption('cpus', options.cpus)!,
    args,
    ...(options.time !== undefined ? { time: options.time } : {}),
    ...(parallelism !== undefined ? { parallelism } : {}),
  };
  let text: string;
  if (kind === 'slurm') {
    // From source, this process runs as `node --import tsx src/cli/main.ts`; tasks run it the same way from here.
    const command = options.scalelaw?.split(/\s+/).filter(Boolean) ?? [process.execPath, ...process.execArgv, process.argv[1]!];
    text = emitSlurm({ ...common, spec: resolve(specPath), command, cwd: process.cwd(), ...(options.partition ? { partition: options.partition } : {}) });
    // Slurm opens the tasks' --output files before they run, and does not create their folder.
    mkdirSync(join(common.store, '.slurm'), { recursive: true });
  } else {
    const command = options.scalelaw?.split(/\s+/).filter(Boolean) ?? ['scalelaw'];
    text =
      JSON.stringify(
        emitK8s({ ...common, spec: 'spec.json', specText: readFileSync(specPath, 'utf8'), command, ...(options.image ? { image: options.image } : {}), ...(options.pvc ? { pvc: options.pvc } : {}) }),
        null,
        2,
      ) + '\n';
  }
  const out = options.out ?? (options.submit ? join(resolve(options.store!), '.slurm', `${common.name}.${kind === 'slurm' ? 'sbatch' : 'json'}`) : undefined);
  if (out === undefined) return void process.stdout.write(text);
  if (options.submit) mkdirSync(dirname(out), { recursive: true });
  writeFileAtomic(out, text);
  const submit = kind === 'slurm' ? ['sbatch', out] : ['kubectl', 'apply', '-f', out];
  if (!options.submit) {
    process.stderr.write(`scalelaw: wrote ${out} (${tasks} tasks for ${ids.length} runs); submit with: ${submit.join(' ')}\n`);
    return;
  }
  const done = spawnSync(submit[0]!, submit.slice(1), { encoding: 'utf8' });
  if (done.error) throw new InputError(`--submit: cannot run ${submit[0]} (${(done.error as NodeJS.ErrnoException).code ?? done.error.message}); the ${kind} file is ${out}`, 'submit');
  process.stdout.write(done.stdout);
  if (done.status !== 0) throw new InputError(`--submit: ${submit.join(' ')} failed (exit ${done.status}): ${done.stderr.trim().split('\n').at(-1) ?? ''}`, 'submit');
  process.stderr.write(`scalelaw: submitted ${out} (${tasks} tasks for ${ids.length} runs); progress: scalelaw sweep status ${options.store}\n`);
}

function status(store: string | undefined, options: SweepCliOptions): void {
  if (store === undefined) throw new InputError('sweep status: give the run store: scalelaw sweep status <store>', 'store');
  const expected = options.spec ? specIds(readJsonFile(options.spec, '--spec') as SweepSpec) : [];
  const report = storeStatus(store, { expected });
  if (options.json) return printJson(report);
  const c = report.counts;
  const out = [
    `${store}: ${report.runs.length} runs: ${c.done} done, ${c.running} running, ${c.interrupted} interrupted, ${c.failed} failed${c.pending ? `, ${c.pending} not started` : ''}`,
    report.etaSeconds !== undefined
      ? `ETA ${formatDuration(report.etaSeconds)} (${report.etaBasis})`
      : c.done + c.failed === report.runs.length
        ? 'nothing left to run'
        : 'ETA ? (no finished run to time yet)',
    '',
    table(
      report.runs.map((r) => [
        r.id,
        r.state === 'done' && r.detail === 'diverged' ? 'done (diverged)' : r.state,
        r.step === undefined ? '' : r.steps ? `${r.step}/${r.steps}` : String(r.step),
        r.wallSeconds === undefined ? '' : formatDuration(r.wallSeconds),
        r.attempts || '',
        r.lease ?? r.reason ?? '',
      ]),
      ['run', 'state', 'step', 'time', 'attempts', 'lease / reason'],
    ),
  ];
  process.stdout.write(out.join('\n') + '\n');
}
