import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { refusalReason } from '../../src/ingestion/address-policy.js';
import { PermanentIngestionError, TransientIngestionError } from '../../src/ingestion/ingestion-job.js';
import { parseSourceUrl } from '../../src/common/url/parse-source-url.js';
import { fetchUrl, type UrlFetchOptions } from '../../src/ingestion/url-fetcher.js';

const CLOSED = { allowPrivate: false, allowLoopback: false };

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fd00:ec2::254', 'private'],
    ['fe80::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['0.0.0.0', 'private'],
  ])('refuses %s', (address, kind) => {
    expect(refusalReason(address, CLOSED)).toMatch(new RegExp(kind));
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])('allows the public address %s', (address) => {
    expect(refusalReason(address, CLOSED)).toBeNull();
  });

  it('allows loopback only when configured, and private ranges only when configured', () => {
    expect(refusalReason('127.0.0.1', { allowPrivate: false, allowLoopback: true })).toBeNull();
    expect(refusalReason('10.0.0.1', { allowPrivate: false, allowLoopback: true })).not.toBeNull();
    expect(refusalReason('10.0.0.1', { allowPrivate: true, allowLoopback: false })).toBeNull();
  });
});

describe('parseSourceUrl', () => {
  it('accepts http(s) and drops the fragment', () => {
    expect(parseSourceUrl(' https://example.com/a?b=1#frag ').toString()).toBe('https://example.com/a?b=1');
  });
  it.each([
    ['not a url', /valid absolute URL/],
    ['ftp://example.com/x', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['https://user:pw@example.com/', /credentials/],
  ])('refuses %s', (value, message) => {
    expect(() => parseSourceUrl(value)).toThrow(message);
  });
});

describe('fetchUrl against a loopback server', () => {
  let server: Server;
  let base: string;
  const options = (over: Partial<UrlFetchOptions> = {}): UrlFetchOptions => ({
    timeoutMs: 2_000,
    maxBytes: 64 * 1024,
    maxRedirects: 3,
    allowPrivate: false,
    allowLoopback: true,
    ...over,
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/ok') return res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hello</p>');
      if (url === '/big') return res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(200 * 1024));
      if (url === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 100; i++) res.write('y'.repeat(4096));
        return res.end();
      }
      if (url === '/never') return; // accepts the request and never answers
      if (url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (url === '/to-metadata') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (url === '/error') return res.writeHead(503).end();
      return res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('fetches a page', async () => {
    const page = await fetchUrl(new URL(`${base}/ok`), options());
    expect(page.body.toString()).toBe('<p>hello</p>');
    expect(page.contentType).toBe('text/html');
  });

  it('refuses loopback unless allowed, before sending anything; the address is named in the detail only', async () => {
    await expect(fetchUrl(new URL(`${base}/ok`), options({ allowLoopback: false }))).rejects.toMatchObject({
      message: 'The address is not allowed',
      detail: expect.stringMatching(/refused to fetch 127\.0\.0\.1: it is a loopback address/),
    });
    await expect(fetchUrl(new URL(`http://localhost:${new URL(base).port}/ok`), options({ allowLoopback: false }))).rejects.toMatchObject({
      message: 'The address is not allowed',
      detail: expect.stringMatching(/refused to fetch localhost: it resolves to/),
    });
  });

  it('refuses a redirect into a metadata address', async () => {
    await expect(fetchUrl(new URL(`${base}/to-metadata`), options())).rejects.toMatchObject({
      message: 'The address is not allowed',
      detail: expect.stringMatching(/169\.254\.169\.254/),
    });
  });

  it('says what went wrong without the URL or the server address', async () => {
    await expect(fetchUrl(new URL(`${base}/missing`), options())).rejects.toMatchObject({ message: 'The page answered HTTP 404', detail: expect.stringContaining(base) });
    await expect(fetchUrl(new URL('http://no-such-host.invalid/'), options())).rejects.toMatchObject({ message: 'The host could not be found' });
  });

  it('bounds size (declared or streamed), redirects and time', async () => {
    await expect(fetchUrl(new URL(`${base}/big`), options())).rejects.toBeInstanceOf(PermanentIngestionError);
    await expect(fetchUrl(new URL(`${base}/big-chunked`), options())).rejects.toThrow(/larger than/);
    await expect(fetchUrl(new URL(`${base}/loop`), options())).rejects.toThrow(/redirects too many times/);
    // a server that never answers: only the time bound can end this fetch
    await expect(fetchUrl(new URL(`${base}/never`), options({ timeoutMs: 300 }))).rejects.toBeInstanceOf(TransientIngestionError);
  });

  it('classifies 5xx as transient and 404 as permanent', async () => {
    await expect(fetchUrl(new URL(`${base}/error`), options())).rejects.toBeInstanceOf(TransientIngestionError);
    await expect(fetchUrl(new URL(`${base}/missing`), options())).rejects.toBeInstanceOf(PermanentIngestionError);
  });
});
