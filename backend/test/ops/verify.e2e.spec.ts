import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HTTP_ENGINE, TEST_ENGINES } from '../support/engines.js';
import { runOps } from '../support/ops-process.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { MIGRATIONS_DIR, startTestApp, type TestApp } from '../support/test-app.js';
import { migrate, MIGRATION_NAMES, openEngine, withEngine } from './ops-fixtures.js';

const line = (outcome: 'PASS' | 'FAIL' | 'SKIP', check: string): RegExp => new RegExp(`^${outcome}  ${check.replace(/[/.]/g, '\\$&')}\\s`, 'm');

const DATABASE_CHECKS = [
  'database connection',
  'pgvector extension',
  'embeddings.embedding_vector is vector',
  'index embeddings_vector_cosine_idx',
  'index embeddings_vector_l2_idx',
  'migrations applied',
];

describe.each(TEST_ENGINES)('ops verify: the database checks (%s)', (engine) => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase(engine);
    await migrate(db);
  });
  afterAll(() => db?.drop());

  it('passes every check on a migrated database, one line each, and exits 0', async () => {
    const run = await runOps('verify', [], db.env);
    expect(run.code).toBe(0);
    for (const check of DATABASE_CHECKS) expect(run.stdout).toMatch(line('PASS', check));
    expect(run.stdout).toMatch(/^PASS {2}pgvector extension\s+installed, version 0\.8\.\d+$/m);
    expect(run.stdout).toMatch(/^PASS {2}embeddings\.embedding_vector is vector\s+vector\(1536\)$/m);
    expect(run.stdout).toMatch(/^PASS {2}index embeddings_vector_cosine_idx\s+hnsw on embeddings, valid$/m);
    expect(run.stdout).toMatch(/^SKIP {2}backend\s+no --backend-url/m);
    expect(run.stdout).toMatch(/^verify: OK \(6 checks passed, 2 skipped\)$/m);
  });

  it('fails naming the index when a vector index is dropped', async () => {
    await withEngine(db, (e) => e.exec('DROP INDEX embeddings_vector_l2_idx'));
    try {
      const run = await runOps('verify', [], db.env);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^FAIL {2}index embeddings_vector_l2_idx\s+missing/m);
      expect(run.stdout).toMatch(line('PASS', 'index embeddings_vector_cosine_idx'));
      expect(run.stdout).toMatch(/^verify: FAILED \(1 of 8 checks failed: index embeddings_vector_l2_idx, 2 skipped\)$/m);
    } finally {
      await withEngine(db, (e) => e.exec('CREATE INDEX "embeddings_vector_l2_idx" ON "embeddings" USING hnsw ("embedding_vector" vector_l2_ops)'));
    }
    expect((await runOps('verify', [], db.env)).code).toBe(0);
  });

  it('fails naming the index when a vector index is invalid', async () => {
    // what a failed CREATE INDEX CONCURRENTLY leaves behind
    const setValid = (valid: boolean): Promise<void> =>
      withEngine(db, (e) => e.exec(`UPDATE pg_index SET indisvalid = ${valid} WHERE indexrelid = 'embeddings_vector_cosine_idx'::regclass`));
    await setValid(false);
    try {
      const run = await runOps('verify', [], db.env);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^FAIL {2}index embeddings_vector_cosine_idx\s+invalid .*REINDEX INDEX "embeddings_vector_cosine_idx"/m);
    } finally {
      await setValid(true);
    }
  });

  it('fails naming the migrations check when a migration is pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-ops-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      mkdirSync(join(dir, '29990101000000_later'));
      writeFileSync(join(dir, '29990101000000_later', 'migration.sql'), 'CREATE TABLE "later" ("id" INTEGER);\n');
      const run = await runOps('verify', [], { ...db.env, MIGRATIONS_DIR: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`^FAIL {2}migrations applied\\s+${MIGRATION_NAMES.length} applied, 1 pending \\(29990101000000_later\\)`, 'm'));
      expect(run.stdout).toMatch(/^verify: FAILED \(1 of 8 checks failed: migrations applied/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the database check when the database is unreachable or missing', async () => {
    const env: Record<string, string> = engine === 'postgres' ? { DATABASE_URL: withDatabase(db.url ?? '', 'bb_no_such_database') } : { DATA_DIR: join(tmpdir(), 'bb-ops-no-such-data-dir') };
    const run = await runOps('verify', [], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}database connection\s+/m);
    // the password never shows
    expect(run.output).not.toMatch(/bb_test:bb_test|:bb_test@/);
  });
});

describe.each(TEST_ENGINES.filter((e) => e === 'pglite'))('ops verify: an embedded database a server holds (%s)', (engine) => {
  it('skips the database checks, saying why, instead of opening the directory a second time; with nothing else to check it fails', async () => {
    const db = await createScratchDatabase(engine);
    try {
      await migrate(db);
      const held = await openEngine(db);
      try {
        const run = await runOps('verify', [], db.env);
        expect(run.stdout).toMatch(/^SKIP {2}database\s+the embedded database at .* is open \(postmaster\.pid is present\)/m);
        expect(run.stdout).not.toMatch(/^PASS {2}database connection/m);
        // every check skipped proves nothing about the deployment
        expect(run.stdout).toMatch(/^verify: NOTHING CHECKED \(every check was skipped: see why above\)$/m);
        expect(run.code).toBe(1);
      } finally {
        await held.close();
      }
      expect((await runOps('verify', [], db.env)).stdout).toMatch(line('PASS', 'database connection'));
    } finally {
      await db.drop();
    }
  });
});

/** A stand-in for the web app's server: the app's HTML at `/`, and `/routes/...` forwarded to the backend unless `proxy` is off. */
function startFrontend(backendUrl: string, proxy: boolean): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (proxy && path.startsWith('/routes/')) {
      fetch(`${backendUrl}${path}`)
        .then(async (upstream) => {
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => res.writeHead(502).end());
      return;
    }
    // a single-page app answers its shell for any path it does not serve itself
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>Business Brain</title></head><body><bb-root></bb-root></body></html>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server });
    }),
  );
}

const closeServer = (server: Server | undefined): Promise<void> => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));

describe.each([HTTP_ENGINE])('ops verify: a running deployment (%s)', (engine) => {
  let t: TestApp;
  let frontend: { url: string; server: Server };
  let unproxied: { url: string; server: Server };
  beforeAll(async () => {
    t = await startTestApp(engine);
    frontend = await startFrontend(t.baseUrl, true);
    unproxied = await startFrontend(t.baseUrl, false);
  });
  afterAll(async () => {
    await closeServer(frontend?.server);
    await closeServer(unproxied?.server);
    await t?.close();
  });

  it('passes the backend and frontend checks when both answer', async () => {
    const run = await runOps('verify', ['--backend-url', t.baseUrl, `--frontend-url=${frontend.url}`], t.database.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS {2}backend GET \/health\s+200 \{"status":"healthy"\}$/m);
    expect(run.stdout).toMatch(/^PASS {2}backend GET \/routes\/knowledge\/health\s+200 \{"status":"healthy","service":"knowledge"\}$/m);
    expect(run.stdout).toMatch(new RegExp(`^PASS  backend GET /health/ready\\s+200 ready \\(engine ${engine}, pgvector 0\\.8\\.\\d+\\)$`, 'm'));
    expect(run.stdout).toMatch(/^PASS {2}frontend GET \/ serves HTML\s+200 text\/html/m);
    expect(run.stdout).toMatch(/^PASS {2}frontend proxies \/routes\/knowledge\/health\s+200 \{"status":"healthy","service":"knowledge"\}$/m);
    expect(run.stdout).toMatch(/^verify: OK /m);
  });

  it('fails the proxy check when the frontend answers its HTML page for /routes', async () => {
    const run = await runOps('verify', [], { ...t.database.env, VERIFY_BACKEND_URL: t.baseUrl, VERIFY_FRONTEND_URL: unproxied.url });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(line('PASS', 'frontend GET / serves HTML'));
    expect(run.stdout).toMatch(/^FAIL {2}frontend proxies \/routes\/knowledge\/health\s+200: answered an HTML page, not the API$/m);
    expect(run.stdout).toMatch(/^verify: FAILED \(1 of \d+ checks failed: frontend proxies \/routes\/knowledge\/health/m);
  });

  it('fails the backend checks when nothing listens at the backend URL', async () => {
    const closed = await startFrontend(t.baseUrl, true);
    await closeServer(closed.server);
    const run = await runOps('verify', ['--backend-url', closed.url], t.database.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}backend GET \/health\s+GET http:\/\/127\.0\.0\.1:\d+\/health: cannot connect \(ECONNREFUSED\)$/m);
  });

  it('refuses an argument it does not know, and a URL that is not http', async () => {
    const unknown = await runOps('verify', ['--backend', t.baseUrl], t.database.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown argument "--backend" \(this command takes: --backend-url, --frontend-url\)/);
    const ftp = await runOps('verify', ['--frontend-url', 'ftp://127.0.0.1/'], t.database.env);
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toMatch(/--frontend-url \/ VERIFY_FRONTEND_URL: must be an http or https URL/);
  });
});

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
