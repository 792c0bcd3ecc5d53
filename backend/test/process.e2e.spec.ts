import { TEST_ENGINES } from './support/engines.js';
import { createScratchDatabase } from './support/scratch-database.js';
import { listeningPort, startServerProcess as start } from './support/server-process.js';

describe.each(TEST_ENGINES)('the built server process (%s)', (engine) => {
  it('serves, then shuts down cleanly on SIGTERM, closing the server and the database', async () => {
    const db = await createScratchDatabase(engine);
    try {
      const running = start(db.env);
      const port = await listeningPort(running);
      const res = await fetch(`http://127.0.0.1:${port}/routes/knowledge/acme/index`);
      expect(await res.text()).toBe('{"entries":[],"total_count":0}');
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      expect(running.output()).toMatch(/shutdown complete/);
      expect(running.output()).toMatch(/(pglite|postgres) closed/);

      // the data survives a restart (and a PGlite directory was closed cleanly enough to reopen)
      const again = start(db.env);
      const port2 = await listeningPort(again);
      const ready = await fetch(`http://127.0.0.1:${port2}/health/ready`);
      expect(ready.status).toBe(200);
      // the database and pgvector 0.8 checks, on this engine
      const body = (await ready.json()) as { status: string; engine: string; checks: { vector: { version: string } } };
      expect(body).toMatchObject({ status: 'ready', engine });
      expect(body.checks.vector.version).toMatch(/^0\.8\.\d+$/);
      expect(again.output()).toMatch(/0 applied, \d+ already up to date/);
      again.child.kill('SIGINT');
      expect(await again.exited).toBe(0);
    } finally {
      await db.drop();
    }
  });
});

describe('start-up refusals', () => {
  it('a malformed variable stops the process with a message naming it', async () => {
    const running = start({ PORT: 'not-a-port' });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/PORT/);
  });

  it('production without a Clerk key refuses to start', async () => {
    const running = start({ NODE_ENV: 'production' });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/CLERK_SECRET_KEY/);
  });

  it('development mode without a Clerk key warns loudly at start-up', async () => {
    const running = start({ DATA_DIR: 'memory://' });
    await listeningPort(running);
    expect(running.output()).toMatch(/AUTHENTICATION IS OFF/);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });
});
