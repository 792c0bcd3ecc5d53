import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

/**
 * Fails on a dependency cycle between the backend's modules: the top-level folders of `src/`
 * (knowledge, ingestion, documents, ...; files directly in `src/` form the root module). A
 * file-level cycle check (import-x/no-cycle) misses these: knowledge/a.ts -> ingestion/b.ts ->
 * knowledge/c.ts is no file cycle, yet it ties two modules together both ways. Modules must
 * depend one way; when one must call back into another, the other exposes a port.
 *
 * The folder graph is read once per lint run from the files on disk (relative imports only).
 */

const IMPORT = /\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|\bimport\s+['"](\.{1,2}\/[^'"]+)['"]/g;
const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

const graphs = new Map();

function listSources(dir, ignored) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (ignored.has(entry.name)) continue;
    if (entry.isDirectory()) files.push(...listSources(path, ignored));
    else if (SOURCE_EXTENSIONS.has(extname(entry.name)) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The module a path belongs to: its first folder under the root, or '(root)'. */
function moduleOf(srcRoot, file) {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

/** module -> (module it imports -> one example edge) */
function buildGraph(srcRoot, ignored) {
  const graph = new Map();
  for (const file of listSources(srcRoot, ignored)) {
    const from = moduleOf(srcRoot, file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      const target = resolve(dirname(file), specifier);
      const to = moduleOf(srcRoot, target);
      if (to === null || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, { file: relative(srcRoot, file), target: relative(srcRoot, target) });
    }
  }
  return graph;
}

/** A path of modules from `start` to `goal` (both included), or null. */
function findPath(graph, start, goal) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === goal) {
      const path = [];
      for (let node = goal; node !== null; node = previous.get(node)) path.unshift(node);
      return path;
    }
    for (const next of graph.get(current)?.keys() ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, current);
      queue.push(next);
    }
  }
  return null;
}

export const noModuleCycle = {
  meta: {
    type: 'problem',
    docs: { description: "Forbid import cycles between the top-level folders (modules) of the backend's src/" },
    schema: [
      {
        type: 'object',
        properties: { srcRoot: { type: 'string' }, ignore: { type: 'array', items: { type: 'string' } } },
        required: ['srcRoot'],
        additionalProperties: false,
      },
    ],
    messages: {
      cycle: 'Module cycle: {{path}} ({{edge}}). Modules depend one way: move what both need into a lower module, or call through an interface (a port) that the other side implements.',
    },
  },
  create(context) {
    const { srcRoot: rawRoot, ignore = ['generated'] } = context.options[0];
    const srcRoot = resolve(rawRoot);
    const filename = context.filename;
    const here = moduleOf(srcRoot, filename);
    if (here === null) return {};
    const key = `${srcRoot}\0${ignore.join(',')}`;
    if (!graphs.has(key)) graphs.set(key, buildGraph(srcRoot, new Set(ignore)));
    const graph = graphs.get(key);

    const check = (node) => {
      const specifier = node.source?.type === 'Literal' ? node.source.value : undefined;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const there = moduleOf(srcRoot, resolve(dirname(filename), specifier));
      if (there === null || there === here) return;
      const back = findPath(graph, there, here);
      if (back === null) return;
      const closing = graph.get(back[back.length - 2])?.get(here);
      context.report({
        node,
        messageId: 'cycle',
        data: {
          path: [here, ...back].join(' -> '),
          edge: closing ? `${closing.file} imports ${closing.target}` : 'see the imports of these folders',
        },
      });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { 'no-module-cycle': noModuleCycle } };
