// Loads a page in Debian's headless chromium over the DevTools protocol (--remote-debugging-pipe:
// JSON messages separated by NUL on fds 3 and 4, no WebSocket or npm package needed) and reports
// console errors, uncaught exceptions and what each chart drew.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface ChartCheck {
  id: string;
  width: number;
  height: number;
  /** Drawn mark elements (paths, lines, text) inside the chart's mark groups. */
  marks: number;
  /** Text elements with a non-empty box (axis titles, labels). */
  texts: number;
}

export interface PageCheck {
  errors: string[];
  charts: ChartCheck[];
  title: string;
}

const CHECK = `(() => {
  const charts = [...document.querySelectorAll('figure.chart')].map((f) => {
    const svg = f.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    const marks = svg ? svg.querySelectorAll('.role-mark path, .role-mark line, .role-mark text, .role-mark rect').length : 0;
    const texts = svg ? [...svg.querySelectorAll('text')].filter((t) => t.textContent && t.getBBox().width > 0).length : 0;
    return { id: f.id, width: box.width, height: box.height, marks, texts };
  });
  return { charts, title: document.title };
})()`;

export async function checkPage(file: string, timeoutMs = 45_000): Promise<PageCheck> {
  const profile = mkdtempSync(join(tmpdir(), 'scalelaw-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    `--user-data-dir=${profile}`,
    '--remote-debugging-pipe',
    'about:blank',
  ];
  const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const errors: string[] = [];
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const listeners: ((m: any) => void)[] = [];
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined && pending.has(message.id)) {
        const p = pending.get(message.id)!;
        pending.delete(message.id);
        if (message.error) p.reject(new Error(`${JSON.stringify(message.error)}`));
        else p.resolve(message.result);
      } else {
        const { method, params } = message;
        if (method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert'))
          errors.push(`console.${params.type}: ${params.args.map((a: any) => a.value ?? a.description).join(' ')}`);
        if (method === 'Runtime.exceptionThrown') errors.push(`exception: ${params.exceptionDetails.exception?.description ?? params.exceptionDetails.text}`);
        if (method === 'Log.entryAdded' && params.entry.level === 'error') errors.push(`log: ${params.entry.text} ${params.entry.url ?? ''}`.trim());
        for (const l of listeners) l(message);
      }
    }
  });
  let nextId = 1;
  const send = (method: string, params: object = {}, sessionId?: string) =>
    new Promise<any>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const died = exited.then(() => {
      throw new Error(`chromium exited early: ${stderr.slice(-2000)}`);
    });
    const work = (async () => {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      await Promise.all([send('Runtime.enable', {}, sessionId), send('Log.enable', {}, sessionId), send('Page.enable', {}, sessionId)]);
      const loaded = new Promise<void>((resolve) => listeners.push((m) => m.method === 'Page.loadEventFired' && m.sessionId === sessionId && resolve()));
      await send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
      await loaded;
      const { result } = await send('Runtime.evaluate', { expression: CHECK, returnByValue: true }, sessionId);
      // Let late console messages arrive before closing.
      await new Promise((r) => setTimeout(r, 200));
      await send('Browser.close').catch(() => undefined);
      return { errors, ...(result.value as { charts: ChartCheck[]; title: string }) };
    })();
    return await Promise.race([work, died]);
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
    await exited;
    // Chromium's helper processes can still be writing into the profile just after the browser
    // exits (ENOTEMPTY seen once in CI): retry, and never fail a page check over a temporary folder.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (error) {
      process.stderr.write(`checkPage: could not remove the temporary profile ${profile}: ${String(error)}\n`);
    }
  }
}
