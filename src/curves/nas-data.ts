import { readFileSync } from 'node:fs';
import { InputError, show } from '../core/errors.js';
import type { Goal } from './curve.js';

/** A set of complete learning curves of equal length (one per trained configuration). */
export interface CurveSet {
  name: string;
  goal: Goal;
  /** Epochs 1..length. */
  length: number;
  /** curves[i] = values of configuration i per epoch. */
  curves: Float64Array[];
  /** Values the metric can take (accuracy: [0, 1]). */
  range: readonly [number, number];
}

/** The three files of Baker et al. 2017 bundled in data/nas-curves, with their metric's direction. */
export const NAS_FILES: readonly { file: string; prefix: string; goal: Goal; range: readonly [number, number] }[] = [
  { file: 'metaqnn_cifar10.csv', prefix: 'acc_', goal: 'max', range: [0, 1] },
  { file: 'deep_resnets_cifar10.csv', prefix: 'acc_', goal: 'max', range: [0, 1] },
  { file: 'lstm_ptb.csv', prefix: 'ep_', goal: 'min', range: [1, Infinity] },
];

/** Splits one CSV line, honouring double quotes (the MetaQNN file quotes its architecture strings). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cell); cell = ''; }
    else cell += c;
  }
  out.push(cell);
  return out;
}

/**
 * Reads a wide curve file: one row per configuration, the metric per epoch in the columns whose
 * names start with `prefix` (in order). Every value must be a finite number.
 */
export function readCurveSet(path: string, options: { prefix: string; goal: Goal; range?: readonly [number, number]; name?: string }): CurveSet {
  const { prefix, goal, range = [-Infinity, Infinity], name = path } = options;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length < 2) throw new InputError(`${path}: no data rows`, 'path');
  const header = splitCsvLine(lines[0]!);
  const columns = header.map((h, j) => (h.startsWith(prefix) ? j : -1)).filter((j) => j >= 0);
  if (columns.length === 0) throw new InputError(`${path}: no columns start with ${show(prefix)}`, 'prefix');
  const curves = lines.slice(1).map((line, r) => {
    const cells = splitCsvLine(line);
    return Float64Array.from(columns, (j) => {
      const v = Number(cells[j]);
      if (cells[j] === undefined || cells[j] === '' || !Number.isFinite(v)) {
        throw new InputError(`${path}: row ${r + 1}, column ${header[j]}: not a finite number: ${show(cells[j])}`, header[j]);
      }
      return v;
    });
  });
  return { name, goal, length: columns.length, curves, range };
}

/** Loads the three bundled NAS files from `dir` (data/nas-curves or ../shared/data/nas-curves). */
export function readNasCurves(dir: string): CurveSet[] {
  return NAS_FILES.map(({ file, prefix, goal, range }) => readCurveSet(`${dir}/${file}`, { prefix, goal, range, name: file.replace('.csv', '') }));
}
