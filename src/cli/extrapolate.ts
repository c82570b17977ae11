import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import { learningCurve, type Goal } from '../curves/curve.js';
import { extrapolate } from '../curves/extrapolate.js';
import { readCurveCsv } from '../curves/read-curve.js';
import { action, numberOption, printJson, table } from './util.js';

interface ExtrapolateFlags {
  to: string[];
  method: string;
  goal?: string;
  x?: string;
  y?: string;
  level: string;
  threshold?: string;
  seed: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('extrapolate')
    .description('predict where a partial learning curve ends: median, central interval, P(better than a threshold)')
    .argument('<curve.csv>', 'CSV with a step column and a metric column')
    .requiredOption('--to <step...>', 'step(s) to predict, beyond the last logged step')
    .option('--method <name>', 'ensemble (Bayesian, MCMC) or fast (least squares + Laplace)', 'ensemble')
    .option('--goal <min|max>', 'whether lower or higher is better (default: guessed from the column name)')
    .option('--x <column>', 'step column (default: step, else the first)')
    .option('--y <column>', 'metric column (default: the first other column)')
    .option('--level <p>', 'central interval probability', '0.9')
    .option('--threshold <value>', 'also print P(value at each step is better than this)')
    .option('--seed <n>', 'seed of the sampler', '0')
    .option('--json', 'print the predictive as JSON')
    .action(
      action((path: string, flags: ExtrapolateFlags) => {
        const file = readCurveCsv(path, { x: flags.x, y: flags.y });
        const goal = (flags.goal ?? file.goal) as Goal;
        if (goal !== 'min' && goal !== 'max') throw new InputError(`--goal: must be min or max, got ${show(flags.goal)}`, 'goal');
        if (flags.method !== 'ensemble' && flags.method !== 'fast') throw new InputError(`--method: must be ensemble or fast, got ${show(flags.method)}`, 'method');
        const level = numberOption('level', flags.level)!;
        if (!(level > 0 && level < 1)) throw new InputError(`--level: must be in (0, 1), got ${show(level)}`, 'level');
        const to = flags.to.map((t) => numberOption('to', t)!);
        const threshold = numberOption('threshold', flags.threshold);
        const curve = learningCurve(file.steps, file.values, { goal, source: path });
        const p = extrapolate(curve, { to, method: flags.method, seed: numberOption('seed', flags.seed) });
        if (flags.json) {
          return printJson({ ...p.toJSON(), column: file.column, level, intervals: p.points.map((q) => q.interval(level)), probBetter: threshold === undefined ? undefined : p.points.map((q) => q.probBetter(threshold)) });
        }
        const pct = Math.round(level * 100);
        const header = ['step', 'mean', 'median', `${pct}% low`, `${pct}% high`, ...(threshold === undefined ? [] : [`P(${goal === 'max' ? '>' : '<'} ${threshold})`])];
        const rows = p.points.map((q) => {
          const [lo, hi] = q.interval(level);
          return [q.step, q.mean, q.median, lo, hi, ...(threshold === undefined ? [] : [q.probBetter(threshold)])];
        });
        process.stdout.write(`${path}: ${file.column} (${goal === 'max' ? 'higher' : 'lower'} is better), ${file.values.length} points, method ${p.method}\n`);
        process.stdout.write(table(rows, header) + '\n');
        const weights = Object.entries(p.weights).filter(([, w]) => w >= 0.01).sort((a, b) => b[1] - a[1]);
        if (weights.length) process.stdout.write(`weights: ${weights.map(([k, w]) => `${k} ${w.toFixed(2)}`).join(', ')}\n`);
      }),
    );
}
