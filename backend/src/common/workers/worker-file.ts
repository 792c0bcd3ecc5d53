import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled entry of a worker thread, by its path under the build output (e.g.
 * `extraction/extraction.worker.js`). Worker threads load JavaScript only: from `dist` the file
 * sits where this module's sibling folders are; under Jest this module is TypeScript transformed
 * in-process, so the worker comes from the workspace's build output instead (the test target
 * builds first).
 */
export function resolveWorkerFile(relativePath: string): string {
  const distRoot = fileURLToPath(new URL('../../', import.meta.url));
  const sibling = join(distRoot, relativePath);
  if (existsSync(sibling)) return sibling;
  const root = findWorkspaceRoot(dirname(fileURLToPath(import.meta.url)));
  const built = root ? join(root, 'dist', 'backend', relativePath) : null;
  if (built && existsSync(built)) return built;
  throw new Error(`The worker ${relativePath} was not found in the build output (dist/backend): build the backend first (npx tsc -p backend/tsconfig.app.json).`);
}

/** The nearest folder up from `start` holding nx.json. */
function findWorkspaceRoot(start: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}
