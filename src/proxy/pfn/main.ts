import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors.js';
import { trainPfn } from './train.js';

// `npm run train:pfn -- [--steps N] [--minutes M] [--until STEP] [--dir checkpoint-dir] [--out weights.json] [--seed S]`:
// trains (or resumes) the learning-curve PFN and writes the weights shipped in fits/pfn-lc.json.
// Run it niced on one thread on a shared machine: `nice -n 10 npm run train:pfn -- --minutes 30`.
const { values } = parseArgs({
  options: {
    steps: { type: 'string' },
    minutes: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    every: { type: 'string' },
    lr: { type: 'string' },
    until: { type: 'string' },
    backend: { type: 'string' },
    dir: { type: 'string' },
    out: { type: 'string' },
  },
});
const num = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InputError(`--${name}: not a number: ${JSON.stringify(v)}`, name);
  return n;
};
try {
  const record = await trainPfn({
    dir: values.dir ?? join(tmpdir(), 'scalelaw-pfn-train'),
    out: values.out ?? fileURLToPath(new URL('../../../fits/pfn-lc.json', import.meta.url)),
    steps: num('steps', values.steps),
    minutes: num('minutes', values.minutes),
    batch: num('batch', values.batch),
    seed: num('seed', values.seed),
    every: num('every', values.every),
    lr: num('lr', values.lr),
    until: num('until', values.until),
    backend: values.backend as 'wasm' | undefined,
    command: `npm run train:pfn -- ${process.argv.slice(2).join(' ')}`.trim(),
    onProgress: (m) => console.log(m),
  });
  console.log(`done: step ${record.step}/${record.steps}, ${record.curvesSeen} curves, ${record.seconds.toFixed(0)} s on ${record.backends.join(', ')}`);
} catch (error) {
  if (error instanceof InputError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
