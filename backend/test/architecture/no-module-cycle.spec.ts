import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import * as tsParser from '@typescript-eslint/parser';
import { RuleTester } from 'eslint';

import { noModuleCycle } from '../../eslint-rules/no-module-cycle.js';

/** The lint rule that keeps the backend's modules (top-level folders of src/) free of import cycles. */
describe('architecture/no-module-cycle', () => {
  const root = mkdtempSync(join(tmpdir(), 'bb-module-cycle-'));
  const srcRoot = join(root, 'src');
  const files: Record<string, string> = {
    'knowledge/knowledge.service.ts': "import { worker } from '../ingestion/worker.js';\nexport const service = worker;\n",
    'ingestion/worker.ts': "import type { Status } from '../knowledge/status.js';\nexport const worker = 1 as unknown as Status;\n",
    'knowledge/status.ts': 'export type Status = string;\n',
    'search/search.service.ts': "import { service } from '../knowledge/knowledge.service.js';\nexport const search = service;\n",
    'main.ts': "import { search } from './search/search.service.js';\nexport default search;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(srcRoot, path)), { recursive: true });
    writeFileSync(join(srcRoot, path), text);
  }
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const tester = new RuleTester({ languageOptions: { parser: tsParser } });
  const at = (path: string): { code: string; filename: string; options: [{ srcRoot: string }] } => ({
    code: files[path] ?? '',
    filename: join(srcRoot, path),
    options: [{ srcRoot }],
  });

  tester.run('no-module-cycle', noModuleCycle, {
    valid: [at('search/search.service.ts'), at('main.ts'), at('knowledge/status.ts')],
    invalid: [
      {
        ...at('knowledge/knowledge.service.ts'),
        errors: [{ message: /Module cycle: knowledge -> ingestion -> knowledge \(ingestion\/worker\.ts imports knowledge\/status\.js\)/ }],
      },
      { ...at('ingestion/worker.ts'), errors: [{ message: /Module cycle: ingestion -> knowledge -> ingestion/ }] },
    ],
  });
});
