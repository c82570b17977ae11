import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notebooks } from './run-notebook.js';

describe('notebooks', () => {
  it('each has its test file', () => {
    expect(notebooks.length).toBe(6);
    for (const name of notebooks) expect(existsSync(`test/notebooks/${name.replace('.ipynb', '.test.ts')}`), name).toBe(true);
  });
});
