import type { Command } from 'commander';
import { inspect, type ColumnReport } from '../io/inspect.js';
import { action, printJson, table } from './util.js';

export function register(program: Command): void {
  program
    .command('inspect')
    .description('show what a data file or run store holds: rows, columns, ranges, and the columns detected as N, D, C, loss, step')
    .argument('<path>', 'a CSV, TSV, JSON, JSONL or Arrow file, or a run-store directory')
    .option('--json', 'print the report as JSON')
    .action(
      action((path: string, options: { json?: boolean }) => {
        const report = inspect(path);
        if (options.json) return printJson(report);
        const out: string[] = [];
        if (report.kind === 'file') {
          out.push(`${report.path}: ${report.format}, ${report.rows} rows, ${report.columns.length} columns`);
          const roles = Object.entries(report.detected).filter(([, c]) => c !== null);
          out.push(`detected: ${roles.length ? roles.map(([role, c]) => `${role} = ${JSON.stringify(c)}`).join(', ') : 'none'}`);
          for (const note of report.notes) out.push(`note: ${note}`);
          const roleOf = new Map(roles.map(([role, c]) => [c, role]));
          out.push(
            '',
            columnTable(report.columns, (name) => roleOf.get(name) ?? ''),
          );
        } else {
          const statuses = Object.entries(report.byStatus)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ');
          out.push(`${report.path}: run store, ${report.runs} runs (${statuses}); families: ${report.families.join(', ')}`);
          out.push(`steps: ${report.steps.points} logged points; last step per run from ${report.steps.minLast ?? '-'} to ${report.steps.maxLast ?? '-'}`);
          for (const r of report.interrupted) out.push(`interrupted: ${r.id}${r.lease ? `: lease of ${r.lease}` : ': no summary and no lease'}; a sweep takes it over`);
          for (const p of report.problems) out.push(`problem: ${p.id}: ${p.problem}`);
          if (report.columns.length)
            out.push(
              '',
              columnTable(report.columns, () => ''),
            );
        }
        process.stdout.write(out.join('\n') + '\n');
      }),
    );
}

function columnTable(columns: ColumnReport[], role: (name: string) => string): string {
  return table(
    columns.map((c) => [c.name, c.type, c.min ?? '', c.max ?? '', c.missing, role(c.name)]),
    ['column', 'type', 'min', 'max', 'missing', 'role'],
  );
}
