// Reads the import graph of src/ with the TypeScript parser, so that comments and strings that look
// like imports are not counted and every form of import is: static imports and re-exports (type-only
// ones too), dynamic import('...'), type-position import('...'), require('...') and
// new URL('./x.js', import.meta.url) worker specifiers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export type ImportKind = 'static' | 'type' | 'dynamic' | 'worker' | 'require';

export interface ImportEdge {
  /** The importing file, relative to src/ with forward slashes: 'fit/fit.ts'. */
  from: string;
  /** The specifier as written: '../core/rng.js', '@tensorflow/tfjs'. */
  specifier: string;
  /** For a relative specifier, the file it names, relative to src/; undefined for a package. */
  to?: string;
  kind: ImportKind;
  line: number;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const posix = (path: string): string => path.split(sep).join('/');

/** The source file a relative specifier names ('./x.js' is written for './x.ts'), or undefined. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function isImportMetaUrl(node: ts.Node): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'url' && ts.isMetaProperty(node.expression) && node.expression.keywordToken === ts.SyntaxKind.ImportKeyword;
}

/** Every import in one file's text, before resolution. */
export function importsOf(text: string, fileName = 'file.ts'): { specifier: string; kind: ImportKind; line: number }[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { specifier: string; kind: ImportKind; line: number }[] = [];
  const add = (literal: ts.Node, kind: ImportKind) => {
    if (!ts.isStringLiteralLike(literal)) return;
    found.push({ specifier: literal.text, kind, line: sf.getLineAndCharacterOfPosition(literal.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly ? 'type' : 'static');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly ? 'type' : 'static');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, 'require');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, 'type');
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]!, 'dynamic');
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0]!, 'require');
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.length === 2 && isImportMetaUrl(node.arguments[1]!)) {
      // Only a URL naming a module is an import; one naming data ('../../fits/x.json') is not.
      const first = node.arguments[0]!;
      if (ts.isStringLiteralLike(first) && /\.(js|ts|mjs|mts)$/.test(first.text)) add(first, 'worker');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** All imports of every source file under srcDir, relative ones resolved to files under srcDir. */
export function importGraph(srcDir: string): { files: string[]; edges: ImportEdge[]; unresolved: ImportEdge[] } {
  const paths = sourceFiles(srcDir);
  const files = paths.map((p) => posix(relative(srcDir, p)));
  const edges: ImportEdge[] = [];
  const unresolved: ImportEdge[] = [];
  paths.forEach((path, i) => {
    for (const { specifier, kind, line } of importsOf(readFileSync(path, 'utf8'), path)) {
      const edge: ImportEdge = { from: files[i]!, specifier, kind, line };
      if (specifier.startsWith('.')) {
        const target = resolveRelative(path, specifier);
        if (target === undefined) {
          unresolved.push(edge);
          continue;
        }
        edge.to = posix(relative(srcDir, target));
      }
      edges.push(edge);
    }
  });
  return { files, edges, unresolved };
}

/** The folder directly under src/ that holds a file ('' for src/index.ts). */
export const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '');

/** The cycles of a directed graph: each strongly connected component with more than one file, or a self-import. */
export function cycles(files: string[], edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) if (e.to !== undefined) next.get(e.from)?.push(e.to);
  // Tarjan's algorithm, iterative so a deep chain cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const root of files) {
    if (index.has(root)) continue;
    const work: { node: string; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const children = next.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++]!;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && (next.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}
