import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, show } from '../core/errors.js';
import type { RunConfig, RunStatus, RunSummary, TrajectoryPoint } from '../core/run.js';
import type { RunStore, RunWriter } from '../io/store.js';
import type { ExternalTrainerSpec, SweepSpec } from './sweep-spec.js';
import type { ClaimSettings, RunOutcome } from './sweep-run.js';

/** One run of an external-trainer sweep: its store config and the fields its command is filled from. */
export interface ExternalRun {
  run: RunConfig;
  /** The expanded run config: the spec's base with this run's axis values. */
  config: Record<string, unknown>;
  /** Optimizer steps, where the config says (`steps`, `max_iters`), for progress. */
  steps?: number;
}

const AXIS = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELD = /\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks a spec's `trainer` and returns it with its defaults. */
export function checkTrainer(trainer: unknown): Required<Omit<ExternalTrainerSpec, 'env' | 'cwd'>> & Pick<ExternalTrainerSpec, 'env' | 'cwd'> {
  if (!isObject(trainer)) throw new InputError(`sweep.trainer: expected an object with "command", got ${show(trainer)}`, 'trainer');
  const { command, progress = 'stdout', family = 'external', env, cwd, retries = 1 } = trainer as unknown as ExternalTrainerSpec;
  if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string' && c !== '')) {
    throw new InputError(`sweep.trainer.command: expected a non-empty array of strings (the program and its arguments), got ${show(command)}`, 'trainer.command');
  }
  if (typeof progress !== 'string' || progress === '') throw new InputError(`sweep.trainer.progress: expected "stdout" or a file name, got ${show(progress)}`, 'trainer.progress');
  if (typeof family !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(family))
    throw new InputError(`sweep.trainer.family: expected a name of letters, digits, _ . -, got ${show(family)}`, 'trainer.family');
  if (env !== undefined && (!isObject(env) || !Object.values(env).every((v) => typeof v === 'string'))) {
    throw new InputError(`sweep.trainer.env: expected an object of strings, got ${show(env)}`, 'trainer.env');
  }
  if (cwd !== undefined && typeof cwd !== 'string') throw new InputError(`sweep.trainer.cwd: expected a directory, got ${show(cwd)}`, 'trainer.cwd');
  if (!(Number.isInteger(retries) && retries >= 0)) throw new InputError(`sweep.trainer.retries: expected an integer >= 0, got ${show(retries)}`, 'trainer.retries');
  return { command, progress, family, retries, ...(env ? { env } : {}), ...(cwd !== undefined ? { cwd } : {}) };
}

/**
 * Every run of an external-trainer sweep, in spec order, duplicates removed. Axes may have any
 * name; an axis value that is an object is merged into the base's object of that name. The run id
 * is the family, the axis values and a hash of the whole config (not of the command, so moving the
 * script does not orphan finished runs): the same config finds its run again.
 */
export function expandExternal(spec: SweepSpec): ExternalRun[] {
  if (!isObject(spec)) throw new InputError(`sweep: expected an object with "base", "trainer" and "grid" or "list", got ${show(spec)}`, 'sweep');
  const trainer = checkTrainer(spec.trainer);
  const base = (spec.base ?? {}) as Record<string, unknown>;
  if (!isObject(base)) throw new InputError(`sweep.base: expected an object, got ${show(spec.base)}`, 'base');
  let points: Record<string, unknown>[] = [{}];
  const checkAxis = (name: string, where: string) => {
    if (!AXIS.test(name)) throw new InputError(`${where}: axis ${show(name)}: expected letters, digits and _`, where);
  };
  if (spec.list !== undefined) {
    if (!Array.isArray(spec.list) || spec.list.length === 0) throw new InputError(`sweep.list: expected a non-empty array, got ${show(spec.list)}`, 'list');
    spec.list.forEach((entry, i) => {
      if (!isObject(entry)) throw new InputError(`sweep.list[${i}]: expected an object, got ${show(entry)}`, 'list');
      Object.keys(entry).forEach((k) => checkAxis(k, `sweep.list[${i}]`));
    });
    points = spec.list.map((e) => ({ ...e }));
  }
  if (spec.grid !== undefined) {
    if (!isObject(spec.grid)) throw new InputError(`sweep.grid: expected an object of axes, got ${show(spec.grid)}`, 'grid');
    for (const [axis, values] of Object.entries(spec.grid)) {
      checkAxis(axis, 'sweep.grid');
      if (!Array.isArray(values) || values.length === 0) throw new InputError(`sweep.grid.${axis}: empty axis; expected a non-empty array, got ${show(values)}`, `grid.${axis}`);
      points = points.flatMap((p) => values.map((v) => ({ ...p, [axis]: v })));
    }
  }
  const seen = new Set<string>();
  const runs: ExternalRun[] = [];
  points.forEach((point, i) => {
    const config = structuredClone(base);
    for (const [axis, value] of Object.entries(point)) config[axis] = isObject(value) && isObject(config[axis]) ? { ...config[axis], ...value } : structuredClone(value);
    const hash = createHash('sha256')
      .update(canonical({ family: trainer.family, config }))
      .digest('hex')
      .slice(0, 10);
    const label = Object.entries(point)
      .map(([k, v]) => `${k}=${isObject(v) || Array.isArray(v) ? 'x' : String(v)}`)
      .join(',')
      .replace(/[^A-Za-z0-9_.,=+@-]+/g, '_')
      .slice(0, 150);
    const id = `${trainer.family}-${label ? label + '-' : ''}${hash}`;
    if (seen.has(id)) return;
    seen.add(id);
    const num = (...keys: string[]): number | undefined => {
      for (const k of keys) if (typeof config[k] === 'number' && Number.isFinite(config[k])) return config[k];
      return undefined;
    };
    const seed = num('seed') ?? 0;
    const N = num('N', 'params');
    const D = num('D', 'tokens');
    const batchSize = num('batchSize', 'batch_size');
    const seqLen = num('seqLen', 'context', 'block_size');
    const steps = num('steps', 'max_iters');
    const run: RunConfig = {
      id,
      family: trainer.family,
      ...(N !== undefined ? { N } : {}),
      ...(D !== undefined ? { D } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(seqLen !== undefined ? { seqLen } : {}),
      ...(isObject(config.schedule) && typeof config.schedule.type === 'string' ? { schedule: config.schedule as unknown as RunConfig['schedule'] } : {}),
      seed,
      extra: { config, trainer: { command: trainer.command } },
    };
    // Every placeholder must resolve before anything runs.
    fill(trainer, fieldsOf(run, config, '/run/dir', 'progress.jsonl'), `sweep run ${i} ${show(point)}`);
    runs.push({ run, config, ...(steps !== undefined ? { steps } : {}) });
  });
  return runs;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The template fields of a run: its config flattened (`schedule.type`), and runDir, runId, id, seed, progressFile. */
function fieldsOf(run: RunConfig, config: Record<string, unknown>, runDir: string, progressFile: string): Map<string, string> {
  const fields = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (path) fields.set(path, typeof value === 'string' ? value : JSON.stringify(value));
    if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(config, '');
  fields.set('runDir', runDir);
  fields.set('runId', run.id);
  fields.set('id', run.id);
  fields.set('seed', String(run.seed ?? 0));
  fields.set('progressFile', progressFile);
  return fields;
}

function fillOne(text: string, fields: Map<string, string>, where: string): string {
  return text.replace(FIELD, (_, name: string) => {
    const value = fields.get(name);
    if (value === undefined) {
      throw new InputError(`${where}: unknown field {${name}} in ${show(text)}; fields: ${[...fields.keys()].join(', ')}`, name);
    }
    return value;
  });
}

function fill(trainer: ReturnType<typeof checkTrainer>, fields: Map<string, string>, where: string) {
  return {
    argv: trainer.command.map((c, j) => fillOne(c, fields, `${where}: trainer.command[${j}]`)),
    progress: trainer.progress === 'stdout' ? undefined : fillOne(trainer.progress, fields, `${where}: trainer.progress`),
    env: Object.fromEntries(Object.entries(trainer.env ?? {}).map(([k, v]) => [k, fillOne(v, fields, `${where}: trainer.env.${k}`)])),
  };
}

/** A progress line that breaks the protocol. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
// Python's json.dumps writes NaN and Infinity bare, which JSON.parse refuses.
const BARE = /([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g;

/** What one progress line says. */
export type ProgressLine = { kind: 'point'; point: TrajectoryPoint } | { kind: 'summary'; summary: Partial<RunSummary> & Record<string, unknown> } | { kind: 'log' };

/**
 * Parses one line of the trainer protocol (docs/trainer-protocol.md): a JSON object that is a
 * progress point (`step` and numbers; snake_case keys become camelCase: `train_loss` is
 * `trainLoss`), a summary (`"type": "summary"`), or a message to ignore (`"type": "log"`).
 * Non-finite numbers may be bare (`NaN`, as Python writes them) or strings.
 */
export function parseProgressLine(line: string, where: string): ProgressLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    try {
      value = JSON.parse(line.replace(BARE, '$1"$2"'));
    } catch {
      throw new ProtocolError(`${where}: not a JSON object: ${show(line)}`);
    }
  }
  if (!isObject(value)) throw new ProtocolError(`${where}: not a JSON object: ${show(line)}`);
  const { type = 'progress', ...rest } = value;
  if (type === 'log') return { kind: 'log' };
  if (type !== 'progress' && type !== 'summary') throw new ProtocolError(`${where}: "type" must be progress, summary or log, got ${show(type)}`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(rest)) {
    const k = camel(key);
    if (typeof v === 'string' && v in NON_FINITE) out[k] = NON_FINITE[v];
    else if (typeof v === 'number') out[k] = v;
    else if (type === 'summary' && (k === 'status' || k === 'reason' || k === 'backend') && typeof v === 'string') out[k] = v;
    else if (v !== null) throw new ProtocolError(`${where}: ${key} must be a number, got ${show(v)}`);
  }
  if (type === 'summary') {
    const status = (out.status ?? 'finished') as RunStatus;
    if (!['finished', 'diverged', 'failed'].includes(status)) throw new ProtocolError(`${where}: summary status must be finished, diverged or failed, got ${show(status)}`);
    return { kind: 'summary', summary: { ...out, status } };
  }
  const step = out.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new ProtocolError(`${where}: step must be a non-negative integer, got ${show(rest.step)}`);
  return { kind: 'point', point: out as TrajectoryPoint };
}

/** Options of `runExternal`. */
export interface ExternalRunOptions extends ClaimSettings {
  /** Working directory of the command. */
  cwd: string;
  onStep?: (step: number, steps: number) => void;
}

/**
 * Claims one run and trains it with the external command, recording its progress lines into the
 * store as they come. A trainer that crashes is started again up to `retries` times (each start a
 * fresh claim, so the partial trajectory is kept apart); after the last, the run ends 'failed' with
 * the exit status and the end of its stderr. A line that breaks the protocol stops the trainer and
 * fails the run with a message naming the run and the line (not retried: it would happen again).
 */
export async function runExternal(store: RunStore, ext: ExternalRun, trainerSpec: ExternalTrainerSpec, options: ExternalRunOptions): Promise<RunOutcome> {
  const trainer = checkTrainer(trainerSpec);
  let reclaimed = false;
  for (let attempt = 0; ; attempt++) {
    const claim = store.claim(ext.run, { owner: options.owner, leaseSeconds: options.leaseSeconds, retry: ['failed'] });
    if (!claim.claimed) {
      if (claim.reason === 'ended') return { type: 'skip', reason: 'ended', status: claim.status };
      return { type: 'skip', reason: 'busy', holder: claim.holder };
    }
    reclaimed ||= claim.reclaimed !== undefined && attempt === 0;
    const last = attempt >= trainer.retries;
    const result = await attemptRun(claim.writer, ext, trainer, options, claim.previous, last);
    if (result.type === 'done') return reclaimed ? { ...result, reclaimed } : result;
    // crashed with retries left: the writer is closed without a summary; the next claim keeps it apart
  }
}

type Attempt = { type: 'done'; status: RunStatus; reason?: string } | { type: 'crashed' };

async function attemptRun(writer: RunWriter, ext: ExternalRun, trainer: ReturnType<typeof checkTrainer>, options: ExternalRunOptions, previous: string | undefined, last: boolean): Promise<Attempt> {
  const id = ext.run.id;
  const progressName = trainer.progress === 'stdout' ? undefined : fillOne(trainer.progress, fieldsOf(ext.run, ext.config, writer.dir, ''), `run ${id}: trainer.progress`);
  const progressPath = progressName === undefined ? undefined : isAbsolute(progressName) ? progressName : join(writer.dir, progressName);
  if (progressPath && existsSync(progressPath)) {
    // The earlier attempt's progress file goes with its trajectory.
    if (previous) renameSync(progressPath, join(previous, 'progress.jsonl'));
    else rmSync(progressPath);
  }
  const { argv, env } = fill(trainer, fieldsOf(ext.run, ext.config, writer.dir, progressPath ?? ''), `run ${id}`);
  const logPath = join(writer.dir, 'trainer.log');
  const log = openSync(logPath, 'a');
  const where = progressPath ? `run ${id}: ${progressPath}` : `run ${id}: trainer stdout`;
  let stderrTail = '';
  let lineNo = 0;
  let buffered = '';
  let protocolError: string | undefined;
  let summary: (Partial<RunSummary> & Record<string, unknown>) | undefined;
  let lastPoint: TrajectoryPoint | undefined;
  let lastEval: number | undefined;
  const started = performance.now();

  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: resolve(options.cwd, trainer.cwd ?? '.'),
    env: {
      ...process.env,
      ...env,
      SCALELAW_RUN_ID: id,
      SCALELAW_RUN_DIR: writer.dir,
      SCALELAW_SEED: String(ext.run.seed ?? 0),
      SCALELAW_PROGRESS: progressPath ?? '',
      SCALELAW_CONFIG: JSON.stringify(ext.config),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) writer.setChild(child.pid);

  const handle = (line: string) => {
    lineNo++;
    if (protocolError !== undefined || line.trim() === '') return;
    try {
      const parsed = parseProgressLine(line, `${where}: line ${lineNo}`);
      if (parsed.kind === 'point') {
        if (summary) throw new ProtocolError(`${where}: line ${lineNo}: a progress line after the summary line`);
        if (lastPoint && parsed.point.step <= lastPoint.step) {
          throw new ProtocolError(`${where}: line ${lineNo}: step ${parsed.point.step} after step ${lastPoint.step}; steps must increase`);
        }
        writer.append(parsed.point);
        lastPoint = parsed.point;
        if (parsed.point.evalLoss !== undefined) lastEval = parsed.point.evalLoss;
        if (ext.steps) options.onStep?.(parsed.point.step, ext.steps);
      } else if (parsed.kind === 'summary') summary = parsed.summary;
    } catch (error) {
      protocolError = error instanceof Error ? error.message : String(error);
      child.kill('SIGKILL');
    }
  };
  const feed = (text: string) => {
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) handle(line);
  };

  let offset = 0;
  const pollFile = () => {
    if (!progressPath || !existsSync(progressPath)) return;
    const fd = openSync(progressPath, 'r');
    try {
      const chunk = Buffer.alloc(1 << 16);
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, offset);
        if (n <= 0) break;
        offset += n;
        feed(chunk.subarray(0, n).toString('utf8'));
      }
    } finally {
      closeSync(fd);
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    if (progressPath) writeSync(log, chunk);
    else feed(chunk.toString('utf8'));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    writeSync(log, chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  const timer = progressPath ? setInterval(pollFile, 100) : undefined;
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((done) => {
    child.on('error', (error) => done({ code: null, signal: null, error }));
    child.on('close', (code, signal) => done({ code, signal }));
  });
  if (timer) clearInterval(timer);
  pollFile();
  closeSync(log);
  const clean = exit.code === 0 && !exit.error;
  // A last line without its newline is complete when the trainer exited cleanly, torn otherwise.
  if (buffered.trim() !== '' && clean) handle(buffered);
  buffered = '';

  const wallSeconds = (performance.now() - started) / 1000;
  if (protocolError !== undefined) {
    writer.finish({ status: 'failed', steps: lastPoint?.step ?? 0, wallSeconds, reason: protocolError });
    return { type: 'done', status: 'failed', reason: protocolError };
  }
  if (clean && summary) {
    const full = toSummary(summary, lastPoint, lastEval, wallSeconds);
    const N = typeof summary.N === 'number' ? summary.N : typeof summary.params === 'number' ? summary.params : undefined;
    writer.finish(full, N !== undefined && ext.run.N === undefined ? { ...ext.run, N } : undefined);
    return { type: 'done', status: full.status, ...(full.reason ? { reason: full.reason } : {}) };
  }
  const how = exit.error
    ? `could not start ${show(argv[0])}: ${exit.error.message}`
    : exit.signal
      ? `killed by ${exit.signal}`
      : exit.code !== 0
        ? `exited with code ${exit.code}`
        : 'exited without a summary line';
  const reason = `trainer ${how}${stderrTail.trim() ? `; stderr ends: ${stderrTail.trim().split('\n').slice(-3).join(' | ')}` : ''} (log: ${logPath})`;
  if (!last && !exit.error) {
    writer.close();
    return { type: 'crashed' };
  }
  writer.finish({ status: 'failed', steps: lastPoint?.step ?? 0, wallSeconds, reason });
  return { type: 'done', status: 'failed', reason };
}

function toSummary(line: Partial<RunSummary> & Record<string, unknown>, last: TrajectoryPoint | undefined, lastEval: number | undefined, wallSeconds: number): RunSummary {
  const summary: RunSummary = {
    ...line,
    status: line.status ?? 'finished',
    steps: typeof line.steps === 'number' ? line.steps : (last?.step ?? 0),
    wallSeconds: typeof line.wallSeconds === 'number' ? line.wallSeconds : wallSeconds,
  };
  if (summary.tokens === undefined && last?.tokens !== undefined) summary.tokens = last.tokens;
  if (summary.flops === undefined && last?.flops !== undefined) summary.flops = last.flops;
  if (summary.finalTrainLoss === undefined && last?.trainLoss !== undefined) summary.finalTrainLoss = last.trainLoss;
  if (summary.finalEvalLoss === undefined && lastEval !== undefined) summary.finalEvalLoss = lastEval;
  summary.backend = typeof line.backend === 'string' ? line.backend : 'external';
  return summary;
}
