import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { createDataset } from '../../src/proxy/dataset.js';
import { markovLanguage } from '../../src/proxy/markov.js';

describe('Markov language', () => {
  it('has the entropy rate of its Zipf transitions', () => {
    // p ∝ 1, 1/2, 1/3 -> H = -sum p log p
    const p = [1, 1 / 2, 1 / 3].map((x) => x / (11 / 6));
    const H = -p.reduce((a, x) => a + x * Math.log(x), 0);
    expect(markovLanguage({ vocab: 8, order: 2, branching: 3 }).entropyRate).toBeCloseTo(H, 12);
    expect(markovLanguage({ vocab: 5, order: 1, branching: 1 }).entropyRate).toBe(0);
    expect(markovLanguage({ vocab: 6, order: 2, branching: 6, zipf: 0 }).entropyRate).toBeCloseTo(Math.log(6), 12);
  });

  it('samples a stationary process whose empirical conditional entropy matches the rate', () => {
    const language = markovLanguage({ vocab: 8, order: 2, branching: 3, seed: 3 });
    let sum = 0;
    for (let s = 0; s < language.stationary.length; s++) sum += language.stationary[s]!;
    expect(sum).toBeCloseTo(1, 12);
    const tokens = language.sample(rng(1), 200000);
    const counts = new Map<number, Map<number, number>>();
    for (let i = 2; i < tokens.length; i++) {
      const c = tokens[i - 2]! * 8 + tokens[i - 1]!;
      const m = counts.get(c) ?? new Map<number, number>();
      m.set(tokens[i]!, (m.get(tokens[i]!) ?? 0) + 1);
      counts.set(c, m);
    }
    let h = 0;
    for (const m of counts.values()) {
      const n = [...m.values()].reduce((a, b) => a + b, 0);
      for (const k of m.values()) h -= (k / (tokens.length - 2)) * Math.log(k / n);
    }
    expect(Math.abs(h - language.entropyRate)).toBeLessThan(0.01);
  });

  it('is the same language for the same seed and another for another seed', () => {
    const a = markovLanguage({ seed: 1 }).sample(rng(0), 50);
    expect(markovLanguage({ seed: 1 }).sample(rng(0), 50)).toEqual(a);
    expect(markovLanguage({ seed: 2 }).sample(rng(0), 50)).not.toEqual(a);
  });

  it('rejects impossible settings', () => {
    expect(() => markovLanguage({ vocab: 4, branching: 5 })).toThrow('data.branching: expected an integer in [1, 4], got 5');
  });
});

describe('datasets', () => {
  it('teacher-student regression has the noise variance as its floor', () => {
    const data = createDataset({ type: 'teacher', noise: 0.2, seed: 1 });
    expect(data.floor).toBeCloseTo(0.04, 15);
    if (data.kind !== 'regression') throw new Error('expected regression');
    const a = data.train(rng(5), 4000);
    const b = data.train(rng(5), 4000);
    expect(a.x).toEqual(b.x);
    expect(data.evaluation(10).y).toEqual(data.evaluation(10).y);
  });

  it('keeps the evaluation stream apart from training and fixed across calls', () => {
    const data = createDataset({ type: 'markov', seed: 0 });
    if (data.kind !== 'tokens') throw new Error('expected tokens');
    expect(data.evaluation(8, 4)).toEqual(data.evaluation(8, 4));
    expect(data.train(rng(0), 4, 8)).not.toEqual(data.evaluation(8, 4));
    expect(data.lossStart).toBe(2);
  });

  it('splits a text file into training bytes and held-out evaluation bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-text-'));
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'abcdefghij'.repeat(10));
    const data = createDataset({ type: 'text', path, evalFraction: 0.2 });
    if (data.kind !== 'tokens') throw new Error('expected tokens');
    expect(data.corpus).toEqual({ path, train: 80, eval: 20 });
    const train = data.train(rng(0), 50, 4);
    expect(Math.max(...train)).toBeLessThan(256);
    // Four windows of 4 + 1 bytes, consecutive, from the last 20 bytes only ('abcdefghij' x 2).
    expect(String.fromCharCode(...data.evaluation(4, 100))).toBe('abcdeefghiijabccdefg');
    expect(() => createDataset({ type: 'text', path: join(dir, 'missing.txt') })).toThrow(`data.path: cannot read ${JSON.stringify(join(dir, 'missing.txt'))}: ENOENT`);
  });

  it('rejects an unknown data type', () => {
    expect(() => createDataset({ type: 'images' } as never)).toThrow('data.type: unknown data type "images"; expected one of markov, teacher, text');
  });
});
