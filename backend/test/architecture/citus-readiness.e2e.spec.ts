import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { loadAppConfig } from '../../src/config/load-app-config.js';
import type { DatabaseEngine } from '../../src/database/database-engine.js';
import { runMigrations } from '../../src/database/migrations/migration-runner.js';
import { openDatabaseEngine } from '../../src/database/open-database-engine.js';
import { HTTP_ENGINE } from '../support/engines.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { MIGRATIONS_DIR } from '../support/test-app.js';

const PLAN = resolve(__dirname, '../../../docs/scaling.md');

/** The backticked names in the first column of the Markdown table under `heading`. */
function firstColumnNames(markdown: string, heading: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`docs/scaling.md has no section "${heading}"`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? ''));
}

type KeyRow = {
  table: string;
  name: string;
  kind: 'primary' | 'unique';
  columns: string[];
};
type ForeignKeyRow = {
  table: string;
  name: string;
  columns: string[];
  target: string;
  target_columns: string[];
};

/**
 * The Citus plan in docs/scaling.md, checked against the schema the migrations build: its list of
 * blocking constraints is exactly what a distribution by tenant_id would refuse today, and every
 * table has a place in the plan.
 */
describe(`the Citus plan matches the schema (${HTTP_ENGINE})`, () => {
  let db: ScratchDatabase;
  let handle: DatabaseEngine;
  const plan = readFileSync(PLAN, 'utf8');

  beforeAll(async () => {
    db = await createScratchDatabase(HTTP_ENGINE);
    handle = await openDatabaseEngine(loadAppConfig({ NODE_ENV: 'test', ...db.env }).database, () => undefined);
    await runMigrations(handle, MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  const tables = async (): Promise<string[]> =>
    (await handle.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")).map(
      (r) => r.table_name,
    );

  it('gives every table a place in the plan', async () => {
    expect(firstColumnNames(plan, 'Table by table').sort()).toEqual(await tables());
  });

  it('lists exactly the constraints that distributing by tenant_id refuses today', async () => {
    const withTenant = new Set(
      (await handle.query<{ table_name: string }>("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'")).map(
        (r) => r.table_name,
      ),
    );
    // the plan keeps the queue on the coordinator; every other table with tenant_id is distributed
    const local = new Set(['ingestion_jobs', 'rate_limit_windows', '_prisma_migrations']);
    const distributed = new Set([...withTenant].filter((t) => !local.has(t)));

    const keys = await handle.query<KeyRow>(
      `SELECT t.relname AS table, i.relname AS name, CASE WHEN x.indisprimary THEN 'primary' ELSE 'unique' END AS kind,
              array(SELECT a.attname::text FROM unnest(x.indkey) k JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k) AS columns
         FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND x.indisunique`,
    );
    const foreignKeys = await handle.query<ForeignKeyRow>(
      `SELECT t.relname AS table, c.conname AS name, r.relname AS target,
              array(SELECT a.attname::text FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k) AS columns,
              array(SELECT a.attname::text FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k) AS target_columns
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND c.contype = 'f'`,
    );

    const refused = [
      // a distributed table's primary key or unique constraint must contain the distribution column
      ...keys.filter((k) => distributed.has(k.table) && !k.columns.includes('tenant_id')).map((k) => k.name),
      // a foreign key between distributed tables must include it on both sides
      ...foreignKeys
        .filter((f) => distributed.has(f.table) && distributed.has(f.target))
        .filter((f) => !f.columns.includes('tenant_id') || !f.target_columns.includes('tenant_id'))
        .map((f) => f.name),
      // a coordinator-local table cannot reference a distributed one
      ...foreignKeys.filter((f) => local.has(f.table) && distributed.has(f.target)).map((f) => f.name),
    ];
    expect(firstColumnNames(plan, 'What fails today').sort()).toEqual(refused.sort());
  });
});
