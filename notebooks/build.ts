// Builds notebooks/<name>.ipynb from notebooks/src/<name>.ts, a TypeScript file in the "percent"
// format: `// %%` starts a code cell, `// %% [markdown]` a Markdown cell whose lines are `// text`.
// Outputs are not kept here: run notebooks/execute.sh afterwards to execute and save them.
//   npx tsx notebooks/build.ts            (every notebook)
//   npx tsx notebooks/build.ts a-chinchilla
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const names =
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(join(dir, 'src'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => basename(f, '.ts'));

function lines(text: string): string[] {
  const all = text.replace(/\n+$/, '').split('\n');
  return all.map((l, i) => (i < all.length - 1 ? l + '\n' : l));
}

for (const name of names) {
  const source = readFileSync(join(dir, 'src', `${name}.ts`), 'utf8');
  const cells: object[] = [];
  let n = 0;
  for (const chunk of source.split(/^\/\/ %%/m).slice(1)) {
    const [head, ...rest] = chunk.split('\n');
    const body = rest.join('\n').trim();
    const id = `${name}-${++n}`;
    if (head!.trim() === '[markdown]') {
      cells.push({
        cell_type: 'markdown',
        id,
        metadata: {},
        source: lines(
          body
            .split('\n')
            .map((l) => l.replace(/^\/\/ ?/, ''))
            .join('\n'),
        ),
      });
    } else {
      cells.push({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source: lines(body) });
    }
  }
  const notebook = {
    cells,
    metadata: {
      kernelspec: { display_name: 'Deno', language: 'typescript', name: 'deno' },
      language_info: { codemirror_mode: 'typescript', file_extension: '.ts', mimetype: 'text/x.typescript', name: 'typescript', nbconvert_exporter: 'script', pygments_lexer: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(dir, `${name}.ipynb`), JSON.stringify(notebook, null, 1) + '\n');
  process.stdout.write(`notebooks/${name}.ipynb: ${cells.length} cells\n`);
}
