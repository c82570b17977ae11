import { describe, expect, it } from 'vitest';
import { FitError, InputError, show } from '../../src/core/errors.js';

describe('errors', () => {
  it('InputError carries its field and FitError its name', () => {
    const e = new InputError('runs.csv: row 3, column "N": must be positive, got -5', 'N');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InputError');
    expect(e.field).toBe('N');
    expect(e.message).toBe('runs.csv: row 3, column "N": must be positive, got -5');
    expect(new InputError('x').field).toBeUndefined();
    expect(new FitError('no finite loss').name).toBe('FitError');
  });

  it('show echoes values: numbers as written, strings quoted, long JSON cut', () => {
    expect(show(1.5e-7)).toBe('1.5e-7');
    expect(show(NaN)).toBe('NaN');
    expect(show('7B')).toBe('"7B"');
    expect(show(undefined)).toBe('undefined');
    expect(show(null)).toBe('null');
    expect(show([1, 2])).toBe('[1,2]');
    expect(show({ a: 'x'.repeat(100) })).toBe(`{"a":"${'x'.repeat(71)}...`);
    expect(show(10n)).toBe('10');
  });
});
