import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readCurveCsv, readCurvesCsv, readCurveSet } from '../../src/extrapolation/read-curve.js';
import { useTempDir } from '../io/tmp.js';

const { dir, file } = useTempDir();

describe('read-curve: curve files through the io/ CSV reader', () => {
  it('reads curves, wide curve files and curve sets with errors naming the file, row and column', () => {
    const curve = file('c.csv', 'step,val_acc\n1,0.5\n2,0.6\n');
    expect(readCurveCsv(curve)).toEqual({ path: curve, steps: [1, 2], values: [0.5, 0.6], column: 'val_acc', goal: 'max' });
    expect(() => readCurveCsv(curve, { y: 'loss' })).toThrow(`${curve}: no column "loss"; columns: step, val_acc`);
    expect(() => readCurveCsv(curve, { x: 'epoch' })).toThrow(`${curve}: no column "epoch"; columns: step, val_acc`);
    expect(() => readCurveCsv(file('h.csv', 'step\n'))).toThrow(`${join(dir(), 'h.csv')}: no data rows`);
    expect(() => readCurveCsv(file('o.csv', 'step\n1\n'))).toThrow(`${join(dir(), 'o.csv')}: needs a column of values besides "step"`);
    const wide = file('w.csv', 'step,a,b\n1,3,4\n2,2,3\n');
    expect(readCurvesCsv(wide)).toEqual({
      path: wide,
      steps: [1, 2],
      columns: [
        { column: 'a', values: [3, 2] },
        { column: 'b', values: [4, 3] },
      ],
    });
    const set = file('s.csv', 'arch,ep_1,ep_2\n"conv(3,3)",0.1,0.2\nfc,0.3,0.4\n');
    expect(readCurveSet(set, { prefix: 'ep_', goal: 'max' }).curves.map((c) => Array.from(c))).toEqual([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    expect(() => readCurveSet(set, { prefix: 'acc_', goal: 'max' })).toThrow(`${set}: no columns start with "acc_"`);
    const short = file('t.csv', 'arch,ep_1,ep_2\nfc,0.3\n');
    expect(() => readCurveSet(short, { prefix: 'ep_', goal: 'max' })).toThrow(`${short}: row 1, column ep_2: not a finite number: undefined`);
  });
});
