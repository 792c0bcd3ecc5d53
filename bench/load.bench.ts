/**
 * The combined load of issue 12: the built server (dist/backend/main.js) in a process of its own,
 * with the application's default limits (rate limits, quotas, upload memory budget), takes at once
 * 5 tenants x 10 concurrent multipart uploads of user-shaped files (bench/load/load-corpus.ts) and
 * 200 list requests (`GET /routes/knowledge/{tenant}/index`, with and without filters) kept in
 * flight for the whole run, while every accepted entry's status is read every 500 ms until its
 * documents settle. Prints p50/p95/max per route, errors by status, what became of every accepted
 * document (ready, failed with a reason, missing, duplicated), the time until all settled and the
 * server's peak resident set. Then the same 200 list requests alone, and one at a time, with what
 * each list request costs the server in statements, pool checkouts and connection hold time (a
 * probe loaded into the server, bench/pool-probe.ts), and the queueing arithmetic behind the
 * latency.
 *
 *   npx nx run backend:bench-load                                      # embedded PGlite
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-load
 *
 * Settings: BENCH_LOAD_ENGINE (postgres with an admin URL, else pglite), BENCH_LOAD_TENANTS (5),
 * BENCH_LOAD_LISTERS (200), BENCH_LOAD_LIST_ALONE_S (15), BENCH_LOAD_SERIAL (300),
 * BENCH_LOAD_TIMEOUT_S (900), BENCH_LOAD_VARIANTS: runs to make, one after another in this
 * invocation, separated by ";", each `label` or `label:NAME=value,NAME=value` with settings for the
 * server (`SERVER=<path>` runs another build, e.g. the previous commit's, for a before/after
 * comparison). Default: `defaults`, the application's defaults. Every setting a variant changes is
 * printed with its reason.
 *
 * Embeddings come from the loopback OpenAI-compatible server (its own process, 100 ms a request).
 */
import { loadavg } from 'node:os';

import { DatabaseCpuMeter } from './compare/database-cpu-meter.js';
import { startEmbeddingServerProcess } from './embedding-server-process.js';
import { describeCost, type PhaseCost } from './load/list-cost.js';
import { LOAD_TAGS, loadUploads, uploadForm, type Upload } from './load/load-corpus.js';
import { RouteStats } from './load/route-stats.js';
import { scratchDatabase, startServerProcess, type Engine, type ServerProcess } from './load/server-process.js';

const ADMIN = process.env['BENCH_POSTGRES_ADMIN_URL'];
const ENGINE = (process.env['BENCH_LOAD_ENGINE'] ?? (ADMIN ? 'postgres' : 'pglite')) as Engine;
const TENANTS = Number(process.env['BENCH_LOAD_TENANTS'] ?? 5);
const LISTERS = Number(process.env['BENCH_LOAD_LISTERS'] ?? 200);
const LIST_ALONE_S = Number(process.env['BENCH_LOAD_LIST_ALONE_S'] ?? 15);
const SERIAL = Number(process.env['BENCH_LOAD_SERIAL'] ?? 300);
const TIMEOUT_S = Number(process.env['BENCH_LOAD_TIMEOUT_S'] ?? 900);
const STATUS_EVERY_MS = 500;
const DEFAULT_SERVER = 'dist/backend/main.js';

/** Why a variant may change a setting; printed beside it. */
const REASONS: Record<string, string> = {
  RATE_LIMIT_TENANT_PER_MINUTE:
    'the list clients are a closed loop (each sends its next request as soon as the last is answered): 40 per tenant send hundreds a second, ' +
    'where 40 people watching a list send about 27 (the web app reloads it every 1.5 s), so the default 1,200 a minute measures the limiter, ' +
    'not the server (the "defaults" variant shows what it does); raised out of reach rather than 0, every request is still counted',
  DATABASE_POOL_MAX: 'pool size guidance: the same load with another pool',
  SERVER: 'another build of the backend, for a before/after comparison in one run',
};

interface Variant {
  label: string;
  server: string;
  env: Record<string, string>;
}

function variants(): Variant[] {
  return (process.env['BENCH_LOAD_VARIANTS'] ?? 'defaults').split(';').filter(Boolean).map((spec) => {
    const [label = spec, settings = ''] = spec.split(':');
    const env: Record<string, string> = {};
    let server = DEFAULT_SERVER;
    for (const pair of settings.split(',').filter(Boolean)) {
      const [name = '', value = ''] = pair.split('=');
      if (name === 'SERVER') server = value;
      else env[name] = value;
    }
    return { label, server, env };
  });
}

/** Every list request's query: none, paging, and each filter the index takes. */
const LIST_QUERIES = ['', '?limit=100', '?status=ready', '?type=Policy', `?tag=${LOAD_TAGS[1]}`, '?q=policy', '?intent=Onboarding&limit=50', '?offset=5'];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const retryAfterMs = (headers: Headers | null): number => Math.min(60, Number(headers?.get('retry-after') ?? 1) || 1) * 1000;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(', ');

interface EntryBody {
  id: string;
  title: string;
  status: string;
  documents: { id: string; status: string; error: string | null; chunk_count: number }[];
}

const settled = (entry: EntryBody): boolean => entry.documents.every((d) => d.status === 'ready' || d.status === 'failed');

/** `inFlight` clients listing the tenants' entries in turn until `stop()` says so; 429s wait their Retry-After. */
function listClients(server: ServerProcess, stats: RouteStats, tenants: string[], inFlight: number, stop: () => boolean): Promise<void> {
  return Promise.all(
    Array.from({ length: inFlight }, async (_, client) => {
      for (let n = 0; !stop(); n++) {
        const query = LIST_QUERIES[(client + n) % LIST_QUERIES.length] ?? '';
        const tenant = tenants[(client + n) % tenants.length] ?? 'load-0';
        const res = await stats.fetch(query === '' || /^\?(limit|offset)=\d+$/.test(query) ? 'list' : 'list, filtered', `${server.baseUrl}/routes/knowledge/${tenant}/index${query}`);
        if (res.status === 429) await sleep(retryAfterMs(res.headers));
      }
    }),
  ).then(() => undefined);
}

interface Accepted {
  upload: Upload;
  id: string;
  settledAt: number | null;
  lost: string | null;
}

interface UploadOutcome {
  accepted: Accepted[];
  refused: { upload: Upload; status: number; body: string }[];
  retried: number;
}

/** Posts every upload at once; a 429 or 503 is retried after its Retry-After (as a client would); each accepted entry is then read every 500 ms until it settles. */
async function uploadAll(server: ServerProcess, stats: RouteStats, uploads: Upload[], started: number): Promise<UploadOutcome> {
  const outcome: UploadOutcome = { accepted: [], refused: [], retried: 0 };
  await Promise.all(
    uploads.map(async (upload) => {
      for (;;) {
        const res = await stats.fetch('upload', `${server.baseUrl}/routes/knowledge/${upload.tenant}`, { method: 'POST', body: uploadForm(upload) });
        if (res.status === 202) {
          const accepted: Accepted = { upload, id: (JSON.parse(res.body) as EntryBody).id, settledAt: null, lost: null };
          outcome.accepted.push(accepted);
          await watch(server, stats, accepted, started);
          return;
        }
        if ((res.status === 429 || res.status === 503) && res.headers?.get('retry-after')) {
          outcome.retried++;
          await sleep(retryAfterMs(res.headers));
          continue;
        }
        outcome.refused.push({ upload, status: res.status, body: res.body.slice(0, 200) });
        return;
      }
    }),
  );
  return outcome;
}

async function watch(server: ServerProcess, stats: RouteStats, entry: Accepted, started: number): Promise<void> {
  const deadline = started + TIMEOUT_S * 1000;
  while (performance.now() < deadline) {
    await sleep(STATUS_EVERY_MS);
    const res = await stats.fetch('status', `${server.baseUrl}/routes/knowledge/${entry.upload.tenant}/${entry.id}`);
    if (res.status === 404) {
      entry.lost = 'answered 404 while processing';
      return;
    }
    if (res.status === 429) await sleep(retryAfterMs(res.headers));
    if (res.status === 200 && settled(JSON.parse(res.body) as EntryBody)) {
      entry.settledAt = performance.now();
      return;
    }
  }
}

interface Audit {
  ready: number;
  failed: Map<string, number>;
  missing: number;
  duplicated: number;
  unexpected: number;
  missingDocuments: number;
  unsettled: number;
  readyWithoutChunks: number;
}

/** Every tenant's whole index and every accepted entry read back after the run: what became of each document. */
async function audit(server: ServerProcess, tenants: string[], outcome: UploadOutcome): Promise<Audit> {
  const result: Audit = { ready: 0, failed: new Map(), missing: 0, duplicated: 0, unexpected: 0, missingDocuments: 0, unsettled: 0, readyWithoutChunks: 0 };
  const listed = new Map<string, EntryBody>();
  const titles = new Map<string, number>();
  for (const tenant of tenants) {
    for (let offset = 0; ; offset += 100) {
      const page = (await (await fetch(`${server.baseUrl}/routes/knowledge/${tenant}/index?limit=100&offset=${offset}`)).json()) as { entries: EntryBody[] };
      for (const entry of page.entries) {
        if (listed.has(entry.id)) result.duplicated++;
        listed.set(entry.id, entry);
        titles.set(`${tenant}/${entry.title}`, (titles.get(`${tenant}/${entry.title}`) ?? 0) + 1);
      }
      if (page.entries.length < 100) break;
    }
  }
  result.duplicated += [...titles.values()].filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
  const acceptedIds = new Set(outcome.accepted.map((a) => a.id));
  result.unexpected = [...listed.keys()].filter((id) => !acceptedIds.has(id)).length;
  for (const accepted of outcome.accepted) {
    const res = await fetch(`${server.baseUrl}/routes/knowledge/${accepted.upload.tenant}/${accepted.id}`);
    if (res.status !== 200 || !listed.has(accepted.id)) {
      result.missing += accepted.upload.files.length;
      await res.arrayBuffer();
      continue;
    }
    const entry = (await res.json()) as EntryBody;
    result.missingDocuments += Math.max(0, accepted.upload.files.length - entry.documents.length);
    for (const doc of entry.documents) {
      if (doc.status === 'ready') {
        result.ready++;
        if (doc.chunk_count === 0) result.readyWithoutChunks++;
      } else if (doc.status === 'failed') {
        const reason = doc.error ?? '(no reason)';
        result.failed.set(reason, (result.failed.get(reason) ?? 0) + 1);
      } else result.unsettled++;
    }
  }
  return result;
}

function startRssSampler(server: ServerProcess): { stop: () => number } {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, server.memory().rss);
    } catch {
      // the process ended
    }
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Runs `clients` against the server, measuring what the probe, PostgreSQL and the clients spent. */
async function measured(server: ServerProcess, database: string | null, run: () => Promise<number>, label: string, inFlight: number, poolMax: number): Promise<PhaseCost> {
  await server.resetProbe();
  const meter = ADMIN && database ? await DatabaseCpuMeter.start(ADMIN, database) : null;
  const client = process.cpuUsage();
  const started = performance.now();
  const requests = await run();
  const seconds = (performance.now() - started) / 1000;
  const probe = await server.probe();
  const clientUsage = process.cpuUsage(client);
  const postgres = meter ? (await meter.stop()).database : null;
  return { label, requests, inFlight, seconds, probe, postgresCpu: postgres, clientCpu: (clientUsage.user + clientUsage.system) / 1e6, poolMax };
}

function routeTable(stats: RouteStats): string[] {
  const order = ['upload', 'list', 'list, filtered', 'status'];
  return [
    '| route | requests | p50 ms | p95 ms | max ms | errors by status |',
    '|---|---|---|---|---|---|',
    ...stats.routes().sort((a, b) => order.indexOf(a) - order.indexOf(b)).map((route) => {
      const l = stats.latency(route);
      return `| ${route} | ${stats.count(route)} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.max.toFixed(1)} | ${stats.errors(route)} |`;
    }),
  ];
}

async function runVariant(variant: Variant, uploads: Upload[], tenants: string[], embeddings: { url: string; apiKey: string }): Promise<string[]> {
  const database = await scratchDatabase(ENGINE, ADMIN);
  const env = { ...database.env, OPENAI_API_KEY: embeddings.apiKey, OPENAI_BASE_URL: embeddings.url, ...variant.env };
  const poolMax = Number(variant.env['DATABASE_POOL_MAX'] ?? 10);
  const out: string[] = [
    `## ${variant.label} (${ENGINE}, ${variant.server})`,
    '',
    ...(Object.keys(variant.env).length === 0 && variant.server === DEFAULT_SERVER
      ? ['Every limit at its default (rate limits, quotas, upload memory budget, pool).']
      : [
          ...Object.entries(variant.env).map(([name, value]) => `- ${name}=${value}: ${REASONS[name] ?? 'set for this variant'}`),
          ...(variant.server === DEFAULT_SERVER ? [] : [`- SERVER=${variant.server}: ${REASONS['SERVER']}`]),
        ]),
    '',
  ];
  const server = await startServerProcess(variant.server, env);
  try {
    // tenants provisioned and connections opened, untimed
    for (const tenant of tenants) await fetch(`${server.baseUrl}/routes/knowledge/${tenant}/index`).then((r) => r.arrayBuffer());
    const rssBefore = server.memory().rss;
    out.push(`Load average at the start: ${load()}; server RSS ${rssBefore.toFixed(0)} MB`);

    // 1. everything at once
    const stats = new RouteStats();
    let outcome: UploadOutcome = { accepted: [], refused: [], retried: 0 };
    let allSettledMs = NaN;
    const sampler = startRssSampler(server);
    const combined = await measured(
      server,
      database.name,
      async () => {
        let stop = false;
        const started = performance.now();
        const listing = listClients(server, stats, tenants, LISTERS, () => stop);
        outcome = await uploadAll(server, stats, uploads, started);
        allSettledMs = Math.max(...outcome.accepted.map((a) => (a.settledAt ?? NaN) - started));
        stop = true;
        await listing;
        return stats.routes().reduce((n, r) => n + stats.count(r), 0);
      },
      'combined run (uploads, status reads and lists)',
      LISTERS + uploads.length,
      poolMax,
    );
    const peakRss = Math.max(sampler.stop(), server.memory().peak);
    out.push(`Load average after the combined run: ${load()}`, '', ...routeTable(stats), '');
    const files = uploads.reduce((n, u) => n + u.files.length, 0);
    const found = await audit(server, tenants, outcome);
    out.push(
      `Uploads: ${outcome.accepted.length} of ${uploads.length} accepted (${files} files, ${(uploads.reduce((n, u) => n + u.files.reduce((m, f) => m + f.bytes.length, 0), 0) / 1024 / 1024).toFixed(1)} MB), ` +
        `${outcome.refused.length} refused${outcome.refused.map((r) => ` [${r.status} ${r.upload.title}: ${r.body}]`).join('')}, ${outcome.retried} retried after 429/503 with Retry-After`,
      `Documents: ${found.ready} ready, ${[...found.failed.values()].reduce((a, b) => a + b, 0)} failed with a reason${[...found.failed].map(([reason, n]) => ` [${n} x ${reason}]`).join('')}; ` +
        `lost: ${found.missing} missing, ${found.missingDocuments} documents missing from their entries, ${found.duplicated} duplicated, ${found.unexpected} entries nobody was told of, ` +
        `${found.unsettled} not settled after ${TIMEOUT_S} s, ${found.readyWithoutChunks} ready without chunks; ${outcome.accepted.filter((a) => a.lost).length} entries vanished while processing`,
      `All accepted documents settled ${(allSettledMs / 1000).toFixed(1)} s after the uploads were sent`,
      `Server peak RSS: ${peakRss.toFixed(0)} MB (sampled every 100 ms and the process's high-water mark); ${server.memory().rss.toFixed(0)} MB after`,
      `Errors in all: ${stats.errorCount()}`,
      '',
    );

    // 2. the list requests alone, then 3. one at a time: what a list request costs
    const alone = new RouteStats();
    const listAlone = await measured(
      server,
      database.name,
      async () => {
        const until = performance.now() + LIST_ALONE_S * 1000;
        await listClients(server, alone, tenants, LISTERS, () => performance.now() > until);
        return alone.routes().reduce((n, r) => n + alone.count(r), 0);
      },
      `${LISTERS} list requests in flight alone`,
      LISTERS,
      poolMax,
    );
    const serial = new RouteStats();
    let sent = 0;
    const oneAtATime = await measured(
      server,
      database.name,
      async () => {
        await listClients(server, serial, tenants, 1, () => ++sent > SERIAL);
        return serial.routes().reduce((n, r) => n + serial.count(r), 0);
      },
      'list requests one at a time',
      1,
      poolMax,
    );
    out.push(
      `Lists alone, ${LISTERS} in flight for ${LIST_ALONE_S} s (load average after: ${load()}):`,
      '',
      ...routeTable(alone),
      '',
      `Lists one at a time (${SERIAL}):`,
      '',
      ...routeTable(serial),
      '',
      'What a request cost the server (pool probe):',
      '',
      ...[combined, listAlone, oneAtATime].flatMap(describeCost),
      '',
    );
    return out;
  } finally {
    await server.stop();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const tenants = Array.from({ length: TENANTS }, (_, i) => `load-${i}`);
  const { uploads, generated } = await loadUploads(tenants);
  const embeddings = await startEmbeddingServerProcess(100);
  try {
    process.stdout.write(
      `Combined load: ${TENANTS} tenants x ${uploads.length / TENANTS} concurrent uploads (${uploads.reduce((n, u) => n + u.files.length, 0)} files; ${generated} generated now, the rest from the corpus cache), ` +
        `${LISTERS} list requests in flight, status reads every ${STATUS_EVERY_MS} ms per accepted entry; engine ${ENGINE}; embeddings from the loopback server (100 ms a request)\n\n`,
    );
    for (const variant of variants()) {
      const lines = await runVariant(variant, uploads, tenants, embeddings);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  } finally {
    await embeddings.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
