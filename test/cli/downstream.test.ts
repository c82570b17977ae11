// `scalelaw downstream`: the two-step prediction (Bhagia et al. 2024) from a table of ladder evaluations.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { chinchillaOptimal } from '../../src/plan/optimal.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-downstream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Known truth: per task, task loss L = E + A / N^alpha + B / D^beta and Acc = a / (1 + exp(-k (L - L0))) + b.
const TRUTH = {
  easy: { E: 0.5, A: 30, alpha: 0.25, B: 200, beta: 0.3, a: -0.75, L0: 1.0, k: 6, b: 1 },
  hard: { E: 0.7, A: 40, alpha: 0.28, B: 300, beta: 0.32, a: -0.7, L0: 0.95, k: 5, b: 1 },
};
type Truth = (typeof TRUTH)['easy'];
const taskLoss = (t: Truth, N: number, D: number) => t.E + t.A / N ** t.alpha + t.B / D ** t.beta;
const accuracy = (t: Truth, L: number) => t.a / (1 + Math.exp(-t.k * (L - t.L0))) + t.b;

// 15 runs (5 sizes x 3 token budgets), 20 checkpoints each, with small seeded noise; one row per task evaluation.
const rows: { run: string; N: number; tokens: number; task: string; task_loss: number; accuracy: number }[] = [];
{
  const random = rng(7);
  const noise = (sd: number) => sd * random.normal();
  for (const N of [2e7, 5e7, 1e8, 2e8, 4e8])
    for (const f of [10, 20, 40])
      for (let k = 1; k <= 20; k++) {
        const D = (f * N * k) / 20;
        for (const [task, t] of Object.entries(TRUTH)) {
          const L = taskLoss(t, N, D) * (1 + noise(0.002));
          rows.push({ run: `${N}-${f}x`, N, tokens: D, task, task_loss: L, accuracy: Math.min(1, Math.max(0, accuracy(t, L) + noise(0.003))) });
        }
      }
}
const csv = join(dir, 'ladder.csv');
writeFileSync(csv, ['run,N,tokens,task,task_loss,accuracy', ...rows.map((r) => `${r.run},${r.N},${r.tokens},${r.task},${r.task_loss},${r.accuracy}`)].join('\n') + '\n');
const jsonl = join(dir, 'ladder.jsonl');
writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const target = { N: 8e9, D: 1.6e11 };
const json = (stdout: string) =>
  JSON.parse(stdout) as {
    tasks: {
      task: string;
      target: { N: number; D: number; C: number; split: string };
      accuracy: { value: number; lower?: number; upper?: number };
      warnings: string[];
      step1: { params: { name: string; value: number }[] };
    }[];
  };

describe('scalelaw downstream on a synthetic ladder with known truth', () => {
  const r = runCli(['downstream', csv, '--n', `${target.N}`, '--d', `${target.D}`, '--smooth', '1', '--bootstrap', '100', '--json']);
  // Measured on this seed: easy 0.8903 against 0.9003 (step 1 trades E against alpha on 15 runs, and
  // its 90% interval [0.8823, 0.8998] ends just below the truth: the bootstrap over 15 runs is
  // narrower than the extrapolation's error), hard 0.7417 against 0.7395, inside [0.7265, 0.7611].
  // So the test asserts the error, not coverage.
  it('predicts each task at 20x the largest proxy within 0.015 of the truth, with an interval about it', () => {
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    expect(out.tasks.map((t) => t.task)).toEqual(['easy', 'hard']);
    for (const t of out.tasks) {
      const truth = accuracy(TRUTH[t.task as 'easy'], taskLoss(TRUTH[t.task as 'easy'], target.N, target.D));
      expect(Math.abs(t.accuracy.value - truth), t.task).toBeLessThan(0.015);
      expect(t.accuracy.lower!, t.task).toBeLessThan(t.accuracy.value);
      expect(t.accuracy.upper!, t.task).toBeGreaterThan(t.accuracy.value);
      expect(t.accuracy.upper! - t.accuracy.lower!, t.task).toBeLessThan(0.05);
      expect(t.warnings.join('\n')).toMatch(/N = 8\.00e9 is 20x the largest proxy's/);
    }
  });
  it('reads the same table as JSON lines', () => {
    const a = runCli(['downstream', csv, '--n', `${target.N}`, '--d', `${target.D}`, '--bootstrap', '0', '--json']);
    const b = runCli(['downstream', jsonl, '--n', `${target.N}`, '--d', `${target.D}`, '--bootstrap', '0', '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(json(b.stdout).tasks.map((t) => t.accuracy.value)).toEqual(json(a.stdout).tasks.map((t) => t.accuracy.value));
  });
  it('reads a table of finished runs without a run column: every row a run, each its own checkpoint', () => {
    const finals = join(dir, 'finals.csv');
    const last = rows.filter((r) => Math.abs(r.tokens / r.N - Number(r.run.split('-')[1]!.replace('x', ''))) < 1e-9);
    writeFileSync(finals, ['params,tokens,task,task_loss,accuracy', ...last.map((r) => `${r.N},${r.tokens},${r.task},${r.task_loss},${r.accuracy}`)].join('\n') + '\n');
    const f = runCli(['downstream', finals, '--n', `${target.N}`, '--d', `${target.D}`, '--task', 'hard', '--bootstrap', '0', '--json']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stderr).toContain('no run column: every row is a finished run of its own');
    const t = JSON.parse(f.stdout).tasks[0];
    expect([t.runs, t.checkpoints]).toEqual([15, 15]);
    expect(Math.abs(t.accuracy.value - accuracy(TRUTH.hard, taskLoss(TRUTH.hard, target.N, target.D)))).toBeLessThan(0.03);
  });
  it('with --c alone, predicts at the compute-optimal split of each task loss', () => {
    const c = runCli(['downstream', csv, '--c', '1e21', '--task', 'easy', '--bootstrap', '0', '--json']);
    expect(c.code, c.stderr).toBe(0);
    const t = json(c.stdout).tasks[0]!;
    const v = Object.fromEntries(t.step1.params.map((p) => [p.name, p.value]));
    const opt = chinchillaOptimal({ A: v.A!, B: v.B!, E: v.E!, alpha: v.alpha!, beta: v.beta! }, 1e21);
    expect(t.target.split).toBe('compute-optimal');
    expect(t.target.N).toBeCloseTo(opt.N, -3);
    expect(6 * t.target.N * t.target.D).toBeCloseTo(1e21, -12);
    expect(t.warnings.join('\n')).toMatch(/compute-optimal split/);
  });
  it('warns when the target lies where the sigmoid saturates', () => {
    // A model far below the ladder: its task loss puts it at chance, where accuracy says nothing about size.
    const s = runCli(['downstream', csv, '--n', '1e6', '--d', '1e7', '--task', 'easy', '--bootstrap', '0', '--json']);
    expect(s.code, s.stderr).toBe(0);
    const warnings = json(s.stdout).tasks[0]!.warnings.join('\n');
    expect(warnings).toMatch(/the sigmoid saturates: at task loss \S+ the prediction is within \S+% of chance level b \+ a = 0\.2/);
    expect(warnings).toMatch(/N = 1\.00e6 is below the smallest proxy's 2\.00e7 by more than 10x/);
  });
  it('prints its tables as CSV with --format csv, and writes a chart', () => {
    const chart = join(dir, 'downstream.svg');
    const f = runCli(['--format', 'csv', 'downstream', csv, '--n', '1e9', '--d', '2e10', '--bootstrap', '20', '--chart', chart]);
    expect(f.code, f.stderr).toBe(0);
    const lines = f.stdout.trim().split('\n');
    expect(lines[0]).toBe('task,runs,checkpoints,task loss,90% interval,accuracy,90% interval');
    expect(lines[1]).toMatch(/^easy,15,270,/);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toContain('step 2: accuracy from task loss');
    expect(svg).toContain('training compute C = 6ND (FLOPs)');
  });
});

describe('scalelaw downstream on the bundled OLMo ladder (wide layout, data/olmo-ladder)', () => {
  // Bhagia et al.'s protocol is the command's default (skip 10%, moving average of 5, ideal point):
  // the released predictions for OLMo 2 13B-5T (chained_main.csv) within the reproduction's
  // tolerance, |ours - published| / actual <= 5e-4 (src/reproductions/olmo-ladder.ts).
  const published = [
    { task: 'hellaswag_val', predicted: 0.8530359563499285, actual: 0.831905996799469 },
    { task: 'arc_easy_test', predicted: 0.7724156000459201, actual: 0.8717171669006347 },
  ];
  it("gives the paper's predictions, warns that it extrapolates, and leaves out the target's and reruns' rows", () => {
    const r = runCli(['downstream', 'data/olmo-ladder/ladder.csv', '--n', '13202396160', '--d', '5000088518656', '--task', ...published.map((p) => p.task), '--bootstrap', '0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    for (const [i, p] of published.entries()) {
      const t = out.tasks[i]!;
      expect(t.task.startsWith(p.task)).toBe(true);
      expect(Math.abs(t.accuracy.value - p.predicted) / p.actual, t.task).toBeLessThanOrEqual(5e-4);
      expect(t.warnings.join('\n')).toMatch(/step 2 extrapolates the sigmoid/);
    }
    expect(r.stderr).toMatch(/left out 447 rows of mode "rerun", 12 rows of mode "eval"/);
  });
  it("gives the paper's MMLU prediction from its four parts, weighted as the paper weights them", () => {
    const combine = 'mmlu=mmlu_stem:0.215,mmlu_humanities:0.335,mmlu_social_sciences:0.219,mmlu_other:0.231';
    const r = runCli(['downstream', 'data/olmo-ladder/ladder.csv', '--n', '13202396160', '--d', '5000088518656', '--combine', combine, '--task', 'mmlu', '--bootstrap', '0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const t = json(r.stdout).tasks[0]!;
    expect(t.task).toBe('mmlu');
    expect(Math.abs(t.accuracy.value - 0.5126799915287485) / 0.5161402368605137).toBeLessThanOrEqual(5e-4);
  });
});
