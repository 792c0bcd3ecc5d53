/**
 * Live status streams against everyone else: another tenant's list latency (GET
 * /routes/knowledge/{tenant}/index) with no stream open, then with BENCH_SSE_STREAMS (500) status
 * streams open (GET .../{id}/events) spread over BENCH_SSE_TENANTS (25) tenants, one stream per
 * entry (so the shared poller reads 500 entries a tick, in one transaction per tenant), then again
 * after they are closed. Ingestion is off, so every followed entry stays queued and every stream
 * stays open for the whole measurement.
 *
 *   npx nx run backend:bench-sse                                    # PGlite only
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-sse
 *
 * With an admin URL both engines run, PostgreSQL first. Per phase: BENCH_SSE_WARMUP (20) untimed
 * requests, then BENCH_SSE_RUNS (200) one at a time; p50/p95 of the client's time from request to
 * the whole body. BENCH_SSE_OTHER_ENTRIES (100): the listing tenant's entries.
 */
import { startBenchApp, type BenchApp } from './bench-app.js';
import type { Entry } from './bench-client.js';

type Engine = 'postgres' | 'pglite';

const ADMIN = process.env['BENCH_POSTGRES_ADMIN_URL'];
const ENGINES = (process.env['BENCH_ENGINES'] ?? (ADMIN ? 'postgres,pglite' : 'pglite')).split(',') as Engine[];
const STREAMS = Number(process.env['BENCH_SSE_STREAMS'] ?? 500);
const TENANTS = Number(process.env['BENCH_SSE_TENANTS'] ?? 25);
const RUNS = Number(process.env['BENCH_SSE_RUNS'] ?? 200);
const WARMUP = Number(process.env['BENCH_SSE_WARMUP'] ?? 20);
const OTHER_ENTRIES = Number(process.env['BENCH_SSE_OTHER_ENTRIES'] ?? 100);
const PER_TENANT = Math.ceil(STREAMS / TENANTS);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function createText(app: BenchApp, tenant: string, title: string): Promise<string> {
  const res = await fetch(`${app.baseUrl}/routes/knowledge/${tenant}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, type: 'Reference', intent: 'Technical', text: `${title}: a note that waits in the queue while it is followed.` }),
  });
  if (res.status !== 202) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Entry).id;
}

interface Stream {
  status: number;
  /** Resolves once the first event arrived (the stream is being followed). */
  first: Promise<void>;
  close(): void;
}

async function openStream(app: BenchApp, tenant: string, id: string): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${app.baseUrl}/routes/knowledge/${tenant}/${id}/events`, { signal: abort.signal });
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel();
    return { status: res.status, first: Promise.resolve(), close: () => undefined };
  }
  const reader = res.body.getReader();
  const first = reader.read().then(() => undefined);
  // keep reading (and discarding) so the server never backs up
  const drain = async (): Promise<void> => {
    await first;
    for (;;) if ((await reader.read()).done) return;
  };
  drain().catch(() => undefined);
  return { status: 200, first, close: () => abort.abort() };
}

interface Phase {
  label: string;
  p50: number;
  p95: number;
}

async function measure(app: BenchApp, label: string): Promise<Phase> {
  const list = async (): Promise<void> => {
    const res = await fetch(`${app.baseUrl}/routes/knowledge/other/index`);
    const body = (await res.json()) as { total_count: number };
    if (res.status !== 200 || body.total_count !== OTHER_ENTRIES) throw new Error(`index answered ${res.status}: ${JSON.stringify(body)}`);
  };
  for (let i = 0; i < WARMUP; i++) await list();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await list();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function runEngine(engine: Engine): Promise<string[]> {
  const app = await startBenchApp(
    {
      INGESTION_WORKER: 'false',
      SSE_MAX_STREAMS: String(STREAMS),
      SSE_MAX_STREAMS_PER_TENANT: String(PER_TENANT),
      // the limiter would refuse the benchmark's own requests, not what is measured here
      RATE_LIMIT_TENANT_PER_MINUTE: '0',
      RATE_LIMIT_IP_PER_MINUTE: '0',
      QUOTA_UPLOADS_PER_MINUTE: '0',
    },
    { engine },
  );
  const streams: Stream[] = [];
  try {
    for (let i = 0; i < OTHER_ENTRIES; i++) await createText(app, 'other', `other ${i}`);
    const followed: { tenant: string; id: string }[] = [];
    for (let t = 0; t < TENANTS; t++) {
      for (let i = 0; i < PER_TENANT && followed.length < STREAMS; i++) followed.push({ tenant: `followed-${t}`, id: await createText(app, `followed-${t}`, `followed ${t}.${i}`) });
    }
    const phases = [await measure(app, 'no stream open')];

    const opening = performance.now();
    for (const { tenant, id } of followed) streams.push(await openStream(app, tenant, id));
    const refused = streams.filter((s) => s.status !== 200).length;
    await Promise.all(streams.map((s) => s.first));
    const openMs = performance.now() - opening;
    const extra = followed[0] ? await openStream(app, followed[0].tenant, followed[0].id) : null;
    extra?.close();
    phases.push(await measure(app, `${STREAMS - refused} streams open`));

    for (const stream of streams) stream.close();
    streams.length = 0;
    phases.push(await measure(app, 'after closing them'));

    return [
      `${engine}: ${STREAMS} streams over ${TENANTS} tenants (${PER_TENANT} each), ${refused} refused, opened in ${(openMs / 1000).toFixed(1)} s; ` +
        `one more stream answered ${extra?.status ?? '-'}; the listing tenant holds ${OTHER_ENTRIES} entries`,
      ...phases.map((p) => `| ${engine} | ${p.label} | ${p.p50.toFixed(1)} | ${p.p95.toFixed(1)} |`),
    ];
  } finally {
    for (const stream of streams) stream.close();
    await app.close();
  }
}

async function main(): Promise<void> {
  const notes: string[] = [];
  const rows: string[] = [];
  for (const engine of ENGINES) {
    const [note, ...lines] = await runEngine(engine);
    if (note) notes.push(note);
    rows.push(...lines);
    process.stderr.write(`${[note, ...lines].join('\n')}\n`);
  }
  process.stdout.write(
    `Status streams and another tenant's list: GET /routes/knowledge/other/index, ${WARMUP} warm-up then ${RUNS} requests one at a time per phase\n\n` +
      `${notes.join('\n')}\n\n${['| engine | phase | p50 ms | p95 ms |', '|---|---|---|---|', ...rows].join('\n')}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
