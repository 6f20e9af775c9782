import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

/**
 * The import rules of ADR 0031, read from the source itself:
 * - the import graph has no cycle. `import type` between two shared layers is left out: it is
 *   erased from the output, and the shared layers name each other's types (the module contract
 *   names the app's type, errors name message keys, the catalogues fill from the modules). Any
 *   import from or into a feature counts, type-only or not: a feature never comes back to
 *   itself, through a shared layer or another feature;
 * - a feature imports another feature only through its `public.ts`;
 * - shared layers import no feature (the one way in is src/platform/modules.ts, by dynamic import
 *   of a computed path, which is no edge here); the composition roots (src/main.ts, src/cli/)
 *   use features' `public.ts` like features do;
 * - a feature's services, policies, queries and views import nothing from src/http, even through
 *   another file: only its HTTP glue does (routes, API schemas, cookies).
 */

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');

export interface Edge {
  to: string;
  typeOnly: boolean;
}

/** Relative imports of one file, resolved to the source file they name (JSON and packages left out). */
export function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): Edge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) return;
    const base = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '');
    const to = ['.ts', '.tsx'].map((ext) => base + ext).find((candidate) => fs.existsSync(candidate));
    if (to) edges.push({ to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

export function sourceFiles(dir = src): string[] {
  const files: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(full);
    }
  };
  walk(dir);
  return files.sort();
}

export type Graph = Map<string, Edge[]>;

const rel = (file: string) => path.relative(src, file).split(path.sep).join('/');
const featureOf = (file: string) => /^features\/([^/]+)\//.exec(rel(file))?.[1];

export function graphOf(files: string[]): Graph {
  return new Map(files.map((file) => [file, importsOf(file)]));
}

/** Whether an import counts for cycles: see the rules at the top. */
const counts = (from: string, { to, typeOnly }: Edge) =>
  !typeOnly || featureOf(from) !== undefined || featureOf(to) !== undefined;

/** Every cycle of imports that count, each once, as the files along it. */
export function cyclesIn(graph: Graph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const edge of graph.get(file) ?? []) {
      if (!counts(file, edge)) continue;
      const { to } = edge;
      if (state.get(to) === 'open') {
        const cycle = stack.slice(stack.indexOf(to));
        const key = [...cycle].sort().join('|');
        if (!seen.has(key)) cycles.push(cycle);
        seen.add(key);
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

const isCompositionRoot = (file: string) => rel(file) === 'main.ts' || rel(file).startsWith('cli/');
/** The files of a feature that speak HTTP: routes, the API's schemas, cookies. */
const isHttpGlue = (file: string) => /(^|\/)([\w-]+-)?(routes\.tsx?|schemas\.ts)$|[\w-]*cookie\.ts$/.test(rel(file));
const isHttp = (file: string) => rel(file).startsWith('http/');

/** What breaks the rules about who imports whom (cycles apart), one line each. */
export function layeringProblems(graph: Graph): string[] {
  const problems: string[] = [];
  for (const [file, edges] of graph) {
    const from = featureOf(file);
    for (const { to } of edges) {
      const target = featureOf(to);
      if (!target || target === from) continue;
      if (from || isCompositionRoot(file)) {
        if (rel(to) !== `features/${target}/public.ts`) {
          problems.push(`${rel(file)} imports ${rel(to)}: another feature only through features/${target}/public.ts`);
        }
      } else {
        problems.push(`${rel(file)} imports ${rel(to)}: shared layers import no feature`);
      }
    }
  }
  // Services and views must not reach src/http, directly or through other files (run-time imports).
  for (const file of graph.keys()) {
    if (!featureOf(file) || isHttpGlue(file) || /\/(index|public)\.ts$/.test(rel(file))) continue;
    const path = httpPathFrom(graph, file);
    if (path) problems.push(`${rel(file)} depends on src/http: ${path.map(rel).join(' → ')}`);
  }
  return problems;
}

function httpPathFrom(graph: Graph, start: string): string[] | null {
  const previous = new Map<string, string>();
  const queue = [start];
  const seen = new Set(queue);
  while (queue.length) {
    const file = queue.shift()!;
    for (const { to, typeOnly } of graph.get(file) ?? []) {
      if (typeOnly || seen.has(to)) continue;
      seen.add(to);
      previous.set(to, file);
      if (isHttp(to)) {
        const path = [to];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      queue.push(to);
    }
  }
  return null;
}

const graph = graphOf(sourceFiles());

test('the import graph has no cycle', () => {
  const cycles = cyclesIn(graph).map((cycle) => [...cycle, cycle[0]!].map(rel).join(' → '));
  assert.deepEqual(cycles, []);
});

test('features meet through public files, shared layers import no feature, services nothing of HTTP', () => {
  assert.deepEqual(layeringProblems(graph), []);
});

test('every feature has an entry, and its public file is re-exported by it', () => {
  for (const name of fs.readdirSync(path.join(src, 'features'))) {
    const entry = path.join(src, 'features', name, 'index.ts');
    assert.ok(fs.existsSync(entry), `features/${name} has no index.ts`);
    if (fs.existsSync(path.join(src, 'features', name, 'public.ts'))) {
      assert.match(fs.readFileSync(entry, 'utf8'), /export \* from '\.\/public\.js';/, `features/${name}/index.ts`);
    }
  }
});

test('the checks see what they are meant to', () => {
  // A cycle; the same closed by a type-only import counts when a feature is in it, not between shared layers.
  const cycle = (a: string, b: string, typeOnly: boolean) =>
    cyclesIn(
      new Map([
        [path.join(src, a), [{ to: path.join(src, b), typeOnly: false }]],
        [path.join(src, b), [{ to: path.join(src, a), typeOnly }]],
      ]),
    ).length;
  assert.equal(cycle('features/a/service.ts', 'features/a/policy.ts', false), 1);
  assert.equal(cycle('http/app.ts', 'features/a/routes.tsx', true), 1);
  assert.equal(cycle('platform/modules.ts', 'platform/module.ts', true), 0);
  // The parser tells type-only imports apart, and sees dynamic imports with a literal path.
  const parsed = importsOf(
    path.join(src, 'http/app.ts'),
    `import type { A } from '../app-context.js';\nimport { type B } from '../config.js';\nconst m = await import('../main.js');`,
  );
  assert.deepEqual(
    parsed.map((edge) => [rel(edge.to), edge.typeOnly]),
    [
      ['app-context.ts', true],
      ['config.ts', false],
      ['main.ts', false],
    ],
  );
  // An internal of another feature, a shared layer reaching into a feature, a service reaching HTTP.
  const groupsService = path.join(src, 'features/groups/service.ts');
  const groupsPublic = path.join(src, 'features/groups/public.ts');
  const problems = layeringProblems(
    new Map([
      [path.join(src, 'features/discussions/routes.tsx'), [{ to: groupsService, typeOnly: false }]],
      [path.join(src, 'features/discussions/views.tsx'), [{ to: groupsPublic, typeOnly: false }]],
      [path.join(src, 'http/app.ts'), [{ to: groupsPublic, typeOnly: true }]],
      [path.join(src, 'features/groups/queries.ts'), [{ to: path.join(src, 'db/keyset.ts'), typeOnly: false }]],
      [path.join(src, 'db/keyset.ts'), [{ to: path.join(src, 'http/schemas.ts'), typeOnly: false }]],
    ]),
  );
  assert.deepEqual(problems, [
    'features/discussions/routes.tsx imports features/groups/service.ts: another feature only through features/groups/public.ts',
    'http/app.ts imports features/groups/public.ts: shared layers import no feature',
    'features/groups/queries.ts depends on src/http: features/groups/queries.ts → db/keyset.ts → http/schemas.ts',
  ]);
});
