import { describe, expect, it } from 'vitest';
import { detectColumn, detectColumns, normalizeName } from '../../src/io/detect.js';
import { parseNumber, parseSize } from '../../src/io/units.js';

describe('parseNumber and parseSize', () => {
  it('reads plain numbers, underscores, non-finite spellings, and sizes only when asked', () => {
    expect(['1e9', ' -2.5 ', '.5', '5.', '1_000', 'NaN', 'inf', '-Infinity'].map((v) => parseNumber(v))).toEqual([1e9, -2.5, 0.5, 5, 1000, NaN, Infinity, -Infinity]);
    expect(parseNumber('7B')).toBeUndefined();
    expect(['7B', '1.4T', '125M', '350k', '2.5G', '70b'].map((v) => parseNumber(v, { units: true }))).toEqual([7e9, 1.4e12, 125e6, 350e3, 2.5e9, 70e9]);
    expect(parseSize('1.4T')).toBe(1.4e12);
    expect(parseSize('')).toBeUndefined();
  });
  it('tells empty cells (null) from text that is not a number (undefined)', () => {
    expect([null, undefined, '', '  '].map((v) => parseNumber(v))).toEqual([null, null, null, null]);
    expect(['abc', '0x10', '1e', '7 B s', '1,000'].map((v) => parseNumber(v, { units: true }))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(parseNumber(12n)).toBe(12);
    expect(parseNumber(true)).toBeUndefined();
  });
});

describe('column detection', () => {
  it('matches the usual names ignoring case, spaces, underscores and slashes', () => {
    expect(normalizeName('Training FLOP')).toBe('trainingflop');
    expect(detectColumns(['x', 'Model Size', 'Training FLOP', 'loss'], ['N', 'D', 'C', 'loss'] as const)).toEqual({ N: 'Model Size', C: 'Training FLOP', loss: 'loss' });
    expect(detectColumns(['NUM_PARAMS', 'n-tokens', 'Eval/Loss'], ['N', 'D', 'C', 'loss'] as const)).toEqual({ N: 'NUM_PARAMS', D: 'n-tokens', loss: 'Eval/Loss' });
    expect(detectColumn(['_step', 'epoch'], 'step')).toBe('_step');
    expect(detectColumn(['a', 'b'], 'N')).toBeUndefined();
  });
  it('lets an explicit mapping win and never gives one column two roles', () => {
    expect(detectColumns(['loss', 'val_loss', 'params'], ['N', 'loss'] as const, { loss: 'val_loss' })).toEqual({ N: 'params', loss: 'val_loss' });
    expect(detectColumns(['tokens'], ['D', 'tokens'] as const)).toEqual({ D: 'tokens' });
    // The last resort for loss: the only column that mentions it.
    expect(detectColumn(['target_c4_val_loss', 'n'], 'loss')).toBe('target_c4_val_loss');
    expect(detectColumn(['a_loss', 'b_loss'], 'loss')).toBeUndefined();
  });
});
