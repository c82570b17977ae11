// Every command x every category of bad input (issue 19): exit 2 and one line on stderr that names
// the field and the value, or, where the input is legal but the answer an extrapolation, a warning.
// The table runs the CLI in this process (runCli) so that ~300 cases take seconds, not a spawn each;
// the broken-pipe rows spawn the real binary, since EPIPE handling lives in src/cli/main.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { resetWarnings } from '../../src/core/warn.js';
import { loadFit } from '../../src/fit/load.js';
import type { CurveFit } from '../../src/fit/result.js';
import { lossPrediction, plannedSchedule } from '../../src/plan/track-prediction.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scalelaw-bad-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const write = (name: string, text: string) => {
  writeFileSync(at(name), text);
  return at(name);
};

// ---- fixtures: one good file of each kind, and its broken variants ----
const obsRows = ['N,D,loss'];
for (const n of [1e7, 3e7, 1e8, 3e8]) for (const d of [1e9, 3e9, 1e10]) obsRows.push(`${n},${d},${(1.7 + 400 / n ** 0.34 + 1000 / d ** 0.3).toFixed(5)}`);
const obs = write('obs.csv', obsRows.join('\n') + '\n');
const curveRows = ['step,loss'];
for (let s = 100; s <= 6000; s += 100) curveRows.push(`${s},${(2 + 5 / s ** 0.3).toFixed(5)}`);
const curve = write('curve.csv', curveRows.join('\n') + '\n');
const curve2 = write('curve2.csv', curveRows.map((r, i) => (i === 0 ? r : r.replace(/,(.*)$/, (_, v) => `,${(Number(v) + 0.05).toFixed(5)}`))).join('\n') + '\n');
const swapped = [...curveRows];
[swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
const F = {
  missing: at('nope.csv'),
  folder: (mkdirSync(at('folder')), at('folder')),
  empty: write('empty.csv', ''),
  obsHeader: write('obs-header.csv', 'N,D,loss\n'),
  obsNaN: write('obs-nan.csv', obsRows.map((r, i) => (i === 3 ? '1e7,1e10,NaN' : r)).join('\n') + '\n'),
  obsNegative: write('obs-neg.csv', obsRows.map((r, i) => (i === 3 ? '-1e7,1e10,3.1' : r)).join('\n') + '\n'),
  obsText: write('obs-text.csv', obsRows.map((r, i) => (i === 3 ? '1e7,1e10,abc' : r)).join('\n') + '\n'),
  obsNoLoss: write('obs-noloss.csv', obsRows.map((r) => r.replace(/,[^,]*$/, '')).join('\n') + '\n'),
  curveHeader: write('curve-header.csv', 'step,loss\n'),
  curveNaN: write('curve-nan.csv', curveRows.map((r, i) => (i === 4 ? '400,NaN' : r)).join('\n') + '\n'),
  curveInf: write('curve-inf.csv', curveRows.map((r, i) => (i === 4 ? '400,Infinity' : r)).join('\n') + '\n'),
  curveText: write('curve-text.csv', curveRows.map((r, i) => (i === 4 ? '400,abc' : r)).join('\n') + '\n'),
  curveUnsorted: write('curve-unsorted.csv', swapped.join('\n') + '\n'),
  curveDuplicate: write('curve-dup.csv', curveRows.map((r, i) => (i === 5 ? curveRows[4]!.replace(/,.*/, ',3.0') : r)).join('\n') + '\n'),
  curveNoLoss: write(
    'curve-noloss.csv',
    'step\n' +
      curveRows
        .slice(1)
        .map((r) => r.split(',')[0])
        .join('\n') +
      '\n',
  ),
  badJson: write('bad.json', '{"kind": "scaling-fit",'),
  schedule: write('cosine.json', JSON.stringify({ type: 'cosine', peak: 3e-4, steps: 24000, warmup: 100 })),
  lr: write('lr.csv', 'step,lr\n0,1\n3000,0.1\n'),
  lrNegative: write('lr-neg.csv', 'step,lr\n0,1\n3000,-0.1\n'),
  gns: write('gns.csv', 'step,gradSqSmall,gradSqBig,bSmall,bBig\n1,1,0.5,8,16\n2,1.1,0.6,8,16\n3,1.05,0.55,8,16\n'),
  gnsHeader: write('gns-header.csv', 'step,gradSqSmall,gradSqBig,bSmall,bBig\n'),
  gnsNaN: write('gns-nan.csv', 'step,gradSqSmall,gradSqBig,bSmall,bBig\n1,1,0.5,8,16\n2,NaN,0.6,8,16\n'),
  gnsNegative: write('gns-neg.csv', 'step,gradSqSmall,gradSqBig,bSmall,bBig\n1,1,0.5,-8,16\n2,1,0.6,8,16\n'),
  gnsText: write('gns-text.csv', 'step,gradSqSmall,gradSqBig,bSmall,bBig\n1,1,0.5,8,16\n2,abc,0.6,8,16\n'),
  gnsNoColumn: write('gns-nocol.csv', 'step,gradSqSmall,bSmall,bBig\n1,1,8,16\n'),
  gnsUnsorted: write('gns-unsorted.csv', 'step,gradSqSmall,gradSqBig,bSmall,bBig\n2,1,0.5,8,16\n1,1.1,0.6,8,16\n'),
  runsHeader: write('runs-header.csv', 'run,step,loss,batchSize,N\n'),
  runsNaN: write('runs-nan.csv', 'run,step,loss,batchSize,N\na,1,3,8,1e6\na,2,NaN,8,1e6\n'),
  runsNegative: write('runs-neg.csv', 'run,step,loss,batchSize,N\na,1,3,-8,1e6\na,2,2.9,-8,1e6\n'),
  runsText: write('runs-text.csv', 'run,step,loss,batchSize,N\na,1,3,8,1e6\na,2,abc,8,1e6\n'),
  runsUnsorted: write('runs-unsorted.csv', 'run,step,loss,batchSize,N\na,2,3,8,1e6\na,1,2.9,8,1e6\n'),
  runs: write('runs.csv', 'run,step,loss,batchSize,N\na,1,3,8,1e6\na,2,2.9,8,1e6\nb,1,3,16,1e6\nb,2,2.8,16,1e6\n'),
  runsNoLoss: write('runs-noloss.csv', 'run,step,batchSize,N\na,1,8,1e6\na,2,8,1e6\n'),
  isoNoLoss: write('iso-noloss.csv', 'N,C\n1e7,1e17\n'),
  fit: at('fit.json'),
  curveFit: at('curve-fit.json'),
  negativeFit: at('negative-fit.json'),
  config: write(
    'config.json',
    JSON.stringify({ model: { family: 'transformer', width: 16, depth: 1, heads: 2, context: 2 }, data: { type: 'markov', vocab: 64, order: 1, branching: 3 }, batchSize: 8, steps: 2 }),
  ),
  store: at('store'),
  outMissing: at('no-such-folder/out.json'),
  outUnderFile: join(obs, 'out.json'),
};
copyFileSync(join(root, 'fits/chinchilla-hoffmann2022.json'), F.fit);
copyFileSync(join(root, 'fits/mpl-25m.json'), F.curveFit);
{
  const fit = JSON.parse(readFileSync(F.fit, 'utf8'));
  fit.params.find((p: { name: string }) => p.name === 'E').value = -5;
  writeFileSync(F.negativeFit, JSON.stringify(fit));
}
// A saved prediction of Luo et al.'s 25M fit along its planned schedule, for `track`.
const prediction = (() => {
  const mpl = loadFit(F.curveFit, 'curve-fit') as CurveFit;
  return write('prediction.json', JSON.stringify(lossPrediction(mpl, plannedSchedule(mpl, 6000), { source: 'mpl-25m' })));
})();
const trackArgs = (run: string) => ['track', prediction, run, '--no-forecast'];
const baseConfig = { model: { family: 'transformer', width: 16, depth: 1, heads: 2, context: 2 }, data: { type: 'markov', vocab: 64, order: 1, branching: 3 }, batchSize: 8 };
let configs = 0;
const configWith = (extra: object) => write(`config-${++configs}.json`, JSON.stringify({ ...baseConfig, ...extra }));
const specWith = (spec: object, name: string) => write(name, JSON.stringify(spec));

// A small ladder for `downstream`: 6 runs of 3 checkpoints, one task in the wide layout (bpb:t, acc:t).
const dsRows = ['run,N,tokens,bpb:t_bpb,acc:t_acc'];
for (const n of [1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8])
  for (let k = 1; k <= 3; k++) {
    const bpb = 0.5 + 30 / n ** 0.25 + 200 / ((20 * n * k) / 3) ** 0.3;
    dsRows.push(`r${n},${n},${(20 * n * k) / 3},${bpb.toFixed(5)},${(1 - 0.75 / (1 + Math.exp(-6 * (bpb - 1)))).toFixed(5)}`);
  }
const ds = write('ds.csv', dsRows.join('\n') + '\n');
const dsWith = (name: string, row: number, text: string) => write(name, dsRows.map((r, i) => (i === row ? text : r)).join('\n') + '\n');
const dsArgs = (file: string) => ['downstream', file, '--n', '1e9', '--d', '2e10', '--bootstrap', '0'];

// ---- the table ----
const CATEGORIES = [
  'missing',
  'empty',
  'header-only',
  'nan-inf-negative',
  'non-numeric',
  'unsorted-duplicate',
  'missing-column',
  'unknown-name',
  'absurd-number',
  'malformed-json',
  'folder',
  'unwritable-output',
] as const;
type Category = (typeof CATEGORIES)[number];

/** A case: the arguments, and the stderr it must give (exit 2), or a warning it must print (exit 0). */
type Case = { args: string[]; error: RegExp } | { args: string[]; warning: RegExp } | { na: string };
type Row = Partial<Record<Category, Case | Case[]>>;

const c = (args: string[], error: RegExp): Case => ({ args, error });
const w = (args: string[], warning: RegExp): Case => ({ args, warning });
const na = (why: string): Case => ({ na: why });
const noFile = na('reads no data file');
const rampArgs = ['--target-loss', '3,2.9', '--n', '1e6', '--loss', '2.5', '--batch-size', '8'];
const noJson = na('reads no JSON');
const noOut = na('writes no file');

const fitArgs = (file: string) => ['fit', file, '--law', 'chinchilla', '--threads', '1'];
const curveFitArgs = (file: string) => ['curve', 'fit', file, '--schedule', F.schedule];
const stopArgs = (file: string) => ['stop', file, curve2];

const TABLE: Record<string, Row> = {
  inspect: {
    missing: c(['inspect', F.missing], /nope\.csv: no such file/),
    empty: c(['inspect', F.empty], /empty\.csv: empty file/),
    'header-only': c(['inspect', F.obsHeader], /obs-header\.csv: no rows/),
    'nan-inf-negative': na('inspect reports what is there; NaN cells are counted, not refused'),
    'non-numeric': na('inspect reports what is there; a text column is listed as text'),
    'unsorted-duplicate': na('inspect does not order rows'),
    'missing-column': na('inspect lists the columns it finds'),
    'unknown-name': c(['inspect', write('data.xyz', 'N,loss\n1,2\n')], /unknown file format "\.xyz"/),
    'absurd-number': na('inspect takes no number'),
    'malformed-json': c(['inspect', write('bad-table.json', '{"N": [1, 2')], /bad-table\.json/),
    folder: c(['inspect', F.folder], /folder.*(no runs|not a run store|run store)/),
    'unwritable-output': noOut,
  },
  fit: {
    missing: c(fitArgs(F.missing), /nope\.csv: no such file/),
    empty: c(fitArgs(F.empty), /empty\.csv: empty file/),
    'header-only': c(fitArgs(F.obsHeader), /obs-header\.csv: no rows/),
    'nan-inf-negative': [
      c(fitArgs(F.obsNaN), /obs-nan\.csv.*row 3.*loss.*NaN/i),
      c(fitArgs(F.obsNegative), /obs-neg\.csv.*row 3.*N.*-1e7|obs-neg\.csv.*N.*-10000000/),
      c([...fitArgs(obs), '--threads', '0'], /--threads: must be at least 1, got "0"/),
    ],
    'non-numeric': [c(fitArgs(F.obsText), /obs-text\.csv.*row 3.*"abc"/), c([...fitArgs(obs), '--delta', 'x'], /--delta: not a number: "x"/)],
    'unsorted-duplicate': na('observations are a set; their order does not matter'),
    'missing-column': c(fitArgs(F.obsNoLoss), /obs-noloss\.csv.*loss/),
    'unknown-name': [c(['fit', obs, '--law', 'chinchila'], /unknown law: "chinchila"/), c([...fitArgs(obs), '--optimizer', 'adam'], /--optimizer: must be lbfgsb or lm, got "adam"/)],
    'absurd-number': c([...fitArgs(obs), '--bootstrap', '-5'], /--bootstrap: must be at least 0, got "-5"/),
    'malformed-json': noJson,
    folder: c(fitArgs(F.folder), /folder: is a folder with no runs in it; give a table of runs or a run store/),
    'unwritable-output': [
      c([...fitArgs(obs), '--out', F.outMissing], /--out: ".*no-such-folder\/out\.json": folder ".*no-such-folder" does not exist/),
      c([...fitArgs(obs), '--out', F.outUnderFile], /--out: .*is not a folder/),
      c([...fitArgs(obs), '--out', F.folder], /--out: ".*folder" is a folder/),
    ],
  },
  backtest: {
    missing: c(['backtest', F.missing, '--law', 'chinchilla'], /nope\.csv: no such file/),
    empty: c(['backtest', F.empty, '--law', 'chinchilla'], /empty\.csv: empty file/),
    'header-only': c(['backtest', F.obsHeader, '--law', 'chinchilla'], /no rows/),
    'nan-inf-negative': c(['backtest', F.obsNaN, '--law', 'chinchilla'], /obs-nan\.csv.*NaN/),
    'non-numeric': c(['backtest', F.obsText, '--law', 'chinchilla'], /obs-text\.csv.*"abc"/),
    'unsorted-duplicate': na('observations are a set; their order does not matter'),
    'missing-column': c(['backtest', F.obsNoLoss, '--law', 'chinchilla'], /obs-noloss\.csv.*loss/),
    'unknown-name': c(['backtest', obs, '--law', 'chinchilla', '--loss', 'l1'], /--loss: must be huber or squared, got "l1"/),
    'absurd-number': c(['backtest', obs, '--law', 'chinchilla', '--level', '95'], /--level: must lie strictly between 0 and 1, got "95"/),
    'malformed-json': c(['backtest', obs, '--fit', F.badJson], /bad\.json.*(not valid JSON|JSON)/),
    folder: c(['backtest', F.folder, '--law', 'chinchilla'], /folder: is a directory/),
    'unwritable-output': c(['backtest', obs, '--law', 'chinchilla', '--out', F.outMissing], /--out: .*does not exist/),
  },
  isoflop: {
    missing: c(['isoflop', F.missing], /nope\.csv: no such file/),
    empty: c(['isoflop', F.empty], /empty\.csv: empty file/),
    'header-only': c(['isoflop', F.obsHeader], /no rows/),
    'nan-inf-negative': c(['isoflop', F.obsNaN], /obs-nan\.csv.*NaN/),
    'non-numeric': c(['isoflop', F.obsText], /obs-text\.csv.*"abc"/),
    'unsorted-duplicate': na('runs are a set; their order does not matter'),
    'missing-column': c(['isoflop', F.isoNoLoss], /iso-noloss\.csv.*loss/),
    'unknown-name': c(['isoflop', obs, '--approach', '3'], /--approach.*"3"/),
    'absurd-number': c(['isoflop', obs, '--bootstrap', '1.5'], /--bootstrap: must be a whole number, got "1\.5"/),
    'malformed-json': noJson,
    folder: c(['isoflop', F.folder], /folder/),
    'unwritable-output': c(['isoflop', obs, '--chart', at('no-such-folder/c.png')], /--chart: .*does not exist/),
  },
  predict: {
    missing: c(['predict', '--fit', F.missing, '--N', '1e9', '--D', '2e10'], /nope\.csv/),
    empty: c(['predict', '--fit', F.empty, '--N', '1e9', '--D', '2e10'], /empty\.csv/),
    'header-only': na('a fit is JSON, not a table'),
    'nan-inf-negative': [
      c(['predict', '--fit', F.fit, '--N', '-1e9', '--D', '2e10'], /--N: must be positive, got -1000000000/),
      c(['predict', '--fit', F.fit, '--N', 'Infinity', '--D', '2e10'], /--N: not a number: "Infinity"/),
    ],
    'non-numeric': c(['predict', '--fit', F.fit, '--N', '7B', '--D', '2e10'], /--N: not a number: "7B"/),
    'unsorted-duplicate': c(['predict', '--fit', F.fit, '--N', '1e9', '--D', '2e10', '--C', '1e30'], /--C: give --D or --C with --N, not both/),
    'missing-column': c(['predict', '--fit', F.fit, '--N', '1e9'], /needs --D/),
    'unknown-name': c(['predict', '--fit', F.curveFit, '--N', '1e9', '--D', '2e10'], /curve-fit\.json/),
    'absurd-number': w(['predict', '--fit', F.fit, '--N', '1e30', '--D', '1e40'], /warning: .*(range|extrapolat)/),
    'malformed-json': c(['predict', '--fit', F.badJson, '--N', '1e9', '--D', '2e10'], /bad\.json.*JSON/),
    folder: c(['predict', '--fit', F.folder, '--N', '1e9', '--D', '2e10'], /folder/),
    'unwritable-output': noOut,
  },
  optimal: {
    missing: c(['optimal', '--fit', F.missing, '--compute', '1e23'], /nope\.csv/),
    empty: c(['optimal', '--fit', F.empty, '--compute', '1e23'], /empty\.csv/),
    'header-only': na('a fit is JSON, not a table'),
    'nan-inf-negative': [
      c(['optimal', '--fit', F.fit, '--compute', '-1e23'], /--compute: must be positive, got "-1e23"/),
      c(['optimal', '--fit', F.negativeFit, '--compute', '1e23'], /E = -5 lies outside the bounds/),
    ],
    'non-numeric': c(['optimal', '--fit', F.fit, '--compute', 'lots'], /--compute: not a number: "lots"/),
    'unsorted-duplicate': na('budgets are answered one by one in the order given'),
    'missing-column': na('the fit names its own inputs'),
    'unknown-name': c(['optimal', '--fit', F.fit, '--compute', '1e23', '--method', 'guess'], /--method.*"guess"/),
    'absurd-number': [w(['optimal', '--fit', F.fit, '--compute', '1e100'], /warning: .*1\.00e100/), c(['optimal', '--fit', F.fit, '--compute', '1'], /compute: 1 FLOPs is too small/)],
    'malformed-json': c(['optimal', '--fit', F.badJson, '--compute', '1e23'], /bad\.json.*JSON/),
    folder: c(['optimal', '--fit', F.folder, '--compute', '1e23'], /folder/),
    'unwritable-output': noOut,
  },
  'curve fit': {
    missing: c(curveFitArgs(F.missing), /nope\.csv: no such file/),
    empty: c(curveFitArgs(F.empty), /empty\.csv: empty file/),
    'header-only': c(curveFitArgs(F.curveHeader), /curve-header\.csv: no rows/),
    'nan-inf-negative': [c(curveFitArgs(F.curveNaN), /curve-nan\.csv: row 4, column loss.*NaN/), c(curveFitArgs(F.curveInf), /curve-inf\.csv: row 4, column loss.*Infinity/)],
    'non-numeric': c(curveFitArgs(F.curveText), /curve-text\.csv: row 4, column loss: not a number: "abc"/),
    'unsorted-duplicate': [
      c(curveFitArgs(F.curveUnsorted), /curve-unsorted\.csv: row 6, column step: steps must increase, got 500 after 600/),
      c(curveFitArgs(F.curveDuplicate), /curve-dup\.csv: row 5, column step: steps must increase, got 400 after 400/),
    ],
    'missing-column': c(curveFitArgs(F.curveNoLoss), /curve-noloss\.csv: no column "loss"; columns: step/),
    'unknown-name': c(['curve', 'fit', curve, '--schedule', F.schedule, '--law', 'chinchilla'], /--law: must be a whole-curve law .*got "chinchilla"/),
    'absurd-number': c([...curveFitArgs(curve), '--resamples', '-1'], /--resamples: must be at least 0, got "-1"/),
    'malformed-json': c(['curve', 'fit', curve, '--schedule', F.badJson], /schedule .*bad\.json: not valid JSON/),
    folder: c(curveFitArgs(F.folder), /curve .*folder: is a folder, not a file/),
    'unwritable-output': c([...curveFitArgs(curve), '--out', F.outMissing], /--out: .*does not exist/),
  },
  'curve backtest': {
    missing: c(['curve', 'backtest', F.missing, curve, '--schedule', F.schedule, '--schedule', F.schedule], /nope\.csv: no such file/),
    empty: c(['curve', 'backtest', F.empty, curve, '--schedule', F.schedule, '--schedule', F.schedule], /empty\.csv: empty file/),
    'header-only': c(['curve', 'backtest', F.curveHeader, curve, '--schedule', F.schedule, '--schedule', F.schedule], /curve-header\.csv: no rows/),
    'nan-inf-negative': c(['curve', 'backtest', F.curveNaN, curve, '--schedule', F.schedule, '--schedule', F.schedule], /curve-nan\.csv: row 4/),
    'non-numeric': c(['curve', 'backtest', F.curveText, curve, '--schedule', F.schedule, '--schedule', F.schedule], /curve-text\.csv: row 4/),
    'unsorted-duplicate': c(['curve', 'backtest', F.curveUnsorted, curve, '--schedule', F.schedule, '--schedule', F.schedule], /steps must increase/),
    'missing-column': c(['curve', 'backtest', F.curveNoLoss, curve, '--schedule', F.schedule, '--schedule', F.schedule], /no column "loss"/),
    'unknown-name': c(['curve', 'backtest', curve, curve2, '--schedule', F.schedule, '--schedule', F.schedule, '--optimizer', 'sgd'], /--optimizer: must be lbfgsb or adamw-early-stopped, got "sgd"/),
    'absurd-number': c(['curve', 'backtest', curve, curve2, '--schedule', F.schedule, '--schedule', F.schedule, '--N', '-3'], /--N: must be positive, got "-3"/),
    'malformed-json': c(['curve', 'backtest', curve, curve2, '--schedule', F.badJson, '--schedule', F.schedule], /bad\.json: not valid JSON/),
    folder: c(['curve', 'backtest', F.folder, curve, '--schedule', F.schedule, '--schedule', F.schedule], /is a folder/),
    'unwritable-output': noOut,
  },
  'curve predict': {
    missing: c(['curve', 'predict', '--fit', F.missing, '--schedule', F.schedule], /nope\.csv: no such file/),
    empty: c(['curve', 'predict', '--fit', F.curveFit, '--schedule', F.empty], /empty\.csv: .*(JSON|empty)/),
    'header-only': c(['curve', 'predict', '--fit', F.curveFit, '--schedule', write('lr-header.csv', 'step,lr\n')], /lr-header\.csv/),
    'nan-inf-negative': c(['curve', 'predict', '--fit', F.curveFit, '--schedule', write('neg-peak.json', JSON.stringify({ type: 'cosine', peak: -1, steps: 100 }))], /peak/),
    'non-numeric': c(['curve', 'predict', '--fit', F.curveFit, '--schedule', F.schedule, '--every', 'ten'], /--every: not a number: "ten"/),
    'unsorted-duplicate': na('a schedule spec has no rows to order'),
    'missing-column': c(['curve', 'predict', '--fit', F.curveFit, '--schedule', write('lr-nocol.csv', 'step,rate\n0,1\n')], /lr-nocol\.csv/),
    'unknown-name': c(['curve', 'predict', '--fit', F.curveFit, '--schedule', write('sched-unknown.json', JSON.stringify({ type: 'triangle', peak: 1, steps: 10 }))], /triangle/),
    'absurd-number': [
      c(['curve', 'predict', '--fit', F.curveFit, '--schedule', F.schedule, '--level', '2'], /--level: must lie strictly between 0 and 1, got "2"/),
      w(['curve', 'predict', '--fit', F.curveFit, '--schedule', F.schedule], /warning: .*warmup.*extrapolations/),
    ],
    'malformed-json': c(['curve', 'predict', '--fit', F.badJson, '--schedule', F.schedule], /bad\.json/),
    folder: c(['curve', 'predict', '--fit', F.folder, '--schedule', F.schedule], /folder/),
    'unwritable-output': c(['curve', 'predict', '--fit', F.curveFit, '--schedule', F.schedule, '--out', F.outMissing], /--out: .*does not exist/),
  },
  'curve best-schedule': {
    missing: c(['curve', 'best-schedule', '--fit', F.missing, '--steps', '1000'], /nope\.csv: no such file/),
    empty: c(['curve', 'best-schedule', '--fit', F.empty, '--steps', '1000'], /empty\.csv/),
    'header-only': na('a fit is JSON, not a table'),
    'nan-inf-negative': c(['curve', 'best-schedule', '--fit', F.curveFit, '--steps', '-1000'], /--steps: must be at least 1, got "-1000"/),
    'non-numeric': c(['curve', 'best-schedule', '--fit', F.curveFit, '--steps', '1k'], /--steps: not a number: "1k"/),
    'unsorted-duplicate': na('takes no rows'),
    'missing-column': na('the fit names its own parameters'),
    'unknown-name': c(['curve', 'best-schedule', '--fit', F.fit, '--steps', '1000'], /fit\.json/),
    'absurd-number': c(['curve', 'best-schedule', '--fit', F.curveFit, '--steps', '1000', '--peak', '0'], /--peak: must be positive, got "0"/),
    'malformed-json': c(['curve', 'best-schedule', '--fit', F.badJson, '--steps', '1000'], /bad\.json/),
    folder: c(['curve', 'best-schedule', '--fit', F.folder, '--steps', '1000'], /folder/),
    'unwritable-output': noOut,
  },
  extrapolate: {
    missing: c(['extrapolate', F.missing, '--to', '9000'], /nope\.csv: cannot read the file: no such file/),
    empty: c(['extrapolate', F.empty, '--to', '9000'], /empty\.csv: no data rows/),
    'header-only': c(['extrapolate', F.curveHeader, '--to', '9000'], /curve-header\.csv: no data rows/),
    'nan-inf-negative': [
      c(['extrapolate', F.curveNaN, '--to', '9000'], /curve-nan\.csv: row 4, column loss/),
      c(['extrapolate', curve, '--to', '9000', '--schedule', F.lrNegative], /schedule: lr 2: must be a finite number >= 0, got -0\.1/),
    ],
    'non-numeric': c(['extrapolate', F.curveText, '--to', '9000'], /curve-text\.csv: row 4, column loss.*"abc"/),
    'unsorted-duplicate': [
      c(['extrapolate', F.curveUnsorted, '--to', '9000'], /steps must increase|increasing/),
      c(['extrapolate', F.curveDuplicate, '--to', '9000'], /steps must increase|increasing/),
    ],
    'missing-column': c(['extrapolate', curve, '--to', '9000', '--y', 'accuracy'], /no column "accuracy"; columns: step, loss/),
    'unknown-name': c(['extrapolate', curve, '--to', '9000', '--method', 'magic'], /--method.*"magic"/),
    'absurd-number': [c(['extrapolate', curve, '--to', '9000', '--level', '1'], /--level: must lie strictly between 0 and 1, got "1"/), c(['extrapolate', curve, '--to', '10'], /--to|beyond|after/)],
    'malformed-json': [
      c(['extrapolate', curve, '--to', '9000', '--method', 'pfn', '--pfn-weights', F.badJson], /pfn weights: cannot read .*bad\.json/),
      c(['extrapolate', curve, '--to', '9000', '--pfn-weights', F.badJson], /--pfn-weights: used by --method pfn only, not ensemble/),
    ],
    folder: [
      c(['extrapolate', F.folder, '--to', '9000'], /folder: cannot read the file: it is a folder/),
      c(['extrapolate', curve, '--to', '9000', '--method', 'pfn', '--pfn-weights', F.folder], /pfn weights: cannot read .*folder/),
    ],
    'unwritable-output': noOut,
  },
  stop: {
    missing: c(stopArgs(F.missing), /nope\.csv: cannot read the file: no such file/),
    empty: c(stopArgs(F.empty), /empty\.csv: no data rows/),
    'header-only': c(stopArgs(F.curveHeader), /curve-header\.csv: no data rows/),
    'nan-inf-negative': [c(stopArgs(F.curveNaN), /curve-nan\.csv: row 4/), c([...stopArgs(curve), '--horizon', '-1'], /--horizon: must be positive, got "-1"/)],
    'non-numeric': c(stopArgs(F.curveText), /curve-text\.csv: row 4.*"abc"/),
    'unsorted-duplicate': [
      c(stopArgs(F.curveUnsorted), /steps must increase/),
      c(stopArgs(F.curveDuplicate), /steps must increase/),
      c(['stop', curve, curve], /curves: ".*curve\.csv" is given twice/),
    ],
    'missing-column': c([...stopArgs(curve), '--y', 'acc'], /no column "acc"/),
    'unknown-name': c([...stopArgs(curve), '--rule', 'coinflip'], /coinflip/),
    'absurd-number': [
      c([...stopArgs(curve), '--rule', 'patience', '--patience', '0'], /--patience: must be at least 1, got "0"/),
      c([...stopArgs(curve), '--rule', 'asha', '--grace', '0'], /--grace: must be at least 1, got "0"/),
      c([...stopArgs(curve), '--rule', 'asha', '--grace', '2.5'], /--grace: must be a whole number, got "2.5"/),
      c([...stopArgs(curve), '--rule', 'asha', '--grace', 'x'], /--grace: not a number: "x"/),
      c([...stopArgs(curve), '--rule', 'asha', '--eta', '1'], /--eta: must be above 1, got "1"/),
      c([...stopArgs(curve), '--rule', 'patience', '--grace', '3'], /--grace: only the asha rule has rungs, not "patience"/),
    ],
    'malformed-json': [
      c([...stopArgs(curve), '--method', 'pfn', '--pfn-weights', F.badJson], /pfn weights: cannot read .*bad\.json/),
      c([...stopArgs(curve), '--pfn-weights', F.badJson], /--pfn-weights: used by --method pfn only, not fast/),
      c([...stopArgs(curve), '--rule', 'patience', '--pfn-weights', F.badJson], /--pfn-weights: only the predictive rule extrapolates, not "patience"/),
    ],
    folder: c(stopArgs(F.folder), /folder: cannot read the file: it is a folder/),
    'unwritable-output': noOut,
  },
  batch: {
    missing: c(['batch', F.missing, '--target-loss', '3'], /nope\.csv: no such file/),
    empty: c(['batch', F.empty, '--target-loss', '3'], /empty\.csv: empty file/),
    'header-only': c(['batch', F.runsHeader, '--target-loss', '3'], /runs-header\.csv: no rows/),
    'nan-inf-negative': [
      c(['batch', F.runsNaN, '--target-loss', '3'], /runs-nan\.csv.*NaN/),
      c(['batch', F.runsNegative, '--target-loss', '3'], /runs-neg\.csv.*-8/),
      c(['batch', obs, '--target-loss', '-3'], /--target-loss: not a positive number: "-3"/),
    ],
    'non-numeric': c(['batch', F.runsText, '--target-loss', '3'], /runs-text\.csv.*"abc"/),
    'unsorted-duplicate': c(['batch', F.runsUnsorted, '--target-loss', '3'], /runs-unsorted\.csv.*step/),
    'missing-column': c(['batch', F.runsNoLoss, '--target-loss', '3'], /run "a": trajectory has no evalLoss values/),
    'unknown-name': c(['batch', F.runs, '--target-loss', '3', '--metric', 'accuracy'], /--metric.*"accuracy"/),
    'absurd-number': c(['batch', F.runs, '--target-loss', '3', '--reference-batch', '0'], /--reference-batch: must be positive, got "0"/),
    'malformed-json': c(['batch', write('bad-runs.jsonl', '{"run": "a", "step": 1\n'), '--target-loss', '3'], /bad-runs\.jsonl/),
    folder: c(['batch', F.folder, '--target-loss', '3'], /folder: no runs/),
    'unwritable-output': c(['batch', F.runs, '--target-loss', '3', '--plot', at('no-such-folder/p.svg')], /--plot: .*does not exist/),
  },
  'batch gns': {
    missing: c(['batch', 'gns', F.missing], /nope\.csv: no such file/),
    empty: c(['batch', 'gns', F.empty], /empty\.csv: empty file/),
    'header-only': c(['batch', 'gns', F.gnsHeader], /gns-header\.csv: no rows/),
    'nan-inf-negative': [
      c(['batch', 'gns', F.gnsNaN], /gns-nan\.csv: row 2, column gradSqSmall: not a finite number: "NaN"/),
      c(['batch', 'gns', F.gnsNegative], /gns-neg\.csv.*-8/),
      c(['batch', 'gns', F.gns, '--every', '-1'], /--every: must be at least 0, got "-1"/),
    ],
    'non-numeric': c(['batch', 'gns', F.gnsText], /gns-text\.csv.*"abc"/),
    'unsorted-duplicate': c(['batch', 'gns', F.gnsUnsorted], /gns-unsorted\.csv: row 2, column step: steps must increase, got 1 after 2/),
    'missing-column': c(['batch', 'gns', F.gnsNoColumn], /missing column gradSqBig/),
    'unknown-name': c(['batch', 'gns', F.gns, '--colour', 'red'], /unknown option '--colour'/),
    'absurd-number': c(['batch', 'gns', F.gns, '--beta', '1.5'], /--beta: must be at most 1, got "1\.5"/),
    'malformed-json': c(['batch', 'gns', write('bad-gns.json', '[{"step": 1')], /bad-gns\.json/),
    folder: c(['batch', 'gns', F.folder], /folder/),
    'unwritable-output': noOut,
  },
  'batch lr': {
    missing: c(['batch', 'lr', F.missing], /nope\.csv: no such file/),
    empty: c(['batch', 'lr', F.empty], /empty\.csv: empty file/),
    'header-only': c(['batch', 'lr', F.runsHeader], /no rows/),
    'nan-inf-negative': c(['batch', 'lr', F.runsNaN], /runs-nan\.csv.*NaN/),
    'non-numeric': c(['batch', 'lr', F.runsText], /runs-text\.csv.*"abc"/),
    'unsorted-duplicate': c(['batch', 'lr', F.runsUnsorted], /runs-unsorted\.csv.*step/),
    'missing-column': c(['batch', 'lr', F.runsNoLoss], /run "a": no positive learning rate/),
    'unknown-name': c(['batch', 'lr', F.runs, '--metric', 'bleu'], /--metric.*"bleu"/),
    'absurd-number': c(['batch', 'lr', F.runs, '--tolerance', '-1'], /--tolerance: must be at least 0, got "-1"/),
    'malformed-json': c(['batch', 'lr', write('bad-lr.jsonl', '{"run": \n')], /bad-lr\.jsonl/),
    folder: c(['batch', 'lr', F.folder], /folder: no runs/),
    'unwritable-output': noOut,
  },
  'batch optimal': {
    missing: c(['batch', 'optimal', F.missing], /nope\.csv: no such file/),
    empty: c(['batch', 'optimal', F.empty], /empty\.csv: empty file/),
    'header-only': c(['batch', 'optimal', F.runsHeader], /no rows/),
    'nan-inf-negative': c(['batch', 'optimal', F.runsNaN], /runs-nan\.csv.*NaN/),
    'non-numeric': c(['batch', 'optimal', F.runsText], /runs-text\.csv.*"abc"/),
    'unsorted-duplicate': c(['batch', 'optimal', F.runsUnsorted], /runs-unsorted\.csv.*step/),
    'missing-column': c(['batch', 'optimal', F.runsNoLoss], /run "a": no compute/),
    'unknown-name': c(['batch', 'optimal', F.runs, '--metric', 'bleu'], /--metric.*"bleu"/),
    'absurd-number': c(['batch', 'optimal', F.runs, '--band', '-0.1'], /--band: must be at least 0, got "-0\.1"/),
    'malformed-json': c(['batch', 'optimal', write('bad-opt.jsonl', '{"run": \n')], /bad-opt\.jsonl/),
    folder: c(['batch', 'optimal', F.folder], /folder: no runs/),
    'unwritable-output': noOut,
  },
  'batch trajectory': {
    missing: c(['batch', 'trajectory', F.missing, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /nope\.csv: no such file/),
    empty: c(['batch', 'trajectory', F.empty, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /empty\.csv: empty file/),
    'header-only': c(['batch', 'trajectory', F.runsHeader, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /no rows/),
    'nan-inf-negative': c(['batch', 'trajectory', F.runs, '--target-loss', '3,2.9', '--n', '-1e6', '--batch-size', '8', '--steps', '100'], /--n: must be positive, got "-1e6"/),
    'non-numeric': c(['batch', 'trajectory', F.runsText, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /runs-text\.csv.*"abc"/),
    'unsorted-duplicate': c(['batch', 'trajectory', F.runsUnsorted, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /runs-unsorted\.csv.*step/),
    'missing-column': c(['batch', 'trajectory', F.runsNoLoss, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /run "a": trajectory has no evalLoss values/),
    'unknown-name': c(['batch', 'trajectory', F.runs, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100', '--metric', 'x'], /--metric.*"x"/),
    'absurd-number': c(['batch', 'trajectory', F.runs, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100', '--points', '1'], /--points: must be at least 2, got "1"/),
    'malformed-json': c(['batch', 'trajectory', write('bad-traj.jsonl', '{"run": \n'), '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /bad-traj\.jsonl/),
    folder: c(['batch', 'trajectory', F.folder, '--target-loss', '3,2.9', '--n', '1e6', '--batch-size', '8', '--steps', '100'], /folder: no runs/),
    'unwritable-output': noOut,
  },
  'batch ramp': {
    missing: c(['batch', 'ramp', F.missing, ...rampArgs], /nope\.csv: no such file/),
    empty: c(['batch', 'ramp', F.empty, ...rampArgs], /empty\.csv: empty file/),
    'header-only': c(['batch', 'ramp', F.runsHeader, ...rampArgs], /no rows/),
    'nan-inf-negative': [
      c(['batch', 'ramp', F.runs, ...rampArgs, '--batch-size', '-8'], /--batch-size: must be positive, got "-8"/),
      c(['batch', 'ramp', F.runs, ...rampArgs, '--loss', 'Infinity'], /--loss: not a number: "Infinity"/),
    ],
    'non-numeric': c(['batch', 'ramp', F.runsText, ...rampArgs], /runs-text\.csv.*"abc"/),
    'unsorted-duplicate': c(['batch', 'ramp', F.runsUnsorted, ...rampArgs], /runs-unsorted\.csv.*step/),
    'missing-column': c(['batch', 'ramp', F.runsNoLoss, ...rampArgs], /run "a": trajectory has no evalLoss values/),
    'unknown-name': c(['batch', 'ramp', F.runs, ...rampArgs, '--metric', 'x'], /--metric.*"x"/),
    'absurd-number': [
      c(['batch', 'ramp', F.runs, ...rampArgs, '--draws', '1'], /--draws: must be 0 \(no intervals\) or at least 2, got "1"/),
      c(['batch', 'ramp', F.runs, ...rampArgs, '--min-batch', '16'], /--batch-size: must lie between --min-batch and --max-batch, got "8"/),
      c(['batch', 'ramp', F.runs, ...rampArgs, '--target-loss', '3'], /--target-loss: B_crit\(L\) needs at least 2 target losses, got "3"/),
    ],
    'malformed-json': c(['batch', 'ramp', write('bad-ramp.jsonl', '{"run": \n'), ...rampArgs], /bad-ramp\.jsonl/),
    folder: c(['batch', 'ramp', F.folder, ...rampArgs], /folder: no runs/),
    'unwritable-output': noOut,
  },
  train: {
    missing: c(['train', '--config', F.missing, '--store', F.store], /--config ".*nope\.csv": cannot read \(ENOENT\)/),
    empty: c(['train', '--config', F.empty, '--store', F.store], /--config ".*empty\.csv": not valid JSON/),
    'header-only': na('a config is JSON, not a table'),
    'nan-inf-negative': c(['train', '--config', configWith({ steps: -3 }), '--store', F.store], /steps: expected a positive integer, got -3/),
    'non-numeric': c(['train', '--config', configWith({ steps: 'ten' }), '--store', F.store], /steps: expected a positive integer, got "ten"/),
    'unsorted-duplicate': na('a config has no rows'),
    'missing-column': c(['train', '--config', configWith({ batchsize: 64, steps: 2 }), '--store', F.store], /batchsize: unknown key; known keys: .*batchSize/),
    'unknown-name': c(['train', '--config', F.config, '--store', F.store, '--backend', 'tpu'], /backend: expected auto, .*got "tpu"/),
    'absurd-number': c(['train', '--config', configWith({ tokens: 1e30 }), '--store', F.store], /tokens: is .* optimizer steps, more than a proxy run takes/),
    'malformed-json': c(['train', '--config', F.badJson, '--store', F.store], /--config ".*bad\.json": not valid JSON/),
    folder: c(['train', '--config', F.folder, '--store', F.store], /--config ".*folder": cannot read \(EISDIR\)/),
    'unwritable-output': c(['train', '--config', F.config, '--store', obs], /store .*obs\.csv: not a directory/),
  },
  track: {
    missing: [c(['track', F.missing, curve], /prediction .*nope\.csv: no such file/), c(trackArgs(F.missing), /run: no such file: ".*nope\.csv"/)],
    empty: [c(['track', F.empty, curve], /prediction .*empty\.csv: not valid JSON/), c(trackArgs(F.empty), /empty\.csv: empty file/)],
    'header-only': c(trackArgs(F.curveHeader), /curve-header\.csv: no rows/),
    'nan-inf-negative': [c(trackArgs(F.curveNaN), /curve-nan\.csv: row 4.*not a finite number: "NaN"/), c([...trackArgs(curve), '--threshold', '-1'], /--threshold: must be positive, got "-1"/)],
    'non-numeric': [c(trackArgs(F.curveText), /curve-text\.csv: row 4.*not a number: "abc"/), c([...trackArgs(curve), '--resamples', 'x'], /--resamples: not a number: "x"/)],
    'unsorted-duplicate': c(trackArgs(F.curveUnsorted), /steps must increase/),
    'missing-column': c(trackArgs(F.curveNoLoss), /--metric: run .* logged no "trainLoss"/),
    'unknown-name': [
      c([...trackArgs(curve), '--run-format', 'foo'], /--run-format: must be one of auto, table, wandb, tensorboard, store, got "foo"/),
      c([...trackArgs(curve), '--metric', 'nope'], /logged no "nope"/),
    ],
    'absurd-number': c([...trackArgs(curve), '--resamples', '-5'], /--resamples: must be at least 0, got "-5"|--resamples: not a non-negative integer/),
    'malformed-json': c(['track', F.badJson, curve], /prediction .*bad\.json: not valid JSON/),
    folder: [c(['track', F.folder, curve], /prediction .*folder: is a folder, not a file/), c(trackArgs(F.folder), /run: no runs in .*folder/)],
    'unwritable-output': c([...trackArgs(curve), '--chart', F.outMissing.replace(/\.json$/, '.svg')], /--chart: ".*no-such-folder\/out\.svg": folder ".*no-such-folder" does not exist/),
  },
  sweep: {
    missing: c(['sweep', F.missing, '--store', F.store], /spec ".*nope\.csv": cannot read \(ENOENT\)/),
    empty: c(['sweep', F.empty, '--store', F.store], /spec ".*empty\.csv": not valid JSON/),
    'header-only': na('a spec is JSON, not a table'),
    'nan-inf-negative': c(['sweep', specWith({ base: { ...baseConfig, steps: 2 }, grid: { seed: [0, 1] } }, 'spec-ok.json'), '--store', F.store, '--workers', '-2'], /--workers/),
    'non-numeric': c(['sweep', specWith({ base: {}, grid: { width: ['wide'] } }, 'spec-text.json'), '--store', F.store], /width|model/),
    'unsorted-duplicate': na('a spec has no rows'),
    'missing-column': c(['sweep', specWith({ grid: { width: [16] } }, 'spec-nobase.json'), '--store', F.store], /model|base/),
    'unknown-name': c(['sweep', specWith({ base: {}, grid: { colour: [1] } }, 'spec-axis.json'), '--store', F.store], /unknown axis "colour"/),
    'absurd-number': c(['sweep', at('spec-ok.json'), '--store', F.store, '--shard', '5/2'], /--shard/),
    'malformed-json': c(['sweep', F.badJson, '--store', F.store], /spec ".*bad\.json": not valid JSON/),
    folder: c(['sweep', F.folder, '--store', F.store], /spec ".*folder": cannot read \(EISDIR\)/),
    'unwritable-output': c(['sweep', at('spec-ok.json'), '--store', obs], /store .*obs\.csv: not a directory/),
  },
  plan: {
    missing: c(['plan', '--compute', '1e23', '--fit', F.missing, '--no-backtest'], /nope\.csv/),
    empty: c(['plan', '--compute', '1e23', '--fit', F.empty, '--no-backtest'], /empty\.csv/),
    'header-only': na('fits are JSON, not tables'),
    'nan-inf-negative': c(['plan', '--compute', '-1e23', '--no-backtest'], /compute.*-1e23|compute.*positive/),
    'non-numeric': c(['plan', '--compute', 'big', '--no-backtest'], /--compute: not a number: "big"/),
    'unsorted-duplicate': na('takes no rows'),
    'missing-column': c(['plan', '--no-backtest'], /--compute|budget/),
    'unknown-name': c(['plan', '--compute', '1e23', '--batch-unit', 'bytes', '--no-backtest'], /bytes/),
    'absurd-number': c(['plan', '--compute', '1e23', '--utilization', '3', '--no-backtest'], /utilization/),
    'malformed-json': c(['plan', '--compute', '1e23', '--fit', F.badJson, '--no-backtest'], /bad\.json/),
    folder: c(['plan', '--compute', '1e23', '--fit', F.folder, '--no-backtest'], /folder/),
    'unwritable-output': [
      c(['plan', '--compute', '1e23', '--html', at('no-such-folder/p.html'), '--no-backtest'], /--html: .*does not exist/),
      c(['plan', '--compute', '1e23', '--html', F.folder, '--no-backtest'], /--html: .*is a folder/),
    ],
  },
  reproduce: {
    missing: noFile,
    empty: noFile,
    'header-only': noFile,
    'nan-inf-negative': c(['reproduce', 'chinchilla-approach3', '--seed', '-0.5'], /--seed|unknown/),
    'non-numeric': c(['reproduce', 'chinchilla-approach3', '--seed', 'x'], /--seed|unknown/),
    'unsorted-duplicate': noFile,
    'missing-column': noFile,
    'unknown-name': c(['reproduce', 'no-such-protocol'], /no-such-protocol/),
    'absurd-number': na('its only number is a seed'),
    'malformed-json': noJson,
    folder: noFile,
    'unwritable-output': noOut,
  },
  demo: {
    missing: noFile,
    empty: noFile,
    'header-only': noFile,
    'nan-inf-negative': c(['demo', '--out', at('demo'), '--scale', '-10'], /--scale: must be positive, got "-10"/),
    'non-numeric': c(['demo', '--out', at('demo'), '--workers', 'all'], /--workers: not a number: "all"/),
    'unsorted-duplicate': noFile,
    'missing-column': noFile,
    'unknown-name': c(['demo', '--fast'], /unknown option '--fast'/),
    'absurd-number': c(['demo', '--out', at('demo'), '--workers', '0'], /--workers: must be at least 1, got "0"/),
    'malformed-json': noJson,
    folder: noFile,
    'unwritable-output': c(['demo', '--out', join(obs, 'demo')], /obs\.csv/),
  },
  downstream: {
    missing: c(dsArgs(F.missing), /nope\.csv: no such file/),
    empty: c(dsArgs(F.empty), /empty\.csv: empty file/),
    'header-only': c(dsArgs(write('ds-header.csv', dsRows[0] + '\n')), /ds-header\.csv: no rows/),
    'nan-inf-negative': [
      c(dsArgs(dsWith('ds-neg.csv', 2, 'r10000000,-1e7,1.3e8,2.1,0.3')), /ds-neg\.csv: row 2, column "N": must be positive, got -10000000/),
      c(dsArgs(dsWith('ds-nan.csv', 2, 'r10000000,1e7,1.3e8,NaN,0.3')), /ds-nan\.csv: row 2, column "bpb:t_bpb" \(task loss\): not a finite number: "NaN"/),
      c(['downstream', ds, '--n', '-1e9', '--d', '2e10'], /--n: must be positive, got -1000000000/),
    ],
    'non-numeric': [
      c(dsArgs(dsWith('ds-text.csv', 3, 'r10000000,1e7,2e8,2.0,abc')), /ds-text\.csv: row 3, column "acc:t_acc" \(accuracy\): not a number: "abc"/),
      c(['downstream', ds, '--c', 'lots'], /--c: not a number: "lots"/),
      c([...dsArgs(ds), '--combine', 'both=t:heavy'], /--combine: not a number: "heavy"/),
    ],
    'unsorted-duplicate': c(dsArgs(dsWith('ds-twoN.csv', 2, 'r10000000,3e7,1.3e8,2.1,0.3')), /ds-twoN\.csv: run "r10000000" has two values of column "N": 10000000 \(row 1\) and 30000000 \(row 2\)/),
    'missing-column': [
      c(
        dsArgs(
          write(
            'ds-noD.csv',
            dsRows
              .map((r) =>
                r
                  .split(',')
                  .filter((_, j) => j !== 2)
                  .join(','),
              )
              .join('\n') + '\n',
          ),
        ),
        /ds-noD\.csv: no D \(tokens\) column; columns: "run", "N"/,
      ),
      c(dsArgs(write('ds-noacc.csv', dsRows.map((r) => r.split(',').slice(0, 4).join(',')).join('\n') + '\n')), /ds-noacc\.csv: task-loss column "bpb:t_bpb" has no accuracy column acc:t/),
      c(['downstream', ds, '--n', '1e9'], /target: give --n and --d, or --c \(got --n alone\)/),
    ],
    'unknown-name': [
      c([...dsArgs(ds), '--task', 'nosuch'], /--task: no task "nosuch"; tasks: t/),
      c([...dsArgs(ds), '--column', 'size=N'], /--column: unknown role "size"/),
      c([...dsArgs(ds), '--combine', 'both=t:1,u:1'], /--combine: no task "u"; tasks: t/),
      c([...dsArgs(ds), '--chart', at('chart.gif')], /--chart: file must end in \.svg, \.png, \.html or \.json, got ".*chart\.gif"/),
    ],
    'absurd-number': [
      c([...dsArgs(ds), '--level', '95'], /--level: must lie strictly between 0 and 1, got "95"/),
      c(dsArgs(dsWith('ds-acc.csv', 3, 'r10000000,1e7,2e8,2.0,1.5')), /ds-acc\.csv: row 3, column "acc:t_acc" \(accuracy\): must be in \[0, 1\], got 1\.5/),
      c([...dsArgs(ds), '--chance', '1.2'], /--chance: must be in \[0, 1\), got "1\.2"/),
    ],
    'malformed-json': c(dsArgs(write('ds-bad.json', '[{"N": 1e9,')), /ds-bad\.json: not valid JSON/),
    folder: c(dsArgs(F.folder), /folder: is a directory, not a data file/),
    'unwritable-output': [c([...dsArgs(ds), '--chart', at('no-such-folder/ds.svg')], /--chart: .*does not exist/), c([...dsArgs(ds), '--chart', F.folder], /--chart: .*is a folder/)],
  },
};

/** Runs the CLI in this process; its output is captured, warnings reset between runs. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '',
    stderr = '';
  const out = process.stdout.write,
    err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  resetWarnings();
  process.exitCode = undefined;
  try {
    const code = await runCli(['node', 'scalelaw', ...args]);
    return { code, stdout, stderr };
  } catch (error) {
    return { code: -1, stdout, stderr: stderr + `THROWN ${(error as Error).stack}` };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

describe('the bad-input table', () => {
  it('has a row for every command and subcommand, and an entry for every category in each', async () => {
    const { buildProgram } = await import('../../src/cli/program.js');
    const program = buildProgram();
    const names = program.commands.flatMap((cmd) => [cmd.name(), ...cmd.commands.map((sub) => `${cmd.name()} ${sub.name()}`)]);
    expect(Object.keys(TABLE).sort()).toEqual(names.filter((n) => n !== 'curve').sort());
    for (const [command, row] of Object.entries(TABLE)) expect(Object.keys(row).sort(), command).toEqual([...CATEGORIES].sort());
  });

  for (const [command, row] of Object.entries(TABLE)) {
    describe(command, () => {
      for (const category of CATEGORIES) {
        const cases = [row[category]!].flat().filter((x): x is Exclude<Case, { na: string }> => !('na' in x));
        if (cases.length === 0) continue;
        it(category, async () => {
          for (const one of cases) {
            const r = await run(one.args);
            const label = `scalelaw ${one.args.join(' ')}\n${r.stderr}${r.stdout.slice(0, 400)}`;
            expect(r.stderr, label).not.toMatch(/THROWN|\n\s+at |Error: /);
            if ('error' in one) {
              expect(r.code, label).toBe(2);
              // One line, naming the problem; commander adds its usage hint as a second line.
              const lines = r.stderr.trimEnd().split('\n');
              expect(lines[0], label).toMatch(/^(scalelaw: |error: )/);
              expect(lines.filter((l) => !l.startsWith('(add --help')).length, label).toBe(1);
              expect(lines[0], label).toMatch(one.error);
            } else {
              expect(r.code, label).toBe(0);
              expect(r.stdout + r.stderr, label).toMatch(one.warning);
            }
          }
        });
      }
    });
  }
});

describe('a broken pipe', () => {
  // `scalelaw ... | head -c 1`: the reader leaves; the command ends quietly with exit 0.
  const cli = join(root, 'src/cli/main.ts');
  const piped = (args: string[]) =>
    spawnSync('bash', ['-c', `node --import tsx ${JSON.stringify(cli)} ${args.map((a) => JSON.stringify(a)).join(' ')} | head -c 1 > /dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`], {
      cwd: root,
      encoding: 'utf8',
    });
  for (const args of [['curve', 'predict', '--fit', join(root, 'fits/mpl-25m.json'), '--schedule', F.schedule, '--every', '1', '--json'], ['reproduce']]) {
    it(`scalelaw ${args.slice(0, 2).join(' ')} ... | head -c 1`, () => {
      const p = piped(args);
      expect(p.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(p.stderr).toMatch(/exit=0/);
    });
  }
});
