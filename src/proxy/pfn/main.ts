import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors.js';
import { PFN_WEIGHTS_PATH } from '../../extrapolation/pfn.js';
import { combinePfn, trainPfn } from './train.js';

// `npm run train:pfn -- [--steps N] [--minutes M] [--until STEP] [--dir checkpoint-dir] [--out weights.json] [--seed S] [--members K]
//   [--batch B] [--lr R] [--hidden 256,256,256] [--workers W] [--backend wasm|webgpu|tensorflow|cpu|auto]`:
// trains (or resumes) the learning-curve PFN and writes the weights shipped in fits/pfn-lc.json.
// --workers W draws the prior's curves in W worker threads while the network trains (on a GPU
// backend the drawing is the bottleneck); the curves are the same for any W.
// With --members K it trains K networks from seeds S..S+K-1, one after the other, each in
// dir/member-<seed> (each resumable), and writes their ensemble to --out.
// `npm run train:pfn -- --combine a.json,b.json --out weights.json` writes the ensemble of networks
// trained before (by separate invocations, e.g. one per core, with distinct --seed).
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
    hidden: { type: 'string' },
    workers: { type: 'string' },
    dir: { type: 'string' },
    out: { type: 'string' },
    members: { type: 'string' },
    combine: { type: 'string' },
  },
});
const num = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InputError(`--${name}: not a number: ${JSON.stringify(v)}`, name);
  return n;
};
try {
  const out = values.out ?? PFN_WEIGHTS_PATH;
  const command = `npm run train:pfn -- ${process.argv.slice(2).join(' ')}`.trim();
  if (values.combine !== undefined && values.members !== undefined)
    throw new InputError(`--combine: joins networks already trained; it takes no --members (got ${JSON.stringify(values.members)})`, 'combine');
  if (values.combine !== undefined) {
    const file = combinePfn(values.combine.split(','), out, command);
    console.log(`wrote ${out}: an ensemble of ${file.members.length} networks (seeds ${file.members.map((m) => String(m.training.seed)).join(', ')})`);
  } else {
    const members = num('members', values.members);
    if (members !== undefined && !(Number.isInteger(members) && members >= 1)) throw new InputError(`--members: a whole number of networks >= 1, got ${JSON.stringify(values.members)}`, 'members');
    const dir = values.dir ?? join(tmpdir(), 'scalelaw-pfn-train');
    const first = num('seed', values.seed) ?? 0;
    const seeds = members === undefined ? [first] : Array.from({ length: members }, (_, k) => first + k);
    const files: string[] = [];
    for (const seed of seeds) {
      const memberDir = members === undefined ? dir : join(dir, `member-${seed}`);
      const memberOut = members === undefined ? out : join(memberDir, 'weights.json');
      const record = await trainPfn({
        dir: memberDir,
        out: memberOut,
        steps: num('steps', values.steps),
        minutes: num('minutes', values.minutes),
        batch: num('batch', values.batch),
        seed,
        every: num('every', values.every),
        lr: num('lr', values.lr),
        until: num('until', values.until),
        hidden: values.hidden?.split(',').map((h) => num('hidden', h)!),
        workers: num('workers', values.workers),
        backend: values.backend as 'wasm' | undefined,
        command,
        onProgress: (m) => console.log(members === undefined ? m : `seed ${seed}: ${m}`),
      });
      console.log(`done: seed ${seed}, step ${record.step}/${record.steps}, ${record.curvesSeen} curves, ${record.seconds.toFixed(0)} s on ${record.backends.join(', ')}`);
      files.push(memberOut);
      if (record.step < record.steps) break; // stopped on --minutes or --until: resume later
    }
    if (members !== undefined && members > 1 && files.length === members) {
      combinePfn(files, out, command);
      console.log(`wrote ${out}: an ensemble of ${members} networks`);
    } else if (members !== undefined && members > 1) console.log(`${files.length} of ${members} networks begun; run the same command again to go on`);
  }
} catch (error) {
  if (error instanceof InputError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
