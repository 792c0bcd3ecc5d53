import { connect } from 'node:net';

import { clerkFrontendApiOrigin } from '../src/common/http/clerk-frontend-api.js';
import { loadAppConfig } from '../src/config/load-app-config.js';
import { KnowledgeService } from '../src/knowledge/knowledge.service.js';
import { generateSigningKey } from './support/clerk-tokens.js';
import { HTTP_ENGINE } from './support/engines.js';
import { jsonInit, META, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const base = '/routes/knowledge/headers-co';
const CLERK_HOST = 'foo-bar-13.clerk.accounts.dev';
const PUBLISHABLE_KEY = `pk_test_${Buffer.from(`${CLERK_HOST}$`).toString('base64')}`;

/** The CSP as directive name -> sources. */
const csp = (res: { headers: Headers }): Map<string, string[]> =>
  new Map(
    (res.headers.get('content-security-policy') ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name = '', ...sources]) => [name, sources]),
  );

const expectSecurityHeaders = (res: { headers: Headers }, what: string): void => {
  const h = (name: string): string | null => res.headers.get(name);
  expect({ what, nosniff: h('x-content-type-options'), frame: h('x-frame-options'), referrer: h('referrer-policy'), hsts: h('strict-transport-security') }).toEqual({
    what,
    nosniff: 'nosniff',
    frame: 'DENY',
    referrer: 'strict-origin-when-cross-origin',
    hsts: null,
  });
  expect({ what, ancestors: csp(res).get('frame-ancestors') }).toEqual({ what, ancestors: ["'none'"] });
};

/** Raw request, for what fetch cannot send; answers the response head as Headers. */
function rawHead(t: TestApp, request: string): Promise<{ status: number; headers: Headers }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(t.baseUrl).port), '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [statusLine = '', ...lines] = (Buffer.concat(parts).toString('utf8').split('\r\n\r\n')[0] ?? '').split('\r\n');
      const headers = new Headers();
      for (const line of lines) headers.append(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim());
      resolve({ status: Number(statusLine.split(' ')[1]), headers });
    });
    // no half-close: the server answers, then closes (Connection: close, or a refused request)
    socket.write(request);
  });
}

describe.each([HTTP_ENGINE])('security headers on every response (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t?.close());

  it('on routes, errors, 404s and the router and parser refusals', async () => {
    expectSecurityHeaders(await t.get('/health'), 'health');
    expectSecurityHeaders(await t.get(`${base}/index`), 'tenant list');
    expectSecurityHeaders(await t.get(`${base}/index?limit=0`), 'validation error');
    expectSecurityHeaders(await t.get('/no/such/route'), 'unknown route');
    expectSecurityHeaders(await t.get(`${base}/${'x'.repeat(300)}`), 'over-long parameter');
    expectSecurityHeaders(await rawHead(t, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 'header overflow');
  });

  it('a content security policy the web app and Swagger UI load under, and no Clerk without sign-in', async () => {
    const policy = csp(await t.get('/health'));
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });

  it('Cache-Control: no-store on tenant data, its errors and both event streams', async () => {
    const created = await t.get(base, jsonInit('POST', { ...META, text: 'Words for the header checks.' }));
    expect(created.headers.get('cache-control')).toBe('no-store');
    const entry = (await created.json()) as EntryJson;
    for (const path of [`${base}/index`, `${base}/${entry.id}`, `${base}/${entry.id}/chunks`, `${base}/index?limit=0`, `${base}/00000000-0000-4000-8000-000000000000`]) {
      expect({ path, cache: (await t.get(path)).headers.get('cache-control') }).toEqual({ path, cache: 'no-store' });
    }
    const events = await t.get(`${base}/${entry.id}/events`);
    expect(events.headers.get('cache-control')).toMatch(/no-store/);
    expectSecurityHeaders(events, 'status events');
    await events.body?.cancel();
    const answer = await t.get(`${base}/answer`, jsonInit('POST', { question: 'which words?' }, { accept: 'text/event-stream' }));
    expect(answer.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(answer.headers.get('cache-control')).toMatch(/no-store/);
    expectSecurityHeaders(answer, 'answer stream');
    await answer.text();
  });

  it('an unexpected error answers a generic 500 with request_id: no stack, SQL, path or host', async () => {
    const leak = new Error('select * from "documents" where tenant_id = $1 failed at db.internal:5432');
    leak.stack = `${leak.message}\n    at KnowledgeService.index (/work/main/backend/src/knowledge/knowledge.service.ts:42:7)`;
    const spy = jest.spyOn(t.app.get(KnowledgeService), 'index').mockRejectedValue(leak);
    try {
      const res = await t.get(`${base}/index`, { headers: { 'x-request-id': 'boom-500' } });
      const body = (await res.json()) as Record<string, unknown>;
      expect({ status: res.status, body }).toEqual({
        status: 500,
        body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', request_id: 'boom-500' },
      });
      expect(res.headers.get('cache-control')).toBe('no-store');
      // the operator has it all, under the request id
      expect(t.logs.some((line) => line.includes('boom-500') && line.includes('db.internal:5432'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});

describe.each([HTTP_ENGINE])('configured security headers (%s)', (engine) => {
  it('HSTS_MAX_AGE sends Strict-Transport-Security (and upgrades insecure requests)', async () => {
    const t = await startTestApp(engine, { HSTS_MAX_AGE: '31536000' });
    try {
      const res = await t.get('/health');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(csp(res).has('upgrade-insecure-requests')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('in clerk mode the policy allows Clerk, from the host its publishable key names', async () => {
    const t = await startTestApp(engine, { CLERK_JWT_KEY: generateSigningKey().publicPem, CLERK_PUBLISHABLE_KEY: PUBLISHABLE_KEY });
    try {
      const policy = csp(await t.get('/health'));
      const clerk = `https://${CLERK_HOST}`;
      expect(policy.get('script-src')).toEqual(expect.arrayContaining(["'self'", clerk]));
      expect(policy.get('connect-src')).toEqual(["'self'", clerk]);
      expect(policy.get('frame-src')).toEqual(expect.arrayContaining([clerk]));
      expect(policy.get('img-src')).toEqual(expect.arrayContaining([clerk, 'https://img.clerk.com']));
    } finally {
      await t.close();
    }
  });

  it('API_DOCS_ENABLED=false: no /docs, no /docs-json', async () => {
    const t = await startTestApp(engine, { API_DOCS_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/docs-json']) {
        const res = await t.get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(((await res.json()) as { request_id?: string }).request_id).toBe(res.headers.get('x-request-id'));
      }
    } finally {
      await t.close();
    }
  });
});

describe('the API docs setting and the Clerk origin', () => {
  const pem = generateSigningKey().publicPem;
  it('docs are on outside production and off in production unless asked for', () => {
    expect(loadAppConfig({}).apiDocsEnabled).toBe(true);
    expect(loadAppConfig({ API_DOCS_ENABLED: '' }).apiDocsEnabled).toBe(true);
    expect(loadAppConfig({ NODE_ENV: 'production', CLERK_JWT_KEY: pem }).apiDocsEnabled).toBe(false);
    expect(loadAppConfig({ NODE_ENV: 'production', CLERK_JWT_KEY: pem, API_DOCS_ENABLED: 'true' }).apiDocsEnabled).toBe(true);
    expect(() => loadAppConfig({ API_DOCS_ENABLED: 'maybe' })).toThrow(/API_DOCS_ENABLED/);
    expect(() => loadAppConfig({ HSTS_MAX_AGE: '-1' })).toThrow(/HSTS_MAX_AGE/);
  });

  it.each([
    [PUBLISHABLE_KEY, `https://${CLERK_HOST}`],
    [`pk_live_${Buffer.from('clerk.example.com$').toString('base64')}`, 'https://clerk.example.com'],
    [`pk_test_${Buffer.from("evil.com; script-src 'unsafe-inline'$").toString('base64')}`, null],
    [`pk_test_${Buffer.from('no-dollar.example.com').toString('base64')}`, null],
    ['pk_test_!!!', null],
    [undefined, null],
  ])('%s names %s', (key, origin) => {
    expect(clerkFrontendApiOrigin(key)).toBe(origin);
  });
});
