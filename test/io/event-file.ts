// Writes TensorBoard event files for tests: TFRecord framing around Event protobufs, encoded here
// from tensorflow/core/util/event.proto and framework/summary.proto (field numbers in comments).
import { writeFileSync } from 'node:fs';
import { maskedCrc } from '../../src/io/tfevents.js';

const varint = (n: number | bigint): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
};
const key = (no: number, wire: number) => varint((no << 3) | wire);
const bytes = (no: number, data: number[] | Buffer) => [...key(no, 2), ...varint(data.length), ...data];
const double = (no: number, v: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...key(no, 1), ...b];
};
const float = (no: number, v: number) => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [...key(no, 5), ...b];
};

/** One scalar: simple_value (TF 1, PyTorch) or a float32 scalar tensor in tensor_content (TF 2). */
export interface TestScalar {
  step: number;
  tag: string;
  value: number;
  wallTime?: number;
  tensor?: boolean;
}

function event(payload: number[]): Buffer {
  const data = Buffer.from(payload);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  const crc = (b: Buffer) => {
    const c = Buffer.alloc(4);
    c.writeUInt32LE(maskedCrc(b));
    return c;
  };
  return Buffer.concat([length, crc(length), data, crc(data)]);
}

/** Writes an event file: the file_version event first, as every writer does, then the scalars. */
export function writeEventFile(path: string, scalars: readonly TestScalar[], options: { truncate?: number } = {}): void {
  const records = [event([...double(1, 1.7e9), ...bytes(3, Buffer.from('brain.Event:2'))])]; // wall_time = 1, file_version = 3
  for (const s of scalars) {
    const f32 = Buffer.alloc(4);
    f32.writeFloatLE(s.value);
    // Summary.Value: tag = 1, simple_value = 2, tensor = 8 (TensorProto: dtype = 1 (DT_FLOAT = 1), tensor_content = 4)
    const value = [...bytes(1, Buffer.from(s.tag)), ...(s.tensor ? bytes(8, [...key(1, 0), ...varint(1), ...bytes(4, f32)]) : float(2, s.value))];
    // Event: wall_time = 1, step = 2, summary = 5 (Summary: value = 1)
    records.push(event([...double(1, s.wallTime ?? 1.7e9 + s.step), ...key(2, 0), ...varint(s.step), ...bytes(5, bytes(1, value))]));
  }
  const all = Buffer.concat(records);
  writeFileSync(path, options.truncate ? all.subarray(0, all.length - options.truncate) : all);
}
