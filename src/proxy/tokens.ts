import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { InputError, show } from '../core/errors.js';

/**
 * Where a proxy's tokens come from: a flat binary token file read window by window (never loaded
 * whole), or a text / JSONL file tokenised in memory by bytes or a BPE (GPT-2, cl100k) tokenizer.
 * Both split into a training part and a held-out part that no training window overlaps.
 */
export interface TokenSource {
  /** What the tokens were read from, for messages. */
  path: string;
  vocab: number;
  /** Tokens available to training and to evaluation. */
  trainLength: number;
  evalLength: number;
  /** Copies `n` consecutive tokens from position `start` of the training (or held-out) part into `out` at `offset`. */
  read(part: 'train' | 'eval', start: number, n: number, out: Int32Array, offset: number): void;
}

/** A flat token file, as nanoGPT's prepare scripts and many pipelines write: little-endian, no header. */
export interface TokenFileOptions {
  path: string;
  /** @default 'uint16' */
  dtype?: 'uint16' | 'uint32';
  /** Vocabulary size; every token must be below it (GPT-2 tokens: 50257). */
  vocab: number;
  /** A separate held-out file (nanoGPT's val.bin); without it the file's tail is held out. */
  evalPath?: string;
  /** Fraction of the file, at its end, held out when there is no evalPath. @default 0.1 */
  evalFraction?: number;
}

/** Text or JSON Lines (one object per line, its `field` holding a document). */
export interface TextOptions {
  path: string;
  /** Fraction of the tokens, at the end, held out for evaluation. @default 0.1 */
  evalFraction?: number;
  /** 'bytes' (vocabulary 256), or a BPE tokenizer from js-tiktoken. @default 'bytes' */
  tokenizer?: Tokenizer;
  /** @default 'text', or 'jsonl' when the file name ends in .jsonl */
  format?: 'text' | 'jsonl';
  /** The JSONL field holding a document's text. @default 'text' */
  field?: string;
}

/** Tokenizers for text data: bytes (vocabulary 256), GPT-2 (50,257) and cl100k_base (100,277) BPE. */
export const tokenizers = ['bytes', 'gpt2', 'cl100k_base'] as const;
/** One of `tokenizers`. */
export type Tokenizer = (typeof tokenizers)[number];

const fds = new Map<string, number>();
const require = createRequire(import.meta.url);

function openFile(path: string, field: string): { fd: number; bytes: number } {
  if (typeof path !== 'string' || path === '') throw new InputError(`${field}: expected a file name, got ${show(path)}`, field);
  let fd = fds.get(path);
  try {
    if (fd === undefined) {
      fd = openSync(path, 'r');
      fds.set(path, fd);
    }
    return { fd, bytes: fstatSync(fd).size };
  } catch (error) {
    throw new InputError(`${field}: cannot read ${show(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, field);
  }
}

/** Closes the token files this process has open (they stay open between batches otherwise). */
export function closeTokenFiles(): void {
  for (const fd of fds.values()) closeSync(fd);
  fds.clear();
}

/**
 * Opens a token file. Each read is one positioned read of just the window asked for, so memory use
 * does not grow with the file (test/proxy/tokens.test.ts reads a 1 GiB file under a memory bound).
 */
export function tokenFile(options: TokenFileOptions): TokenSource {
  const { path, dtype = 'uint16', vocab, evalPath, evalFraction = 0.1 } = options;
  if (dtype !== 'uint16' && dtype !== 'uint32') throw new InputError(`data.dtype: expected "uint16" or "uint32", got ${show(dtype)}`, 'data.dtype');
  if (!(typeof vocab === 'number' && Number.isInteger(vocab) && vocab >= 2)) throw new InputError(`data.vocab: expected the vocabulary size (an integer >= 2), got ${show(vocab)}`, 'data.vocab');
  if (dtype === 'uint16' && vocab > 65536) throw new InputError(`data.vocab: ${vocab} tokens do not fit uint16 files; use dtype "uint32"`, 'data.vocab');
  if (!(evalFraction > 0 && evalFraction < 1)) throw new InputError(`data.evalFraction: expected a number in (0, 1), got ${show(evalFraction)}`, 'data.evalFraction');
  const width = dtype === 'uint16' ? 2 : 4;
  const main = openFile(path, 'data.path');
  if (main.bytes % width !== 0) throw new InputError(`data.dtype: ${show(path)} has ${main.bytes} bytes, not a whole number of ${dtype} tokens`, 'data.dtype');
  const held = evalPath !== undefined ? openFile(evalPath, 'data.evalPath') : undefined;
  if (held && held.bytes % width !== 0) throw new InputError(`data.dtype: ${show(evalPath)} has ${held.bytes} bytes, not a whole number of ${dtype} tokens`, 'data.dtype');
  const total = main.bytes / width;
  const trainLength = held ? total : Math.floor(total * (1 - evalFraction));
  const evalLength = held ? held.bytes / width : total - trainLength;
  let buffer = Buffer.alloc(0);
  return {
    path,
    vocab,
    trainLength,
    evalLength,
    read(part, start, n, out, offset) {
      const fd = part === 'train' || !held ? main.fd : held.fd;
      const base = part === 'train' || held ? 0 : trainLength;
      if (buffer.length < n * width) buffer = Buffer.alloc(n * width);
      const got = readSync(fd, buffer, 0, n * width, (base + start) * width);
      if (got !== n * width)
        throw new InputError(`data.path: ${show(part === 'eval' && held ? evalPath : path)} ended early (read ${got} of ${n * width} bytes at token ${base + start})`, 'data.path');
      for (let i = 0; i < n; i++) {
        const token = width === 2 ? buffer.readUInt16LE(2 * i) : buffer.readUInt32LE(4 * i);
        if (token >= vocab) throw new InputError(`data.vocab: token ${token} at position ${base + start + i} of ${show(path)} is not below the vocabulary size ${vocab}`, 'data.vocab');
        out[offset + i] = token;
      }
    },
  };
}

interface Encoder {
  vocab: number;
  /** Token ending each document in JSONL input. */
  separator: number[];
  encode(text: string): number[];
}

const encoders = new Map<Tokenizer, Encoder>();

/** A tokenizer by name: bytes, or js-tiktoken's GPT-2 / cl100k_base BPE (ranks loaded on first use). */
export function encoder(name: Tokenizer): Encoder {
  if (!tokenizers.includes(name)) throw new InputError(`data.tokenizer: expected one of ${tokenizers.join(', ')}, got ${show(name)}`, 'data.tokenizer');
  const known = encoders.get(name);
  if (known) return known;
  let made: Encoder;
  if (name === 'bytes') {
    const utf8 = new TextEncoder();
    made = { vocab: 256, separator: [10, 10], encode: (text) => Array.from(utf8.encode(text)) };
  } else {
    const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => { encode(text: string, allowed?: unknown, disallowed?: unknown): number[] } };
    const ranks = require(`js-tiktoken/ranks/${name}`) as { default?: unknown };
    const bpe = new Tiktoken(ranks.default ?? ranks);
    // n_vocab of the encodings (tiktoken's registry): GPT-2 50257 with <|endoftext|> = 50256;
    // cl100k_base 100277 with <|endoftext|> = 100257.
    const [vocab, eot] = name === 'gpt2' ? [50257, 50256] : [100277, 100257];
    // Special-token text inside a document is encoded as plain text, never as a control token.
    made = { vocab, separator: [eot], encode: (text) => bpe.encode(text, [], []) };
  }
  encoders.set(name, made);
  return made;
}

/** Tokenises a text or JSONL file in memory; the last evalFraction of its tokens is held out. */
export function textTokens(options: TextOptions): TokenSource {
  const { path, evalFraction = 0.1, tokenizer = 'bytes', field = 'text' } = options;
  if (typeof path !== 'string' || path === '') throw new InputError(`data.path: expected a file name, got ${show(path)}`, 'data.path');
  if (!(evalFraction > 0 && evalFraction < 1)) throw new InputError(`data.evalFraction: expected a number in (0, 1), got ${show(evalFraction)}`, 'data.evalFraction');
  const format = options.format ?? (path.endsWith('.jsonl') ? 'jsonl' : 'text');
  if (format !== 'text' && format !== 'jsonl') throw new InputError(`data.format: expected "text" or "jsonl", got ${show(format)}`, 'data.format');
  const enc = encoder(tokenizer);
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new InputError(`data.path: cannot read ${show(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'data.path');
  }
  let tokens: Uint8Array | Uint32Array;
  if (format === 'text' && tokenizer === 'bytes') tokens = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  else if (format === 'text') tokens = Uint32Array.from(enc.encode(raw.toString('utf8')));
  else {
    const all: number[] = [];
    raw
      .toString('utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        let doc: unknown;
        try {
          doc = (JSON.parse(line) as Record<string, unknown>)[field];
        } catch {
          throw new InputError(`data.path: line ${i + 1} of ${show(path)} is not JSON`, 'data.path');
        }
        if (typeof doc !== 'string') throw new InputError(`data.field: line ${i + 1} of ${show(path)} has no string field ${show(field)}`, 'data.field');
        for (const t of enc.encode(doc)) all.push(t);
        all.push(...enc.separator);
      });
    tokens = Uint32Array.from(all);
  }
  const trainLength = Math.floor(tokens.length * (1 - evalFraction));
  return {
    path,
    vocab: enc.vocab,
    trainLength,
    evalLength: tokens.length - trainLength,
    read(part, start, n, out, offset) {
      const base = part === 'train' ? 0 : trainLength;
      for (let i = 0; i < n; i++) out[offset + i] = tokens[base + start + i]!;
    },
  };
}

/** Options of `tokenizeToFile`: the input as for text data, and where the token file goes. */
export interface TokenizeOptions extends Omit<TextOptions, 'evalFraction'> {
  /** The token file to write (replaced if it exists). */
  out: string;
  /** @default 'uint16' when the vocabulary fits, else 'uint32' */
  dtype?: 'uint16' | 'uint32';
}

/**
 * Tokenises a text or JSONL file of any size into a flat token file (`{"type": "tokens"}` data),
 * streaming: one line in memory at a time. Text is encoded line by line (each with its newline),
 * so BPE merges never cross a line break (and CRLF line ends become LF); JSONL documents are joined by the end-of-text token as
 * in `textTokens`. Returns the token count, vocabulary and dtype to put in the data spec.
 */
export async function tokenizeToFile(options: TokenizeOptions): Promise<{ path: string; tokens: number; vocab: number; dtype: 'uint16' | 'uint32' }> {
  const { path, out, tokenizer = 'bytes', field = 'text' } = options;
  if (typeof path !== 'string' || path === '') throw new InputError(`data.path: expected a file name, got ${show(path)}`, 'data.path');
  if (typeof out !== 'string' || out === '') throw new InputError(`out: expected a file name, got ${show(out)}`, 'out');
  const format = options.format ?? (path.endsWith('.jsonl') ? 'jsonl' : 'text');
  if (format !== 'text' && format !== 'jsonl') throw new InputError(`data.format: expected "text" or "jsonl", got ${show(format)}`, 'data.format');
  const enc = encoder(tokenizer);
  const dtype = options.dtype ?? (enc.vocab <= 65536 ? 'uint16' : 'uint32');
  if (dtype === 'uint16' && enc.vocab > 65536) throw new InputError(`dtype: the ${tokenizer} vocabulary (${enc.vocab}) does not fit uint16`, 'dtype');
  const width = dtype === 'uint16' ? 2 : 4;
  let input: ReturnType<typeof createReadStream>;
  try {
    closeSync(openSync(path, 'r'));
    input = createReadStream(path, { encoding: 'utf8' });
  } catch (error) {
    throw new InputError(`data.path: cannot read ${show(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'data.path');
  }
  const fd = openSync(out, 'w');
  const buffer = Buffer.alloc(1 << 20);
  let used = 0;
  let count = 0;
  const flush = () => {
    writeSync(fd, buffer, 0, used);
    used = 0;
  };
  const put = (tokens: number[]) => {
    for (const t of tokens) {
      if (used + width > buffer.length) flush();
      if (width === 2) buffer.writeUInt16LE(t, used);
      else buffer.writeUInt32LE(t, used);
      used += width;
      count++;
    }
  };
  try {
    let line = 0;
    let pending: string | undefined;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      if (format === 'text') {
        // Each line is written once the next one is seen, so the last line gets no newline it never had.
        if (pending !== undefined) put(enc.encode(pending + '\n'));
        pending = text;
        continue;
      }
      if (text.trim() === '') continue;
      let doc: unknown;
      try {
        doc = (JSON.parse(text) as Record<string, unknown>)[field];
      } catch {
        throw new InputError(`data.path: line ${line} of ${show(path)} is not JSON`, 'data.path');
      }
      if (typeof doc !== 'string') throw new InputError(`data.field: line ${line} of ${show(path)} has no string field ${show(field)}`, 'data.field');
      put(enc.encode(doc));
      put(enc.separator);
    }
    if (pending !== undefined) put(enc.encode(pending + (readFileTail(path) === '\n' ? '\n' : '')));
    flush();
  } finally {
    closeSync(fd);
  }
  return { path: out, tokens: count, vocab: enc.vocab, dtype };
}

/** The last character of a file (to keep a final newline), read without loading the file. */
function readFileTail(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return '';
    const one = Buffer.alloc(1);
    readSync(fd, one, 0, 1, size - 1);
    return one.toString('latin1');
  } finally {
    closeSync(fd);
  }
}
