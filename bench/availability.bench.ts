/**
 * Availability while one tenant's big document is stored: a BENCH_AVAILABILITY_MB (5) MB text
 * file (thousands of chunks) is uploaded by one tenant; until it is ready, another client sends
 * `GET /health` every 50 ms and a second tenant lists its entries and adds a one-line note every
 * 250 ms. Prints the big document's stages, /health latency (p50/p95/max) and the second tenant's
 * requests (answered / failed, latency, its note's upload-to-ready).
 *
 *   npx nx run backend:bench-availability                      # embedded PGlite
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-availability
 *
 * Embeddings come from the loopback OpenAI-compatible server (100 ms a request), as from a remote
 * provider; set BENCH_AVAILABILITY_OFFLINE=1 for the offline embedder.
 */
import { startEmbeddingServerProcess } from './embedding-server-process.js';
import { startBenchApp, type BenchApp } from './bench-app.js';
import { getEntry, type Entry } from './bench-client.js';
import { paragraph, title } from './corpus/prose.js';
import { Rng } from './corpus/rng.js';

const MEGABYTES = Number(process.env['BENCH_AVAILABILITY_MB'] ?? 5);
const OFFLINE = process.env['BENCH_AVAILABILITY_OFFLINE'] === '1';

/** Business prose in sections and paragraphs (the mixed corpus's), `bytes` long, the same every run. */
function bigText(bytes: number): string {
  const rng = new Rng(20261201);
  const paragraphs: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const text = (i % 12 === 0 ? `## ${title(rng)}\n\n` : '') + paragraph(rng);
    paragraphs.push(text);
    length += text.length + 2;
  }
  return paragraphs.join('\n\n').slice(0, bytes);
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

async function timed(fn: () => Promise<Response>): Promise<{ ok: boolean; ms: number; status: number }> {
  const started = performance.now();
  try {
    const res = await fn();
    await res.arrayBuffer();
    return { ok: res.ok, ms: performance.now() - started, status: res.status };
  } catch {
    return { ok: false, ms: performance.now() - started, status: 0 };
  }
}

async function createText(app: BenchApp, tenant: string, title: string, text: string): Promise<string> {
  const res = await fetch(`${app.baseUrl}/routes/knowledge/${tenant}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, type: 'Reference', intent: 'Technical', text }),
  });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Entry).id;
}

async function entryOf(app: BenchApp, tenant: string, id: string): Promise<Entry> {
  return (await (await fetch(`${app.baseUrl}/routes/knowledge/${tenant}/${id}`)).json()) as Entry;
}

async function main(): Promise<void> {
  const fake = OFFLINE ? null : await startEmbeddingServerProcess(100);
  const app = await startBenchApp(fake ? { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url } : {});
  try {
    // MB as 10^6 bytes, just under the default 5,000,000-character limit of one text
    const text = bigText(Math.round(MEGABYTES * 1_000_000) - 1_000);
    await getEntry(app, 'none').catch(() => undefined); // the tenant row and connections, outside the timing
    console.log(`engine: ${app.engine}; embeddings: ${fake ? 'OpenAI-compatible server on loopback (its own process), 100 ms a request' : 'offline lexical'}`);
    console.log(`big document: ${(text.length / 1_000_000).toFixed(1)} MB of text, uploaded by tenant big-co`);

    const started = performance.now();
    const bigId = await createText(app, 'big-co', 'A very long text', text);
    const health: number[] = [];
    let slowest = { ms: 0, at: 0 };
    const others: { ok: boolean; ms: number; status: number }[] = [];
    const notes: { id: string; sentAt: number; readyAt: number | null }[] = [];
    let done = false;

    const healthLoop = (async () => {
      while (!done) {
        const at = performance.now() - started;
        const r = await timed(() => fetch(`${app.baseUrl}/health`));
        if (r.ms > slowest.ms) slowest = { ms: r.ms, at };
        if (r.ok) health.push(r.ms);
        else health.push(Infinity);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const otherTenant = (async () => {
      for (let n = 0; !done; n++) {
        others.push(await timed(() => fetch(`${app.baseUrl}/routes/knowledge/small-co/index?limit=20`)));
        if (n % 8 === 0) {
          const sentAt = performance.now();
          try {
            notes.push({ id: await createText(app, 'small-co', `note ${n}`, `A one-line note number ${n} about the refund policy.`), sentAt, readyAt: null });
            others.push({ ok: true, ms: performance.now() - sentAt, status: 202 });
          } catch {
            others.push({ ok: false, ms: performance.now() - sentAt, status: 0 });
          }
        }
        for (const note of notes.filter((x) => x.readyAt === null)) {
          if ((await entryOf(app, 'small-co', note.id)).status === 'ready') note.readyAt = performance.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    let big: Entry;
    for (;;) {
      big = await entryOf(app, 'big-co', bigId);
      if (big.status === 'ready' || big.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const bigMs = performance.now() - started;
    done = true;
    await Promise.all([healthLoop, otherTenant]);

    const failedHealth = health.filter((x) => !Number.isFinite(x)).length;
    const healthOk = health.filter(Number.isFinite);
    const othersOk = others.filter((r) => r.ok);
    const readyNotes = notes.filter((n) => n.readyAt !== null).map((n) => (n.readyAt ?? 0) - n.sentAt);
    console.log(`big document ${big.status}: ${big.chunk_count} chunks, upload to ready ${(bigMs / 1000).toFixed(1)} s`);
    console.log(
      `GET /health during it: ${health.length} requests, ${failedHealth} failed; p50 ${ms(percentile(healthOk, 50))}, p95 ${ms(percentile(healthOk, 95))}, max ${ms(Math.max(...healthOk))} (sent ${(slowest.at / 1000).toFixed(1)} s after the upload)`,
    );
    console.log(
      `tenant small-co during it: ${others.length} requests (index every 250 ms, a note every 2 s), ${others.length - othersOk.length} failed; ` +
        `p50 ${ms(percentile(othersOk.map((r) => r.ms), 50))}, p95 ${ms(percentile(othersOk.map((r) => r.ms), 95))}, max ${ms(Math.max(...othersOk.map((r) => r.ms)))}`,
    );
    console.log(
      `its notes: ${notes.length} uploaded, ${readyNotes.length} ready before the big document was; upload to ready p50 ${ms(percentile(readyNotes, 50))}, max ${ms(Math.max(...readyNotes))}`,
    );
  } finally {
    await app.close();
    await fake?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
