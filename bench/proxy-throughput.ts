/**
 * Bar (c) of issue 6, TensorFlow.js side: training tokens per second of one transformer config
 * (4 layers, d 128, 4 heads, context 128, batch 32, byte vocabulary 256) on each backend that loads
 * here, median over 5 timed steps after 1 warm-up step, through the real trainer (one micro-batch,
 * no evaluation inside the timed steps). PyTorch on the same config: bench/proxy-throughput.py.
 * Reports wall time and process CPU time per step: on a shared machine CPU time is the figure
 * that survives other people's load (both backends here run on one thread).
 *
 * With --python, the PyTorch reference runs in the same invocation, alternating with the
 * TensorFlow.js runs `--repeats` times (so both see the same load), one thread each
 * (OPENBLAS_NUM_THREADS=1 too), and the ratio of medians of tokens per CPU-second is printed.
 *
 *   npx tsx bench/proxy-throughput.ts [--backends cpu,wasm] [--steps 5] [--json]
 *   npx tsx bench/proxy-throughput.ts --backends wasm --python /usr/bin/python3 --repeats 3
 *
 * For a GPU: `--model 10m` or `50m` (the 10.6M and 49M rungs of the su-1m-60m ladder, context 512,
 * vocabulary 50304, batch 16), `--device cuda` for the PyTorch side, and `--peak-flops` (the
 * GPU's dense fp32 peak in FLOP/s) to print each row's fraction of peak, from training FLOPs per
 * token (model-config.ts) x tokens per wall second:
 *
 *   npx tsx bench/proxy-throughput.ts --backends webgpu,tensorflow --model 10m --python python3 --device cuda --peak-flops 6.7e13
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { train } from '../src/proxy/trainer.js';
import { parameterCount, trainingFlopsPerToken } from '../src/proxy/model-config.js';
import type { TrainConfig } from '../src/proxy/train-config.js';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    steps: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    python: { type: 'string' },
    repeats: { type: 'string', default: '1' },
    model: { type: 'string', default: 'bench' },
    device: { type: 'string', default: 'cpu' },
    'peak-flops': { type: 'string' },
  },
});
const timed = Number(values.steps);
// The issue-6 benchmark model, and two GPU-sized rungs of the su-1m-60m ladder (ladders.ts).
const models = {
  bench: { shape: { width: 128, depth: 4, heads: 4, context: 128 }, vocab: 256, batchSize: 32 },
  '10m': { shape: { width: 384, depth: 6, heads: 6, context: 512 }, vocab: 50304, batchSize: 16 },
  '50m': { shape: { width: 640, depth: 10, heads: 10, context: 512 }, vocab: 50304, batchSize: 16 },
} as const;
const chosen = models[values.model as keyof typeof models];
if (!chosen) throw new Error(`--model: expected one of ${Object.keys(models).join(', ')}, got ${values.model}`);
const model = { family: 'transformer' as const, ...chosen.shape };
const shape = { kind: 'tokens' as const, vocab: chosen.vocab };
const batchSize = chosen.batchSize;
const tokensPerStep = batchSize * model.context;

const rows: Record<string, unknown>[] = [];
const repeats = Number(values.repeats);
const pytorch = (): Record<string, unknown> => {
  const script = new URL('proxy-throughput.py', import.meta.url).pathname;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const out = execFileSync(values.python!, [script, '--model', values.model!, '--device', values.device!, '1'], { env, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
};
for (let r = 0; r < repeats; r++)
  for (const backend of values.backends!.split(',')) {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-throughput-'));
    const config: TrainConfig = {
      model,
      batchSize,
      backend,
      microBatches: 1,
      steps: timed + 2,
      evalEvery: 1000,
      evalTokens: 128,
      lr: 1e-3,
      // 256 tokens, order 1, all successors allowed: random bytes with a little structure.
      data: { type: 'markov', vocab: 256, order: 1, branching: 16 },
    };
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    const started = last;
    try {
      const { summary } = await train(config, {
        store: dir,
        onStep: (step) => {
          const now = performance.now();
          const cpu = process.cpuUsage(lastCpu);
          // step 1 is warm-up (kernel compilation, allocation); the last step also evaluates
          if (step > 1 && step <= timed + 1) {
            times.push((now - last) / 1000);
            cpuTimes.push((cpu.user + cpu.system) / 1e6);
          }
          last = now;
          lastCpu = process.cpuUsage();
        },
      });
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      rows.push({
        backend: summary.backend,
        device: summary.device,
        steps: times.length,
        stepSeconds: median(times),
        tokensPerSecond: tokensPerStep / median(times),
        cpuSecondsPerStep: median(cpuTimes),
        tokensPerCpuSecond: tokensPerStep / median(cpuTimes),
        wallSeconds: (performance.now() - started) / 1000,
      });
    } catch (error) {
      rows.push({ backend, error: error instanceof Error ? error.message : String(error) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (!values.json) console.log(JSON.stringify(rows.at(-1)));
    if (values.python) {
      rows.push(pytorch());
      if (!values.json) console.log(JSON.stringify(rows.at(-1)));
    }
  }
const peak = values['peak-flops'] === undefined ? undefined : Number(values['peak-flops']);
if (peak !== undefined) {
  const perToken = trainingFlopsPerToken(model, shape);
  for (const row of rows) {
    if (typeof row.tokensPerSecond !== 'number') continue;
    row.fractionOfPeak = (row.tokensPerSecond * perToken) / peak;
    if (!values.json)
      console.log(
        `${String(row.backend)}: ${(row.tokensPerSecond as number).toFixed(0)} tokens/s = ${(((row.fractionOfPeak as number) * 100) as number).toFixed(2)}% of ${peak.toExponential(2)} FLOP/s`,
      );
  }
}
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary: Record<string, { runs: number; medianTokensPerCpuSecond: number }> = {};
for (const row of rows) {
  if (typeof row.tokensPerCpuSecond !== 'number') continue;
  const key = String(row.backend).startsWith('pytorch') ? 'pytorch' : String(row.backend);
  const xs = rows.filter((x) => (String(x.backend).startsWith('pytorch') ? 'pytorch' : String(x.backend)) === key).map((x) => x.tokensPerCpuSecond as number);
  summary[key] = { runs: xs.length, medianTokensPerCpuSecond: medianOf(xs) };
}
if (values.python && summary.pytorch) {
  for (const [key, s] of Object.entries(summary)) {
    if (key !== 'pytorch' && !values.json)
      console.log(
        `${key} / pytorch (1 thread), median tokens per CPU-second: ${s.medianTokensPerCpuSecond.toFixed(0)} / ${summary.pytorch.medianTokensPerCpuSecond.toFixed(0)} = ${(s.medianTokensPerCpuSecond / summary.pytorch.medianTokensPerCpuSecond).toFixed(3)}x`,
      );
  }
}
const count = parameterCount(model, shape);
const flops = trainingFlopsPerToken(model, shape);
if (values.json) console.log(JSON.stringify({ model, batchSize, params: count, flopsPerToken: flops, rows, summary }, null, 2));
else console.log(`params ${JSON.stringify(count)}; training FLOPs per token ${flops}; ${tokensPerStep} tokens per step`);
