import { runBuiltScript } from '../support/ops-process.js';
import { createScratchDatabase } from '../support/scratch-database.js';
import { listeningPort, startServerProcess } from '../support/server-process.js';

/** `nx run backend:migrate` as its target runs it: the built script, from the workspace root. */
const runMigrate = (env: Record<string, string>) => runBuiltScript('migrate.js', [], env);

/** Engine-specific: only an embedded directory can be opened twice by mistake. */
describe('migrate on an embedded database (pglite)', () => {
  it('refuses a directory a running server holds, and migrates it once the server has stopped', async () => {
    const db = await createScratchDatabase('pglite');
    try {
      const server = startServerProcess(db.env);
      await listeningPort(server);
      const refused = await runMigrate(db.env);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/is open \(postmaster\.pid is present\): stop the server using it first/);
      // the server still answers: its database was left alone
      const port = await listeningPort(server);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      const ran = await runMigrate(db.env);
      expect(ran.output).toMatch(/^0 applied, \d+ already up to date$/m);
      expect(ran.code).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
