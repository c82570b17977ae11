import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { createDataset } from '../../src/proxy/dataset.js';
import { closeTokenFiles, encoder, textTokens, tokenizeToFile } from '../../src/proxy/tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'scalelaw-tokens-'));
afterAll(() => {
  closeTokenFiles();
  rmSync(dir, { recursive: true, force: true });
});

function tokens(spec: Parameters<typeof createDataset>[0]) {
  const data = createDataset(spec);
  if (data.kind !== 'tokens') throw new Error('expected token data');
  return data;
}

describe('token files', () => {
  it.each(['uint16', 'uint32'] as const)('reads %s windows from the training part and consecutive held-out windows from the tail', (dtype) => {
    const path = join(dir, `counting-${dtype}.bin`);
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7) % 1000);
    writeFileSync(path, Buffer.from((dtype === 'uint16' ? Uint16Array : Uint32Array).from(values).buffer));
    const data = tokens({ type: 'tokens', path, dtype, vocab: 1000, evalFraction: 0.2 });
    expect(data.corpus).toEqual({ path, train: 800, eval: 200 });
    const batch = data.train(rng(3), 16, 9);
    for (let b = 0; b < 16; b++) {
      const row = Array.from(batch.subarray(b * 10, b * 10 + 10));
      const start = values.indexOf(row[0]!);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start + 10).toBeLessThanOrEqual(800);
      expect(row).toEqual(values.slice(start, start + 10));
    }
    // Three windows of 9 + 1 tokens stepping by 9 from token 800.
    expect(Array.from(data.evaluation(9, 3))).toEqual([...values.slice(800, 810), ...values.slice(809, 819), ...values.slice(818, 828)]);
  });

  it('takes a separate held-out file (train.bin / val.bin)', () => {
    const train = join(dir, 'train.bin');
    const val = join(dir, 'val.bin');
    writeFileSync(train, Buffer.from(Uint16Array.from({ length: 100 }, () => 1).buffer));
    writeFileSync(val, Buffer.from(Uint16Array.from({ length: 40 }, () => 2).buffer));
    const data = tokens({ type: 'tokens', path: train, evalPath: val, vocab: 3 });
    expect(data.corpus).toEqual({ path: train, train: 100, eval: 40 });
    expect(new Set(data.train(rng(0), 8, 10))).toEqual(new Set([1]));
    expect(new Set(data.evaluation(10, 100))).toEqual(new Set([2]));
  });

  it('refuses files that are not token files of the stated type and vocabulary, naming the field', () => {
    const odd = join(dir, 'odd.bin');
    writeFileSync(odd, Buffer.alloc(7));
    expect(() => tokens({ type: 'tokens', path: odd, vocab: 10 })).toThrow(`data.dtype: ${JSON.stringify(odd)} has 7 bytes, not a whole number of uint16 tokens`);
    expect(() => tokens({ type: 'tokens', path: odd, vocab: 70000 })).toThrow('data.vocab: 70000 tokens do not fit uint16 files');
    expect(() => tokens({ type: 'tokens', path: join(dir, 'none.bin'), vocab: 10 })).toThrow('data.path: cannot read');
    const big = join(dir, 'big-token.bin');
    writeFileSync(big, Buffer.from(Uint16Array.from({ length: 64 }, () => 500).buffer));
    const data = tokens({ type: 'tokens', path: big, vocab: 100 });
    expect(() => data.train(rng(0), 1, 4)).toThrow(/data\.vocab: token 500 at position \d+ of .* is not below the vocabulary size 100/);
  });

  it('reads a 1 GiB file without loading it: memory grows by far less than the file', () => {
    // A sparse file: 2^29 uint16 tokens, zero except for markers at the start of the held-out tail.
    const path = join(dir, 'large.bin');
    const fd = openSync(path, 'w');
    const bytes = 2 ** 30;
    ftruncateSync(fd, bytes);
    const evalStart = Math.floor((bytes / 2) * 0.9);
    writeSync(fd, Buffer.from(Uint16Array.from([11, 12, 13, 14, 15]).buffer), 0, 10, evalStart * 2);
    closeSync(fd);
    const before = process.memoryUsage();
    const data = tokens({ type: 'tokens', path, vocab: 50257 });
    expect(data.corpus!.train + data.corpus!.eval).toBe(2 ** 29);
    let drawn = 0;
    for (let step = 0; step < 200; step++) drawn += data.train(rng(step), 32, 128).length;
    const evaluation = data.evaluation(128, 128);
    expect(Array.from(evaluation.subarray(0, 5))).toEqual([11, 12, 13, 14, 15]);
    const after = process.memoryUsage();
    expect(drawn).toBe(200 * 32 * 129);
    // 1 GiB loaded whole would add >= 1024 MiB to both; reading windows adds at most a few MiB.
    expect((after.arrayBuffers - before.arrayBuffers) / 2 ** 20).toBeLessThan(32);
    expect((after.rss - before.rss) / 2 ** 20).toBeLessThan(128);
  });
});

describe('text and JSONL', () => {
  it('tokenises with GPT-2 and cl100k BPE (js-tiktoken), holding out the last tokens', () => {
    expect(encoder('gpt2').encode('Hello world')).toEqual([15496, 995]);
    expect(encoder('cl100k_base').encode('hello world')).toEqual([15339, 1917]);
    const path = join(dir, 'words.txt');
    writeFileSync(path, 'Hello world '.repeat(50));
    const source = textTokens({ path, tokenizer: 'gpt2', evalFraction: 0.1 });
    expect(source.vocab).toBe(50257);
    expect(source.trainLength + source.evalLength).toBe(encoder('gpt2').encode('Hello world '.repeat(50)).length);
    const data = tokens({ type: 'text', path, tokenizer: 'gpt2' });
    expect(Math.max(...data.train(rng(0), 4, 8))).toBeLessThan(50257);
  });

  it('joins JSONL documents with the tokenizer end-of-text token and names bad lines', () => {
    const path = join(dir, 'docs.jsonl');
    writeFileSync(path, '{"body": "Hello world"}\n\n{"body": "Hello"}\n');
    const source = textTokens({ path, tokenizer: 'gpt2', field: 'body', evalFraction: 0.5 });
    const all = new Int32Array(source.trainLength + source.evalLength);
    source.read('train', 0, source.trainLength, all, 0);
    source.read('eval', 0, source.evalLength, all, source.trainLength);
    expect(Array.from(all)).toEqual([15496, 995, 50256, 15496, 50256]);
    writeFileSync(path, '{"text": "a"}\nnot json\n');
    expect(() => textTokens({ path })).toThrow(`data.path: line 2 of ${JSON.stringify(path)} is not JSON`);
    writeFileSync(path, '{"text": 3}\n');
    expect(() => textTokens({ path })).toThrow(`data.field: line 1 of ${JSON.stringify(path)} has no string field "text"`);
    expect(() => textTokens({ path, tokenizer: 'llama' as never })).toThrow('data.tokenizer: expected one of bytes, gpt2, cl100k_base, got "llama"');
  });
});

/** A uint16 file's tokens (a small Buffer may sit inside a shared pool, hence byteOffset). */
function uint16s(path: string): Uint16Array {
  const bytes = readFileSync(path);
  return new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

describe('tokenizeToFile', () => {
  it('streams text into a token file whose bytes-level tokens are the file itself', async () => {
    const path = join(dir, 'lines.txt');
    const text = 'first line\nsecond line\n\nlast line, with a newline\n';
    writeFileSync(path, text);
    const out = join(dir, 'lines.bin');
    const made = await tokenizeToFile({ path, out });
    expect(made).toEqual({ path: out, tokens: text.length, vocab: 256, dtype: 'uint16' });
    expect(Array.from(uint16s(out))).toEqual(Array.from(Buffer.from(text)));
    writeFileSync(path, 'no final newline');
    expect((await tokenizeToFile({ path, out })).tokens).toBe('no final newline'.length);
  });

  it('writes JSONL through GPT-2 BPE as textTokens tokenises it, readable as token data', async () => {
    const path = join(dir, 'stream.jsonl');
    writeFileSync(path, ['Hello world', 'The quick brown fox', 'Hello'].map((t) => JSON.stringify({ text: t })).join('\n') + '\n');
    const out = join(dir, 'stream.bin');
    const made = await tokenizeToFile({ path, out, tokenizer: 'gpt2' });
    const inMemory = textTokens({ path, tokenizer: 'gpt2', evalFraction: 0.5 });
    const want = new Int32Array(inMemory.trainLength + inMemory.evalLength);
    inMemory.read('train', 0, inMemory.trainLength, want, 0);
    inMemory.read('eval', 0, inMemory.evalLength, want, inMemory.trainLength);
    expect(made).toMatchObject({ tokens: want.length, vocab: 50257, dtype: 'uint16' });
    const data = tokens({ type: 'tokens', path: out, vocab: made.vocab, dtype: made.dtype, evalFraction: 0.25 });
    const all = new Int32Array(made.tokens);
    expect(Array.from(uint16s(out))).toEqual(Array.from(want));
    expect(data.corpus!.train + data.corpus!.eval).toBe(all.length);
    await expect(tokenizeToFile({ path: join(dir, 'absent.txt'), out })).rejects.toThrow('data.path: cannot read');
  });
});
