import type { BenchApp } from './bench-app.js';

/** What the benchmarks read of a knowledge entry. */
export interface Entry {
  id: string;
  status: string;
  chunk_count: number;
  created_at: string;
  documents: { status: string; error: string | null; processed_at: string | null }[];
}

/** Uploads one file as a new entry of the `bench` tenant, as a browser form would; returns its id. */
export async function uploadFile(app: BenchApp, bytes: Buffer, name: string, mimeType: string): Promise<string> {
  const form = new FormData();
  form.append('title', name);
  form.append('type', 'Reference');
  form.append('intent', 'Technical');
  form.append('file', new Blob([new Uint8Array(bytes)], { type: mimeType }), name);
  const res = await fetch(`${app.baseUrl}/routes/knowledge/bench`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`upload of ${name} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Entry).id;
}

export async function getEntry(app: BenchApp, id: string): Promise<Entry> {
  return (await (await fetch(`${app.baseUrl}/routes/knowledge/bench/${id}`)).json()) as Entry;
}

/**
 * One light request per 100 ms for the whole batch, so polling does not load the server it
 * measures; resolves with the entries once the client sees all of them ready.
 */
export async function waitAllReady(app: BenchApp, ids: string[]): Promise<Entry[]> {
  const wanted = new Set(ids);
  for (;;) {
    const page = (await (await fetch(`${app.baseUrl}/routes/knowledge/bench/index?limit=100`)).json()) as { entries: Entry[] };
    const mine = page.entries.filter((e) => wanted.has(e.id));
    const bad = mine.find((e) => e.status === 'failed' || e.status === 'partial');
    if (bad) throw new Error(`${bad.id} ${bad.status}: ${JSON.stringify((await getEntry(app, bad.id)).documents.map((d) => d.error))}`);
    if (mine.length === wanted.size && mine.every((e) => e.status === 'ready')) return Promise.all(ids.map((id) => getEntry(app, id)));
    await new Promise((r) => setTimeout(r, 100));
  }
}
