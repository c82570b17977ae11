// `npm run bench`: lists the benchmark scripts in bench/, one line each (taken from the comment
// that opens each file, so the list cannot go stale); `npm run bench -- <name> [args...]` runs one:
// a .ts script with tsx, a .py one with python3, a .sh one with bash. A bare name picks the .ts
// script where there is one (`fit-chinchilla`); name the file to pick another (`fit-chinchilla.py`).
// Results are recorded by hand in BENCHMARKS.md; the Python scripts are references that need scipy
// or PyTorch and are never run by the tests.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const runners: Record<string, string[]> = { '.ts': [process.execPath, '--import', 'tsx'], '.py': ['python3'], '.sh': ['bash'] };
const extOf = (file: string) => file.slice(file.lastIndexOf('.'));

const files = readdirSync(dir)
  .filter((f) => extOf(f) in runners && f !== 'run.ts')
  .sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
// A .ts file another bench script imports is a helper module, not a benchmark.
const helpers = new Set(files.filter((f) => f.endsWith('.ts') && files.some((g) => g !== f && texts.get(g)!.includes(`'./${f.replace(/\.ts$/, '.js')}'`))));
const scripts = files.filter((f) => !helpers.has(f));

/** The first sentence of the comment or docstring that opens a file, on one line. */
function summary(text: string): string {
  const lines = text.split('\n');
  let i = lines[0]?.startsWith('#!') ? 1 : 0;
  const words: string[] = [];
  const first = lines[i]?.trim() ?? '';
  if (first.startsWith('"""')) {
    for (let line = first.slice(3); i < lines.length; line = lines[++i] ?? '') {
      const end = line.indexOf('"""');
      words.push((end >= 0 ? line.slice(0, end) : line).trim());
      if (end >= 0 || line.trim() === '') break;
    }
  } else {
    for (; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!/^(\/\/|\/\*\*?|\*|#)/.test(line) || line === '*/') break;
      const body = line
        .replace(/^(\/\/|\/\*\*?|\*\/?|#)\s?/, '')
        .replace(/\*\/$/, '')
        .trim();
      if (body === '' && words.length > 0) break;
      words.push(body);
    }
  }
  const paragraph = words.join(' ').replace(/\s+/g, ' ').trim();
  // The first full stop that ends a sentence (not 'et al.', 'e.g.', 'i.e.', a version or a decimal).
  const end = /(?<!\bal|\be\.g|\bi\.e|\bvs)\.(\s|$)/.exec(paragraph);
  const sentence = end ? paragraph.slice(0, end.index + 1) : paragraph;
  return sentence.length > 140 ? `${sentence.slice(0, 139)}…` : sentence;
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h') {
  const width = Math.max(...scripts.map((f) => f.length));
  console.log('Benchmarks (npm run bench -- <name> [args...]; results in BENCHMARKS.md):\n');
  for (const f of scripts) console.log(`  ${f.padEnd(width)}  ${summary(texts.get(f)!)}`);
  process.exit(0);
}

const file = scripts.includes(name) ? name : [`${name}.ts`, `${name}.py`, `${name}.sh`].find((f) => scripts.includes(f));
if (file === undefined) {
  console.error(`bench: no benchmark ${JSON.stringify(name)}; run \`npm run bench\` for the list`);
  process.exit(2);
}
const [command, ...prefix] = runners[extOf(file)]!;
const result = spawnSync(command!, [...prefix, join(dir, file), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
