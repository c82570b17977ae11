import type { SweepProgress } from './sweep.js';

/** Seconds as "1h02m", "3m05s" or "12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** One line: `[######------]  52%  7/12 runs (3 skipped, 2 running)  elapsed 1m10s  ETA 1m04s`. */
export function formatProgress(p: SweepProgress, width = 24): string {
  const filled = Math.round(p.fraction * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const ended = p.skipped + p.done;
  const eta = p.etaSeconds === undefined ? 'ETA ?' : `ETA ${formatDuration(p.etaSeconds)}`;
  return `[${bar}] ${String(Math.round(p.fraction * 100)).padStart(3)}%  ${ended}/${p.total} runs (${p.skipped} skipped, ${p.running} running)  elapsed ${formatDuration(p.elapsedSeconds)}  ${eta}`;
}

export interface ProgressPrinterOptions {
  /** Text before each line, such as which of several sweeps this is. @default none */
  label?: string;
  /**
   * Where the text goes instead of the stream (a log callback); it is then treated as not a
   * terminal, one line per call. @default the stream's write
   */
  write?: (text: string) => void;
}

/**
 * A progress printer for a stream: redraws one line in place on a terminal; elsewhere (logs, CI)
 * writes a line at most every `interval` seconds and when a run ends.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, interval = 10, options: ProgressPrinterOptions = {}): (p: SweepProgress) => void {
  const { label, write = (text: string) => stream.write(text) } = options;
  const tty = options.write === undefined && stream.isTTY;
  let lastLine = 0;
  let lastEnded = -1;
  return (p) => {
    const line = label === undefined ? formatProgress(p) : `${label} ${formatProgress(p)}`;
    const ended = p.skipped + p.done;
    if (tty) {
      write(`\r${line}\x1b[K${ended === p.total ? '\n' : ''}`);
      return;
    }
    const now = performance.now() / 1000;
    if (ended !== lastEnded || now - lastLine >= interval) {
      lastLine = now;
      lastEnded = ended;
      write(line + '\n');
    }
  };
}
