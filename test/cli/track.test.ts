import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { savedFit, values } from '../plan/published-25m-fit.js';
import { rng } from '../../src/core/rng.js';

describe('scalelaw plan --save-prediction and scalelaw track', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalelaw-track-'));
  const jitter = rng(1);
  const curveFit = join(dir, 'curve-fit.json');
  writeFileSync(curveFit, JSON.stringify(savedFit(Array.from({ length: 50 }, () => values.map((v) => v * (1 + 0.005 * jitter.normal()))))));
  const predictionPath = join(dir, 'prediction.json');

  it('saves the predicted curve of the planned schedule, and flags a run that leaves its band', () => {
    const planned = runCli(['plan', '--compute', '1e19', '--fit', 'fits/chinchilla-epoch2024.json', '--fit', curveFit, '--no-backtest', '--save-prediction', predictionPath, '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout);
    const prediction = JSON.parse(readFileSync(predictionPath, 'utf8'));
    expect(prediction.kind).toBe('loss-prediction');
    expect(prediction.version).toBe(1);
    expect(prediction.schedule.steps).toBe(plan.steps);
    expect(prediction.steps[prediction.steps.length - 1]).toBe(plan.steps - 1);
    expect(prediction.lower.length).toBe(prediction.steps.length);

    // The run: the predicted curve with noise, jumping 0.1 above it at 60% of the run.
    const g = rng(2);
    const jump = Math.round(0.6 * plan.steps);
    const rows = prediction.steps.map((s: number, i: number) => `${s},${prediction.loss[i] + 0.01 * g.normal() + (s >= jump ? 0.1 : 0)}`);
    const runPath = join(dir, 'run.csv');
    writeFileSync(runPath, 'step,train_loss\n' + rows.join('\n') + '\n');
    const chart = join(dir, 'track.json');
    const tracked = runCli(['track', predictionPath, runPath, '--resamples', '4', '--chart', chart, '--json']);
    expect(tracked.code, tracked.stderr).toBe(0);
    const t = JSON.parse(tracked.stdout);
    expect(t.metric).toBe('trainLoss');
    expect(t.check.departure.direction).toBe('above');
    expect(t.check.departure.step).toBeGreaterThanOrEqual(jump);
    expect(t.check.departure.step - jump).toBeLessThan(0.05 * plan.steps);
    expect(t.forecast.final).toBeGreaterThan(prediction.final);
    const spec = JSON.parse(readFileSync(chart, 'utf8'));
    expect(spec.layer.length).toBeGreaterThanOrEqual(5);

    const text = runCli(['track', predictionPath, runPath, '--no-forecast']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('DEPARTURE: flagged at step');
  });

  it('reads a W&B chart export, picking the run by name', () => {
    const prediction = JSON.parse(readFileSync(predictionPath, 'utf8'));
    const g = rng(3);
    const wandb = join(dir, 'wandb.csv');
    const rows = prediction.steps.map((s: number, i: number) => `${s},${prediction.loss[i] + 0.01 * g.normal()},${prediction.loss[i] + 0.2}`);
    writeFileSync(wandb, '"Step","planned run - train/loss","other - train/loss"\n' + rows.join('\n') + '\n');
    const several = runCli(['track', predictionPath, wandb, '--run-format', 'wandb', '--no-forecast']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('--run: the files hold 2 runs (planned_run, other); name one');
    const tracked = runCli(['track', predictionPath, wandb, '--run-format', 'wandb', '--run', 'planned run', '--no-forecast', '--json']);
    expect(tracked.code, tracked.stderr).toBe(0);
    const t = JSON.parse(tracked.stdout);
    expect(t.run).toBe('planned_run');
    expect(t.check.now).toBe('in band');
    expect(t.check.departure).toBeUndefined();
  });

  it('exits 2 with a one-line message on bad input', () => {
    const notPrediction = runCli(['track', curveFit, join(dir, 'run.csv')]);
    expect(notPrediction.code).toBe(2);
    expect(notPrediction.stderr).toContain(`${curveFit}: kind: expected "loss-prediction" (written by \`scalelaw plan --save-prediction\`): "curve-fit"`);
    const metric = runCli(['track', predictionPath, join(dir, 'run.csv'), '--metric', 'evalLoss']);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toContain('--metric: run run logged no "evalLoss"; it logged step, trainLoss');
    const noCurve = runCli(['plan', '--compute', '1e19', '--no-backtest', '--save-prediction', join(dir, 'x.json')]);
    expect(noCurve.code).toBe(2);
    expect(noCurve.stderr).toContain('--save-prediction: needs a loss-curve fit (kind "curve-fit", from `scalelaw curve fit --resamples`) among --fit');
  });
});
