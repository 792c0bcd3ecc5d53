import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { TenantDatabase } from '../src/database/tenant-database.js';
import { EntryStatusPoller } from '../src/knowledge/entry-status-poller.js';
import { StatusStreamSlots } from '../src/knowledge/status-stream-slots.js';
import { TEST_ENGINES } from './support/engines.js';
import { openEventStream, type OpenEventStream } from './support/event-stream-client.js';
import { jsonInit, META, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface LogLine {
  level?: number;
  msg?: string;
}

const createEntry = async (t: TestApp, tenant: string, body: Record<string, unknown>): Promise<EntryJson> => {
  const res = await t.get(`/routes/knowledge/${tenant}`, jsonInit('POST', { ...META, ...body }));
  expect(res.status).toBe(202);
  return (await res.json()) as EntryJson;
};

const statusOf = (event: { data: string }): string => (JSON.parse(event.data) as EntryJson).status;

/** A page that is only answered once the test says so: holds a document in `processing` for as long as a test needs. */
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

describe.each(TEST_ENGINES)('entry status streams (%s)', (engine) => {
  describe('one shared poller', () => {
    let t: TestApp;
    let held: Awaited<ReturnType<typeof startHeldPage>>;
    beforeAll(async () => {
      held = await startHeldPage();
      t = await startTestApp(engine, {
        URL_FETCH_ALLOW_LOOPBACK: 'true',
        URL_FETCH_TIMEOUT_MS: '600000',
        SSE_MAX_STREAMS_PER_TENANT: '40',
        SSE_POLL_MS: '50',
      });
    });
    afterAll(async () => {
      held?.release();
      await t?.close();
      await held?.close();
    });

    it('reads the followed entries once per tick whatever the number of streams, and every stream hears the change', async () => {
      const entry = await createEntry(t, 'streams', { url: held.url });
      await held.requested; // the document is processing, and stays so until released
      const url = `${t.baseUrl}/routes/knowledge/streams/${entry.id}/events`;
      const streams: OpenEventStream[] = await Promise.all(Array.from({ length: 30 }, () => openEventStream(url)));
      expect(streams.map((s) => s.response.status)).toEqual(Array(30).fill(200));
      await Promise.all(streams.map((s) => s.next((e) => e.event === 'status' && statusOf(e) === 'processing')));

      const poller = t.app.get(EntryStatusPoller);
      const db = t.app.get(TenantDatabase);
      const run = jest.spyOn(db, 'run');
      try {
        await poller.afterTicks(1); // a whole tick with all 30 followed
        const [runsBefore, readsBefore, ticksBefore] = [run.mock.calls.length, poller.stats.tenantReads, poller.stats.ticks];
        await poller.afterTicks(5);
        const ticks = poller.stats.ticks - ticksBefore;
        expect(ticks).toBeGreaterThanOrEqual(5);
        // one tenant with streams: one tenant transaction per tick, not one per stream (30 per tick before)
        expect(poller.stats.tenantReads - readsBefore).toBe(ticks);
        expect(run.mock.calls.length - runsBefore).toBe(ticks);
      } finally {
        run.mockRestore();
      }

      held.release();
      await Promise.all(streams.map((s) => s.ended));
      for (const stream of streams) {
        expect(stream.events.map((e) => e.event).filter((e) => e !== 'status')).toEqual([]);
        expect(statusOf(stream.events.at(-1) ?? { data: '{}' })).toBe('ready');
      }
      expect(t.app.get(StatusStreamSlots).open).toBe(0);
    });
  });

  describe('limits and deletion', () => {
    let t: TestApp;
    let slots: StatusStreamSlots;
    const opened: OpenEventStream[] = [];
    beforeAll(async () => {
      // jobs stay queued, so streams stay open until closed
      t = await startTestApp(engine, { INGESTION_WORKER: 'false', SSE_MAX_STREAMS_PER_TENANT: '2', SSE_MAX_STREAMS: '3', SSE_POLL_MS: '50' });
      slots = t.app.get(StatusStreamSlots);
    });
    afterAll(async () => {
      for (const stream of opened) stream.close();
      await t?.close();
    });

    const open = async (tenant: string, id: string): Promise<OpenEventStream> => {
      const stream = await openEventStream(`${t.baseUrl}/routes/knowledge/${tenant}/${id}/events`);
      opened.push(stream);
      if (stream.response.status === 200) await stream.next((e) => e.event === 'status');
      return stream;
    };
    const untilOpen = async (count: number): Promise<void> => {
      while (slots.open !== count) await new Promise((r) => setTimeout(r, 10));
    };

    it('answers 429 with Retry-After, in the one error shape, past the per-tenant and the total bound', async () => {
      const a = await createEntry(t, 'limit-a', { text: 'tenant a waits in the queue' });
      const b = await createEntry(t, 'limit-b', { text: 'tenant b waits in the queue' });
      const c = await createEntry(t, 'limit-c', { text: 'tenant c waits in the queue' });
      const a1 = await open('limit-a', a.id);
      await open('limit-a', a.id);
      expect(a1.response.status).toBe(200);

      const perTenant = await open('limit-a', a.id);
      expect(perTenant.response.status).toBe(429);
      expect(perTenant.response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(perTenant.response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await perTenant.response.json()) as Record<string, unknown>;
      expect(body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/2 status streams/) as string, request_id: perTenant.response.headers.get('x-request-id') });

      expect((await open('limit-b', b.id)).response.status).toBe(200); // another tenant still may: 3 in all
      const total = await open('limit-c', c.id);
      expect(total.response.status).toBe(429);
      expect(total.response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(((await total.response.json()) as { message: string }).message).toMatch(/too many|as many status streams/i);
      expect(slots.open).toBe(3);

      // a closed stream gives its slot back
      a1.close();
      await untilOpen(2);
      expect((await open('limit-c', c.id)).response.status).toBe(200);
      for (const stream of opened) stream.close();
      await untilOpen(0);
      // a missing entry is 404 and takes no slot
      expect((await t.get(`/routes/knowledge/limit-c/00000000-0000-4000-8000-000000000000/events`)).status).toBe(404);
      expect(slots.open).toBe(0);
    });

    it('ends the streams of a deleted entry with `event: deleted`, no error event and no error logged', async () => {
      const entry = await createEntry(t, 'deleting', { text: 'this entry is deleted while followed' });
      const streams = [await open('deleting', entry.id), await open('deleting', entry.id)];
      const errorsBefore = t.logs.filter((line) => ((JSON.parse(line) as LogLine).level ?? 0) >= 50).length;

      expect((await t.get(`/routes/knowledge/deleting/${entry.id}`, { method: 'DELETE' })).status).toBe(204);
      await Promise.all(streams.map((s) => s.ended));
      for (const stream of streams) {
        expect(stream.events.map((e) => e.event)).toEqual(['status', 'deleted']);
        expect(JSON.parse(stream.events[1]?.data ?? '{}')).toEqual({ id: entry.id });
      }
      const errors = t.logs.filter((line) => ((JSON.parse(line) as LogLine).level ?? 0) >= 50);
      expect(errors.slice(errorsBefore)).toEqual([]);
      await untilOpen(0);
    });
  });
});
