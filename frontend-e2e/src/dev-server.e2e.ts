import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { BackendServer, WORKSPACE, freePort, waitUntilAnswering } from './support/backend-server';

/**
 * The development setup `npm start` runs: `ng serve` answers the app's HTML and forwards /routes
 * and /health to the backend (BACKEND_URL; :8000 by default, a free port here).
 */
describe('dev server (ng serve) in front of the backend', () => {
  const backend = new BackendServer();
  let devServer: ChildProcess | null = null;
  let devUrl = '';

  beforeAll(async () => {
    await backend.start();
    const port = await freePort();
    devUrl = `http://localhost:${port}`;
    devServer = spawn(join(WORKSPACE, 'node_modules/.bin/ng'), ['serve', '--port', String(port), '--host', 'localhost', '--no-live-reload'], {
      cwd: join(WORKSPACE, 'frontend'),
      env: { ...process.env, BACKEND_URL: backend.baseUrl, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1' },
      stdio: 'ignore',
      detached: true,
    });
    const child = devServer;
    await waitUntilAnswering(devUrl, () => child.exitCode === null);
  });

  afterAll(async () => {
    if (devServer?.pid && devServer.exitCode === null) {
      const exited = new Promise((done) => devServer?.once('exit', done));
      process.kill(-devServer.pid, 'SIGTERM');
      await exited;
    }
    await backend.dispose();
  });

  it('answers the web app at / and at a tenant URL', async () => {
    for (const path of ['/', '/acme/context-builder']) {
      const res = await fetch(devUrl + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('<bb-root>');
    }
  });

  it('forwards the API and health routes to the backend', async () => {
    const health = await fetch(`${devUrl}/routes/knowledge/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy', service: 'knowledge' });
    expect((await fetch(`${devUrl}/health`)).status).toBe(200);
    const index = await fetch(`${devUrl}/routes/knowledge/acme/index`);
    expect(index.status).toBe(200);
    expect(await index.json()).toEqual({ entries: [], total_count: 0 });
  });
});
