import pg from 'pg';

import { postgresAdminUrl, TEST_ENGINES } from './support/engines.js';
import { formOf } from './support/knowledge-client.js';
import { sampleMarkdown } from './support/sample-text.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { listeningPort, startServerProcess, type ServerProcess } from './support/server-process.js';

const TENANTS = ['north-co', 'south-co', 'east-co'];
const REQUESTS_PER_TENANT = 10;
const FILES_PER_REQUEST = 10;
const DOCUMENTS = TENANTS.length * REQUESTS_PER_TENANT * FILES_PER_REQUEST;

/** Workers that notice a dead peer's jobs within seconds rather than the production half-minute. */
const WORKER_ENV = {
  APP_MODE: 'worker',
  INGESTION_CONCURRENCY: '4',
  INGESTION_HEARTBEAT_MS: '300',
  INGESTION_STALE_AFTER_MS: '1000',
  INGESTION_POLL_MS: '100',
};

/** Mostly short notes, every tenth a long one, so jobs are in flight when a worker dies. */
const documentText = (n: number): string => (n % 10 === 0 ? sampleMarkdown(n, 60, 6) : sampleMarkdown(n, 3, 3));

/** Polls the database until `condition` holds: waiting on the workers' progress, with no deadline of its own. */
async function until<T>(read: () => Promise<T>, condition: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (condition(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A scratch PostgreSQL database for a describe, a client on it (`scratch.sql`) and `start`, which
 * runs a built server process on it with `baseEnv` under `env`; the processes are killed and the
 * database dropped after the describe.
 */
function serverProcessesOnScratchPostgres(baseEnv: Record<string, string>): {
  scratch: { db: ScratchDatabase; sql: pg.Client };
  start: (env: Record<string, string>) => ServerProcess;
} {
  const scratch = {} as { db: ScratchDatabase; sql: pg.Client };
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    scratch.db = await createScratchDatabase('postgres');
    scratch.sql = new pg.Client({ connectionString: scratch.db.url });
    await scratch.sql.connect();
  });
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await scratch.sql?.end();
    await scratch.db?.drop();
  });
  const start = (env: Record<string, string>): ServerProcess => {
    const p = startServerProcess({ ...scratch.db.env, ...baseEnv, ...env });
    processes.push(p);
    return p;
  };
  return { scratch, start };
}

/**
 * Scale-out on PostgreSQL: one API-only process and two worker-only processes share one database;
 * one worker is killed with SIGKILL while it holds jobs, and every document still ends ready, once.
 */
const describePostgres = TEST_ENGINES.includes('postgres') ? describe : describe.skip;
describePostgres('API and ingestion workers as separate processes on one PostgreSQL', () => {
  const { scratch, start } = serverProcessesOnScratchPostgres({ INGESTION_MAX_ATTEMPTS: '5' });

  it('ingests a few hundred documents exactly once although a worker is killed midway', async () => {
    // the API first: it applies the migrations, and processes nothing itself
    const api = start({ APP_MODE: 'api' });
    const apiUrl = `http://127.0.0.1:${await listeningPort(api)}`;
    const workerA = start(WORKER_ENV);
    const workerB = start(WORKER_ENV);
    const [portA, portB] = await Promise.all([listeningPort(workerA), listeningPort(workerB)]);

    // a worker serves its health routes and nothing of the API
    expect((await fetch(`http://127.0.0.1:${portA}/health/ready`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${portA}/routes/knowledge/north-co/index`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${portB}/health`)).status).toBe(200);

    let n = 0;
    const uploads: Promise<Response>[] = [];
    for (const tenant of TENANTS) {
      for (let r = 0; r < REQUESTS_PER_TENANT; r++) {
        const files = Array.from({ length: FILES_PER_REQUEST }, () => {
          n += 1;
          return { name: `note-${n}.md`, type: 'text/markdown', bytes: documentText(n) };
        });
        uploads.push(fetch(`${apiUrl}/routes/knowledge/${tenant}`, { method: 'POST', body: formOf({ title: `Batch ${r}`, type: 'Reference', intent: 'Technical' }, files) }));
      }
    }
    expect((await Promise.all(uploads)).map((res) => res.status)).toEqual(Array<number>(uploads.length).fill(202));

    // kill worker A while it holds running jobs, and while work remains for B
    const pidA = workerA.child.pid ?? 0;
    const heldByA = async (): Promise<number> =>
      Number((await scratch.sql.query<{ n: string }>("SELECT count(*) AS n FROM ingestion_jobs WHERE status = 'running' AND split_part(locked_by, ':', 2) = $1", [String(pidA)])).rows[0]?.n);
    await until(heldByA, (held) => held > 0);
    workerA.child.kill('SIGKILL');
    await workerA.exited;
    const orphaned = (
      await scratch.sql.query<{ document_id: string }>("SELECT document_id FROM ingestion_jobs WHERE status = 'running' AND split_part(locked_by, ':', 2) = $1", [String(pidA)])
    ).rows.map((r) => r.document_id);
    const readyAtKill = Number((await scratch.sql.query<{ n: string }>("SELECT count(*) AS n FROM documents WHERE status = 'ready'")).rows[0]?.n);
    expect(orphaned.length).toBeGreaterThan(0);
    expect(readyAtKill).toBeLessThan(DOCUMENTS);

    // worker B takes over A's jobs once their heartbeats go stale, and finishes everything
    const statuses = await until(
      async () => (await scratch.sql.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM documents GROUP BY status')).rows,
      (rows) => rows.every((r) => r.status === 'ready' || r.status === 'failed'),
    );
    expect(statuses.map((r) => [r.status, Number(r.n)])).toEqual([['ready', DOCUMENTS]]);

    // exactly once: each document's chunks stored once (positions 0..n-1, no repeats), matching its count
    const perDocument = await scratch.sql.query<{ id: string; chunk_count: number; rows: string; positions: string; top: number | null }>(
      `SELECT d.id, d.chunk_count, count(e.id) AS rows, count(DISTINCT e.position) AS positions, max(e.position) AS top
         FROM documents d LEFT JOIN embeddings e ON e.document_id = d.id AND e.tenant_id = d.tenant_id
        GROUP BY d.id, d.chunk_count`,
    );
    expect(perDocument.rows).toHaveLength(DOCUMENTS);
    const wrong = perDocument.rows.filter((d) => d.chunk_count < 1 || Number(d.rows) !== d.chunk_count || Number(d.positions) !== d.chunk_count || d.top !== d.chunk_count - 1);
    expect(wrong).toEqual([]);
    // no job left behind, the orphaned documents among the ready ones
    expect(Number((await scratch.sql.query<{ n: string }>('SELECT count(*) AS n FROM ingestion_jobs')).rows[0]?.n)).toBe(0);
    const orphanedReady = await scratch.sql.query<{ n: string }>("SELECT count(*) AS n FROM documents WHERE status = 'ready' AND id = ANY($1::uuid[])", [orphaned]);
    expect(Number(orphanedReady.rows[0]?.n)).toBe(orphaned.length);

    // the API process ran no worker; B did
    expect(api.output()).not.toMatch(/ingestion worker .* started/);
    expect(workerB.output()).toMatch(/ingestion worker .* started/);

    api.child.kill('SIGTERM');
    workerB.child.kill('SIGTERM');
    expect(await Promise.all([api.exited, workerB.exited])).toEqual([0, 0]);
  });
});

describePostgres('a worker in another process starts on new jobs at once (LISTEN/NOTIFY)', () => {
  const { scratch, start } = serverProcessesOnScratchPostgres({});

  const statusOf = async (apiUrl: string, tenant: string, id: string): Promise<string> =>
    ((await (await fetch(`${apiUrl}/routes/knowledge/${tenant}/${id}`)).json()) as { status: string }).status;

  it('processes an upload queued by an API process without waiting for its next poll, and again after its listening connection drops, also when reconnecting fails for a while', async () => {
    const api = start({ APP_MODE: 'api' });
    const apiUrl = `http://127.0.0.1:${await listeningPort(api)}`;
    // a poll ten minutes apart: only the notification can start these jobs within the test's time
    const worker = start({ APP_MODE: 'worker', INGESTION_POLL_MS: '600000' });
    await listeningPort(worker);
    await until(() => Promise.resolve(worker.output()), (out) => /ingestion worker .* started/.test(out));

    const add = async (text: string): Promise<string> => {
      const res = await fetch(`${apiUrl}/routes/knowledge/listen-co`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: text.slice(0, 20), type: 'Reference', intent: 'Technical', text }),
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };

    const first = await add(sampleMarkdown(1));
    await until(() => statusOf(apiUrl, 'listen-co', first), (status) => status === 'ready');

    // the server drops the listener's connection: the worker reconnects and listens again
    const dropped = await scratch.sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'business-brain-listener' AND datname = current_database()");
    expect(dropped.rowCount).toBe(1);
    await until(
      async () => (await scratch.sql.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'business-brain-listener' AND datname = current_database()")).rows[0] as { n: number },
      (row) => row.n === 1,
    );
    const second = await add(sampleMarkdown(2));
    await until(() => statusOf(apiUrl, 'listen-co', second), (status) => status === 'ready');

    // dropped again while the database refuses new connections: each reconnect fails, and the
    // worker keeps trying until it is let in
    const name = (await scratch.sql.query<{ name: string }>('SELECT current_database() AS name')).rows[0]?.name ?? '';
    const admin = new pg.Client({ connectionString: postgresAdminUrl() }); // a database cannot close itself to connections
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await scratch.sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'business-brain-listener' AND datname = current_database()");
      await until(() => Promise.resolve(worker.output()), (out) => /is not currently accepting connections/.test(out));
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await until(
      async () => (await scratch.sql.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'business-brain-listener' AND datname = current_database()")).rows[0] as { n: number },
      (row) => row.n === 1,
    );
    const third = await add(sampleMarkdown(3));
    await until(() => statusOf(apiUrl, 'listen-co', third), (status) => status === 'ready');

    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await Promise.all([api.exited, worker.exited])).toEqual([0, 0]);
  });
});
