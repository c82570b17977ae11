import type { Command } from 'commander';
import { getReproduction, listReproductions } from '../reproductions/index.js';
import { action, printJson, table } from './util.js';

export function register(program: Command): void {
  program
    .command('reproduce')
    .description('run a published protocol on bundled data; print published and our values side by side')
    .argument('[id]', 'which protocol (omit to list them)')
    .option('--json', 'print an array of { metric, published, ours }')
    .option('--seed <n>', 'seed for anything random', '0')
    .action(
      action(async (id: string | undefined, options: { json?: boolean; seed: string }) => {
        if (id === undefined) {
          const all = listReproductions();
          if (options.json) return printJson(all.map(({ id, description }) => ({ id, description })));
          process.stdout.write(
            table(
              all.map((r) => [r.id, r.description]),
              ['id', 'protocol'],
            ) + '\n',
          );
          return;
        }
        const reproduction = getReproduction(id);
        const metrics = await reproduction.run({
          seed: Number(options.seed),
          onProgress: options.json ? undefined : (m) => process.stderr.write(m + '\n'),
          onWarning: (m) => process.stderr.write(`scalelaw: warning: ${m}\n`),
        });
        if (options.json) return printJson(metrics.map(({ metric, published, ours }) => ({ metric, published, ours })));
        process.stdout.write(`${reproduction.id}: ${reproduction.description}\n\n`);
        process.stdout.write(
          table(
            metrics.map((m) => [m.metric, m.published, m.ours, m.published === 0 ? '' : `${(((m.ours - m.published) / Math.abs(m.published)) * 100).toFixed(2)}%`]),
            ['metric', 'published', 'ours', 'diff'],
          ) + '\n',
        );
      }),
    );
}
