import type { TestApp } from './test-app.js';

export interface DocumentJson {
  id: string;
  source_kind: string;
  filename: string | null;
  status: string;
  stage: string | null;
  progress: number;
  error: string | null;
  chunk_count: number;
  page_count: number | null;
  embedding_model: string | null;
}

export interface EntryJson {
  id: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  status: string;
  document_count: number;
  chunk_count: number;
  documents: DocumentJson[];
}

export interface FilePart {
  name: string;
  type?: string;
  bytes: Buffer | string;
}

/** Builds a multipart body the way a browser form would. */
export function formOf(fields: Record<string, string | string[]>, files: FilePart[] = []): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  }
  for (const file of files) {
    const bytes = typeof file.bytes === 'string' ? Buffer.from(file.bytes) : file.bytes;
    form.append('file', new Blob([new Uint8Array(bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  }
  return form;
}

export const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const META = { title: 'Employee handbook', type: 'Reference', intent: 'Technical' };

/**
 * Polls the entry until every document has settled. No deadline of its own: how long processing
 * takes depends on the machine, and Jest's test timeout ends a test that truly hangs.
 */
export async function waitForSettled(t: TestApp, tenant: string, id: string, init: RequestInit = {}): Promise<EntryJson> {
  for (;;) {
    const res = await t.get(`/routes/knowledge/${tenant}/${id}`, init);
    if (res.status !== 200) throw new Error(`GET entry answered ${res.status}: ${await res.text()}`);
    const entry = (await res.json()) as EntryJson;
    if (entry.documents.every((d) => d.status === 'ready' || d.status === 'failed')) return entry;
    await new Promise((r) => setTimeout(r, 50));
  }
}
