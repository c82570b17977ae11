import { formatNumber } from '../core/format.js';
import type { Estimate, PlanRecord } from './planner.js';

/** The value with its interval; an interval with a non-finite end reads "not identified", never a number. */
export function withInterval(e: Estimate, digits = 3): string {
  const v = Number.isFinite(e.value) ? formatNumber(e.value, digits) : 'not identified';
  if (e.lower === undefined) return v;
  return Number.isFinite(e.lower) && Number.isFinite(e.upper) ? `${v}  [${formatNumber(e.lower, digits)}, ${formatNumber(e.upper!, digits)}]` : `${v}  [interval not identified]`;
}

const percent = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;

function hours(h: number): string {
  if (h < 48) return `${formatNumber(h, 3)} h`;
  return `${formatNumber(h, 3)} h (${formatNumber(h / 24, 3)} days)`;
}

/** The plan as a readable report: one block per question, then what could not be answered. */
export function planReport(plan: PlanRecord): string {
  const { budget, model, batch, learningRate, steps, schedule } = plan;
  const pct = `${Math.round(plan.level * 100)}%`;
  const scaling = plan.fits.find((f) => f.role === 'scaling')!;
  const lines: string[] = [];
  const row = (label: string, value: string, note = '') => lines.push(`  ${label.padEnd(20)}${value}${note ? `   ${note}` : ''}`);
  lines.push(`Plan for a training budget of ${formatNumber(budget.compute, 3)} FLOPs`);
  lines.push(scaling.bootstrap > 0 ? `(intervals: central ${pct}, from ${scaling.bootstrap} bootstrap resamples of ${scaling.source})` : `(no intervals: ${scaling.source} has no bootstrap)`);
  lines.push('', `Model: compute-optimal for ${scaling.law}, C = 6 N D, ${model.method}`);
  row('parameters N', withInterval(model.N));
  row('tokens D', withInterval(model.D));
  row('tokens / parameter', formatNumber(model.tokensPerParameter, 3));
  const clipped = plan.warnings.some((w) => w.startsWith('final loss interval clipped'));
  row('final loss', withInterval(model.loss, 4), `nats/token${clipped ? ' (interval clipped at the floor; see warnings)' : ''}`);
  if (model.predictive) {
    const q = model.predictive;
    row(
      'predictive interval',
      `[${formatNumber(q.lower, 4)}, ${formatNumber(q.upper, 4)}]`,
      `where a new run's loss may land: the loss within the backtest's ${pct} error quantile (${percent(q.errorQuantile)}), or the loss interval where wider`,
    );
  }
  if (plan.backtest) {
    const b = plan.backtest;
    row(
      'backtest error',
      `${percent(b.meanRelativeError)} mean relative error`,
      `${b.coverage !== undefined ? `${Math.round(b.level * 100)}% intervals covered ${percent(b.coverage)} of ` : 'over '}${b.heldOut} held-out runs (rolling backtest, below)`,
    );
  }
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings');
    for (const w of plan.warnings) lines.push(`  - ${w}`);
  }
  if (batch) {
    lines.push('', 'Batch and optimizer');
    if (batch.critical) row('critical batch', `${withInterval(batch.critical)} tokens`, `= ${formatNumber(batch.critical.value / batch.seqLen, 3)} sequences of ${batch.seqLen}`);
    row('recommended batch', `${batch.recommendedSequences} sequences x ${batch.seqLen} tokens = ${formatNumber(batch.recommended, 3)} tokens`);
    lines.push(`    source: ${batch.source}`);
  }
  if (learningRate) {
    row('peak learning rate', learningRate.lower === undefined ? formatNumber(learningRate.value, 3) : withInterval(learningRate as Estimate));
    lines.push(`    source: ${learningRate.source}`);
  }
  if (steps !== undefined) row('optimizer steps', steps.toLocaleString('en-US'), 'D / recommended batch');
  if (schedule) {
    lines.push('', 'Schedule');
    row('best schedule', schedule.best + (schedule.cooldownFraction !== undefined ? ` (cooldown ${Math.round(schedule.cooldownFraction * 100)}% of steps)` : ''));
    row('gain over cosine', `${formatNumber(schedule.gainOverCosine, 3)} nats/token`);
    for (const [name, loss] of Object.entries(schedule.predictedLoss)) row(`  ${name}`, formatNumber(loss, 5));
    lines.push(`    source: ${schedule.source}`);
    if (schedule.note) lines.push(`    note: ${schedule.note}`);
  }
  if (budget.gpuHours !== undefined) {
    lines.push('', `Time and cost (peak ${formatNumber(budget.gpuFlops!, 3)} FLOP/s per GPU at ${Math.round(budget.utilization * 100)}% utilization)`);
    row('GPU-hours', formatNumber(budget.gpuHours, 4));
    row('wall-clock', hours(budget.wallHours!), `on ${budget.gpus} GPU${budget.gpus > 1 ? 's' : ''}`);
    if (budget.cost !== undefined) row('cost', formatNumber(budget.cost, 4), `at ${budget.price} per GPU-hour`);
  }
  if (plan.backtest) {
    const b = plan.backtest;
    lines.push('', 'Backtest of the scaling fit (rolling over N: refit on the smaller models, predict the larger)');
    lines.push(`    ${b.summary}`);
    for (const c of b.cuts) {
      lines.push(
        `    fit on N <= ${formatNumber(c.trainMaxN, 3)}: predicting up to ${formatNumber(c.largestRatio, 3)}x the largest fitted, mean relative error ${percent(c.meanRelativeError)}${c.coverage !== undefined ? `, coverage ${percent(c.coverage)}` : ''}`,
      );
    }
    if (b.coverage !== undefined && b.coverage < b.level) {
      lines.push(`    the ${Math.round(b.level * 100)}% intervals covered ${percent(b.coverage)}: they are the fitted curve's spread, not a new run's loss, and too narrow to predict one`);
    }
    if (plan.range?.N) {
      const ratio = model.N.value / plan.range.N[1];
      if (ratio > 1) lines.push(`    this plan's N is ${formatNumber(ratio, 3)}x the largest fitted size`);
    }
  }
  if (plan.stability) {
    const st = plan.stability;
    lines.push('', "Stability (the proxies' learning-rate sweeps, Wortsman et al. 2023)");
    if (st.sentence) lines.push(`  ${st.sentence}`);
    else lines.push(`  no forecast at N = ${formatNumber(model.N.value, 3)}: the sweeps bracket a divergence threshold at fewer than 2 sizes`);
    if (st.mitigationSentence) lines.push(`  ${st.mitigationSentence}`);
    for (const z of st.sizes) {
      const bracket =
        z.threshold !== undefined
          ? `stable up to ${formatNumber(z.stableLr!, 3)}, diverged from ${formatNumber(z.divergedLr!, 3)}`
          : z.stableLr !== undefined
            ? `stable up to ${formatNumber(z.stableLr, 3)}, none diverged above`
            : 'no run trained';
      const growth = z.attentionGrowth !== undefined ? `; max attention logit ~ lr^${formatNumber(z.attentionGrowth, 3)}` : '';
      const seeds = z.seeds && z.seeds.length > 1 ? `, ${z.seeds.length} seeds` : '';
      const spread = z.spread !== undefined ? `; thresholds over seeds within x${formatNumber(Math.exp(z.spread), 3)} (one sd)` : '';
      lines.push(`    N ${formatNumber(z.N, 3)} (${z.runs} runs${seeds}): ${bracket}${spread}${growth}`);
    }
    for (const n of st.notes) lines.push(`    note: ${n}`);
  }
  if (plan.unanswered.length > 0) {
    lines.push('', 'Not answered');
    for (const u of plan.unanswered) lines.push(`  - ${u.item}: ${u.reason}`);
  }
  return lines.join('\n');
}
