/**
 * Four significant digits, exponent form outside [1e-3, 1e6): numbers in reports, tables and chart
 * labels. Whole numbers below 1e6 print whole (16384, not 16380).
 */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(digits - 1).replace('e+', 'e');
  // Below 1e6 a whole number prints whole: 16384 (a batch size, a step) is not 16380. Rounding a
  // count to `digits` significant digits would write zeros that were never measured.
  if (Number.isInteger(x)) return x.toString();
  return Number(x.toPrecision(digits)).toString();
}

/**
 * A plain fixed-width table for text reports: numbers through `formatNumber`, the first column
 * left-aligned and the others right-aligned, a rule of dashes under the header.
 */
export function formatTable(rows: (string | number)[][], header?: string[]): string {
  tableSink?.(rows, header);
  const all = header ? [header, ...rows] : rows;
  const cells = all.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const lines = cells.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '));
  if (header) lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

/** Receives every table `formatTable` renders (the CLI's `--format csv` collects them). */
export type TableSink = (rows: (string | number)[][], header?: string[]) => void;
let tableSink: TableSink | undefined;

/** Sets the sink that sees every table rendered from now on (undefined: none); returns the previous one. */
export function onTable(sink: TableSink | undefined): TableSink | undefined {
  const previous = tableSink;
  tableSink = sink;
  return previous;
}

/**
 * A table as CSV (RFC 4180 quoting): numbers in full precision (String(x), so nothing is lost to
 * rounding), strings quoted when they hold a comma, a quote or a line break.
 */
export function tableToCsv(rows: (string | number)[][], header?: string[]): string {
  const cell = (c: string | number) => {
    const text = typeof c === 'number' ? String(c) : c;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [...(header ? [header] : []), ...rows].map((r) => r.map(cell).join(',')).join('\n');
}
