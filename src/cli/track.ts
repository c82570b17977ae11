import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { InputError, show } from '../core/errors.js';
import type { Run } from '../core/run.js';
import { importTensorBoard } from '../io/import-tensorboard.js';
import { importWandb } from '../io/import-wandb.js';
import { readRuns } from '../io/read-runs.js';
import { openStore } from '../io/store.js';
import { htmlPage } from '../plot/html.js';
import { renderPNG, renderSVG } from '../plot/render.js';
import { trackChart } from '../plot/track.js';
import { readLossPrediction } from '../plan/track-prediction.js';
import { trackReport, trackRun } from '../plan/track.js';
import { action, checkOutputPath, countOption, numberOption, printJson, readInputText } from './util.js';

const FORMATS = ['auto', 'table', 'wandb', 'tensorboard', 'store'] as const;
type RunFormat = (typeof FORMATS)[number];

/** The runs in the given files: a run log (CSV / JSONL / Arrow), a W&B chart export, TensorBoard CSV downloads or a run store. */
function readRunFiles(paths: readonly string[], format: RunFormat): Run[] {
  for (const p of paths) if (!existsSync(p)) throw new InputError(`run: no such file: ${show(p)}`, 'run');
  const kind: RunFormat = format !== 'auto' ? format : statSync(paths[0]!).isDirectory() ? 'store' : paths.every((p) => /^run-.+-tag-.+\.csv$/.test(basename(p))) ? 'tensorboard' : 'table';
  if (kind === 'tensorboard') return importTensorBoard(paths);
  if (paths.length > 1) throw new InputError(`run: ${paths.length} files given; only TensorBoard downloads (run-<run>-tag-<tag>.csv) are merged`, 'run');
  if (kind === 'store') return openStore(paths[0]!).runs();
  if (kind === 'wandb') return importWandb(paths[0]!);
  return readRuns(paths[0]!);
}

export function register(program: Command): void {
  program
    .command('track')
    .description('follow a training run against its saved prediction: inside the band or not (and since when), and the rest of the curve re-extrapolated')
    .argument('<prediction>', 'a prediction written by `scalelaw plan --save-prediction` (kind "loss-prediction")')
    .argument('<run...>', 'the run so far: a log (CSV / JSONL, columns step and loss), a W&B chart export (--run-format wandb), TensorBoard CSV downloads, or a run store')
    .option('--run-format <kind>', `how to read the run: ${FORMATS.join(', ')} (--format is how scalelaw prints, as on every command)`, 'auto')
    .option('--run <id>', 'which run, when the files hold several')
    .option('--metric <name>', 'the logged loss to follow (default: evalLoss where the run has it, else trainLoss)')
    .option('--threshold <sd>', 'flag when a window of points sits this many of its standard deviations beyond the band', '5')
    .option('--resamples <n>', 'bootstrap resamples of the refit, for the forecast band', '20')
    .option('--no-forecast', 'check the band only, without refitting the rest of the curve')
    .option('--chart <file>', 'write a chart: .svg, .png, .html or .json (the Vega-Lite spec)')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (
          predictionPath: string,
          runPaths: string[],
          options: { runFormat: string; run?: string; metric?: string; threshold: string; resamples: string; forecast: boolean; chart?: string; json?: boolean },
        ) => {
          if (!FORMATS.includes(options.runFormat as RunFormat)) throw new InputError(`--run-format: must be one of ${FORMATS.join(', ')}, got ${show(options.runFormat)}`, 'run-format');
          const chartFormat = options.chart === undefined ? undefined : extname(options.chart).toLowerCase();
          if (chartFormat !== undefined && !['.svg', '.png', '.html', '.json'].includes(chartFormat))
            throw new InputError(`--chart: must end in .svg, .png, .html or .json, got ${show(options.chart)}`, 'chart');
          checkOutputPath('chart', options.chart);
          const threshold = numberOption('threshold', options.threshold, { above: 0 })!;
          const resamples = countOption('resamples', options.resamples, 0)!;
          const text = readInputText(predictionPath, 'prediction');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            throw new InputError(`prediction ${predictionPath}: not valid JSON`, 'prediction');
          }
          const prediction = readLossPrediction(json, predictionPath);
          const runs = readRunFiles(runPaths, options.runFormat as RunFormat);
          if (runs.length === 0) throw new InputError(`run: no runs in ${runPaths.join(', ')}`, 'run');
          let run = runs[0]!;
          if (options.run !== undefined) {
            const found = runs.find((r) => r.config.id === options.run || r.config.tags?.name === options.run);
            if (!found) throw new InputError(`--run: no run ${show(options.run)}; runs: ${runs.map((r) => r.config.id).join(', ')}`, 'run');
            run = found;
          } else if (runs.length > 1) throw new InputError(`--run: the files hold ${runs.length} runs (${runs.map((r) => r.config.id).join(', ')}); name one`, 'run');
          const metric = options.metric ?? (run.trajectory.some((p) => p.evalLoss !== undefined) ? 'evalLoss' : 'trainLoss');
          const points = run.trajectory.filter((p) => typeof p[metric] === 'number');
          if (points.length === 0) {
            const names = [...new Set(run.trajectory.flatMap((p) => Object.keys(p)))].join(', ');
            throw new InputError(`--metric: run ${run.config.id} logged no ${show(metric)}; it logged ${names}`, 'metric');
          }
          const observed = { steps: points.map((p) => p.step), loss: points.map((p) => p[metric] as number) };
          if (!Number.isInteger(resamples) || resamples < 0) throw new InputError(`--resamples: not a non-negative integer: ${show(options.resamples)}`, 'resamples');
          const result = trackRun(prediction, observed, { threshold, resamples, noForecast: !options.forecast });
          const report = trackReport(result);
          if (options.chart !== undefined) {
            const spec = trackChart(
              {
                prediction,
                run: observed,
                ...(result.forecast ? { forecast: result.forecast } : {}),
                ...(result.check.departure ? { departure: result.check.departure } : {}),
              },
              { title: `${run.config.id} against ${basename(predictionPath)}` },
            );
            if (chartFormat === '.json') writeFileSync(options.chart, JSON.stringify(spec, null, 2) + '\n');
            else if (chartFormat === '.svg') writeFileSync(options.chart, await renderSVG(spec));
            else if (chartFormat === '.png') writeFileSync(options.chart, await renderPNG(spec));
            else writeFileSync(options.chart, await htmlPage(`scalelaw track ${run.config.id}`, [{ heading: 'Track', pre: report, charts: [{ spec }] }]));
          }
          if (options.json) return printJson({ run: run.config.id, metric, ...result });
          process.stdout.write(report + '\n');
          if (options.chart !== undefined) process.stdout.write(`wrote ${options.chart}\n`);
        },
      ),
    );
}
