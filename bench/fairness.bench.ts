/**
 * Fairness between tenants: how long tenant B's one upload takes to be ready on an idle server,
 * and while tenant A's backlog drains (BENCH_FAIRNESS_BACKLOG (2000) short texts, or
 * BENCH_FAIRNESS_BOOKS (4) 300-page PDFs with BENCH_FAIRNESS_BOOKS_ONLY=1).
 *
 *   npx nx run backend:bench-fairness                      # embedded PGlite
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-fairness
 *
 * Embeddings from the loopback OpenAI-compatible server (100 ms a request). Prints B's upload to
 * ready (idle, then three times during A's backlog) and how far A's backlog had got meanwhile.
 */
import { makeBenchPdf } from './bench-pdf.js';
import { startEmbeddingServerProcess } from './embedding-server-process.js';
import { startBenchApp, type BenchApp } from './bench-app.js';
import { uploadFile, type Entry } from './bench-client.js';
import { paragraph } from './corpus/prose.js';
import { Rng } from './corpus/rng.js';

const BACKLOG = Number(process.env['BENCH_FAIRNESS_BACKLOG'] ?? 2000);
const BOOKS = Number(process.env['BENCH_FAIRNESS_BOOKS'] ?? 4);
const BOOKS_ONLY = process.env['BENCH_FAIRNESS_BOOKS_ONLY'] === '1';

async function createText(app: BenchApp, tenant: string, title: string, text: string): Promise<string> {
  const res = await fetch(`${app.baseUrl}/routes/knowledge/${tenant}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, type: 'Reference', intent: 'Technical', text }),
  });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Entry).id;
}

async function readyAfter(app: BenchApp, tenant: string, id: string, since: number): Promise<number> {
  for (;;) {
    const entry = (await (await fetch(`${app.baseUrl}/routes/knowledge/${tenant}/${id}`)).json()) as Entry;
    if (entry.status === 'ready') return performance.now() - since;
    if (entry.status === 'failed') throw new Error(`${id} failed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Entries of the tenant by status, from its index (total_count per status filter). */
async function statusCounts(app: BenchApp, tenant: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const status of ['queued', 'processing', 'ready']) {
    const page = (await (await fetch(`${app.baseUrl}/routes/knowledge/${tenant}/index?limit=1&status=${status}`)).json()) as { total_count: number };
    counts[status] = page.total_count;
  }
  return counts;
}

async function uploadNote(app: BenchApp, n: number): Promise<number> {
  const started = performance.now();
  const id = await createText(app, 'tenant-b', `note ${n}`, `Note ${n}: the refund window for annual plans is thirty days from the invoice date.`);
  return readyAfter(app, 'tenant-b', id, started);
}

async function main(): Promise<void> {
  const fake = await startEmbeddingServerProcess(100);
  const app = await startBenchApp({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url });
  try {
    console.log(`engine: ${app.engine}; embeddings: OpenAI-compatible server on loopback (its own process), 100 ms a request`);
    await uploadNote(app, 0); // warm-up: tenant rows, parsing threads, connections
    const idle = [await uploadNote(app, 1), await uploadNote(app, 2), await uploadNote(app, 3)];
    console.log(`tenant B's note on an idle server: upload to ready ${idle.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);

    const started = performance.now();
    const ids: string[] = [];
    if (BOOKS_ONLY) {
      for (let i = 0; i < BOOKS; i++) ids.push(await uploadFile(app, await makeBenchPdf(300, 500 + i), `book-${i}.pdf`, 'application/pdf'));
      // uploadFile posts to the `bench` tenant: that is tenant A here
    } else {
      const rng = new Rng(7);
      const texts = Array.from({ length: BACKLOG }, (_, i) => `Backlog item ${i}. ${paragraph(rng, 2, 4)}`);
      let next = 0;
      const lane = async (): Promise<void> => {
        for (let i = next++; i < texts.length; i = next++) ids.push(await createText(app, 'bench', `item ${i}`, texts[i] ?? ''));
      };
      await Promise.all(Array.from({ length: 16 }, lane));
    }
    const uploadedMs = performance.now() - started;
    console.log(`tenant A: ${ids.length} ${BOOKS_ONLY ? '300-page PDFs' : 'short texts'} uploaded in ${(uploadedMs / 1000).toFixed(1)} s`);

    for (let n = 4; n <= 6; n++) {
      const before = await statusCounts(app, 'bench');
      const ms = await uploadNote(app, n);
      const after = await statusCounts(app, 'bench');
      console.log(
        `tenant B's note during A's backlog: upload to ready ${ms.toFixed(0)} ms ` +
          `(A before: ${before['ready']} ready, ${before['processing']} processing, ${before['queued']} queued; after: ${after['ready']} ready)`,
      );
    }
    for (;;) {
      const counts = await statusCounts(app, 'bench');
      if ((counts['ready'] ?? 0) >= ids.length) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.log(`tenant A's backlog drained ${((performance.now() - started) / 1000).toFixed(1)} s after its first upload`);
  } finally {
    await app.close();
    await fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
