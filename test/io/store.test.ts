import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setWarn, resetWarnings } from '../../src/core/warn.js';
import { openStore } from '../../src/io/store.js';
import { encodeLine } from '../../src/io/jsonl.js';
import { expectedPoint } from './append-sequence.js';

let dir: string;
let warnings: string[];
let previousSink: (m: string) => void;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scalelaw-store-'));
  warnings = [];
  resetWarnings();
  previousSink = setWarn((m) => warnings.push(m));
});
afterEach(() => {
  setWarn(previousSink);
  rmSync(dir, { recursive: true, force: true });
});

describe('run store', () => {
  it('writes config, trajectory and summary, and loads them back', () => {
    const store = openStore(join(dir, 'runs'));
    const w = store.begin({ id: 'mlp-a', family: 'mlp', N: 1e5, D: 1e7, tags: { width: 64 } });
    w.append({ step: 0, trainLoss: 2.3, lr: 0 });
    w.append({ step: 10, trainLoss: 1.9, evalLoss: 2.0, lr: 1e-3 });
    expect(store.status('mlp-a')).toBe('running');
    w.finish({ status: 'finished', steps: 10, finalTrainLoss: 1.9 });
    expect(store.status('mlp-a')).toBe('finished');
    expect(store.status('nope')).toBe('missing');
    expect(store.ids()).toEqual(['mlp-a']);
    expect(store.load('mlp-a')).toEqual({
      config: { id: 'mlp-a', family: 'mlp', N: 1e5, D: 1e7, tags: { width: 64 } },
      trajectory: [
        { step: 0, trainLoss: 2.3, lr: 0 },
        { step: 10, trainLoss: 1.9, evalLoss: 2.0, lr: 1e-3 },
      ],
      summary: { status: 'finished', steps: 10, finalTrainLoss: 1.9 },
    });
    const files = readdirSync(join(dir, 'runs', 'mlp-a')).sort();
    expect(files).toEqual(['config.json', 'summary.json', 'trajectory.jsonl']); // no temp files left
  });

  it('keeps NaN and infinities of a diverged run', () => {
    const store = openStore(dir);
    const w = store.begin({ id: 'x', family: 'mlp' });
    w.append({ step: 1, trainLoss: Infinity });
    w.append({ step: 2, trainLoss: NaN, gradNorm: -Infinity });
    w.finish({ status: 'diverged', steps: 2, finalTrainLoss: NaN, reason: 'loss is NaN' });
    const run = store.load('x');
    expect(run.trajectory[0]!.trainLoss).toBe(Infinity);
    expect(run.trajectory[1]!.trainLoss).toBeNaN();
    expect(run.trajectory[1]!.gradNorm).toBe(-Infinity);
    expect(run.summary!.finalTrainLoss).toBeNaN();
    expect(store.status('x')).toBe('diverged');
  });

  it('restarts an unfinished run from scratch and refuses to silently redo an ended one', () => {
    const store = openStore(dir);
    const w = store.begin({ id: 'r', family: 'mlp', N: 1 });
    w.append({ step: 0, trainLoss: 5 });
    w.append({ step: 1, trainLoss: 4 });
    w.close();
    const again = store.begin({ id: 'r', family: 'mlp', N: 2 });
    expect(store.load('r').trajectory).toEqual([]);
    again.append({ step: 0, trainLoss: 3 });
    again.finish({ status: 'finished', steps: 1 });
    expect(store.load('r').config.N).toBe(2);
    expect(() => store.begin({ id: 'r', family: 'mlp' })).toThrow(`store ${dir}: run "r" has already ended (finished); pass { overwrite: true } to run it again`);
    store.begin({ id: 'r', family: 'mlp' }, { overwrite: true }).close();
    expect(store.status('r')).toBe('running');
  });

  it('lists runs by status without reading trajectories, and gives one arquero table', () => {
    const store = openStore(dir);
    for (const [id, status] of [
      ['b', 'finished'],
      ['a', 'failed'],
      ['c', undefined],
    ] as const) {
      const w = store.begin({ id, family: 'mlp', N: id.charCodeAt(0), tags: { lr: 0.1 } });
      w.append({ step: 0, trainLoss: 1 });
      w.append({ step: 5, trainLoss: 0.5, gradNorm: 2 });
      if (status) w.finish({ status, steps: 5 });
      else w.close();
    }
    expect(store.list()).toEqual([
      { id: 'a', status: 'failed' },
      { id: 'b', status: 'finished' },
      { id: 'c', status: 'running' },
    ]);
    expect(store.finished()).toEqual(['b']);
    const t = store.table();
    expect(t.numRows()).toBe(6);
    expect(t.columnNames()).toEqual(['id', 'family', 'N', 'D', 'batchSize', 'seqLen', 'seed', 'schedule', 'status', 'lr', 'step', 'trainLoss', 'gradNorm']);
    expect(t.objects()[3]).toEqual({
      id: 'b',
      family: 'mlp',
      N: 98,
      D: undefined,
      batchSize: undefined,
      seqLen: undefined,
      seed: undefined,
      schedule: undefined,
      status: 'finished',
      lr: 0.1,
      step: 5,
      trainLoss: 0.5,
      gradNorm: 2,
    });
  });

  it('rejects bad ids, bad steps and bad values with messages that name them', () => {
    const store = openStore(dir);
    expect(() => store.begin({ id: '../escape', family: 'mlp' })).toThrow(`store ${dir}: run id must be 1-200 characters of letters, digits and _.,=+@- (not starting with . or -), got "../escape"`);
    expect(() => store.begin({ id: 'ok', family: '' })).toThrow(`store ${dir}: run "ok": config.family must be a non-empty string, got ""`);
    const w = store.begin({ id: 'ok', family: 'mlp' });
    w.append({ step: 3 });
    expect(() => w.append({ step: 3 })).toThrow(`store ${dir}: run "ok": steps must increase, got step 3 after step 3`);
    expect(() => w.append({ step: 2 })).toThrow(`store ${dir}: run "ok": steps must increase, got step 2 after step 3`);
    expect(() => w.append({ step: 1.5 })).toThrow(`store ${dir}: run "ok": step must be a non-negative integer, got 1.5`);
    expect(() => w.append({ step: 4, trainLoss: '2' as unknown as number })).toThrow(`store ${dir}: run "ok": step 4: trainLoss must be a number, got "2"`);
    expect(() => w.finish({ status: 'running', steps: 1 })).toThrow(`store ${dir}: run "ok": summary.status must be one of finished, diverged, failed, got "running"`);
    w.finish({ status: 'finished', steps: 3 });
    expect(() => w.append({ step: 9 })).toThrow(`store ${dir}: run "ok": append after the run was finished or closed`);
    expect(() => store.load('other')).toThrow(`store ${dir}: no run "other"`);
    writeFileSync(join(dir, 'file'), '');
    expect(() => openStore(join(dir, 'file'))).toThrow(`store ${join(dir, 'file')}: not a directory`);
  });

  it('ignores a torn last line with a warning, but not a corrupt line in the middle', () => {
    const store = openStore(dir);
    const w = store.begin({ id: 't', family: 'mlp' });
    w.append({ step: 0, trainLoss: 1 });
    w.close();
    const path = join(dir, 't', 'trajectory.jsonl');
    appendFileSync(path, '{"step":1,"trainLo');
    expect(store.load('t').trajectory).toEqual([{ step: 0, trainLoss: 1 }]);
    expect(warnings).toEqual([`${path}: line 2: ignoring an incomplete last line (18 bytes), left by an interrupted write`]);
    writeFileSync(path, '{"step":0}\n{"step":1,"tr\n{"step":2}\n');
    expect(() => store.load('t')).toThrow(`${path}: line 2: not valid JSON: "{\\"step\\":1,\\"tr"`);
  });
});

describe('crash safety', () => {
  it('a SIGKILLed writer loses at most the line it was writing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./append-child.ts', import.meta.url)), dir, 'crash'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Kill once the child has reported 300 appended lines; it keeps appending until the signal lands.
    let reported = 0;
    let buffered = '';
    await new Promise<void>((done, fail) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        if (lines.length) reported = Number(lines.at(-1));
        if (reported >= 300 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`child exited with ${code} ${signal}`))));
    });
    const run = openStore(dir).load('crash');
    const n = run.trajectory.length;
    // Every line reported before the kill is there, in order, exactly as written.
    expect(n).toBeGreaterThanOrEqual(reported);
    expect(run.trajectory).toEqual(Array.from({ length: n }, (_, i) => expectedPoint(i)));
    // What follows the last complete line is empty or a prefix of the next line: at most one line lost.
    const text = readFileSync(join(dir, 'crash', 'trajectory.jsonl'), 'utf8');
    const complete = Array.from({ length: n }, (_, i) => encodeLine(expectedPoint(i)) + '\n').join('');
    expect(text.startsWith(complete)).toBe(true);
    expect((encodeLine(expectedPoint(n)) + '\n').startsWith(text.slice(complete.length))).toBe(true);
    expect(existsSync(join(dir, 'crash', 'summary.json'))).toBe(false);
    expect(openStore(dir).status('crash')).toBe('running');
  });
});
