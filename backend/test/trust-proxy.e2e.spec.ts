import { startTestApp, type TestApp } from './support/test-app.js';

/** Two requests a minute per client address on public routes; the clock never reaches the next minute here. */
const LIMITS = { RATE_LIMIT_IP_PER_MINUTE: '2' };

const fromClient = (t: TestApp, forwardedFor: string): Promise<number> =>
  t.get('/routes/knowledge/vocabulary', { headers: { 'x-forwarded-for': forwardedFor } }).then((r) => r.status);

const statusesFrom = async (t: TestApp, clients: string[]): Promise<number[]> => {
  const out: number[] = [];
  for (const client of clients) out.push(await fromClient(t, client));
  return out;
};

/**
 * Behind a reverse proxy every request arrives from the proxy's address: TRUST_PROXY names the
 * proxies whose X-Forwarded-For is believed, so per-address limits count each client on its own.
 * Not engine-specific (the counters' store is tested on both engines in rate-limits.e2e).
 */
describe('client addresses behind a reverse proxy (TRUST_PROXY)', () => {
  it('by default ignores X-Forwarded-For: a client cannot pick a fresh address to escape its limit', async () => {
    const t = await startTestApp('pglite', LIMITS);
    try {
      expect(await statusesFrom(t, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([200, 200, 429]);
    } finally {
      await t.close();
    }
  });

  it('from a trusted proxy counts each forwarded client in its own budget', async () => {
    const t = await startTestApp('pglite', { ...LIMITS, TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' });
    try {
      expect(await statusesFrom(t, ['203.0.113.1', '203.0.113.1', '203.0.113.1'])).toEqual([200, 200, 429]);
      expect(await statusesFrom(t, ['203.0.113.2', '198.51.100.7, 203.0.113.3'])).toEqual([200, 200]);
      // the address the proxy saw is the last one it appended; what the client wrote before it is not believed
      expect(await statusesFrom(t, ['203.0.113.9, 203.0.113.1'])).toEqual([429]);
      expect(t.logs.filter((line) => line.includes('incoming request')).map((line) => (JSON.parse(line) as { req: { ip: string } }).req.ip)).toContain('203.0.113.2');
    } finally {
      await t.close();
    }
  });

  it('with a hop count, believes that many proxies', async () => {
    const t = await startTestApp('pglite', { ...LIMITS, TRUST_PROXY: '1' });
    try {
      expect(await statusesFrom(t, ['203.0.113.1', '203.0.113.2', '203.0.113.1', '203.0.113.1'])).toEqual([200, 200, 200, 429]);
    } finally {
      await t.close();
    }
  });
});
