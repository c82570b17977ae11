import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, progressPrinter } from '../../src/proxy/progress.js';
import type { SweepProgress } from '../../src/proxy/sweep.js';

const at = (done: number, extra: Partial<SweepProgress> = {}): SweepProgress => ({ total: 4, skipped: 1, done, running: 1, fraction: done / 3, elapsedSeconds: 70, etaSeconds: 64, ...extra });

describe('progress: one printer for sweeps (the sweep command, the demo, benches)', () => {
  it('formats durations and one line of progress', () => {
    expect([formatDuration(12.4), formatDuration(185), formatDuration(3720)]).toEqual(['12s', '3m05s', '1h02m']);
    expect(formatProgress(at(1), 12)).toBe('[####--------]  33%  2/4 runs (1 skipped, 1 running)  elapsed 1m10s  ETA 1m04s');
    expect(formatProgress(at(0, { etaSeconds: undefined }), 4)).toBe('[----]   0%  1/4 runs (1 skipped, 1 running)  elapsed 1m10s  ETA ?');
  });

  it('writes a line when a run ends, with a label, to a log callback', () => {
    const lines: string[] = [];
    const print = progressPrinter(process.stderr, 3600, { label: '  1/2', write: (text) => lines.push(text) });
    print(at(1));
    print(at(1, { fraction: 0.4 })); // nothing ended, interval not reached: no line
    print(at(3, { running: 0, fraction: 1 }));
    expect(lines).toEqual([
      '  1/2 [########----------------]  33%  2/4 runs (1 skipped, 1 running)  elapsed 1m10s  ETA 1m04s\n',
      '  1/2 [########################] 100%  4/4 runs (1 skipped, 0 running)  elapsed 1m10s  ETA 1m04s\n',
    ]);
  });
});
