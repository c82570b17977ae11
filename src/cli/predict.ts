import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { predictInterval } from '../fit/bootstrap.js';
import { loadFit } from '../fit/load.js';
import { action, formatNumber, numberOption, printJson, table } from './util.js';

interface PredictCliOptions {
  fit: string;
  N?: string;
  D?: string;
  C?: string;
  level?: string;
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
    .option('--json', 'print { inputs, loss, lower, upper, level } as JSON')
    .action(
      action((options: PredictCliOptions) => {
        const fit = loadFit(options.fit);
        const N = numberOption('N', options.N), C = numberOption('C', options.C);
        let D = numberOption('D', options.D);
        if (D === undefined && N !== undefined && C !== undefined) D = C / (6 * N);
        const given: Record<string, number | undefined> = { N, D, C };
        const inputs: Record<string, number> = {};
        for (const name of fit.inputs) {
          const value = given[name];
          if (value === undefined) throw new InputError(`law "${fit.law}" needs --${name}${name === 'D' ? ' (or --C with --N)' : ''}`, name);
          if (!(value > 0)) throw new InputError(`--${name}: must be positive, got ${value}`, name);
          inputs[name] = value;
        }
        const level = numberOption('level', options.level);
        if (fit.bootstrap) {
          const band = predictInterval(fit, inputs, level !== undefined ? { level } : {});
          const result = { inputs, loss: band.value[0]!, lower: band.lower[0]!, upper: band.upper[0]!, level: band.level };
          if (options.json) return printJson(result);
          process.stdout.write(
            table([[...fit.inputs.map((n) => inputs[n]!), result.loss, `[${formatNumber(result.lower)}, ${formatNumber(result.upper)}]`]], [...fit.inputs, 'loss', `${Math.round(result.level * 100)}% interval`]) + '\n',
          );
          return;
        }
        if (level !== undefined) throw new InputError(`--level: the fit in ${options.fit} has no bootstrap samples; refit with --bootstrap 1000`, 'level');
        const loss = fit.predict(inputs)[0]!;
        if (options.json) return printJson({ inputs, loss });
        process.stdout.write(table([[...fit.inputs.map((n) => inputs[n]!), loss]], [...fit.inputs, 'loss']) + '\n');
      }),
    );
}
