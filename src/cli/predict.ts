import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { predictInterval } from '../fit/bootstrap.js';
import { loadFit } from '../fit/load.js';
import { findFitData } from '../plan/fit-data.js';
import { checkFitValues, checkLoss, floorInterval, rangeOf, rangeWarnings } from '../plan/honesty.js';
import { action, formatNumber, numberOption, printJson, table, levelOption } from './util.js';

interface PredictCliOptions {
  fit: string;
  N?: string;
  D?: string;
  C?: string;
  level?: string;
  floor?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description('predict the loss of a run from a saved fit, with a bootstrap interval when the fit has one')
    .requiredOption('--fit <file>', 'a saved fit (scalelaw fit --out)')
    .option('--N <params>', 'parameters')
    .option('--D <tokens>', 'training tokens')
    .option('--C <flops>', 'training FLOPs (for laws in C, or to derive D = C / (6 N))')
    .option('--level <p>', 'central level of the interval (default: the fit bootstrap level)')
    .option('--floor <loss>', 'a loss no model can beat (e.g. an entropy rate): the interval is clipped to it, with a note')
    .option('--json', 'print { inputs, loss, lower, upper, level, warnings } as JSON')
    .action(
      action((options: PredictCliOptions) => {
        const fit = loadFit(options.fit);
        checkFitValues(fit, options.fit);
        const N = numberOption('N', options.N),
          C = numberOption('C', options.C);
        let D = numberOption('D', options.D);
        if (D !== undefined && C !== undefined && fit.inputs.includes('D')) {
          // C = 6 N D ties the three together: a C that disagrees with N and D would be silently ignored.
          const implied = N !== undefined ? 6 * N * D : undefined;
          if (implied === undefined || Math.abs(C / implied - 1) > 1e-3) {
            throw new InputError(`--C: give --D or --C with --N, not both (--C ${options.C} but 6 N D = ${implied === undefined ? 'unknown' : formatNumber(implied)})`, 'C');
          }
        }
        if (D === undefined && N !== undefined && C !== undefined) D = C / (6 * N);
        const given: Record<string, number | undefined> = { N, D, C };
        const inputs: Record<string, number> = {};
        for (const name of fit.inputs) {
          const value = given[name];
          if (value === undefined) throw new InputError(`law "${fit.law}" needs --${name}${name === 'D' ? ' (or --C with --N)' : ''}`, name);
          if (!(value > 0)) throw new InputError(`--${name}: must be positive, got ${value}`, name);
          inputs[name] = value;
        }
        const floorValue = numberOption('floor', options.floor);
        const warnings: string[] = [];
        const data = findFitData(fit);
        if (data.found) warnings.push(...rangeWarnings(rangeOf(data.table, data.path), { N, D, C: C ?? (N !== undefined && D !== undefined ? 6 * N * D : undefined) }));
        else warnings.push(`the fitted range is unknown (${data.reason}), so how far this prediction extrapolates cannot be said`);
        const level = levelOption('level', options.level);
        const loss = fit.predict(inputs)[0]!;
        checkLoss(loss, options.fit);
        const rows = (lower?: number, upper?: number) => [
          ...fit.inputs.map((n) => inputs[n]!),
          loss,
          ...(lower === undefined ? [] : [Number.isFinite(lower) && Number.isFinite(upper) ? `[${formatNumber(lower)}, ${formatNumber(upper!)}]` : 'not identified']),
        ];
        const print = (header: string[], row: (string | number)[]) => {
          process.stdout.write(table([row], header) + '\n');
          for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
        };
        if (fit.bootstrap) {
          const band = predictInterval(fit, inputs, level !== undefined ? { level } : {});
          const floored = floorInterval(
            { value: loss, lower: band.lower[0]!, upper: band.upper[0]! },
            {
              ...(floorValue !== undefined ? { floor: { value: floorValue, source: `the floor given (--floor ${floorValue})` } } : {}),
              ...(fit.values.E !== undefined && floorValue === undefined ? { fittedE: fit.values.E } : {}),
            },
          );
          warnings.push(...floored.warnings);
          const identified = Number.isFinite(floored.lower) && Number.isFinite(floored.upper);
          if (!identified) warnings.push('interval: not identified (no resample gave a finite prediction here)');
          if (options.json) return printJson({ inputs, loss, lower: identified ? floored.lower : null, upper: identified ? floored.upper : null, level: band.level, warnings });
          return print([...fit.inputs, 'loss', `${Math.round(band.level * 100)}% interval`], rows(floored.lower, floored.upper));
        }
        if (level !== undefined) throw new InputError(`--level: the fit in ${options.fit} has no bootstrap samples; refit with --bootstrap 1000`, 'level');
        if (floorValue !== undefined && loss < floorValue) warnings.push(`predicted loss ${formatNumber(loss)} lies below the floor given (${floorValue}), which no model can beat`);
        if (options.json) return printJson({ inputs, loss, warnings });
        print([...fit.inputs, 'loss'], rows());
      }),
    );
}
