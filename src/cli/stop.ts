import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { loadPfn } from '../extrapolation/pfn.js';
import type { Goal } from '../extrapolation/curve.js';
import { readCurveCsv } from '../extrapolation/read-curve.js';
import { readLrStepsCsv } from '../schedules/lr-steps.js';
import { stopRule } from '../stopping/by-name.js';
import { decideRuns, runDecisionsReport, type RunCurve } from '../stopping/decide-runs.js';
import type { StopRule } from '../stopping/rule.js';
import { warn } from '../core/warn.js';
import { action, numberOption, printJson, weightingFlag, countOption, checkDistinctPaths } from './util.js';

interface StopFlags {
  rule: string;
  delta?: string;
  patience?: string;
  minDelta?: string;
  alpha?: string;
  eta?: string;
  grace?: string;
  threshold?: string;
  method?: string;
  weighting?: string;
  schedule?: string;
  horizon?: string;
  pfnWeights?: string;
  goal?: string;
  y?: string;
  json?: boolean;
  watch?: string;
  interval?: string;
  idle?: string;
}

export function register(program: Command): void {
  program
    .command('stop')
    .description('which runs to stop now: apply an early-stopping rule to each curve, given the others')
    .argument('[curves...]', 'one CSV per run (step and metric columns); with --watch, the other runs of the study')
    .option('--rule <name>', 'predictive, patience, gl, pq, median, asha, overfitting or improvement', 'predictive')
    .option('--delta <p>', 'predictive: stop when P(final better than the best finished run) < delta')
    .option('--patience <n>', 'patience: points without improvement')
    .option('--min-delta <x>', 'patience: smallest improvement that counts')
    .option('--method <name>', 'predictive: fast (least squares + Laplace, the default), ensemble (Bayesian, MCMC) or pfn (prior-fitted network)')
    .option('--weighting <name>', 'predictive with --method ensemble: evidence (the default) or equal')
    .option('--pfn-weights <file>', 'predictive with --method pfn: a weights file written by npm run train:pfn (default: the shipped fits/pfn-lc.json)')
    .option('--schedule <lr.csv>', "predictive: the runs' learning-rate schedule (step and lr columns), as for extrapolate")
    .option('--alpha <x>', 'gl / pq: threshold')
    .option('--eta <x>', 'asha: reduction factor (default 3)')
    .option('--grace <points>', 'asha: points before the first rung, so no run is stopped earlier (default: ceil(points at the horizon / eta^2))')
    .option('--threshold <x>', 'improvement: stop when the predicted gain per step falls below this')
    .option('--horizon <step>', "planned last step of every run (default: the longest curve's last step)")
    .option('--goal <min|max>', 'whether lower or higher is better (default: guessed from the column name)')
    .option('--y <column>', 'metric column')
    .option('--json', 'print decisions as JSON (with --watch: one JSON line per decision)')
    .option('--watch <log.csv>', 'a run still training: re-decide each time its log grows, until the rule says stop or the run reaches the horizon')
    .option('--interval <s>', 'with --watch: seconds between looks at the log', '1')
    .option('--idle <s>', 'with --watch: give up after the log has not grown for this many seconds (exit 0)')
    .action(
      action(async (paths: string[], flags: StopFlags) => {
        if (paths.length === 0 && !flags.watch) throw new InputError('curves: give at least one CSV (or --watch <log.csv>)', 'curves');
        if (flags.method !== undefined && flags.method !== 'fast' && flags.method !== 'ensemble' && flags.method !== 'pfn')
          throw new InputError(`--method: must be fast, ensemble or pfn, got ${show(flags.method)}`, 'method');
        const weighting = weightingFlag(flags.weighting, flags.method);
        for (const [flag, value] of [
          ['--method', flags.method],
          ['--weighting', flags.weighting],
          ['--schedule', flags.schedule],
          ['--pfn-weights', flags.pfnWeights],
        ] as const) {
          if (value !== undefined && flags.rule !== 'predictive') throw new InputError(`${flag}: only the predictive rule extrapolates, not ${show(flags.rule)}`, flag.slice(2));
        }
        for (const [flag, value] of [
          ['--eta', flags.eta],
          ['--grace', flags.grace],
        ] as const) {
          if (value !== undefined && flags.rule !== 'asha') throw new InputError(`${flag}: only the asha rule has rungs, not ${show(flags.rule)}`, flag.slice(2));
        }
        if (flags.pfnWeights !== undefined && flags.method !== 'pfn')
          throw new InputError(`--pfn-weights: used by --method pfn only, not ${flags.method ?? 'fast'}; got ${show(flags.pfnWeights)}`, 'pfnWeights');
        // Read now, so a bad file is refused before any run is judged (finished runs need no prediction).
        if (flags.pfnWeights !== undefined) loadPfn(flags.pfnWeights);
        const schedule = flags.schedule ? readLrStepsCsv(flags.schedule) : undefined;
        const rule = stopRule(flags.rule, {
          extrapolate:
            flags.method === undefined && schedule === undefined
              ? undefined
              : {
                  method: (flags.method ?? 'fast') as 'fast' | 'ensemble' | 'pfn',
                  weighting,
                  schedule,
                  pfnWeights: flags.pfnWeights,
                },
          delta: numberOption('delta', flags.delta),
          patience: countOption('patience', flags.patience),
          minDelta: numberOption('min-delta', flags.minDelta, { min: 0 }),
          alpha: numberOption('alpha', flags.alpha),
          eta: numberOption('eta', flags.eta, { above: 1 }),
          grace: countOption('grace', flags.grace),
          threshold: numberOption('threshold', flags.threshold),
        });
        checkDistinctPaths('curves', paths);
        const files = paths.map((p) => readCurveCsv(p, { y: flags.y }));
        if (flags.watch) return watchLog(flags.watch, files, rule, flags);
        const goal = (flags.goal ?? files[0]!.goal) as Goal;
        if (goal !== 'min' && goal !== 'max') throw new InputError(`--goal: must be min or max, got ${show(flags.goal)}`, 'goal');
        const runs = files.map((f) => asRun(f, goal));
        const result = decideRuns(runs, rule, { goal, horizon: numberOption('horizon', flags.horizon, { above: 0 }) });
        if (flags.json) {
          const { horizon, bestFinal } = result;
          return printJson({ rule: result.rule, horizon, bestFinal, decisions: result.decisions.map(({ id, stop, reason }) => ({ path: id, stop, reason })) });
        }
        process.stdout.write(runDecisionsReport(result) + '\n');
      }),
    );
}

type CurveFile = ReturnType<typeof readCurveCsv>;

function asRun(f: CurveFile, goal: Goal): RunCurve {
  return { id: f.path, steps: f.steps, values: f.values, range: goal === 'max' && /acc/i.test(f.column) ? ([0, 1] as const) : undefined };
}

/**
 * `--watch`: polls the log every `--interval` seconds; each time it has grown, reads it (a half-written
 * last line is skipped until the next look), decides with the other runs as the study, and prints
 * one line. Returns when the rule says stop, when the run reaches the horizon, or after `--idle`
 * seconds without growth.
 */
async function watchLog(path: string, others: CurveFile[], rule: StopRule, flags: StopFlags): Promise<void> {
  const interval = numberOption('interval', flags.interval)!;
  if (!(interval > 0)) throw new InputError(`--interval: must be a positive number of seconds, got ${show(flags.interval)}`, 'interval');
  const idle = numberOption('idle', flags.idle) ?? Infinity;
  if (!(idle > 0)) throw new InputError(`--idle: must be a positive number of seconds, got ${show(flags.idle)}`, 'idle');
  const horizonFlag = numberOption('horizon', flags.horizon);
  if (horizonFlag === undefined && others.length === 0) throw new InputError('--horizon: give the planned last step when --watch has no other runs to take it from', 'horizon');
  const horizon = horizonFlag ?? Math.max(...others.map((f) => f.steps[f.steps.length - 1]!));
  let seen = '';
  let lastStep = -Infinity;
  let grew = Date.now();
  for (;;) {
    let stamp = '';
    try {
      const st = statSync(path);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      stamp = '';
    }
    if (stamp && stamp !== seen) {
      seen = stamp;
      grew = Date.now();
      let file: CurveFile | undefined;
      try {
        file = readCurveCsv(path, { y: flags.y });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        warn(`${path}: ${error.message}; waiting for the log to grow`);
      }
      const step = file ? file.steps[file.steps.length - 1]! : undefined;
      if (file && step !== undefined && step > lastStep) {
        lastStep = step;
        const goal = (flags.goal ?? others[0]?.goal ?? file.goal) as Goal;
        if (goal !== 'min' && goal !== 'max') throw new InputError(`--goal: must be min or max, got ${show(flags.goal)}`, 'goal');
        const runs = [...others.map((f) => asRun(f, goal)), asRun(file, goal)];
        const result = decideRuns(runs, rule, { goal, horizon });
        const d = result.decisions[result.decisions.length - 1]!;
        const done = step >= horizon;
        if (flags.json) process.stdout.write(JSON.stringify({ path, step, points: file.values.length, stop: d.stop, reason: d.reason, bestFinal: result.bestFinal }) + '\n');
        else process.stdout.write(`${path} step ${step}: ${d.stop ? 'STOP' : done ? 'finished' : 'continue'} (${d.reason})\n`);
        if (d.stop || done) return;
      }
    }
    if ((Date.now() - grew) / 1000 >= idle) {
      if (!flags.json) process.stdout.write(`${path}: no growth for ${idle} s; stopped watching\n`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, interval * 1000));
  }
}
