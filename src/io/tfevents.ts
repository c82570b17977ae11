import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError, show } from '../core/errors.js';
import type { Run, TrajectoryPoint } from '../core/run.js';
import { warn } from '../core/warn.js';
import { metricKey, runIdFromName, type ImportOptions } from './import-wandb.js';

/** One scalar read from an event file. */
export interface ScalarEvent {
  step: number;
  wallTime: number;
  tag: string;
  value: number;
}

/**
 * Reads the scalars of one TensorBoard event file (`events.out.tfevents.*`): TFRecord framing
 * (length, masked CRC, Event protobuf, masked CRC) around `Event { wall_time = 1; step = 2;
 * summary = 5 }`, each `Summary.Value { tag = 1; simple_value = 2 | tensor = 8 }` (TF 1 and
 * PyTorch's SummaryWriter write simple_value; TF 2 a float or double scalar tensor). Histograms,
 * images and text are skipped. A truncated last record (a file still being written) ends the read
 * with a warning.
 */
export function readEventFile(path: string): ScalarEvent[] {
  const bytes = readFileSync(path);
  const out: ScalarEvent[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) {
      warn(`${path}: ignoring a truncated record at byte ${at} (a file still being written)`);
      break;
    }
    const length = Number(bytes.readBigUInt64LE(at));
    if (maskedCrc(bytes.subarray(at, at + 8)) !== bytes.readUInt32LE(at + 8)) throw new InputError(`${path}: byte ${at}: not a TensorBoard event file (record length checksum fails)`, 'path');
    const start = at + 12;
    if (start + length + 4 > bytes.length) {
      warn(`${path}: ignoring a truncated record at byte ${at} (a file still being written)`);
      break;
    }
    const data = bytes.subarray(start, start + length);
    if (maskedCrc(data) !== bytes.readUInt32LE(start + length)) throw new InputError(`${path}: byte ${at}: record checksum fails (a damaged event file)`, 'path');
    event(data, out);
    at = start + length + 4;
  }
  return out;
}

function event(data: Uint8Array, out: ScalarEvent[]): void {
  let wallTime = 0;
  let step = 0;
  const summaries: Uint8Array[] = [];
  for (const f of fields(data)) {
    if (f.no === 1 && f.wire === 1) wallTime = f.double!;
    else if (f.no === 2 && f.wire === 0) step = Number(f.varint!);
    else if (f.no === 5 && f.wire === 2) summaries.push(f.bytes!);
  }
  for (const summary of summaries) {
    for (const v of fields(summary)) {
      if (v.no !== 1 || v.wire !== 2) continue;
      let tag = '';
      let value: number | undefined;
      for (const f of fields(v.bytes!)) {
        if (f.no === 1 && f.wire === 2) tag = Buffer.from(f.bytes!).toString('utf8');
        else if (f.no === 2 && f.wire === 5) value = f.float!;
        else if (f.no === 8 && f.wire === 2) value = tensorScalar(f.bytes!);
      }
      if (value !== undefined && tag !== '') out.push({ step, wallTime, tag, value });
    }
  }
}

// TensorProto: dtype = 1 (DT_FLOAT 1, DT_DOUBLE 2), tensor_content = 4, float_val = 5, double_val = 6.
function tensorScalar(data: Uint8Array): number | undefined {
  let dtype = 0;
  let content: Uint8Array | undefined;
  const floats: number[] = [];
  const doubles: number[] = [];
  for (const f of fields(data)) {
    if (f.no === 1 && f.wire === 0) dtype = Number(f.varint!);
    else if (f.no === 4 && f.wire === 2) content = f.bytes!;
    else if (f.no === 5 && f.wire === 5) floats.push(f.float!);
    else if (f.no === 5 && f.wire === 2) for (let i = 0; i + 4 <= f.bytes!.length; i += 4) floats.push(view(f.bytes!).getFloat32(i, true));
    else if (f.no === 6 && f.wire === 1) doubles.push(f.double!);
    else if (f.no === 6 && f.wire === 2) for (let i = 0; i + 8 <= f.bytes!.length; i += 8) doubles.push(view(f.bytes!).getFloat64(i, true));
  }
  if (floats.length === 1) return floats[0];
  if (doubles.length === 1) return doubles[0];
  if (content && dtype === 1 && content.length === 4) return view(content).getFloat32(0, true);
  if (content && dtype === 2 && content.length === 8) return view(content).getFloat64(0, true);
  return undefined;
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

interface Field {
  no: number;
  wire: number;
  varint?: bigint;
  double?: number;
  float?: number;
  bytes?: Uint8Array;
}

/** The fields of one protobuf message (wire types 0, 1, 2, 5). */
function* fields(data: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= data.length) throw new InputError('event file: a protobuf varint runs past its message', 'path');
      const b = data[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < data.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, varint: varint() };
    else if (wire === 1) {
      yield { no, wire, double: view(data).getFloat64(at, true) };
      at += 8;
    } else if (wire === 2) {
      const n = Number(varint());
      yield { no, wire, bytes: data.subarray(at, at + n) };
      at += n;
    } else if (wire === 5) {
      yield { no, wire, float: view(data).getFloat32(at, true) };
      at += 4;
    } else throw new InputError(`event file: unsupported protobuf wire type ${wire}`, 'path');
  }
}

// CRC-32C (Castagnoli), masked as TFRecord does: ((crc >>> 15) | (crc << 17)) + 0xa282ead8.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The masked CRC-32C of TFRecord framing. */
export function maskedCrc(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  const crc = (c ^ 0xffffffff) >>> 0;
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/**
 * Reads a directory of TensorBoard logs as runs: every directory holding `events.out.tfevents.*`
 * files is one run, named by its path below `dir` (TensorBoard's own rule); its files are merged
 * step by step, and tags become trajectory keys as in `metricKey` (`train/loss` is `trainLoss`
 * where the name says so). A step logged twice for one tag (a restarted job) keeps the later value,
 * with a warning.
 *
 * @example importEventDir('logs/') // logs/small/events.out.tfevents.1700000000.host.1.0 -> run 'small'
 */
export function importEventDir(dir: string, options: ImportOptions = {}): Run[] {
  const { family = 'imported', nonFinite = 'error' } = options;
  const byRun = new Map<string, string[]>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.includes('tfevents')) {
        const name = relative(dir, d) || '.';
        byRun.set(name, [...(byRun.get(name) ?? []), p]);
      }
    }
  };
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir}: not a directory of TensorBoard logs`, 'path');
  walk(dir);
  const runs: Run[] = [];
  for (const [name, files] of [...byRun].sort((a, b) => a[0].localeCompare(b[0]))) {
    const points = new Map<number, TrajectoryPoint>();
    const seen = new Set<string>();
    for (const file of files.sort()) {
      for (const e of readEventFile(file)) {
        if (!Number.isFinite(e.value) && nonFinite === 'error')
          throw new InputError(`${file}: step ${e.step}, tag ${show(e.tag)}: value is ${e.value}; pass nonFinite: 'keep' for a diverged run`, 'value');
        const key = metricKey(e.tag);
        const point = points.get(e.step) ?? { step: e.step };
        if (seen.has(`${e.step} ${key}`)) warn(`${file}: step ${e.step}, tag ${show(e.tag)} logged again; keeping the later value`);
        seen.add(`${e.step} ${key}`);
        point[key] = e.value;
        point.wallTime = e.wallTime;
        points.set(e.step, point);
      }
    }
    if (points.size === 0) continue;
    const runName = name === '.' ? (dir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'run') : name;
    runs.push({ config: { id: runIdFromName(runName), family, tags: { name: runName } }, trajectory: [...points.values()].sort((a, b) => a.step - b.step) });
  }
  return runs;
}
