/**
 * Memory the server holds for uploads: the built backend (dist/backend/main.js) in a process of its
 * own, sent one multipart request of 10 files of 24 MB, then five such requests at once; its
 * resident set before, at its peak (VmHWM) and after, read from /proc. Each scenario runs in a
 * fresh process, once with the memory budget out of the way and once with the default
 * (UPLOAD_MEMORY_BUDGET_BYTES 256 MiB). The ingestion worker is off: this is intake alone.
 *
 *   npx nx run backend:build && npx tsc -p bench/tsconfig.json && node dist/bench/bench/upload-memory.bench.js
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres node dist/bench/bench/upload-memory.bench.js
 *
 * Settings: BENCH_ENGINES (postgres,pglite), BENCH_UPLOAD_FILE_MB (24), BENCH_UPLOAD_FILES (10),
 * BENCH_UPLOAD_BUDGETS (unbounded,default), BENCH_UPLOAD_REQUESTS (1,5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

type Engine = 'postgres' | 'pglite';
const ADMIN = process.env['BENCH_POSTGRES_ADMIN_URL'];
const ENGINES = (process.env['BENCH_ENGINES'] ?? (ADMIN ? 'postgres,pglite' : 'pglite')).split(',') as Engine[];
const FILE_BYTES = Number(process.env['BENCH_UPLOAD_FILE_MB'] ?? 24) * 1024 * 1024;
const FILES = Number(process.env['BENCH_UPLOAD_FILES'] ?? 10);
const MB = 1024 * 1024;
const BUDGETS = (process.env['BENCH_UPLOAD_BUDGETS'] ?? 'unbounded,default').split(',');
const REQUESTS = (process.env['BENCH_UPLOAD_REQUESTS'] ?? '1,5').split(',').map(Number);

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });

/** VmRSS and VmHWM (peak) of a process, in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

async function scratchDatabase(engine: Engine): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bb-bench-upload-'));
    return { env: { DATA_DIR: dir }, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  if (!ADMIN) throw new Error('the postgres engine needs BENCH_POSTGRES_ADMIN_URL');
  const pg = (await import('pg')).default;
  const name = `bb_bench_upload_${Date.now()}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: ADMIN });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/backend/main.js'], {
    cwd: resolve('.'),
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEB_APP_DIR: 'tmp/no-web-app', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the server exited');
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) return { child, baseUrl };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One request's form: FILES distinct text files of FILE_BYTES. */
function form(request: number): FormData {
  const data = new FormData();
  data.append('title', `Upload ${request}`);
  data.append('type', 'Reference');
  data.append('intent', 'Technical');
  for (let i = 0; i < FILES; i++) {
    const bytes = Buffer.alloc(FILE_BYTES, `request ${request} file ${i}: the quick brown fox jumps over the lazy dog. `);
    data.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/plain' }), `r${request}-f${i}.txt`);
  }
  return data;
}

async function scenario(engine: Engine, budget: string, requests: number): Promise<string> {
  const database = await scratchDatabase(engine);
  const { child, baseUrl } = await startServer({
    ...database.env,
    INGESTION_WORKER: 'false',
    RATE_LIMIT_TENANT_PER_MINUTE: '0',
    QUOTA_MAX_STORED_BYTES: '0',
    // long enough that the five wait their turns rather than get 503s
    UPLOAD_MEMORY_WAIT_MS: '600000',
    HTTP_REQUEST_TIMEOUT_MS: '900000',
    ...(budget === 'default' ? {} : { UPLOAD_MEMORY_BUDGET_BYTES: budget }),
  });
  try {
    const pid = child.pid ?? 0;
    const forms = Array.from({ length: requests }, (_, i) => form(i));
    const before = memoryOf(pid);
    const started = Date.now();
    const statuses = await Promise.all(forms.map(async (body) => (await fetch(`${baseUrl}/routes/knowledge/mem-bench`, { method: 'POST', body })).status));
    const seconds = (Date.now() - started) / 1000;
    const after = memoryOf(pid);
    return `${engine}, budget ${budget === 'default' ? '256 MiB (default)' : 'unbounded'}, ${requests} request(s) of ${FILES} x ${FILE_BYTES / MB} MB: ` +
      `RSS ${before.rss.toFixed(0)} MB before, peak ${after.peak.toFixed(0)} MB, ${after.rss.toFixed(0)} MB after; ${seconds.toFixed(1)} s; statuses ${statuses.join(',')}`;
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await database.drop();
  }
}

async function main(): Promise<void> {
  for (const engine of ENGINES) {
    for (const budget of BUDGETS.map((b) => (b === 'unbounded' ? String(1024 ** 4) : b))) {
      for (const requests of REQUESTS) console.log(await scenario(engine, budget, requests));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
