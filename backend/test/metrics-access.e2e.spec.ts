import { Clock } from '../src/common/time/clock.js';
import { HTTP_ENGINE } from './support/engines.js';
import { startTestApp } from './support/test-app.js';

const TOKEN = 'another-metrics-token-fedcba9876543210fedcba98';

describe.each([HTTP_ENGINE])('access to /metrics (%s)', (engine) => {
  it('does not exist without METRICS_TOKEN: the 404 any unknown path gets', async () => {
    const t = await startTestApp(engine);
    try {
      const tries: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}` }];
      for (const headers of tries) {
        const res = await t.get('/metrics', { headers });
        expect(res.status).toBe(404);
        const unknown = await t.get('/metricz', { headers });
        expect(unknown.status).toBe(404);
        const body = (await res.json()) as Record<string, unknown>;
        const other = (await unknown.json()) as Record<string, unknown>;
        expect({ ...body, request_id: null, message: String(body['message']).replace('/metrics', '/metricz') }).toEqual({ ...other, request_id: null });
        expect(res.headers.get('www-authenticate')).toBeNull();
      }
    } finally {
      await t.close();
    }
  });

  it('is not rate limited, like the health probes', async () => {
    const t = await startTestApp(engine, { METRICS_TOKEN: TOKEN, RATE_LIMIT_IP_PER_MINUTE: '1' });
    try {
      // one window for every request below, however long they take
      jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(Date.UTC(2026, 11, 3, 10, 0, 30));
      for (let i = 0; i < 3; i++) {
        const res = await t.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-limit')).toBeNull();
        expect((await t.get('/metrics')).status).toBe(401);
      }
      // the address's limit is live: another public path is refused on its second request
      expect((await t.get('/routes/knowledge/vocabulary')).status).toBe(200);
      expect((await t.get('/routes/knowledge/vocabulary')).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});
