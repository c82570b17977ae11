import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { learningCurve, type Goal } from '../extrapolation/curve.js';
import { extrapolate } from '../extrapolation/extrapolate.js';
import { learnCorrection } from '../extrapolation/learned.js';
import { predictiveReport, type PointPredictive } from '../extrapolation/predictive.js';
import { readCurveCsv, readCurvesCsv } from '../extrapolation/read-curve.js';
import { readLrStepsCsv } from '../schedules/lr-steps.js';
import { action, numberOption, printJson, table, weightingFlag, levelOption } from './util.js';

interface ExtrapolateFlags {
  to: string[];
  method: string;
  weighting?: string;
  schedule?: string;
  horizon?: string;
  pfnWeights?: string;
  goal?: string;
  x?: string;
  y?: string;
  level: string;
  threshold?: string;
  finished?: string;
  seed: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('extrapolate')
    .description('predict where a partial learning curve ends: median, central interval, P(better than a threshold)')
    .argument('<curve.csv>', 'CSV with a step column and a metric column')
    .requiredOption('--to <step...>', 'step(s) to predict, beyond the last logged step')
    .option('--method <name>', 'ensemble (Bayesian, MCMC), fast (least squares + Laplace) or pfn (prior-fitted network, one forward pass)', 'ensemble')
    .option('--weighting <name>', 'how the ensemble weights its families: evidence (Schwarz, the default) or equal')
    .option('--schedule <lr.csv>', "the run's learning-rate schedule (a step column and an lr column; the rate from each step on): fit over the area under the rate, with a jump at each drop")
    .option('--horizon <step>', 'the step the run is planned to end at (where its learning-rate schedule ends), for --method pfn: it judges by it whether a drop or a decay may still come')
    .option('--pfn-weights <file>', 'for --method pfn: a weights file written by npm run train:pfn (default: the shipped fits/pfn-lc.json)')
    .option('--goal <min|max>', 'whether lower or higher is better (default: guessed from the column name)')
    .option('--x <column>', 'step column (default: step, else the first)')
    .option('--y <column>', 'metric column (default: the first other column)')
    .option('--level <p>', 'central interval probability', '0.9')
    .option('--threshold <value>', 'also print P(value at each step is better than this)')
    .option(
      '--finished <runs.csv>',
      "finished runs of the same search (the step column, then one column per run): learn a correction from them (Baker et al. 2017) and predict this run's value at their last step",
    )
    .option('--seed <n>', 'seed of the sampler', '0')
    .option('--json', 'print the predictive as JSON')
    .action(
      action((path: string, flags: ExtrapolateFlags) => {
        const file = readCurveCsv(path, { x: flags.x, y: flags.y });
        const goal = (flags.goal ?? file.goal) as Goal;
        if (goal !== 'min' && goal !== 'max') throw new InputError(`--goal: must be min or max, got ${show(flags.goal)}`, 'goal');
        if (flags.method !== 'ensemble' && flags.method !== 'fast' && flags.method !== 'pfn') throw new InputError(`--method: must be ensemble, fast or pfn, got ${show(flags.method)}`, 'method');
        const weighting = weightingFlag(flags.weighting, flags.method);
        const level = levelOption('level', flags.level)!;
        if (!(level > 0 && level < 1)) throw new InputError(`--level: must be in (0, 1), got ${show(level)}`, 'level');
        const to = flags.to.map((t) => numberOption('to', t)!);
        const threshold = numberOption('threshold', flags.threshold);
        const seed = numberOption('seed', flags.seed, { integer: true })!;
        if (flags.finished && weighting !== undefined)
          throw new InputError('--weighting: applies to the ensemble alone; the correction learned with --finished uses the default weighting', 'weighting');
        if (flags.finished && flags.schedule) throw new InputError('--schedule: not used with --finished (the correction learns from the finished runs instead)', 'schedule');
        if (flags.method === 'pfn' && flags.finished) throw new InputError('--finished: the learned correction is built on ensemble or fast; the pfn needs no finished runs', 'finished');
        if (flags.method === 'pfn' && flags.schedule)
          throw new InputError("--schedule: not used by --method pfn (its prior draws the schedule; give the run's planned end with --horizon)", 'schedule');
        const horizon = numberOption('horizon', flags.horizon);
        if (horizon !== undefined && flags.method !== 'pfn') throw new InputError(`--horizon: used by --method pfn only, not ${flags.method}; got ${show(flags.horizon)}`, 'horizon');
        if (flags.pfnWeights !== undefined && flags.method !== 'pfn')
          throw new InputError(`--pfn-weights: used by --method pfn only, not ${flags.method}; got ${show(flags.pfnWeights)}`, 'pfnWeights');
        if (flags.finished) return printLearned(path, file, flags, { goal, level, to, threshold, seed, method: flags.method as 'ensemble' | 'fast' });
        // As `stop` does: an accuracy column is kept in [0, 1] (the pfn also reads its headroom).
        const range = goal === 'max' && /acc/i.test(file.column) ? ([0, 1] as const) : undefined;
        const curve = learningCurve(file.steps, file.values, { goal, source: path, range: flags.method === 'pfn' ? range : undefined });
        const schedule = flags.schedule ? readLrStepsCsv(flags.schedule) : undefined;
        const p = extrapolate(curve, { to, method: flags.method as 'ensemble' | 'fast' | 'pfn', weighting, seed, schedule, horizon, pfnWeights: flags.pfnWeights });
        if (flags.json) {
          return printJson({
            ...p.toJSON(),
            column: file.column,
            level,
            intervals: p.points.map((q) => q.interval(level)),
            probBetter: threshold === undefined ? undefined : p.points.map((q) => q.probBetter(threshold)),
          });
        }
        process.stdout.write(`${path}: ${file.column} (${goal === 'max' ? 'higher' : 'lower'} is better), ${file.values.length} points, method ${p.method}\n`);
        process.stdout.write(predictiveReport(p, { level, threshold }) + '\n');
      }),
    );
}

/** `--finished`: the final value predicted by a correction learned from the search's finished runs. */
function printLearned(
  path: string,
  file: ReturnType<typeof readCurveCsv>,
  flags: ExtrapolateFlags,
  o: { goal: Goal; level: number; to: number[]; threshold: number | undefined; seed: number; method: 'ensemble' | 'fast' },
): void {
  const runs = readCurvesCsv(flags.finished!, { x: flags.x });
  const last = runs.steps[runs.steps.length - 1]!;
  if (o.to.length !== 1 || o.to[0] !== last) {
    throw new InputError(`--to: with --finished the prediction is for the finished runs' last step, ${last}; got ${o.to.join(' ')}`, 'to');
  }
  const m = file.steps.length;
  if (m >= runs.steps.length || file.steps.some((step, k) => step !== runs.steps[k])) {
    throw new InputError(
      `${path}: its steps must be the first steps of ${flags.finished} (${runs.steps.slice(0, Math.min(m, 5)).join(', ')}${m > 5 ? ', ...' : ''}), fewer than all ${runs.steps.length}`,
      'steps',
    );
  }
  const correction = learnCorrection(
    runs.columns.map((c) => c.values),
    { seen: m, goal: o.goal, method: o.method, seed: o.seed },
  );
  const q: PointPredictive = correction.predict(file.values, o.seed);
  const [lo, hi] = q.interval(o.level);
  const probBetter = o.threshold === undefined ? undefined : q.probBetter(o.threshold);
  if (flags.json) {
    return printJson({
      step: last,
      goal: o.goal,
      column: file.column,
      method: `${o.method}+learned`,
      finishedRuns: runs.columns.length,
      mean: q.mean,
      median: q.median,
      level: o.level,
      interval: [lo, hi],
      probBetter,
      correction: correction.toJSON(),
    });
  }
  const pct = Math.round(o.level * 100);
  const header = ['step', 'mean', 'median', `${pct}% low`, `${pct}% high`, ...(probBetter === undefined ? [] : [`P(${o.goal === 'max' ? '>' : '<'} ${o.threshold})`])];
  process.stdout.write(
    `${path}: ${file.column} (${o.goal === 'max' ? 'higher' : 'lower'} is better), ${m} points, method ${o.method} corrected by ${runs.columns.length} finished runs (${flags.finished})\n`,
  );
  process.stdout.write(table([[last, q.mean, q.median, lo, hi, ...(probBetter === undefined ? [] : [probBetter])]], header) + '\n');
}
