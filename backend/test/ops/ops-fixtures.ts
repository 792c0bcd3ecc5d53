import { loadAppConfig } from '../../src/config/load-app-config.js';
import type { DatabaseEngine } from '../../src/database/database-engine.js';
import { readMigrationFiles } from '../../src/database/migrations/migration-files.js';
import { runMigrations } from '../../src/database/migrations/migration-runner.js';
import { openDatabaseEngine } from '../../src/database/open-database-engine.js';
import { TenantDatabase } from '../../src/database/tenant-database.js';
import { seedTenant, sha256 } from '../support/seed.js';
import type { ScratchDatabase } from '../support/scratch-database.js';
import { startServiceContext } from '../support/service-context.js';
import { MIGRATIONS_DIR } from '../support/test-app.js';

/** The scratch database opened as the service opens it. Close it before an ops command opens an embedded one. */
export function openEngine(db: ScratchDatabase): Promise<DatabaseEngine> {
  return openDatabaseEngine(loadAppConfig({ NODE_ENV: 'test', ...db.env }).database, () => undefined);
}

/** Runs `fn` on the database and closes it again. */
export async function withEngine<T>(db: ScratchDatabase, fn: (engine: DatabaseEngine) => Promise<T>): Promise<T> {
  const engine = await openEngine(db);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** The project's migrations, in order: counts in the tasks' output follow the directory, not a number fixed here. */
export const MIGRATION_NAMES = readMigrationFiles(MIGRATIONS_DIR).map((file) => file.name);

export const migrate = (db: ScratchDatabase, dir = MIGRATIONS_DIR): Promise<unknown> => withEngine(db, (engine) => runMigrations(engine, dir));

/** Every byte value, twice, so a codec that mangles any of them shows. */
export const BINARY = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), ...Array.from({ length: 256 }, (_, i) => 255 - i)]);

export interface SeededTenant {
  slug: string;
  tenantId: string;
  knowledgeBases: number;
  documents: number;
  documentBytes: number;
  embeddings: number;
  binaryDocumentId: string;
}

/**
 * Two tenants through the service's own data layer (it migrates the database at start): acme with
 * two entries, globex with one, each with chunks and their vectors and a document of raw bytes.
 */
export async function seedTwoTenants(db: ScratchDatabase): Promise<SeededTenant[]> {
  const app = await startServiceContext({ ...db.env });
  try {
    const seeded: SeededTenant[] = [];
    for (const [slug, entries, chunks] of [['acme', 2, 3], ['globex', 1, 5]] as const) {
      let tenantId = '';
      for (let entry = 0; entry < entries; entry++) {
        const seed = await seedTenant(app, slug, { title: `${slug} entry ${entry}`, chunks, axis: entry * 7 });
        tenantId = seed.tenantId;
      }
      const binaryDocumentId = await app.get(TenantDatabase).run(tenantId, async (tx) => {
        const kb = await tx.knowledgeBase.findFirstOrThrow({ where: { tenantId } });
        const doc = await tx.document.create({
          data: {
            tenantId,
            knowledgeBaseId: kb.id,
            sourceKind: 'file',
            filename: 'bytes.bin',
            mimeType: 'application/octet-stream',
            byteSize: BINARY.length,
            contentHash: sha256(`${slug}-binary`),
            content: BINARY,
            status: 'ready',
          },
        });
        return doc.id;
      });
      seeded.push({
        slug,
        tenantId,
        knowledgeBases: entries,
        documents: entries + 1,
        // seedTenant's documents keep the default byte_size 0; the binary one records its size
        documentBytes: BINARY.length,
        embeddings: entries * chunks,
        binaryDocumentId,
      });
    }
    return seeded;
  } finally {
    await app.close();
  }
}

/** What the tables hold, row by row as JSON (bytea as hex, vectors as text), in a fixed order; read as the owner. */
export async function snapshot(engine: DatabaseEngine): Promise<Record<string, string[]>> {
  // every table of the schema, so a table a later migration adds is compared too
  const tables = await engine.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1');
  const result: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await engine.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM "${name}" t ORDER BY 1`);
    result[name] = rows.map((r) => r.row);
  }
  return result;
}
