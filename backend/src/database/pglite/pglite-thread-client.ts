import { Worker } from 'node:worker_threads';

import { messages } from '@electric-sql/pglite';

import { resolveWorkerFile } from '../../common/workers/worker-file.js';
import {
  DATABASE_ERROR_FIELDS,
  type HostReady,
  type HostRequest,
  type HostResponse,
  type QueryResult,
  type SerializedError,
  type TransactionId,
} from './pglite-protocol.js';

type Parser = (text: string, typeId: number) => unknown;

/** A query's result with its rows typed by the caller. */
export type TypedResult<T> = Omit<QueryResult, 'rows'> & { rows: T[] };

/** Omit distributed over a union's members. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface QueryOptions {
  rowMode?: 'array' | 'object';
  /** Per type OID; applied here, to the text the host hands over for these types. */
  parsers?: Record<number, Parser>;
}

/** bytea: the host decodes it (to a Uint8Array) off this thread; a caller's text parser would be slow here. */
const BYTEA = 17;

/** What a caller holds inside `transaction()`. */
export interface PgliteThreadTransaction {
  query<T = unknown>(sql: string, params?: unknown[], options?: QueryOptions): Promise<TypedResult<T>>;
  exec(sql: string): Promise<QueryResult[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

const rebuild = (error: SerializedError): Error => {
  if (!error.database) return new Error(error.message);
  // the driver adapter recognises database errors (unique violations, ...) by this class
  const rebuilt = new messages.DatabaseError(error.message, error.length ?? 0, (error.name ?? 'error') as messages.MessageName);
  for (const key of DATABASE_ERROR_FIELDS) rebuilt[key] = error.fields?.[key];
  return rebuilt;
};

/**
 * PGlite in a worker thread, with the part of PGlite's interface that Prisma's PGlite adapter and
 * the engine use (`query`, `exec`, `transaction`, `close`). Everything runs in the host thread;
 * results and errors come back as data.
 */
export class PgliteThreadClient {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; inTransaction: boolean }>();
  /** Transactions begun (holding PGlite's lock in the host) and not yet ended. */
  private openTransactions = 0;
  private nextId = 1;
  private failure: Error | null = null;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: HostResponse) => {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(rebuild(message.error));
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(this.closed ? 'the embedded database is closed' : `the embedded database thread stopped (exit code ${code})`)));
  }

  /** Starts the thread and opens the database in `dataDir` (`memory://` for none). */
  static async open(dataDir: string): Promise<PgliteThreadClient> {
    const worker = new Worker(resolveWorkerFile('database/pglite/pglite-host.worker.js'), { workerData: { dataDir } });
    let settle = (): void => undefined;
    const ready = await new Promise<HostReady>((resolve, reject) => {
      const exited = (code: number): void => reject(new Error(`the embedded database thread stopped while opening (exit code ${code})`));
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', exited);
      settle = () => {
        worker.off('message', resolve);
        worker.off('error', reject);
        worker.off('exit', exited);
      };
    }).finally(() => settle());
    if (!ready.ready) {
      await worker.terminate();
      throw rebuild(ready.error);
    }
    return new PgliteThreadClient(worker);
  }

  query<T = unknown>(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<TypedResult<T>> {
    return this.queryIn(null, sql, params, options) as Promise<TypedResult<T>>;
  }

  exec(sql: string): Promise<QueryResult[]> {
    return this.call({ op: 'exec', tx: null, sql }) as Promise<QueryResult[]>;
  }

  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws or calls `rollback`. */
  async transaction<T>(fn: (tx: PgliteThreadTransaction) => Promise<T>): Promise<T> {
    const id = (await this.call({ op: 'begin' })) as number;
    this.openTransactions++;
    let ended = false;
    const end = async (commit: boolean): Promise<void> => {
      if (ended) return;
      ended = true;
      this.openTransactions--;
      await this.call({ op: 'end', tx: id, commit });
    };
    const tx: PgliteThreadTransaction = {
      query: <R>(sql: string, params: unknown[] = [], options: QueryOptions = {}) =>
        this.queryIn(id, sql, params, options) as Promise<TypedResult<R>>,
      exec: (sql) => this.call({ op: 'exec', tx: id, sql }) as Promise<QueryResult[]>,
      // A rollback cannot fail to leave nothing behind: when the database closed or its thread
      // stopped, the transaction is gone with it. Prisma's PGlite adapter does not await this call,
      // so a rejection here would be an unhandled one.
      rollback: () => end(false).catch(() => undefined),
      get closed() {
        return ended;
      },
    };
    try {
      const result = await fn(tx);
      await end(true);
      return result;
    } catch (error) {
      await end(false).catch(() => undefined);
      throw error;
    }
  }

  /** What is running or waiting right now: calls sent to the thread and not answered, those of an open transaction among them. */
  load(): { transactionOpen: boolean; calls: number; transactionCalls: number } {
    let transactionCalls = 0;
    for (const call of this.pending.values()) if (call.inTransaction) transactionCalls++;
    return { transactionOpen: this.openTransactions > 0, calls: this.pending.size, transactionCalls };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.failure === null) await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }

  private async queryIn(tx: TransactionId, sql: string, params: unknown[], options: QueryOptions): Promise<QueryResult> {
    const parsers = options.parsers ?? {};
    const rawTypes = Object.keys(parsers)
      .map(Number)
      .filter((type) => type !== BYTEA);
    const result = (await this.call({ op: 'query', tx, sql, params, rowMode: options.rowMode ?? 'object', rawTypes })) as QueryResult;
    if (rawTypes.length === 0) return result;
    const byColumn = result.fields.map((field) => (rawTypes.includes(field.dataTypeID) ? parsers[field.dataTypeID] : undefined));
    if (byColumn.every((parser) => parser === undefined)) return result;
    const parse = (value: unknown, column: number): unknown => {
      const parser = byColumn[column];
      return parser === undefined || value === null ? value : parser(value as string, result.fields[column]?.dataTypeID ?? 0);
    };
    const rows = result.rows.map((row) =>
      Array.isArray(row)
        ? row.map(parse)
        : Object.fromEntries(result.fields.map((field, column) => [field.name, parse((row as Record<string, unknown>)[field.name], column)])),
    );
    return { ...result, rows };
  }

  private call(request: WithoutId<HostRequest>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    // once closing, only the end of a transaction still in flight (and the close itself) may pass
    if (this.closed && request.op !== 'close' && request.op !== 'end') return Promise.reject(new Error('the embedded database is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, inTransaction: 'tx' in request && request.tx !== null });
      this.worker.postMessage({ ...request, id });
    });
  }
}
