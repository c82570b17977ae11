import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// One test file per notebook (test/notebooks/<name>.test.ts) keeps each file short and lets vitest run them in parallel.

export const dir = 'notebooks';
export const notebooks = readdirSync(dir)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();

function jupyterReady(): string | undefined {
  const python = spawnSync('/usr/bin/python3', ['-c', 'import nbconvert, jupyter_client'], { stdio: 'ignore' });
  if (python.status !== 0) return 'Debian jupyter-nbconvert / jupyter-client are not installed';
  const specs = spawnSync('/usr/bin/python3', ['-m', 'jupyter', 'kernelspec', 'list'], { encoding: 'utf8' });
  if (!/^\s*deno\s/m.test(specs.stdout ?? '')) return 'the Deno Jupyter kernel is not installed';
  return undefined;
}

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  name?: string;
  text?: string | string[];
}
interface Notebook {
  cells: { cell_type: string; execution_count?: number | null; outputs?: Output[] }[];
}

const outputs = (nb: Notebook) => nb.cells.flatMap((c) => c.outputs ?? []);
const images = (nb: Notebook) => outputs(nb).filter((o) => o.data?.['image/png'] !== undefined).length;
const interactive = (nb: Notebook) => outputs(nb).filter((o) => o.data?.['image/png'] !== undefined && typeof o.data?.['application/vnd.vegalite.v5+json'] === 'object').length;
const errors = (nb: Notebook) =>
  outputs(nb)
    .filter((o) => o.output_type === 'error')
    .map((o) => `${o.ename}: ${o.evalue}`);

const missing = jupyterReady();
if (missing && process.env.CI) throw new Error(`${missing}: CI must run .ci/setup-notebooks.sh`);
if (missing) console.warn(`skipping notebook execution: ${missing} (run .ci/setup-notebooks.sh)`);

/** Executes a notebook headless with nbconvert and returns the executed copy. */
function execute(name: string): Notebook {
  const out = mkdtempSync(join(tmpdir(), 'scalelaw-nb-'));
  const run = spawnSync('/usr/bin/python3', ['-m', 'jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=240', '--output-dir', out, join(dir, name)], {
    encoding: 'utf8',
    timeout: 280_000,
  });
  expect(run.status, run.stderr.slice(-3000)).toBe(0);
  return JSON.parse(readFileSync(join(out, name), 'utf8')) as Notebook;
}

/**
 * Tests one notebook: committed with outputs (charts included) and no errors, and, where Jupyter and
 * the Deno kernel are installed (always in CI), executed headless again without errors.
 */
export function notebookTests(name: string): void {
  describe(name, () => {
    it('is committed with its outputs, charts included', () => {
      const saved = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Notebook;
      const code = saved.cells.filter((c) => c.cell_type === 'code');
      expect(code.every((c) => typeof c.execution_count === 'number')).toBe(true);
      expect(errors(saved)).toEqual([]);
      expect(images(saved)).toBeGreaterThan(0);
      // Every chart is also an interactive Vega-Lite output beside its PNG.
      expect(interactive(saved)).toBe(images(saved));
    });

    it.skipIf(missing !== undefined)(
      'executes headless without errors',
      () => {
        let executed = execute(name);
        expect(errors(executed)).toEqual([]);
        if (images(executed) === 0) {
          // Under load the Deno kernel can publish "idle" before a cell's execute_result, and
          // nbclient stops collecting a cell's outputs at "idle", so outputs go missing without an
          // error (seen once in a full-suite run on a fresh clone; the same notebook passed alone).
          // Lost outputs get one more execution; an error never does.
          console.warn(`${name}: executed without errors but with its chart outputs missing; executing once more`);
          executed = execute(name);
          expect(errors(executed)).toEqual([]);
        }
        expect(images(executed)).toBeGreaterThan(0);
      },
      600_000,
    );
  });
}
