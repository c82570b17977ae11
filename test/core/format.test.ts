import { describe, expect, it } from 'vitest';
import { formatNumber, formatTable } from '../../src/core/format.js';

describe('formatNumber', () => {
  it('gives four significant digits, in exponent form outside [1e-3, 1e6)', () => {
    expect(formatNumber(3.14159)).toBe('3.142');
    expect(formatNumber(0.000123456)).toBe('1.235e-4');
    expect(formatNumber(3.961408125713217e28)).toBe('3.961e28');
    expect(formatNumber(-5.76e23)).toBe('-5.760e23');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(NaN)).toBe('NaN');
  });

  it('writes whole numbers below 1e6 in full instead of inventing zeros', () => {
    expect(formatNumber(16384)).toBe('16384');
    expect(formatNumber(72000)).toBe('72000');
    expect(formatNumber(123456)).toBe('123456');
    // A measured (fractional) value keeps its significant digits.
    expect(formatNumber(123456.7)).toBe('123500');
    expect(formatNumber(1666.67, 2)).toBe('1700');
  });

  it('formats the numbers of a table the same way', () => {
    expect(formatTable([[16384, 0.5]], ['batch', 'loss'])).toBe('batch  loss\n-----  ----\n16384   0.5');
  });
});
