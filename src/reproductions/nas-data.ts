import type { Goal } from '../extrapolation/curve.js';
import { readCurveSet, type CurveSet } from '../extrapolation/read-curve.js';

/** The three files of Baker et al. 2017 bundled in data/nas-curves, with their metric's direction. */
export const NAS_FILES: readonly { file: string; prefix: string; goal: Goal; range: readonly [number, number] }[] = [
  { file: 'metaqnn_cifar10.csv', prefix: 'acc_', goal: 'max', range: [0, 1] },
  { file: 'deep_resnets_cifar10.csv', prefix: 'acc_', goal: 'max', range: [0, 1] },
  { file: 'lstm_ptb.csv', prefix: 'ep_', goal: 'min', range: [1, Infinity] },
];

/** Loads the three bundled NAS files from `dir` (data/nas-curves or ../shared/data/nas-curves). */
export function readNasCurves(dir: string): CurveSet[] {
  return NAS_FILES.map(({ file, prefix, goal, range }) => readCurveSet(`${dir}/${file}`, { prefix, goal, range, name: file.replace('.csv', '') }));
}
