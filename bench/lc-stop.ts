// Early-stopping replay on the NAS curves from predictions saved by bench/lc-eval.ts --save-preds.
// npx tsx bench/lc-stop.ts /tmp/lc-preds.json [delta] [--per-epoch] [--learned] [--threads 2] [--predictors ensemble,fast] [--files a,b] [--extrapolate JSON]
// --extrapolate '{"weighting":"equal"}': options of the new (per-epoch) predictions; they must be those
// that produced the saved predictions.
// --per-epoch: predictive termination decides at every epoch from the first cutoff on (each curve's
// prefix predicted once, in worker threads); without it, only at the stored cutoffs. --learned (with
// --per-epoch): predict with a correction learned from the runs finished so far in each ordering.
import { table } from '../src/cli/util.js';
import { replayNas, replayNasPerEpoch } from '../src/reproductions/lc-nas.js';
import { loadPreds } from './lc-preds.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--') && args[i - 1] !== '--per-epoch' && args[i - 1] !== '--learned' && args[i - 1] !== '--raw'));
const delta = Number(positional[1] ?? 0.05);
const perEpoch = args.includes('--per-epoch');
const learned = args.includes('--learned');
// --raw (with --per-epoch): use each prediction as it is, with no conformal widening (the PFN's bar).
const raw = args.includes('--raw');
const threads = Number(flag('threads', '2'));
const predictors = flag('predictors', 'ensemble,fast').split(',');
const only = flag('files', '');
const extrapolate = JSON.parse(flag('extrapolate', '{}')) as Record<string, unknown>;
const files = loadPreds(positional[0]!, only);
const rows = [];
const t0 = performance.now();
for (const predictor of predictors as ('ensemble' | 'fast' | 'pfn')[]) {
  if (!files[0]!.preds[predictor]) continue;
  const scores = perEpoch ? await replayNasPerEpoch(files, { predictor, delta, threads, learned, extrapolate, raw, onProgress: (m) => console.error(m) }) : replayNas(files, { predictor, delta });
  for (const s of scores) {
    if (predictor !== predictors[0] && s.predictor === 'none') continue;
    const e = s as { predictions?: number; seconds?: number };
    const extra = e.predictions !== undefined ? `${e.predictions} predictions, ${e.seconds!.toFixed(0)} s` : '';
    rows.push([s.file, s.predictor === 'none' ? '-' : s.predictor, s.result.rule, s.result.speedup, s.result.regret, s.result.maxRegret, s.result.sameBest, s.result.span, extra]);
  }
}
console.log(table(rows, ['file', 'predictor', 'rule', 'speed-up', 'regret/span', 'max regret/span', 'same best', 'span', 'work']));
console.log(
  `${perEpoch ? 'decisions every epoch' : 'decisions at the cutoffs'}${learned ? ', learned from the runs finished so far' : ''}, delta ${delta}, ${threads} threads, wall ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
