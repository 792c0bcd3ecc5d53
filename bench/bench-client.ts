import type { BenchApp } from './bench-app.js';

/** Where the API listens: the app in this process, or in a child process. */
type Api = Pick<BenchApp, 'baseUrl'>;

/** What the benchmarks read of a knowledge entry. */
export interface Entry {
  id: string;
  status: string;
  chunk_count: number;
  created_at: string;
  documents: {
    id: string;
    status: string;
    error: string | null;
    chunk_count: number;
    page_count: number | null;
    created_at: string;
    processed_at: string | null;
  }[];
}

/** Uploads one file as a new entry of the `bench` tenant, as a browser form would; returns its id. */
export async function uploadFile(app: Api, bytes: Buffer, name: string, mimeType: string): Promise<string> {
  const form = new FormData();
  form.append('title', name);
  form.append('type', 'Reference');
  form.append('intent', 'Technical');
  form.append('file', new Blob([new Uint8Array(bytes)], { type: mimeType }), name);
  const res = await fetch(`${app.baseUrl}/routes/knowledge/bench`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`upload of ${name} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Entry).id;
}

export async function getEntry(app: Api, id: string): Promise<Entry> {
  return getJson<Entry>(app, `/routes/knowledge/bench/${id}`);
}

/**
 * One light request per 100 ms for the whole batch, so polling does not load the server it
 * measures; resolves with the entries once the client sees all of them ready.
 */
export async function waitAllReady(app: Api, ids: string[]): Promise<Entry[]> {
  const wanted = new Set(ids);
  for (;;) {
    const mine = await listEntries(app, wanted);
    const bad = mine.find((e) => e.status === 'failed' || e.status === 'partial');
    if (bad) throw new Error(`${bad.id} ${bad.status}: ${JSON.stringify((await getEntry(app, bad.id)).documents.map((d) => d.error))}`);
    if (mine.length === wanted.size && mine.every((e) => e.status === 'ready')) return Promise.all(ids.map((id) => getEntry(app, id)));
    await sleep(100);
  }
}

/**
 * The index entries among `wanted`, newest first: one page when they are all on it (a batch just
 * uploaded is), more when the tenant holds more than a page of newer entries.
 */
async function listEntries(app: Api, wanted: Set<string>): Promise<Entry[]> {
  const found: Entry[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await getJson<{ entries: Entry[] }>(app, `/routes/knowledge/bench/index?limit=100&offset=${offset}`);
    found.push(...page.entries.filter((e) => wanted.has(e.id)));
    if (found.length === wanted.size || page.entries.length < 100) return found;
  }
}

/** Chunks of an entry the API shows (searchable ones), without reading them. */
export async function chunkCount(app: Api, id: string): Promise<number> {
  return (await getJson<{ total_count: number }>(app, `/routes/knowledge/bench/${id}/chunks?limit=1`)).total_count;
}

/** Reads the benchmarks' requests got an error for (and then repeated), by request and answer. */
const failedReads = new Map<string, number>();

/** The failed reads since the last call, as lines "3x GET /routes/...: 500 ...". */
export function takeFailedReads(): string[] {
  const lines = [...failedReads].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${n}x ${what}`);
  failedReads.clear();
  return lines;
}

const RETRY_FOR_MS = 60_000;

/**
 * GET `path` as JSON. A server under load may answer a read with an error (e.g. 500 when its
 * database pool is exhausted): that is noted (takeFailedReads) and the read repeated every 100 ms,
 * for up to a minute, so that it shows in the results rather than ending the run.
 */
export async function getJson<T>(app: Api, path: string): Promise<T> {
  const since = Date.now();
  for (;;) {
    let problem: string;
    try {
      const res = await fetch(`${app.baseUrl}${path}`);
      if (res.ok) return (await res.json()) as T;
      problem = `${res.status} ${(await res.text()).slice(0, 160)}`;
    } catch (error) {
      problem = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
    }
    // ids (the entry's, the error body's request_id) taken out, so that the same failure counts once
    const what = `GET ${path.replace(/\?.*$/, '')}: ${problem}`.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id');
    failedReads.set(what, (failedReads.get(what) ?? 0) + 1);
    if (Date.now() - since > RETRY_FOR_MS) throw new Error(`${what} (still failing after ${RETRY_FOR_MS / 1000} s)`);
    await sleep(100);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
