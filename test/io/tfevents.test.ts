import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetWarnings, setWarn } from '../../src/core/warn.js';
import { importEventDir, maskedCrc, readEventFile } from '../../src/io/tfevents.js';
import { writeEventFile } from './event-file.js';

let warnings: string[];
let previous: (m: string) => void;
beforeEach(() => {
  warnings = [];
  resetWarnings();
  previous = setWarn((m) => warnings.push(m));
});
afterEach(() => setWarn(previous));

describe('TensorBoard event files', () => {
  it('computes the masked CRC-32C of TFRecord framing', () => {
    // CRC-32C("123456789") = 0xE3069283 (RFC 3720 check value), masked
    const crc = 0xe3069283;
    expect(maskedCrc(Buffer.from('123456789'))).toBe((((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0);
    // every TensorBoard event file starts with the 24-byte file_version record: bytes 18 00 .. 00 a3 7f 4b 22
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(24n);
    expect(maskedCrc(length)).toBe(0x224b7fa3);
  });

  it('reads simple values and TF 2 scalar tensors, and ignores a torn last record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-tb-'));
    const file = join(dir, 'events.out.tfevents.1700000000.host.1.0');
    writeEventFile(file, [
      { step: 10, tag: 'train/loss', value: 3.5 },
      { step: 10, tag: 'lr', value: 0.001, tensor: true },
      { step: 20, tag: 'train/loss', value: 3.0 },
    ]);
    expect(readEventFile(file)).toEqual([
      { step: 10, wallTime: 1.7e9 + 10, tag: 'train/loss', value: 3.5 },
      { step: 10, wallTime: 1.7e9 + 10, tag: 'lr', value: Math.fround(0.001) },
      { step: 20, wallTime: 1.7e9 + 20, tag: 'train/loss', value: 3.0 },
    ]);
    writeEventFile(
      file,
      [
        { step: 10, tag: 'train/loss', value: 3.5 },
        { step: 20, tag: 'train/loss', value: 3.0 },
      ],
      { truncate: 5 },
    );
    expect(readEventFile(file).map((e) => e.step)).toEqual([10]);
    expect(warnings).toEqual([expect.stringMatching(/: ignoring a truncated record at byte \d+ \(a file still being written\)$/)]);
  });

  it('maps a log directory to runs, one per directory of event files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalelaw-tb-'));
    for (const [name, scale] of [
      ['small', 1],
      ['big', 0.8],
    ] as const) {
      mkdirSync(join(dir, name));
      writeEventFile(join(dir, name, 'events.out.tfevents.1.host'), [
        { step: 100, tag: 'train/loss', value: 4 * scale },
        { step: 100, tag: 'eval/loss', value: 4.25 * scale },
        { step: 200, tag: 'train/loss', value: 3 * scale },
        { step: 200, tag: 'eval/loss', value: 3.25 * scale },
      ]);
    }
    const runs = importEventDir(dir, { family: 'gpt' });
    expect(runs.map((r) => r.config)).toEqual([
      { id: 'big', family: 'gpt', tags: { name: 'big' } },
      { id: 'small', family: 'gpt', tags: { name: 'small' } },
    ]);
    expect(runs[1]!.trajectory).toEqual([
      { step: 100, trainLoss: 4, evalLoss: 4.25, wallTime: 1.7e9 + 100 },
      { step: 200, trainLoss: 3, evalLoss: 3.25, wallTime: 1.7e9 + 200 },
    ]);
  });
});
