import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { csvNumberColumns, parseCsvCells, parseNumericCsv, readCsvCells, splitCsvLine } from '../../src/io/csv.js';
import { useTempDir } from './tmp.js';

const { dir } = useTempDir();

describe('csv: one reader for the small CSV files', () => {
  it('splits lines on commas outside double quotes', () => {
    expect(splitCsvLine('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(splitCsvLine('"say ""hi""",,x')).toEqual(['say "hi"', '', 'x']);
    expect(splitCsvLine('')).toEqual(['']);
  });

  it('skips blank lines, trims the header and numbers rows from 1 after it', () => {
    const csv = parseCsvCells(' step , "loss"\r\n\r\n0,3\n  \n1,2\n', 'c.csv');
    expect(csv).toEqual({
      source: 'c.csv',
      header: ['step', 'loss'],
      rows: [
        ['0', '3'],
        ['1', '2'],
      ],
    });
    expect(csvNumberColumns(csv, [1, 0])).toEqual([
      [3, 2],
      [0, 1],
    ]);
    expect(() => csvNumberColumns(parseCsvCells('step,loss\n0,3\n1,\n', 'c.csv'), [0, 1])).toThrow('c.csv: row 2, column loss: not a finite number: ""');
    expect(() => csvNumberColumns(parseCsvCells('step,loss\n0,3\n1\n', 'c.csv'), [0, 1])).toThrow('c.csv: row 2, column loss: not a finite number: ""');
    expect(() => csvNumberColumns(parseCsvCells('step,loss\n0,inf\n', 'c.csv'), [0, 1])).toThrow('c.csv: row 1, column loss: not a finite number: "inf"');
  });

  it('parses an all-numeric CSV, one value per column in every row', () => {
    const csv = parseNumericCsv('step,lr\n0,1\n1,"0.5"\n', 's.csv');
    expect(csv.names).toEqual(['step', 'lr']);
    expect(Array.from(csv.columns.lr!)).toEqual([1, 0.5]);
    expect(csv.length).toBe(2);
    expect(() => parseNumericCsv('\n\n', 's.csv')).toThrow('s.csv: empty file');
    expect(() => parseNumericCsv('step,lr\n0,1,2\n', 's.csv')).toThrow('s.csv: row 1: expected 2 values, got 3');
    expect(() => parseNumericCsv('step,lr\n0, x \n', 's.csv')).toThrow('s.csv: row 1, column lr: not a number: "x"');
  });

  it('names a file it cannot read', () => {
    const missing = join(dir(), 'missing.csv');
    expect(() => readCsvCells(missing)).toThrow(`${missing}: cannot read the file`);
  });
});
