import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HTTP_ENGINE } from './support/engines.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const INDEX = '<!doctype html><html><body><bb-root></bb-root><script src="main-ABC123.js" type="module"></script></body></html>';

describe.each([HTTP_ENGINE])('serving the web app build (%s)', (engine) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bb-web-'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'main-ABC123.js'), 'console.log("app")');
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'media', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startTestApp(engine, { WEB_APP_DIR: dir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/acme/context-builder', '/acme/context-builder/search', '/acme/context-builder/entries/6f1c0a4e-8e0b-4a57-9d36-2b9d3c1f5e21'])(
    'answers the app shell at %s',
    async (url) => {
      const res = await t.get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    },
  );

  it('serves the build files', async () => {
    const script = await t.get('/main-ABC123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toBe('console.log("app")');
    expect((await t.get('/media/logo.svg')).status).toBe(200);
  });

  it('leaves the API, its health and its 404s alone', async () => {
    const health = await t.get('/routes/knowledge/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy', service: 'knowledge' });
    for (const url of ['/no/such/route', '/main-XYZ.js', '/acme', '/acme/settings', '/../package.json']) {
      const res = await t.get(url);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
    }
  });
});

describe.each([HTTP_ENGINE])('without a web app build (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { WEB_APP_DIR: join(tmpdir(), 'bb-no-such-build') });
  });
  afterAll(() => t?.close());

  it('runs the API alone: / is a JSON 404', async () => {
    const res = await t.get('/');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect((await t.get('/health')).status).toBe(200);
  });
});
