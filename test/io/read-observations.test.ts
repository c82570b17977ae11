import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readObservations } from '../../src/io/read-observations.js';
import { writeObservations } from '../../src/io/write.js';
import { useTempDir } from './tmp.js';
import { referenceData } from '../reference-data.js';

const chinchilla = referenceData('chinchilla-epoch/svg_extracted_data.csv');
const { dir, file } = useTempDir();

describe('readObservations', () => {
  it('reads the Chinchilla replication data: 245 rows, N, C and loss detected, D = C / (6 N)', () => {
    const t = readObservations(chinchilla);
    expect(t.length).toBe(245);
    expect(t.source).toBe(chinchilla);
    expect(t.N![0]).toBeCloseTo(6795600349.289497, 3);
    expect(t.C![0]).toBeCloseTo(9.993852799709755e18, -3);
    expect(t.D![0]).toBeCloseTo(9.993852799709755e18 / (6 * 6795600349.289497), 3);
    expect(t.loss[0]).toBe(5.005581996196243);
    // The README's ranges: N from 57M to 16.2B, loss from 2.08 to 5.01.
    expect(Math.min(...t.N!)).toBeCloseTo(5.733e7, -5);
    expect(Math.max(...t.N!)).toBeCloseTo(1.618e10, -8);
    expect(Math.min(...t.loss)).toBeCloseTo(2.08, 2);
    expect(Math.max(...t.loss)).toBeCloseTo(5.01, 2);
    expect(Object.keys(t.extra)).toEqual(['x', 'y', 'color', 'hex_color']);
    expect(t.extra.color![0]).toBe('#faebdd');
    expect(t.extra.x![0]).toBe(154.03592);
    expect(t.excluded).toEqual([]);
  });

  it('detects names case-, space- and underscore-insensitively, reads sizes like 7B, and lets a mapping override', () => {
    const path = file('a.csv', 'num_params,TRAINING_TOKENS,Eval Loss,val_loss\n7B,1.4T,2.1,2.2\n125M,2.5e9,3.4,3.5\n');
    const t = readObservations(path);
    expect(Array.from(t.N!)).toEqual([7e9, 125e6]);
    expect(Array.from(t.D!)).toEqual([1.4e12, 2.5e9]);
    expect(Array.from(t.C!)).toEqual([6 * 7e9 * 1.4e12, 6 * 125e6 * 2.5e9]);
    expect(Array.from(t.loss)).toEqual([2.1, 3.4]); // eval_loss is preferred to val_loss
    expect(t.extra.val_loss).toEqual([2.2, 3.5]);
    const mapped = readObservations(path, { columns: { loss: 'val_loss' } });
    expect(Array.from(mapped.loss)).toEqual([2.2, 3.5]);
    expect(mapped.extra['Eval Loss']).toEqual([2.1, 3.4]);
  });

  it('falls back to the only column that mentions loss', () => {
    const t = readObservations(referenceData('zhang2024-cbs/steps_to_target.csv'));
    expect(t.length).toBe(45);
    expect(t.N![0]).toBe(85e6);
    expect(t.loss[0]).toBe(3.42);
    expect(t.extra.model![0]).toBe('85M'); // kept as read: only N, D and C columns take units
  });

  it('names the file, row and column of each bad value', () => {
    const bad = (name: string, text: string) => () => readObservations(file(name, text));
    expect(bad('m.csv', 'N,loss\n1e8,\n')).toThrow(`${join(dir(), 'm.csv')}: row 1, column "loss": missing value`);
    expect(bad('t.csv', 'N,loss\n1e8,3\nabc,2\n')).toThrow(`${join(dir(), 't.csv')}: row 2, column "N": not a number: "abc"`);
    expect(bad('i.csv', 'Model Size,loss\n1e8,3\n1e9,inf\n')).toThrow(`${join(dir(), 'i.csv')}: row 2, column "loss": not a finite number: "inf"`);
    expect(bad('n.csv', 'Model Size,loss\n1e8,3\n2e8,2.9\n-5,2\n')).toThrow(`${join(dir(), 'n.csv')}: row 3, column "Model Size" (N): must be positive, got -5`);
    expect(bad('d.csv', 'N,tokens,loss\n1e8,0,3\n')).toThrow(`${join(dir(), 'd.csv')}: row 1, column "tokens" (D): must be positive, got 0`);
    expect(bad('c.csv', 'N,FLOPs,loss\n1e8,-1e18,3\n')).toThrow(`${join(dir(), 'c.csv')}: row 1, column "FLOPs" (C): must be positive, got -1000000000000000000`);
    expect(bad('e.csv', '')).toThrow(`${join(dir(), 'e.csv')}: empty file`);
    expect(bad('h.csv', 'N,loss\n')).toThrow(`${join(dir(), 'h.csv')}: no rows (columns: "N", "loss")`);
    expect(bad('x.csv', 'N,score\n1,2\n')).toThrow(
      `${join(dir(), 'x.csv')}: no loss column (looked for loss, eval_loss, val_loss, validation loss, valid_loss, test_loss, final_loss, eval/loss, val/loss, train_loss, training loss, train/loss); columns: "N", "score"; name it with columns: { loss: ... }`,
    );
    const path = file('ok.csv', 'N,loss\n1,2\n');
    expect(() => readObservations(path, { columns: { N: 'params' } })).toThrow(`${path}: no column "params" (given for N); columns: "N", "loss"`);
    expect(() => readObservations(join(dir(), 'none.csv'))).toThrow(`${join(dir(), 'none.csv')}: no such file`);
    expect(() => readObservations(file('a.xlsx', 'x'))).toThrow(`${join(dir(), 'a.xlsx')}: unknown file format ".xlsx"; use .csv, .tsv, .json, .jsonl or .arrow, or pass format`);
  });

  it('excludes invalid rows on request and reports each one', () => {
    const path = file('x.csv', 'N,loss,run\n1e8,3,a\n2e8,NaN,b\n4e8,2.5,c\n,2.4,d\n');
    const t = readObservations(path, { invalid: 'exclude' });
    expect(Array.from(t.N!)).toEqual([1e8, 4e8]);
    expect(t.extra.run).toEqual(['a', 'c']);
    expect(t.excluded).toEqual([
      { row: 2, reason: 'column "loss": not a finite number: "NaN"' },
      { row: 4, reason: 'column "N": missing value' },
    ]);
    expect(() => readObservations(file('y.csv', 'N,loss\n1,NaN\n'), { invalid: 'exclude' })).toThrow(
      `${join(dir(), 'y.csv')}: every row was excluded; the first: row 1, column "loss": not a finite number: "NaN"`,
    );
  });

  it('writes CSV, TSV, JSON, JSONL and Arrow and reads each back to the same table', () => {
    const original = readObservations(chinchilla);
    for (const ext of ['csv', 'tsv', 'json', 'jsonl', 'arrow']) {
      const path = join(dir(), `chinchilla.${ext}`);
      writeObservations(original, path);
      const back = readObservations(path);
      expect(back.length, ext).toBe(245);
      expect(Array.from(back.N!), ext).toEqual(Array.from(original.N!));
      expect(Array.from(back.C!), ext).toEqual(Array.from(original.C!));
      expect(Array.from(back.D!), ext).toEqual(Array.from(original.D!));
      expect(Array.from(back.loss), ext).toEqual(Array.from(original.loss));
      expect(back.extra.color, ext).toEqual(original.extra.color);
    }
  });

  it('reads Arrow files from other writers, with 64-bit integer columns as numbers', () => {
    const path = join(dir(), 'runs.arrow');
    const table = tableFromArrays({ n_params: BigInt64Array.from([100_000_000n, 400_000_000n]), tokens: new Float64Array([2e9, 8e9]), loss: new Float32Array([3.5, 2.75]), tag: ['a', 'b'] });
    writeFileSync(path, tableToIPC(table, 'file'));
    const t = readObservations(path);
    expect(Array.from(t.N!)).toEqual([1e8, 4e8]);
    expect(Array.from(t.C!)).toEqual([1.2e18, 1.92e19]);
    expect(Array.from(t.loss)).toEqual([3.5, 2.75]);
    expect(t.extra.tag).toEqual(['a', 'b']);
    writeFileSync(path, 'not arrow');
    expect(() => readObservations(path)).toThrow(`${path}: not an Arrow IPC file or stream`);
  });

  it('reads JSON as rows or as columns', () => {
    const rows = readObservations(file('r.json', '[{"params": 1e8, "loss": 3}, {"params": 2e8, "loss": 2.9}]'));
    const cols = readObservations(file('c.json', '{"params": [1e8, 2e8], "loss": [3, 2.9]}'));
    expect(Array.from(rows.N!)).toEqual([1e8, 2e8]);
    expect(Array.from(cols.loss)).toEqual([3, 2.9]);
    expect(() => readObservations(file('b.json', '{"params": [1], "loss": [3, 2]}'))).toThrow(`${join(dir(), 'b.json')}: column "loss" has 2 values, expected 1`);
    expect(() => readObservations(file('l.jsonl', '{"N": 1, "loss": 3}\n{"N": 2, "loss":\n'))).toThrow(`${join(dir(), 'l.jsonl')}: line 2: not valid JSON: "{\\"N\\": 2, \\"loss\\":"`);
  });
});
