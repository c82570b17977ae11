/**
 * One de-duplicating place for warnings: each distinct message is reported once per process.
 * Replace the sink with `setWarn` (tests, notebooks, `--json` output that must stay clean).
 */
let sink: (message: string) => void = (message) => process.stderr.write(`scalelaw: warning: ${message}\n`);
const seen = new Set<string>();

export function warn(message: string): void {
  if (seen.has(message)) return;
  seen.add(message);
  sink(message);
}

/** Sets where warnings go; returns the previous sink. `resetWarnings()` forgets what was seen. */
export function setWarn(next: (message: string) => void): (message: string) => void {
  const previous = sink;
  sink = next;
  return previous;
}

export function resetWarnings(): void {
  seen.clear();
}
