import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker entry. Worker threads load JavaScript only: from `dist` it sits next to
 * this module; under Jest this module is TypeScript transformed in-process, so the worker comes
 * from the workspace's build output instead (the test target builds first).
 */
export function resolveWorkerFile(): string {
  const sibling = fileURLToPath(new URL('./extraction.worker.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  const root = findWorkspaceRoot(dirname(fileURLToPath(import.meta.url)));
  const built = root ? join(root, 'dist', 'backend', 'extraction', 'extraction.worker.js') : null;
  if (built && existsSync(built)) return built;
  throw new Error(
    'The text-extraction worker (extraction.worker.js) was not found next to the extraction service or in dist/backend/extraction: ' +
      'build the backend first (npx tsc -p backend/tsconfig.app.json).',
  );
}

/** The nearest folder up from `start` holding nx.json. */
function findWorkspaceRoot(start: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}
