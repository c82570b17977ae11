import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import type { Goal } from '../extrapolation/curve.js';
import { readCurveCsv } from '../extrapolation/read-curve.js';
import { readLrStepsCsv } from '../schedules/lr-steps.js';
import { stopRule } from '../stopping/by-name.js';
import { decideRuns, runDecisionsReport } from '../stopping/decide-runs.js';
import { action, numberOption, printJson, weightingFlag, countOption, checkDistinctPaths } from './util.js';

interface StopFlags {
  rule: string;
  delta?: string;
  patience?: string;
  minDelta?: string;
  alpha?: string;
  eta?: string;
  threshold?: string;
  method?: string;
  weighting?: string;
  schedule?: string;
  horizon?: string;
  goal?: string;
  y?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('stop')
    .description('which runs to stop now: apply an early-stopping rule to each curve, given the others')
    .argument('<curves...>', 'one CSV per run (step and metric columns)')
    .option('--rule <name>', 'predictive, patience, gl, pq, median, asha, overfitting or improvement', 'predictive')
    .option('--delta <p>', 'predictive: stop when P(final better than the best finished run) < delta')
    .option('--patience <n>', 'patience: points without improvement')
    .option('--min-delta <x>', 'patience: smallest improvement that counts')
    .option('--method <name>', 'predictive: fast (least squares + Laplace, the default) or ensemble (Bayesian, MCMC)')
    .option('--weighting <name>', 'predictive with --method ensemble: evidence (the default) or equal')
    .option('--schedule <lr.csv>', "predictive: the runs' learning-rate schedule (step and lr columns), as for extrapolate")
    .option('--alpha <x>', 'gl / pq: threshold')
    .option('--eta <x>', 'asha: reduction factor')
    .option('--threshold <x>', 'improvement: stop when the predicted gain per step falls below this')
    .option('--horizon <step>', "planned last step of every run (default: the longest curve's last step)")
    .option('--goal <min|max>', 'whether lower or higher is better (default: guessed from the column name)')
    .option('--y <column>', 'metric column')
    .option('--json', 'print decisions as JSON')
    .action(
      action((paths: string[], flags: StopFlags) => {
        if (flags.method !== undefined && flags.method !== 'fast' && flags.method !== 'ensemble') throw new InputError(`--method: must be fast or ensemble, got ${show(flags.method)}`, 'method');
        const weighting = weightingFlag(flags.weighting, flags.method);
        for (const [flag, value] of [
          ['--method', flags.method],
          ['--weighting', flags.weighting],
          ['--schedule', flags.schedule],
        ] as const) {
          if (value !== undefined && flags.rule !== 'predictive') throw new InputError(`${flag}: only the predictive rule extrapolates, not ${show(flags.rule)}`, flag.slice(2));
        }
        const schedule = flags.schedule ? readLrStepsCsv(flags.schedule) : undefined;
        const rule = stopRule(flags.rule, {
          extrapolate:
            flags.method === undefined && schedule === undefined
              ? undefined
              : {
                  method: (flags.method ?? 'fast') as 'fast' | 'ensemble',
                  weighting,
                  schedule,
                },
          delta: numberOption('delta', flags.delta),
          patience: countOption('patience', flags.patience),
          minDelta: numberOption('min-delta', flags.minDelta, { min: 0 }),
          alpha: numberOption('alpha', flags.alpha),
          eta: numberOption('eta', flags.eta),
          threshold: numberOption('threshold', flags.threshold),
        });
        checkDistinctPaths('curves', paths);
        const files = paths.map((p) => readCurveCsv(p, { y: flags.y }));
        const goal = (flags.goal ?? files[0]!.goal) as Goal;
        if (goal !== 'min' && goal !== 'max') throw new InputError(`--goal: must be min or max, got ${show(flags.goal)}`, 'goal');
        const runs = files.map((f) => ({ id: f.path, steps: f.steps, values: f.values, range: goal === 'max' && /acc/i.test(f.column) ? ([0, 1] as const) : undefined }));
        const result = decideRuns(runs, rule, { goal, horizon: numberOption('horizon', flags.horizon, { above: 0 }) });
        if (flags.json) {
          const { horizon, bestFinal } = result;
          return printJson({ rule: result.rule, horizon, bestFinal, decisions: result.decisions.map(({ id, stop, reason }) => ({ path: id, stop, reason })) });
        }
        process.stdout.write(runDecisionsReport(result) + '\n');
      }),
    );
}
