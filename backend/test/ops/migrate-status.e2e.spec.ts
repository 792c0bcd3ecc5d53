import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_ENGINES } from '../support/engines.js';
import { runOps } from '../support/ops-process.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { MIGRATIONS_DIR } from '../support/test-app.js';
import { migrate, MIGRATION_NAMES, withEngine } from './ops-fixtures.js';

const INIT = '20261125000000_init';
const LAST = MIGRATION_NAMES.at(-1) ?? '';
const COUNT = MIGRATION_NAMES.length;

describe.each(TEST_ENGINES)('ops migrate:status (%s)', (engine) => {
  let db: ScratchDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createScratchDatabase(engine);
    dir = mkdtempSync(join(tmpdir(), 'bb-ops-status-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('lists every migration pending on a new database and exits 1, without creating it', async () => {
    const run = await runOps('migrate-status', [], { ...db.env, MIGRATIONS_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^PENDING  ${INIT}\\s+not applied yet$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^PENDING  ${LAST}\\s`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^migrate:status: NOT UP TO DATE: ${COUNT} pending \\(.*\\) \\(apply with: npx nx run backend:migrate\\)$`, 'm'));
    if (engine === 'pglite') {
      expect(existsSync(join(db.dataDir ?? '', 'pglite', 'PG_VERSION'))).toBe(false);
    } else {
      const [table] = await withEngine(db, (e) => e.query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present"));
      expect(table?.present).toBe(false);
    }
  });

  it('lists them applied once migrated, and exits 0', async () => {
    await migrate(db, dir);
    const run = await runOps('migrate-status', [], { ...db.env, MIGRATIONS_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^applied  ${INIT}\\s+applied \\d{4}-\\d\\d-\\d\\dT`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^migrate:status: OK: ${COUNT} applied$`, 'm'));
  });

  it('flags a migration changed after it was applied, and exits 1', async () => {
    appendFileSync(join(dir, INIT, 'migration.sql'), '\n-- edited after release\n');
    const run = await runOps('migrate-status', [], { ...db.env, MIGRATIONS_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^CHANGED  ${INIT}\\s+file changed after it was applied .* \\(recorded [0-9a-f]{12}…, file [0-9a-f]{12}…\\)`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^migrate:status: NOT UP TO DATE: ${COUNT - 1} applied, 1 changed \\(${INIT}\\)$`, 'm'));
  });
});
