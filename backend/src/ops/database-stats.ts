import type { DatabaseEngine } from '../database/database-engine.js';
import { toNumber } from './format.js';

export interface ConnectionStats {
  /** Client connections to this database, this command's own included. */
  total: number;
  active: number;
  idle: number;
  idleInTransaction: number;
  /** The server's max_connections (all databases together). */
  max: number;
  /** By application_name (`business-brain` is the service's pool). */
  byApplication: { application: string; connections: number }[];
}

export interface RelationSize {
  name: string;
  /** Heap and TOAST (for tables) or the index itself, bytes. */
  bytes: number;
}

export interface TableSize extends RelationSize {
  indexBytes: number;
  totalBytes: number;
  /** Live rows as the statistics system counts them (pg_stat_user_tables.n_live_tup): an estimate, exact only at rest. */
  estimatedRows: number;
}

export interface IndexSize extends RelationSize {
  table: string;
}

/** Connections to this database, from pg_stat_activity (PostgreSQL; PGlite is one embedded connection). */
export async function readConnectionStats(engine: DatabaseEngine): Promise<ConnectionStats> {
  const [row] = await engine.query<Record<string, unknown>>(
    `SELECT count(*) AS total,
            count(*) FILTER (WHERE state = 'active') AS active,
            count(*) FILTER (WHERE state = 'idle') AS idle,
            count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_in_transaction,
            current_setting('max_connections') AS max
       FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  const apps = await engine.query<{ application: string; connections: unknown }>(
    `SELECT coalesce(nullif(application_name, ''), '(none)') AS application, count(*) AS connections
       FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'
      GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  return {
    total: toNumber(row?.['total']),
    active: toNumber(row?.['active']),
    idle: toNumber(row?.['idle']),
    idleInTransaction: toNumber(row?.['idle_in_transaction']),
    max: toNumber(row?.['max']),
    byApplication: apps.map((app) => ({ application: app.application, connections: toNumber(app.connections) })),
  };
}

export async function readDatabaseSize(engine: DatabaseEngine): Promise<number> {
  const [row] = await engine.query<{ bytes: unknown }>('SELECT pg_database_size(current_database()) AS bytes');
  return toNumber(row?.bytes);
}

/** Tables of the app's schema, largest first. */
export async function readTableSizes(engine: DatabaseEngine): Promise<TableSize[]> {
  const rows = await engine.query<Record<string, unknown>>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS total, pg_indexes_size(c.oid) AS indexes, coalesce(s.n_live_tup, 0) AS rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
      ORDER BY pg_total_relation_size(c.oid) DESC, c.relname`,
  );
  return rows.map((row) => {
    const totalBytes = toNumber(row['total']);
    const indexBytes = toNumber(row['indexes']);
    return { name: String(row['name']), bytes: totalBytes - indexBytes, indexBytes, totalBytes, estimatedRows: toNumber(row['rows']) };
  });
}

/** Every index of the app's schema, largest first. */
export async function readIndexSizes(engine: DatabaseEngine): Promise<IndexSize[]> {
  const rows = await engine.query<Record<string, unknown>>(
    `SELECT c.relname AS name, t.relname AS table_name, pg_relation_size(c.oid) AS bytes
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema()
      ORDER BY pg_relation_size(c.oid) DESC, c.relname`,
  );
  return rows.map((row) => ({ name: String(row['name']), table: String(row['table_name']), bytes: toNumber(row['bytes']) }));
}
