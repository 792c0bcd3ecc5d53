import { parentPort, workerData } from 'node:worker_threads';

import { PGlite, messages, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

import { DATABASE_ERROR_FIELDS, type HostReady, type HostRequest, type HostResponse, type SerializedError } from './pglite-protocol.js';

/**
 * The PGlite thread: opens the database (with pgvector) in `workerData.dataDir` and runs what the
 * API's thread sends. A transaction stays open here, holding PGlite's lock, until the client ends
 * it; PGlite queues every other statement meanwhile, as it does on one thread.
 */
const port = parentPort;
if (!port) throw new Error('pglite-host.worker must run in a worker thread');
const { dataDir } = workerData as { dataDir: string };

const serialize = (error: unknown): SerializedError => {
  if (error instanceof messages.DatabaseError) {
    const fields: Record<string, string | undefined> = {};
    for (const key of DATABASE_ERROR_FIELDS) fields[key] = error[key];
    return { database: true, message: error.message, length: error.length, name: error.name, fields };
  }
  return { database: false, message: error instanceof Error ? error.message : String(error) };
};

/**
 * bytea through Node's native hex codec. PGlite's own goes byte by byte through strings (one per
 * byte, joined; parseInt per pair back): a 24 MB file took seconds and a gigabyte of garbage each
 * way, and ten of them outlasted their transaction.
 */
const BYTEA = 17;
const serializeBytea = (value: unknown): string => {
  if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
};
const parseBytea = (text: string): Uint8Array => {
  const bytes = Buffer.from(text.slice(2), 'hex');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};

interface OpenTransaction {
  tx: Transaction;
  end: (commit: boolean) => void;
  done: Promise<void>;
}

async function main(): Promise<void> {
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir, { extensions: { vector } });
  } catch (error) {
    port?.postMessage({ ready: false, error: serialize(error) } satisfies HostReady);
    return;
  }
  const transactions = new Map<number, OpenTransaction>();
  /** Every transaction begun and not yet finished, open or still waiting for PGlite's lock. */
  const starting = new Set<Promise<void>>();
  let closing = false;
  let nextTx = 1;
  const target = (tx: number | null): PGlite | Transaction => {
    if (tx === null) return db;
    const open = transactions.get(tx);
    if (!open) throw new Error(`transaction ${tx} is not open`);
    return open.tx;
  };

  const handle = async (request: HostRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query': {
        // the caller parses these types itself (with functions, which cannot cross threads): hand over their text
        const parsers = { [BYTEA]: parseBytea, ...Object.fromEntries(request.rawTypes.map((type) => [type, (text: string) => text])) };
        const result = await target(request.tx).query(request.sql, request.params, { rowMode: request.rowMode, parsers, serializers: { [BYTEA]: serializeBytea } });
        return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
      }
      case 'exec':
        return (await target(request.tx).exec(request.sql)).map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
      case 'begin': {
        if (closing) throw new Error('the embedded database is closing');
        const id = nextTx++;
        return new Promise<number>((begun, failed) => {
          let end: (commit: boolean) => void = () => undefined;
          const ended = new Promise<boolean>((resolve) => (end = resolve));
          const done: Promise<void> = db
            .transaction(async (tx) => {
              // queued behind another transaction while a close began: never start
              if (closing) throw new Error('the embedded database is closing');
              transactions.set(id, { tx, end, done });
              begun(id);
              if (!(await ended)) await tx.rollback();
            })
            .finally(() => {
              transactions.delete(id);
              starting.delete(done);
            });
          starting.add(done);
          done.catch(failed);
        });
      }
      case 'end': {
        const open = transactions.get(request.tx);
        if (!open) {
          // already ended (rolled back by a close, or failed): a rollback has nothing to do, a commit must not pretend
          if (request.commit) throw new Error('the transaction was rolled back: the embedded database closed');
          return null;
        }
        open.end(request.commit);
        await open.done;
        return null;
      }
      case 'close':
        // a transaction still open (its caller is shutting down too) would hold PGlite's lock forever
        closing = true;
        for (const open of transactions.values()) open.end(false);
        await Promise.allSettled([...starting]);
        await db.close();
        return null;
    }
  };

  port?.on('message', (request: HostRequest) => {
    handle(request).then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies HostResponse),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: serialize(error) } satisfies HostResponse),
    );
  });
  port?.postMessage({ ready: true } satisfies HostReady);
}

void main();
