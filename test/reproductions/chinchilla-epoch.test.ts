import { describe, expect, it } from 'vitest';
import { getReproduction } from '../../src/reproductions/index.js';

describe('reproduce chinchilla-epoch', () => {
  // The full run (grid fit + 1,000 resamples) is what test/fit/fit.test.ts and fits.test.ts check
  // piece by piece; here only that the protocol is registered under its id.
  it('is registered', () => {
    expect(getReproduction('chinchilla-epoch').description).toContain('Besiroglu et al. 2024');
  });
});
