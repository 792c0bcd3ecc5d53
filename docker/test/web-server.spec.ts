import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { securityHeaderList, securityHeadersOptions } from '../../backend/src/common/http/security-headers.js';
import { openEventStream } from '../../backend/test/support/event-stream-client.js';
import { formOf, jsonInit, META, type EntryJson } from '../../backend/test/support/knowledge-client.js';
import { listeningPort, startServerProcess, type ServerProcess } from '../../backend/test/support/server-process.js';
import { freePort, LOCAL_WEB_ROOT, startWebServer, type WebServer, type WebServerSettings } from './support/web-server.js';

const CLERK_KEY = `pk_test_${Buffer.from('foo-bar-13.clerk.accounts.dev$').toString('base64')}`;
const INDEX_HTML = readFileSync(join(LOCAL_WEB_ROOT, 'index.html'), 'utf8');
const HASHED_SCRIPT = readdirSync(LOCAL_WEB_ROOT).find((name) => /^main-[A-Z0-9]{8}\.js$/.test(name));
const HASHED_STYLES = readdirSync(LOCAL_WEB_ROOT).find((name) => /^styles-[A-Z0-9]{8}\.css$/.test(name));
const BACKEND_LIMITS = { MAX_UPLOAD_BYTES: '2000', MAX_FILES_PER_REQUEST: '3', MAX_JSON_BODY_BYTES: '4096' };
/** nginx's own limit for these settings: 2000 x 3 + 1 MiB of multipart framing. */
const BODY_LIMIT = 2000 * 3 + 1024 * 1024;

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  request_id: string;
}

/** The backend's security headers for these settings, as it sends them (helmet). */
const backendSecurityHeaders = (hstsMaxAgeSeconds: number, clerkPublishableKey?: string): [string, string][] =>
  securityHeaderList(securityHeadersOptions({ hstsMaxAgeSeconds, clerkPublishableKey }));

const expectBackendSecurityHeaders = (res: Response, expected: [string, string][], what: string): void => {
  for (const [name, value] of expected) expect({ what, name, value: res.headers.get(name) }).toEqual({ what, name, value });
  if (!expected.some(([name]) => name === 'strict-transport-security')) expect(res.headers.get('strict-transport-security')).toBeNull();
};

describe('the web server config (Debian\'s nginx on the rendered templates)', () => {
  describe.each([
    { hsts: 0, clerk: undefined },
    { hsts: 0, clerk: CLERK_KEY },
    { hsts: 31536000, clerk: undefined },
    { hsts: 31536000, clerk: CLERK_KEY },
  ])('security headers with HSTS_MAX_AGE=$hsts, Clerk key $clerk', ({ hsts, clerk }) => {
    let web: WebServer;
    beforeAll(async () => {
      // no backend: nothing listens at BACKEND_URL
      web = await startWebServer({ BACKEND_URL: `http://127.0.0.1:${await freePort()}`, ...BACKEND_LIMITS, HSTS_MAX_AGE: String(hsts), CLERK_PUBLISHABLE_KEY: clerk ?? '' });
    });
    afterAll(() => web?.stop());

    it('are the backend\'s on the web app\'s files and on nginx\'s own errors', async () => {
      const expected = backendSecurityHeaders(hsts, clerk);
      expect(expected.find(([name]) => name === 'content-security-policy')?.[1]).toContain(clerk ? 'https://foo-bar-13.clerk.accounts.dev' : "frame-src 'none'");
      expectBackendSecurityHeaders(await fetch(`${web.baseUrl}/`), expected, 'index.html');
      if (HASHED_SCRIPT) expectBackendSecurityHeaders(await fetch(`${web.baseUrl}/${HASHED_SCRIPT}`), expected, 'a script');
      expectBackendSecurityHeaders(await fetch(`${web.baseUrl}/no-such-file.js`), expected, 'a 404');
      const unavailable = await fetch(`${web.baseUrl}/health`);
      expectBackendSecurityHeaders(unavailable, expected, 'nginx\'s 503');
    });

    it('answers in the API\'s error shape when the backend cannot be reached', async () => {
      const res = await fetch(`${web.baseUrl}/routes/knowledge/acme`, { headers: { 'x-request-id': 'trace-me.1' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('retry-after')).toBe('5');
      expect((await res.json()) as ErrorBody).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The API server is not reachable at the moment', request_id: 'trace-me.1' });
    });
  });

  it('refuses settings that the backend would not take (the container does not start)', async () => {
    const bad: WebServerSettings = { BACKEND_URL: 'http://backend:8000/api', ...BACKEND_LIMITS, HSTS_MAX_AGE: '0' };
    await expect(startWebServer(bad)).rejects.toThrow(/BACKEND_URL must not have a path/);
    await expect(startWebServer({ ...bad, BACKEND_URL: 'http://127.0.0.1:1', MAX_UPLOAD_BYTES: '25MB' })).rejects.toThrow(/MAX_UPLOAD_BYTES must be a whole number/);
  });

  describe('in front of the backend', () => {
    let backend: ServerProcess;
    let web: WebServer;
    let held: { url: string; requested: Promise<void>; release(): void; close(): Promise<void> };

    beforeAll(async () => {
      held = await startHeldPage();
      backend = startServerProcess({ DATA_DIR: 'memory://', ...BACKEND_LIMITS, URL_FETCH_ALLOW_LOOPBACK: 'true', URL_FETCH_TIMEOUT_MS: '600000', SSE_POLL_MS: '50' });
      const port = await listeningPort(backend);
      web = await startWebServer({ BACKEND_URL: `http://127.0.0.1:${port}`, ...BACKEND_LIMITS, HSTS_MAX_AGE: '0' });
    });
    afterAll(async () => {
      held?.release();
      await web?.stop();
      if (backend && backend.child.exitCode === null) backend.child.kill('SIGTERM');
      await backend?.exited;
      await held?.close();
    });

    it('serves index.html for the app\'s own URLs, never cached without asking', async () => {
      for (const path of ['/', '/index.html', '/acme/context-builder', '/acme/context-builder/search', '/acme/context-builder/entries/0193f1d2-0000-7000-8000-000000000000']) {
        const res = await fetch(`${web.baseUrl}${path}`);
        expect({ path, status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control') }).toEqual({ path, status: 200, type: 'text/html', cache: 'no-cache' });
        expect(await res.text()).toBe(INDEX_HTML);
      }
      for (const path of ['/acme', '/acme/other', '/routes', '/main.js', '/media/']) {
        expect({ path, status: (await fetch(`${web.baseUrl}${path}`)).status }).toEqual({ path, status: 404 });
      }
    });

    it('lets browsers keep the hashed files for good, and compresses them', async () => {
      expect(HASHED_SCRIPT).toBeDefined();
      expect(HASHED_STYLES).toBeDefined();
      const script = await fetch(`${web.baseUrl}/${String(HASHED_SCRIPT)}`);
      expect(script.status).toBe(200);
      expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(script.headers.get('content-type')).toBe('application/javascript');
      expect(script.headers.get('content-encoding')).toBe('gzip');
      expect(await script.text()).toBe(readFileSync(join(LOCAL_WEB_ROOT, String(HASHED_SCRIPT)), 'utf8'));
      const styles = await fetch(`${web.baseUrl}/${String(HASHED_STYLES)}`);
      expect({ type: styles.headers.get('content-type'), cache: styles.headers.get('cache-control') }).toEqual({ type: 'text/css', cache: 'public, max-age=31536000, immutable' });
      // every file the page loads is one of those
      for (const [, name] of INDEX_HTML.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) {
        expect({ name, cache: (await fetch(`${web.baseUrl}/${String(name)}`)).headers.get('cache-control') }).toEqual({ name, cache: 'public, max-age=31536000, immutable' });
      }
    });

    it('passes /health and /health/ready to the backend, with its headers', async () => {
      const health = await fetch(`${web.baseUrl}/health`);
      expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'healthy' } });
      expect(health.headers.get('x-auth-mode')).toBe('development'); // the backend's own header
      expect((await fetch(`${web.baseUrl}/health/ready`)).status).toBe(200);
    });

    it('passes /routes on with the caller\'s request id, or one of its own', async () => {
      const mine = await fetch(`${web.baseUrl}/routes/knowledge/acme/0193f1d2-0000-7000-8000-000000000000`, { headers: { 'x-request-id': 'trace-me.2' } });
      expect(mine.status).toBe(404);
      expect(mine.headers.get('cache-control')).toBe('no-store');
      expect(((await mine.json()) as ErrorBody).request_id).toBe('trace-me.2');
      const theirs = await fetch(`${web.baseUrl}/routes/knowledge/acme/0193f1d2-0000-7000-8000-000000000000`);
      const id = ((await theirs.json()) as ErrorBody).request_id;
      expect(id).toMatch(/^[0-9a-f]{32}$/); // nginx's $request_id, the same in its log
      expect(theirs.headers.get('x-request-id')).toBe(id);
      expect(web.output()).toContain(`"request_id":"${id}"`);
    });

    it('lets uploads through to the backend\'s own limits, and refuses bodies beyond all of them itself', async () => {
      const stored = await fetch(`${web.baseUrl}/routes/knowledge/uploads`, { method: 'POST', body: formOf(META, [{ name: 'a.txt', type: 'text/plain', bytes: 'a'.repeat(1500) }]) });
      expect(stored.status).toBe(202);
      const tooLarge = await fetch(`${web.baseUrl}/routes/knowledge/uploads`, { method: 'POST', body: formOf(META, [{ name: 'b.txt', type: 'text/plain', bytes: 'b'.repeat(5000) }]) });
      expect(tooLarge.status).toBe(413); // the backend's answer: MAX_UPLOAD_BYTES
      expect(((await tooLarge.json()) as ErrorBody).message).not.toContain(String(BODY_LIMIT));
      const huge = await fetch(`${web.baseUrl}/routes/knowledge/uploads`, { method: 'POST', body: formOf(META, [{ name: 'c.txt', type: 'text/plain', bytes: 'c'.repeat(BODY_LIMIT + 1) }]) });
      expect(huge.status).toBe(413);
      const body = (await huge.json()) as ErrorBody;
      expect(body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: `The request body is larger than ${BODY_LIMIT} bytes`, request_id: huge.headers.get('x-request-id') });
    });

    // The config turns response buffering off for the whole API; NestJS also marks its streams
    // X-Accel-Buffering: no. Either keeps events from waiting in nginx's buffers.
    it('passes server-sent events on as they are written, not when the stream ends', async () => {
      const created = await fetch(`${web.baseUrl}/routes/knowledge/streams`, jsonInit('POST', { ...META, url: held.url }));
      expect(created.status).toBe(202);
      const entry = (await created.json()) as EntryJson;
      await held.requested; // the document is processing, and stays so until released
      const stream = await openEventStream(`${web.baseUrl}/routes/knowledge/streams/${entry.id}/events`);
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const processing = await stream.next((e) => e.event === 'status' && (JSON.parse(e.data) as EntryJson).status === 'processing');
      expect(processing.event).toBe('status');
      held.release();
      await stream.ended;
      expect((JSON.parse(stream.events.at(-1)?.data ?? '{}') as EntryJson).status).toBe('ready');
    });
  });
});

/** A page that is only answered once the test says so: holds a document in `processing`. */
async function startHeldPage(): Promise<{ url: string; requested: Promise<void>; release(): void; close(): Promise<void> }> {
  let requested!: () => void;
  const requestedOnce = new Promise<void>((resolve) => (requested = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server: Server = createServer((_req, res) => {
    requested();
    void released.then(() => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('The held page: its text arrives once the test releases it.'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/held.txt`,
    requested: requestedOnce,
    release,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
