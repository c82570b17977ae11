import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { progressPrinter } from '../proxy/progress.js';
import { runSweep } from '../proxy/sweep.js';
import { exampleSweep, parseShard, type SweepSpec } from '../proxy/sweep-spec.js';
import { readJsonFile } from './train.js';
import { action, printJson } from './util.js';

export function register(program: Command): void {
  program
    .command('sweep')
    .description('train a grid or list of proxy runs into one store; rerun to resume (finished runs are skipped)')
    .argument('[spec]', 'sweep spec as JSON: { base, grid | list } (see --example)')
    .option('--store <dir>', 'run store directory')
    .option('--workers <n>', 'runs trained at once, one worker thread each', '1')
    .option('--shard <i/n>', 'train only runs i, i+n, i+2n, ... (0 <= i < n), e.g. $SLURM_ARRAY_TASK_ID/8')
    .option('--backend <name>', 'force a backend in every run: auto, tensorflow, webgpu, wasm or cpu')
    .option('--example', 'print a small ready-to-run spec and exit')
    .option('--json', 'print the result (ids trained, skipped, diverged, failed) as JSON')
    .action(
      action(async (specPath: string | undefined, options: { store?: string; workers: string; shard?: string; backend?: string; example?: boolean; json?: boolean }) => {
        if (options.example) return printJson(exampleSweep);
        if (specPath === undefined) throw new InputError('sweep: give a spec file (or --example to print one)', 'spec');
        if (options.store === undefined) throw new InputError('--store: required: the run store directory', 'store');
        const workers = Number(options.workers);
        if (!Number.isInteger(workers) || workers < 1) throw new InputError(`--workers: expected a positive integer, got ${show(options.workers)}`, 'workers');
        const spec = readJsonFile(specPath, 'spec') as SweepSpec;
        const result = await runSweep(spec, {
          store: options.store,
          workers,
          ...(options.shard !== undefined ? { shard: parseShard(options.shard) } : {}),
          ...(options.backend !== undefined ? { backend: options.backend } : {}),
          onProgress: progressPrinter(process.stderr),
        });
        if (options.json) return printJson(result);
        const lines = [
          `${result.ids.length} runs: ${result.finished.length} trained, ${result.skipped.length} already done, ` +
            `${result.diverged.length} diverged, ${result.failed.length} failed; store ${options.store}`,
          ...result.failed.map((f) => `failed ${f.id}: ${f.reason}`),
        ];
        process.stdout.write(lines.join('\n') + '\n');
        if (result.failed.length) process.exitCode = 1;
      }),
    );
}
