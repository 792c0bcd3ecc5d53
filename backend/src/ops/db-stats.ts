import { readConnectionStats, readDatabaseSize, readIndexSizes, readTableSizes, type ConnectionStats } from './database-stats.js';
import { formatBytes, formatTable } from './format.js';
import { runOpsCommand } from './ops-command.js';
import { describeDatabase, openOpsDatabase } from './ops-database.js';
import { readTenantStats } from './tenant-stats.js';

/**
 * `nx run backend:db:stats [-- --json]`: connections, per-tenant counts of knowledge bases,
 * documents and embeddings, table and index sizes. `--json` prints the same as one JSON object.
 */
runOpsCommand(['json'], async ({ config, args }) => {
  const engine = await openOpsDatabase(config.database);
  try {
    // the embedded engine is one connection in this process (a server would hold the directory: refused above)
    const connections: ConnectionStats | null = engine.kind === 'postgres' ? await readConnectionStats(engine) : null;
    const tenants = await readTenantStats(engine);
    const databaseBytes = await readDatabaseSize(engine);
    const tables = await readTableSizes(engine);
    const indexes = await readIndexSizes(engine);
    if (args.json) {
      console.log(JSON.stringify({ engine: engine.kind, databaseBytes, connections, tenants, tables, indexes }, null, 2));
      return 0;
    }

    console.log(`database: ${describeDatabase(config.database)}, ${formatBytes(databaseBytes)}`);
    console.log('\nconnections');
    if (connections) {
      console.log(
        `  ${connections.total} to this database (this command's included): ${connections.active} active, ${connections.idle} idle, ` +
          `${connections.idleInTransaction} idle in transaction; max_connections ${connections.max}`,
      );
      console.log(`  by application: ${connections.byApplication.map((a) => `${a.application} ${a.connections}`).join(', ')}`);
    } else {
      console.log('  embedded (PGlite): one connection, this command\'s (no server has the database open)');
    }

    console.log(`\ntenants (${tenants.length})`);
    const sum = (pick: (t: (typeof tenants)[number]) => number): number => tenants.reduce((total, t) => total + pick(t), 0);
    console.log(
      formatTable(
        ['tenant', 'id', 'knowledge_bases', 'documents', 'document_bytes', 'embeddings'],
        [
          ...tenants.map((t) => [t.slug, t.tenantId, t.knowledgeBases, t.documents, t.documentBytes, t.embeddings]),
          ['(all)', '', sum((t) => t.knowledgeBases), sum((t) => t.documents), sum((t) => t.documentBytes), sum((t) => t.embeddings)],
        ],
      ),
    );

    console.log('\ntables');
    console.log(
      formatTable(
        ['table', 'rows (approx.)', 'data', 'indexes', 'total'],
        tables.map((t) => [t.name, t.estimatedRows, formatBytes(t.bytes), formatBytes(t.indexBytes), formatBytes(t.totalBytes)]),
      ),
    );
    console.log('\nindexes');
    console.log(formatTable(['index', 'table', 'size'], indexes.map((i) => [i.name, i.table, formatBytes(i.bytes)])));
    return 0;
  } finally {
    await engine.close();
  }
});
