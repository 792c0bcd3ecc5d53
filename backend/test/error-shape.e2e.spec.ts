import { connect } from 'node:net';

import { HTTP_ENGINE } from './support/engines.js';
import { formOf, jsonInit, META } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const base = '/routes/knowledge/shape-co';

/** Status, headers and body of a response, with the checks every error answer must pass. */
const expectErrorShape = async (res: Response, status: number): Promise<{ statusCode: number; error: string; message: string; request_id: string }> => {
  const text = await res.text();
  expect({ status: res.status, text }).toEqual({ status, text: expect.any(String) });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { statusCode: number; error: string; message: string; request_id: string };
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'request_id', 'statusCode']);
  expect(body).toEqual({ statusCode: status, error: expect.any(String), message: expect.any(String), request_id: expect.any(String) });
  expect(res.headers.get('x-request-id')).toBe(body.request_id);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return body;
};

/** Sends raw bytes and reads the whole answer until the server closes the connection. */
function rawRequest(t: TestApp, request: string): Promise<string> {
  const { port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
    // no half-close: the server answers, then closes (Connection: close, or a refused request)
    socket.write(request);
  });
}

/** Every answer of the server, Fastify's and Node's own refusals included, is `{statusCode, error, message, request_id}`. */
describe.each([HTTP_ENGINE])('the one error shape, for framework-level errors too (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { MAX_JSON_BODY_BYTES: '4096' });
  });
  afterAll(() => t?.close());

  it('an over-long path parameter: 414 with request_id, reusing the caller X-Request-Id', async () => {
    const body = await expectErrorShape(await t.get(`${base}/${'x'.repeat(300)}`, { headers: { 'x-request-id': 'long-param-1' } }), 414);
    expect(body.request_id).toBe('long-param-1');
    expect(body.message).toMatch(/too long/);
    expect(body.message).not.toContain('xxxxxxxx');
  });

  it('a malformed percent-encoding in the path: 400', async () => {
    await expectErrorShape(await t.get(`${base}/%E0%A4%A`), 400);
  });

  it('a JSON body over MAX_JSON_BODY_BYTES: 413', async () => {
    await expectErrorShape(await t.get(base, jsonInit('POST', { ...META, text: 'x'.repeat(8000) })), 413);
  });

  it('malformed JSON on a tenant route: 400', async () => {
    await expectErrorShape(await t.get(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":' }), 400);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'title=x&type=Reference&intent=Technical&text=hello'],
    ['text/plain', 'hello'],
    ['application/xml', '<entry/>'],
  ])('a create sent as %s: 415', async (type, payload) => {
    const body = await expectErrorShape(await t.get(base, { method: 'POST', headers: { 'content-type': type }, body: payload }), 415);
    expect(body.message).toMatch(/media type/i);
  });

  it('a body without a content type: 415', async () => {
    const answer = await rawRequest(t, `POST ${base} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`);
    expect(answer).toMatch(/^HTTP\/1\.1 415 /);
  });

  it('JSON and multipart are still accepted, and a POST without a body still works', async () => {
    expect((await t.get(base, jsonInit('POST', { ...META, text: 'Accepted as JSON.' }))).status).toBe(202);
    const form = formOf({ ...META, title: 'multipart' }, [{ name: 'a.txt', type: 'text/plain', bytes: 'Accepted as multipart.' }]);
    expect((await t.get(base, { method: 'POST', body: form })).status).toBe(202);
    const retry = await t.get(`${base}/00000000-0000-4000-8000-000000000000/retry`, { method: 'POST' });
    expect(retry.status).toBe(404);
  });

  it('headers too large for the HTTP parser: 431 in the one shape, on the raw socket', async () => {
    const answer = await rawRequest(t, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const [head = '', payload = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/^content-type: application\/json/im);
    const requestId = /^x-request-id: (\S+)$/im.exec(head)?.[1];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(payload)).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', message: expect.any(String), request_id: requestId });
  });

  it('a request line the parser cannot read: 400 in the one shape', async () => {
    const answer = await rawRequest(t, 'NOT A REQUEST\r\n\r\n');
    const [head = '', payload = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(payload)).toEqual(expect.objectContaining({ statusCode: 400, request_id: expect.any(String) }));
  });

  it('an unknown route under /routes: 404, not cached', async () => {
    await expectErrorShape(await t.get('/routes/nothing-here'), 404);
  });
});
