import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import type { ScalingFit } from '../fit/result.js';
import { plan, readFitFile } from '../plan/planner.js';
import { planReport } from '../plan/plan-report.js';
import { planHtml } from '../plan/report-html.js';
import { action, numberOption, printJson } from './util.js';

/** The scaling fit shipped with the package, used when no --fit is given. */
export const DEFAULT_FIT = fileURLToPath(new URL('../../fits/chinchilla-epoch2024.json', import.meta.url));

interface PlanCliOptions {
  compute?: string;
  gpuHours?: string;
  gpuFlops?: string;
  utilization: string;
  gpus: string;
  price?: string;
  fit?: string[];
  seqLen: string;
  fitSeqLen?: string;
  batchUnit: string;
  json?: boolean;
  html?: string;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('plan a training run for a compute budget: N, D, loss, batch size, learning rate, steps, time and cost')
    .option('--compute <flops>', 'training compute budget in FLOPs, e.g. 1e23')
    .option('--gpu-hours <hours>', 'budget in GPU-hours (needs --gpu-flops)')
    .option('--gpu-flops <flops>', 'peak FLOP/s of one GPU in the training precision, e.g. 9.89e14 (H100 SXM, BF16)')
    .option('--utilization <u>', 'fraction of peak FLOP/s achieved (MFU)', '0.4')
    .option('--gpus <n>', 'GPUs used at once, for the wall-clock time', '1')
    .option('--price <p>', 'price of one GPU-hour, for the cost')
    .option('--fit <file...>', `saved fits to plan from (a scaling fit, plus optional critical-batch, learning-rate and loss-curve fits); default ${'fits/chinchilla-epoch2024.json'}`)
    .option('--seq-len <tokens>', 'tokens per sequence of the planned run', '2048')
    .option('--fit-seq-len <tokens>', 'tokens per sequence of the runs the batch fits came from (default: --seq-len)')
    .option('--batch-unit <unit>', "unit of the batch fits' batch sizes: sequences or tokens", 'sequences')
    .option('--json', 'print the plan as JSON')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .action(
      action(async (options: PlanCliOptions) => {
        const files = options.fit ?? [DEFAULT_FIT];
        for (const f of files) if (!existsSync(f)) throw new InputError(`--fit: no such file: ${show(f)}`, 'fit');
        const fits = files.map((source) => ({ fit: readFitFile(source), source }));
        if (options.batchUnit !== 'sequences' && options.batchUnit !== 'tokens') throw new InputError(`--batch-unit must be sequences or tokens; got ${show(options.batchUnit)}`, 'batchUnit');
        const result = plan({
          budget: {
            compute: numberOption('compute', options.compute),
            gpuHours: numberOption('gpu-hours', options.gpuHours),
            gpuFlops: numberOption('gpu-flops', options.gpuFlops),
            utilization: numberOption('utilization', options.utilization),
            gpus: numberOption('gpus', options.gpus),
            price: numberOption('price', options.price),
          },
          fits,
          seqLen: numberOption('seq-len', options.seqLen),
          fitSeqLen: numberOption('fit-seq-len', options.fitSeqLen),
          batchUnit: options.batchUnit,
        });
        if (options.html) {
          const source = result.fits.find((r) => r.role === 'scaling')!.source;
          const scaling = fits.find((f) => f.source === source)!.fit as ScalingFit;
          writeFileSync(options.html, await planHtml(result, scaling));
        }
        if (options.json) return printJson(result);
        process.stdout.write(planReport(result) + '\n');
        if (options.html) process.stdout.write(`\nHTML report: ${options.html}\n`);
      }),
    );
}
