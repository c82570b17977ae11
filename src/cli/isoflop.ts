import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import type { Run } from '../core/run.js';
import { readObservations } from '../io/read-observations.js';
import { readRuns } from '../io/read-runs.js';
import { openStore } from '../io/store.js';
import { setWarn } from '../core/warn.js';
import { isoflop, isoflopChartData, windowLabel, type IsoflopOptions, type IsoflopWindow } from '../plan/isoflop.js';
import { isoflopEnvelope, isoflopEnvelopeChartData } from '../plan/isoflop-envelope.js';
import { htmlPage } from '../plot/html.js';
import { isoflopChart, isoflopEnvelopeChart } from '../plot/isoflop.js';
import { renderPNG, renderSVG } from '../plot/render.js';
import type { VegaLiteSpec } from '../plot/spec.js';
import { action, numberOption, printJson, countOption, levelOption, checkOutputPath } from './util.js';

interface IsoflopCliOptions {
  approach: string;
  estimator?: string;
  window?: string;
  edge: string;
  weighting: string;
  bootstrap?: string;
  seed: string;
  level: string;
  metric?: string;
  points?: string;
  chart?: string;
  json?: boolean;
}

/** Parses `--window`: all, neighbours:K, factor:F or loss:T. */
export function parseWindow(text: string): IsoflopWindow {
  if (text === 'all') return 'all';
  const match = /^(neighbours|neighbors|factor|loss):(.+)$/.exec(text);
  if (!match) throw new InputError(`--window: expected all, neighbours:K, factor:F or loss:T, got ${show(text)}`, 'window');
  const value = numberOption('window', match[2])!;
  if (match[1] === 'factor') {
    if (!(value > 1)) throw new InputError(`--window: factor must be > 1, got ${show(match[2])}`, 'window');
    return { factor: value };
  }
  if (match[1] === 'loss') {
    if (!(value > 0)) throw new InputError(`--window: loss must be positive, got ${show(match[2])}`, 'window');
    return { loss: value };
  }
  if (!(Number.isInteger(value) && value >= 1)) throw new InputError(`--window: neighbours must be a whole number >= 1, got ${show(match[2])}`, 'window');
  return { neighbours: value };
}

export function register(program: Command): void {
  program
    .command('isoflop')
    .description('compute-optimal N_opt ∝ C^a and D_opt ∝ C^b from IsoFLOP profiles (Approach 2) or the envelope of training curves (Approach 1), with bootstrap intervals')
    .argument('<file>', 'Approach 2: a table of finished runs with N, D (tokens) or C (FLOPs), and loss; Approach 1: a run store or a trajectory file (run, step, tokens, loss)')
    .option('--approach <n>', '2: a parabola per budget near its minimum; 1: the envelope of training curves', '2')
    .option(
      '--estimator <e>',
      "Approach 2: each budget's minimum from akima (the minimum of a local interpolant, as Porian et al. 2024) or parabola (default: akima, parabola with --window or --weighting)",
    )
    .option(
      '--window <w>',
      'Approach 2, parabola: runs per parabola: neighbours:K (the lowest run and K sizes either side), factor:F (N within a factor F of the vertex), loss:T (loss within T of the lowest), all (default neighbours:1)',
    )
    .option('--edge <e>', 'Approach 2: budgets whose minimum is not bracketed: exclude or keep', 'exclude')
    .option('--weighting <w>', 'Approach 2, parabola: none, or inverse-variance (each budget by 1/Var of its vertex)', 'none')
    .option('--bootstrap <resamples>', 'bootstrap resamples for intervals on a and b (e.g. 1000)')
    .option('--seed <n>', 'bootstrap seed', '0')
    .option('--level <p>', 'interval level', '0.95')
    .option('--metric <name>', 'Approach 1: logged loss to use (default evalLoss where every run has it, else trainLoss)')
    .option('--points <n>', 'Approach 1: log-spaced compute values along the envelope', '250')
    .option('--chart <file>', 'write a chart: .png, .svg, .html, or .json (the Vega-Lite spec)')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (file: string, options: IsoflopCliOptions) => {
        checkOutputPath('chart', options.chart);
        if (options.approach !== '1' && options.approach !== '2') throw new InputError(`--approach: must be 1 or 2, got ${show(options.approach)}`, 'approach');
        const chartFormat = options.chart === undefined ? undefined : extname(options.chart).toLowerCase();
        if (chartFormat !== undefined && !['.png', '.svg', '.html', '.json'].includes(chartFormat)) {
          throw new InputError(`--chart: file must end in .png, .svg, .html or .json, got ${show(options.chart)}`, 'chart');
        }
        if (!existsSync(file)) throw new InputError(`${file}: no such file or directory`, 'file');
        const resamples = countOption('bootstrap', options.bootstrap, 0) ?? 0;
        const boot = { bootstrap: resamples, seed: numberOption('seed', options.seed, { integer: true })!, level: levelOption('level', options.level)! };
        // The report lists the warnings; printed once there, not also on stderr (--json keeps both).
        if (!options.json) setWarn(() => {});
        let spec: VegaLiteSpec;
        let report: string;
        let json: unknown;
        if (options.approach === '2') {
          for (const flag of ['metric'] as const) if (options[flag] !== undefined) throw new InputError(`--${flag}: applies to --approach 1 only`, flag);
          if (options.edge !== 'exclude' && options.edge !== 'keep') throw new InputError(`--edge: must be exclude or keep, got ${show(options.edge)}`, 'edge');
          if (options.weighting !== 'none' && options.weighting !== 'inverse-variance')
            throw new InputError(`--weighting: must be none or inverse-variance, got ${show(options.weighting)}`, 'weighting');
          if (statSync(file).isDirectory()) throw new InputError(`${file}: --approach 2 needs a table of finished runs (N, D or C, loss), not a directory`, 'file');
          const table = readObservations(file);
          if (options.estimator !== undefined && options.estimator !== 'akima' && options.estimator !== 'parabola')
            throw new InputError(`--estimator: must be akima or parabola, got ${show(options.estimator)}`, 'estimator');
          if (options.estimator === 'akima' && options.window !== undefined) throw new InputError('--window: applies to --estimator parabola only', 'window');
          if (options.estimator === 'akima' && options.weighting !== 'none') throw new InputError('--weighting: applies to --estimator parabola only', 'weighting');
          const settings: IsoflopOptions = { ...boot, edge: options.edge, weighting: options.weighting as IsoflopOptions['weighting'] };
          if (options.estimator !== undefined) settings.estimator = options.estimator as IsoflopOptions['estimator'];
          if (options.window !== undefined) settings.window = parseWindow(options.window);
          const result = isoflop(table, settings);
          report = result.report();
          const how = result.window ? `parabola, window ${windowLabel(result.window)}` : 'Akima interpolant';
          json = { source: file, ...result, ...(result.window ? { window: windowLabel(result.window) } : {}) };
          spec = isoflopChart(isoflopChartData(table, result), { title: `IsoFLOP profiles of ${basename(file)}: a = ${result.a.toFixed(3)} (${how})` });
        } else {
          for (const flag of ['window', 'estimator'] as const) if (options[flag] !== undefined) throw new InputError(`--${flag}: applies to --approach 2 only`, flag);
          const runs: Run[] = statSync(file).isDirectory() ? openStore(file).runs() : readRuns(file);
          const points = countOption('points', options.points, 2)!;
          const result = isoflopEnvelope(runs, { ...boot, points, ...(options.metric !== undefined ? { metric: options.metric } : {}) });
          report = result.report();
          json = { source: file, ...result };
          spec = isoflopEnvelopeChart(isoflopEnvelopeChartData(runs, result), { title: `Envelope of the training curves of ${basename(file)}: a = ${result.a.toFixed(3)}` });
        }
        if (options.chart !== undefined) {
          if (chartFormat === '.json') writeFileSync(options.chart, JSON.stringify(spec, null, 2) + '\n');
          else if (chartFormat === '.svg') writeFileSync(options.chart, await renderSVG(spec));
          else if (chartFormat === '.png') writeFileSync(options.chart, await renderPNG(spec));
          else writeFileSync(options.chart, await htmlPage(`scalelaw isoflop ${file}`, [{ heading: 'Result', pre: report, charts: [{ spec }] }]));
        }
        if (options.json) return printJson(json);
        process.stdout.write(report + '\n');
        if (options.chart !== undefined) process.stdout.write(`wrote ${options.chart}\n`);
      }),
    );
}
