import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { train } from '../proxy/lazy.js';
import type { TrainConfig } from '../proxy/train-config.js';
import { action, formatNumber, printJson } from './util.js';

/** Reads a JSON file, naming it in the error when it cannot. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`${what} ${show(path)}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, what);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} ${show(path)}: not valid JSON (${(error as Error).message})`, what);
  }
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train one proxy model (transformer or MLP) and log its trajectory to a run store')
    .requiredOption('--config <file>', 'run config as JSON: { model, data, tokens | steps, batchSize, schedule, lr, ... }')
    .requiredOption('--store <dir>', 'run store directory')
    .option('--backend <name>', 'auto, tensorflow, webgpu, wasm or cpu (overrides the config)')
    .option('--overwrite', 'train again a run that has already ended')
    .option('--json', 'print the run summary as JSON')
    .action(
      action(async (options: { config: string; store: string; backend?: string; overwrite?: boolean; json?: boolean }) => {
        const config = readJsonFile(options.config, '--config') as TrainConfig;
        if (options.backend !== undefined && config && typeof config === 'object') config.backend = options.backend;
        let last = 0;
        const { id, summary } = await train(config, {
          store: options.store,
          overwrite: options.overwrite ?? false,
          onStep: (step, steps, point) => {
            const now = performance.now();
            if (options.json || (now - last < 2000 && step !== steps)) return;
            last = now;
            const evalText = point.evalLoss === undefined ? '' : `  eval ${formatNumber(point.evalLoss)}`;
            process.stderr.write(`step ${step}/${steps}  train ${formatNumber(point.trainLoss ?? NaN)}${evalText}\n`);
          },
        });
        if (options.json) return printJson({ id, ...summary });
        const loss = summary.finalEvalLoss ?? summary.finalTrainLoss;
        process.stdout.write(
          `${id}: ${summary.status} after ${summary.steps} steps on ${summary.backend}${summary.device ? ` (${String(summary.device)})` : ''}, loss ${formatNumber(loss ?? NaN)}` +
            `${summary.reason ? ` (${summary.reason})` : ''}, ${formatNumber(summary.wallSeconds ?? NaN)} s\n`,
        );
      }),
    );
}
