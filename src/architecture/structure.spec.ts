import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const SRC = resolve(__dirname, '..');
const TIME_ZONE_HOME = join('calendar', 'time-zone.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level folder of src/ a file is in ('' for src/ itself). */
function topFolder(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0] : '';
}

/** Every relative module a file imports or re-exports, read by the TypeScript parser (type-only imports count). */
function relativeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((specifier) => specifier.startsWith('.')).map((specifier) => resolve(dirname(file), specifier));
}

/** Folder → the other folders its files import. */
function folderGraph(files: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = topFolder(file);
    for (const target of relativeImports(file)) {
      const to = topFolder(target);
      if (!from || !to || from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

describe('the structure of src/', () => {
  const files = sourceFiles(SRC).filter((file) => !file.endsWith('.spec.ts'));

  it('has no pair of top-level folders importing each other', () => {
    const graph = folderGraph(files);
    const pairs: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) if (from < to && graph.get(to)?.has(from)) pairs.push(`${from} ⇄ ${to}`);
    }
    expect(pairs).toEqual([]);
  });

  it(`names the programme's time zone only in ${TIME_ZONE_HOME}`, () => {
    const naming = sourceFiles(SRC)
      .filter((file) => relative(SRC, file) !== TIME_ZONE_HOME && !file.endsWith('.spec.ts'))
      .filter((file) => readFileSync(file, 'utf8').includes('Europe/Paris'))
      .map((file) => relative(SRC, file));
    expect(naming).toEqual([]);
  });
});
