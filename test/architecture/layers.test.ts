import { fileURLToPath } from 'node:url';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, folderOf, importGraph, importsOf, type ImportEdge } from './import-graph.js';

// The layers of src/, lowest first; a folder may import from its own layer and the ones below it.
// src/index.ts sits above them all. Keep this list and the README's "Layout" section in step.
export const LAYERS = ['core', 'io', 'plot', 'schedules', 'laws', 'fit', 'extrapolation', 'stopping', 'batch', 'plan', 'proxy', 'reproductions', 'cli'] as const;

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const graph = importGraph(SRC);
const where = (e: ImportEdge) => `src/${e.from}:${e.line} imports '${e.specifier}'`;
const rank = (folder: string) => (folder === '' ? LAYERS.length : (LAYERS as readonly string[]).indexOf(folder));

/** One shortest cycle through the first file of a strongly connected component, as 'a.ts → b.ts → a.ts'. */
function cyclePath(component: string[], edges: ImportEdge[]): string {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const e of edges) {
      if (e.from !== node || e.to === undefined || !members.has(e.to)) continue;
      if (e.to === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start].map((f) => `src/${f}`).join(' → ');
      }
      if (!previous.has(e.to)) {
        previous.set(e.to, node);
        queue.push(e.to);
      }
    }
  }
  return component.map((f) => `src/${f}`).join(', ');
}

describe('architecture: layers only point down', () => {
  it('finds every kind of import (the parser this test relies on)', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "type F = typeof import('./f.js');",
      "startWorker(new URL('./g-worker.js', import.meta.url));",
      "const data = new URL('../../fits/x.json', import.meta.url);",
      "// import { no } from './comment.js';",
      'const s = "import { no } from \'./string.js\'";',
    ].join('\n');
    expect(importsOf(text).map((i) => `${i.kind} ${i.specifier}`)).toEqual([
      'static ./a.js',
      'type ../b.js',
      'static ./c.js',
      'static ./d.js',
      'dynamic ./e.js',
      'type ./f.js',
      'worker ./g-worker.js',
    ]);
  });

  it('places every folder of src/ in a layer', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.filter((f) => rank(f) < 0).map((f) => `src/${f}/ is not in LAYERS (test/architecture/layers.test.ts) nor in the README's Layout`)).toEqual([]);
    expect(graph.edges.length).toBeGreaterThan(100);
  });

  it('resolves every relative import to a file in src/', () => {
    expect(graph.unresolved.map((e) => `${where(e)}, which names no file`)).toEqual([]);
  });

  it('imports only from its own layer or a lower one', () => {
    const upward = graph.edges
      .filter((e) => e.to !== undefined && rank(folderOf(e.from)) < rank(folderOf(e.to)))
      .map((e) => `${where(e)}: ${folderOf(e.from)}/ (layer ${rank(folderOf(e.from))}) may not import ${folderOf(e.to!)}/ (layer ${rank(folderOf(e.to!))}); the order is ${LAYERS.join(' → ')}`);
    expect(upward).toEqual([]);
  });

  it('has no import cycle between files, type-only imports included', () => {
    // A worker specifier is left out here (it still counts for the layers): the worker runs in a module
    // graph of its own, so a worker importing the module that spawns it (fit/multistart-worker.ts and
    // fit/multistart.ts) is not a cycle in any graph that is loaded.
    const loaded = graph.edges.filter((e) => e.kind !== 'worker');
    expect(cycles(graph.files, loaded).map((c) => `cycle among ${c.map((f) => `src/${f}`).join(', ')}: ${cyclePath(c, loaded)}`)).toEqual([]);
  });

  it('imports reproductions/ only from src/cli/reproduce.ts (they are not part of the package API)', () => {
    const bad = graph.edges.filter((e) => e.to !== undefined && folderOf(e.to) === 'reproductions' && folderOf(e.from) !== 'reproductions' && e.from !== 'cli/reproduce.ts');
    expect(bad.map((e) => `${where(e)}: only src/cli/reproduce.ts may import reproductions/`)).toEqual([]);
  });

  it('imports TensorFlow.js only in src/proxy/', () => {
    const bad = graph.edges.filter((e) => e.specifier.startsWith('@tensorflow/') && folderOf(e.from) !== 'proxy');
    expect(bad.map((e) => `${where(e)}: only src/proxy/ may import TensorFlow.js`)).toEqual([]);
  });
});
