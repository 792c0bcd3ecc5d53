import { HTTP_ENGINE } from './support/engines.js';
import { jsonInit, META, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const APP_ORIGIN = 'https://app.example.com';
const base = '/routes/knowledge/cors-co';

const list = (value: string | null): string[] => (value ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);

/** A browser on another origin (CORS_ORIGINS) may use every method of the API with the headers the web app sends. */
describe.each([HTTP_ENGINE])('CORS (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { CORS_ORIGINS: `${APP_ORIGIN},http://localhost:3000` });
  });
  afterAll(() => t?.close());

  const preflight = (method: string, origin = APP_ORIGIN): Promise<Response> =>
    t.get(`${base}/00000000-0000-4000-8000-000000000000`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,x-request-id' },
    });

  it.each(['PATCH', 'DELETE', 'POST', 'GET'])('a preflight for %s with Authorization, Content-Type and X-Request-Id is allowed', async (method) => {
    const res = await preflight(method);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(list(res.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'head', 'post', 'patch', 'delete']));
    expect(list(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-request-id']));
  });

  it('a preflight from an origin not listed gets no permission', async () => {
    const res = await preflight('PATCH', 'https://evil.example.net');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the actual cross-origin PATCH answers with the origin and exposes the request id', async () => {
    const created = (await (await t.get(base, jsonInit('POST', { ...META, text: 'Cross-origin text.' }))).json()) as EntryJson;
    const res = await t.get(`${base}/${created.id}`, jsonInit('PATCH', { title: 'Renamed across origins' }, { origin: APP_ORIGIN }));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(list(res.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['x-request-id']));
  });
});
