/**
 * Messages between the API's thread and the thread that runs PGlite (pglite-host.worker.ts).
 * PGlite executes SQL synchronously inside WebAssembly, so on the API's thread a long statement
 * (a batch of HNSW inserts, a big document's bytes) would stall every request; in its own thread
 * it stalls nothing but the database itself.
 */

/** `null`: outside any transaction. */
export type TransactionId = number | null;

export type HostRequest =
  | { id: number; op: 'query'; tx: TransactionId; sql: string; params: unknown[]; rowMode: 'array' | 'object'; rawTypes: number[] }
  | { id: number; op: 'exec'; tx: TransactionId; sql: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

export type HostResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** The host's first message: PGlite is open (or failed to open). */
export type HostReady = { ready: true } | { ready: false; error: SerializedError };

export interface QueryResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** A database error crosses threads as data; the client rebuilds PGlite's `DatabaseError` from it. */
export interface SerializedError {
  database: boolean;
  message: string;
  length?: number;
  name?: string;
  fields?: Record<string, string | undefined>;
}

export const DATABASE_ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;
