import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { loadFit } from '../fit/load.js';
import { findFitData } from '../plan/fit-data.js';
import { checkFitValues, floorInterval, formatRange, rangeOf, rangeWarnings } from '../plan/honesty.js';
import { computeOptimal, computeOptimalInterval, type Allocation, type AllocationInterval, type OptimalOptions } from '../plan/optimal.js';
import { action, formatNumber, numberOption, printJson, table } from './util.js';

interface OptimalCliOptions {
  fit: string;
  compute: string[];
  method: string;
  floor?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('optimal')
    .description('compute-optimal parameters N, tokens D, tokens per parameter and loss for FLOP budgets, from a saved fit')
    .requiredOption('--fit <file>', 'a saved fit of a law in N and D (scalelaw fit --out)')
    .requiredOption('--compute <flops...>', 'training budgets in FLOPs, e.g. 5.76e23')
    .option('--method <m>', 'auto, closed-form (Chinchilla) or numeric', 'auto')
    .option('--floor <loss>', 'a loss no model can beat (e.g. an entropy rate): loss intervals are clipped to it, with a note')
    .option('--json', 'print the allocations as JSON, each with its warnings')
    .action(
      action((options: OptimalCliOptions) => {
        if (!['auto', 'closed-form', 'numeric'].includes(options.method)) throw new InputError(`--method: must be auto, closed-form or numeric, got ${show(options.method)}`, 'method');
        const fit = loadFit(options.fit);
        checkFitValues(fit, options.fit);
        const budgets = options.compute.map((c) => numberOption('compute', c, { above: 0 })!);
        const floorValue = numberOption('floor', options.floor);
        const settings: OptimalOptions = { method: options.method as OptimalOptions['method'] };
        const found = findFitData(fit);
        const range = found.found ? rangeOf(found.table, found.path) : undefined;
        const rows: (Allocation | AllocationInterval)[] = fit.bootstrap ? computeOptimalInterval(fit, budgets, settings) : computeOptimal(fit, budgets, settings);
        const annotated = rows.map((a) => {
          const warnings = range
            ? rangeWarnings(range, { N: a.N, D: a.D, C: a.C })
            : [`the fitted range is unknown (${(found as { reason: string }).reason}), so how far this extrapolates cannot be said`];
          if (!('interval' in a)) {
            if (floorValue !== undefined && a.loss < floorValue) warnings.push(`predicted loss ${formatNumber(a.loss)} lies below the floor given (${floorValue}), which no model can beat`);
            return { ...a, warnings };
          }
          const floored = floorInterval(
            { value: a.loss, lower: a.interval.loss[0], upper: a.interval.loss[1] },
            {
              ...(floorValue !== undefined ? { floor: { value: floorValue, source: `the floor given (--floor ${floorValue})` } } : {}),
              ...(fit.values.E !== undefined && floorValue === undefined ? { fittedE: fit.values.E } : {}),
            },
          );
          warnings.push(...floored.warnings);
          for (const [key, r] of Object.entries(a.interval)) if (!r.every(Number.isFinite)) warnings.push(`${key} interval: not identified (too few resamples have a finite optimum at this budget)`);
          const loss: [number, number] = [floored.lower ?? a.interval.loss[0], floored.upper ?? a.interval.loss[1]];
          return { ...a, interval: { ...a.interval, loss }, warnings };
        });
        if (options.json) return printJson(annotated);
        const header = ['C', 'N_opt', 'D_opt', 'tokens/param', 'loss'];
        const withBands = fit.bootstrap !== undefined;
        process.stdout.write(
          table(
            annotated.map((a) => {
              const band = 'interval' in a ? (a as AllocationInterval).interval : undefined;
              return withBands ? [a.C, a.N, formatRange(band?.N), a.D, formatRange(band?.D), a.tokensPerParameter, a.loss, formatRange(band?.loss)] : [a.C, a.N, a.D, a.tokensPerParameter, a.loss];
            }),
            withBands ? ['C', 'N_opt', 'interval', 'D_opt', 'interval', 'tokens/param', 'loss', 'interval'] : header,
          ) + '\n',
        );
        if (withBands) process.stdout.write(`intervals: ${Math.round(fit.bootstrap!.level * 100)}% percentile over ${fit.bootstrap!.resamples} bootstrap resamples\n`);
        for (const a of annotated) for (const w of a.warnings) process.stdout.write(`warning: at C = ${formatNumber(a.C, 3)}: ${w}\n`);
      }),
    );
}
