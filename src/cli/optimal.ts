import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { loadFit } from '../fit/load.js';
import { computeOptimal, computeOptimalInterval, type AllocationInterval, type OptimalOptions } from '../plan/optimal.js';
import { action, formatNumber, numberOption, printJson, table } from './util.js';

interface OptimalCliOptions {
  fit: string;
  compute: string[];
  method: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('optimal')
    .description('compute-optimal parameters N, tokens D, tokens per parameter and loss for FLOP budgets, from a saved fit')
    .requiredOption('--fit <file>', 'a saved fit of a law in N and D (scalelaw fit --out)')
    .requiredOption('--compute <flops...>', 'training budgets in FLOPs, e.g. 5.76e23')
    .option('--method <m>', 'auto, closed-form (Chinchilla) or numeric', 'auto')
    .option('--json', 'print the allocations as JSON')
    .action(
      action((options: OptimalCliOptions) => {
        if (!['auto', 'closed-form', 'numeric'].includes(options.method)) throw new InputError(`--method: must be auto, closed-form or numeric, got ${show(options.method)}`, 'method');
        const fit = loadFit(options.fit);
        const budgets = options.compute.map((c) => numberOption('compute', c)!);
        const settings: OptimalOptions = { method: options.method as OptimalOptions['method'] };
        const rows = fit.bootstrap ? computeOptimalInterval(fit, budgets, settings) : computeOptimal(fit, budgets, settings);
        if (options.json) return printJson(rows);
        const range = (r: [number, number] | undefined) => (r ? `[${formatNumber(r[0])}, ${formatNumber(r[1])}]` : '');
        const header = ['C', 'N_opt', 'D_opt', 'tokens/param', 'loss'];
        const withBands = fit.bootstrap !== undefined;
        process.stdout.write(
          table(
            rows.map((a) => {
              const band = 'interval' in a ? (a as AllocationInterval).interval : undefined;
              return withBands
                ? [a.C, a.N, range(band?.N), a.D, range(band?.D), a.tokensPerParameter, a.loss, range(band?.loss)]
                : [a.C, a.N, a.D, a.tokensPerParameter, a.loss];
            }),
            withBands ? ['C', 'N_opt', 'interval', 'D_opt', 'interval', 'tokens/param', 'loss', 'interval'] : header,
          ) + '\n',
        );
        if (withBands) process.stdout.write(`intervals: ${Math.round(fit.bootstrap!.level * 100)}% percentile over ${fit.bootstrap!.resamples} bootstrap resamples\n`);
      }),
    );
}
