import type { HttpRequest } from '@angular/common/http';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { Router } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import type { ChunkPage, KnowledgeEntryDetail } from '@business-brain/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createAppHarness } from '../testing/create-app-harness';
import { domCondition } from '../testing/dom-condition';
import { apiErrorResponse, eventStreamResponse, sseFrame } from '../testing/event-stream';
import { FakeApi } from '../testing/fake-api';
import { aChunk, aDetail, aDocument, anIndex } from '../testing/fixtures';
import { RecordingToasts, provideRecordingToasts } from '../testing/recording-toasts';
import { STATUS_POLL_MS } from './entry-detail-page';

const ENTRY = 'GET /routes/knowledge/acme/entry-1';
const CHUNKS = 'GET /routes/knowledge/acme/entry-1/chunks';

const pdf = aDocument({ id: 'doc-1', filename: 'handbook.pdf', byte_size: 2048, page_count: 4, chunk_count: 30 });
const page = aDocument({ id: 'doc-2', source_kind: 'url', filename: null, source_url: 'https://example.com/faq', mime_type: 'text/html', byte_size: 512, page_count: null, chunk_count: 5 });
const entry = aDetail({ id: 'entry-1', title: 'Employee handbook', tags: ['hr', 'handbook'], document_count: 2, chunk_count: 35 }, [pdf, page]);

/** 35 chunks: 30 of the PDF (three per page... pages 1-4), then 5 of the web page. */
const allChunks = [
  ...Array.from({ length: 30 }, (_, i) => aChunk(i, { id: `pdf-${i}`, document_id: 'doc-1', page_number: Math.floor(i / 8) + 1, page_end: Math.floor(i / 8) + 1 })),
  ...Array.from({ length: 5 }, (_, i) => aChunk(i, { id: `web-${i}`, document_id: 'doc-2' })),
];

/** Answers GET .../chunks like the API: filtered by document_id, paged by limit and offset. */
function chunkPage(request: HttpRequest<unknown>): { body: ChunkPage } {
  const documentId = request.params.get('document_id');
  const limit = Number(request.params.get('limit'));
  const offset = Number(request.params.get('offset'));
  const chunks = documentId ? allChunks.filter((c) => c.document_id === documentId) : allChunks;
  return { body: { chunks: chunks.slice(offset, offset + limit), total_count: chunks.length } };
}

describe('EntryDetailPage', () => {
  let api: FakeApi;
  let harness: RouterTestingHarness;

  beforeEach(() => {
    api = new FakeApi().on(ENTRY, { body: entry }).on(CHUNKS, chunkPage).on('GET /routes/knowledge/acme/index', { body: anIndex([]) });
    TestBed.configureTestingModule({ providers: [provideRecordingToasts()] });
  });

  afterEach(() => vi.unstubAllGlobals());

  const root = (): HTMLElement => harness.fixture.nativeElement as HTMLElement;
  const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const chunkItems = () => Array.from(root().querySelectorAll<HTMLLIElement>('[data-testid=chunks] li[data-position]'));
  const chunkRequests = () => api.seen.filter((r) => r.url.startsWith('/routes/knowledge/acme/entry-1/chunks')).map((r) => Object.fromEntries(new URL(r.url, 'http://x').searchParams));
  const button = (label: string, within: ParentNode = root()) =>
    Array.from(within.querySelectorAll<HTMLButtonElement>('button')).find((b) => b.textContent?.trim() === label);

  /** Opens `url` and waits until the chunk preview has loaded. */
  async function open(url: string): Promise<void> {
    harness = await createAppHarness(api);
    await harness.navigateByUrl(url);
    await domCondition(root(), () => chunkItems().length > 0 || root().querySelector('[data-testid=entry-error]') !== null);
    await harness.fixture.whenStable();
  }

  it('shows the entry, its sources and the first page of its chunks with their pages', async () => {
    await open('/acme/context-builder/entries/entry-1');

    expect(text(root().querySelector('[data-testid=entry-title]'))).toBe('Employee handbook');
    expect(text(root().querySelector('.entry-head .meta'))).toBe('Policy · Onboarding hrhandbook');
    expect(text(root().querySelectorAll('.entry-head .meta')[1])).toContain('Ready 2 documents, 35 chunks');
    const documents = Array.from(root().querySelectorAll('[data-testid=documents] > li'));
    expect(documents.map((d) => text(d.querySelector('.doc-name')))).toEqual(['handbook.pdf', 'https://example.com/faq']);
    expect(documents.map((d) => text(d.querySelector('.muted')))).toEqual(['2 KB · 4 pages · 30 chunks', '512 bytes · 5 chunks']);

    expect(chunkRequests()).toEqual([{ limit: '10', offset: '0' }]);
    expect(chunkItems().map((li) => text(li.querySelector('.chunk-meta')))).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `#${i + 1} · page 1 · 42 tokens`),
      '#9 · page 2 · 42 tokens',
      '#10 · page 2 · 42 tokens',
    ]);
    expect(text(chunkItems()[0].querySelector('.chunk-text'))).toBe('Content of chunk 0.');
    expect(root().querySelectorAll('[data-testid=chunks] li.highlight')).toHaveLength(0);
    expect(root().querySelector('.back a')?.getAttribute('href')).toBe('/acme/context-builder');
  });

  it('opens at a cited chunk: that document’s page of chunks, the chunk highlighted', async () => {
    await open('/acme/context-builder/entries/entry-1?document=doc-1&chunk=12');

    expect(chunkRequests()).toEqual([{ limit: '10', offset: '10', document_id: 'doc-1' }]);
    expect(chunkItems().map((li) => li.dataset['position'])).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19']);
    const highlighted = Array.from(root().querySelectorAll<HTMLLIElement>('[data-testid=chunks] li.highlight'));
    expect(highlighted.map((li) => li.dataset['position'])).toEqual(['12']);
    expect(text(highlighted[0].querySelector('.chunk-meta'))).toBe('#13 · page 2 · 42 tokens');
  });

  it('opens at a cited page: finds the first chunk covering it and highlights that', async () => {
    await open('/acme/context-builder/entries/entry-1?document=doc-1&page=3');

    expect(chunkRequests()).toEqual([
      { limit: '100', offset: '0', document_id: 'doc-1' },
      { limit: '10', offset: '10', document_id: 'doc-1' },
    ]);
    const highlighted = Array.from(root().querySelectorAll<HTMLLIElement>('[data-testid=chunks] li.highlight'));
    expect(highlighted.map((li) => li.dataset['position'])).toEqual(['16']);
    expect(text(highlighted[0].querySelector('.chunk-meta'))).toBe('#17 · page 3 · 42 tokens');
  });

  it('shows every source’s chunks again on request, without the highlight', async () => {
    await open('/acme/context-builder/entries/entry-1?document=doc-1&chunk=12');

    button('Show all sources')?.click();
    await domCondition(root(), () => chunkItems()[0]?.dataset['position'] === '0');

    expect(chunkRequests().at(-1)).toEqual({ limit: '10', offset: '0' });
    expect(root().querySelectorAll('[data-testid=chunks] li.highlight')).toHaveLength(0);
    expect(button('Show all sources')).toBeUndefined();
  });

  it('previews one source’s chunks with its Chunks button', async () => {
    await open('/acme/context-builder/entries/entry-1');

    root().querySelector<HTMLButtonElement>('button[aria-label="Preview chunks of https://example.com/faq"]')?.click();
    await domCondition(root(), () => chunkItems().length === 5);

    expect(chunkRequests().at(-1)).toEqual({ limit: '10', offset: '0', document_id: 'doc-2' });
    expect(chunkItems().map((li) => text(li.querySelector('.chunk-meta')))).toEqual(Array.from({ length: 5 }, (_, i) => `#${i + 1} · 42 tokens`));
  });

  it('pages through the chunks', async () => {
    await open('/acme/context-builder/entries/entry-1');
    const paginator = await TestbedHarnessEnvironment.loader(harness.fixture).getHarness(MatPaginatorHarness);

    await paginator.goToNextPage();
    await domCondition(root(), () => chunkItems()[0]?.dataset['position'] === '10');

    expect(chunkRequests().at(-1)).toEqual({ limit: '10', offset: '10' });
  });

  it('asks for confirmation before deleting; Cancel keeps the entry', async () => {
    await open('/acme/context-builder/entries/entry-1');

    button('Delete entry')?.click();
    await harness.fixture.whenStable();
    const overlay = document.querySelector<HTMLElement>('.cdk-overlay-container');
    expect(text(overlay?.querySelector('h2'))).toBe('Delete entry?');
    expect(text(overlay?.querySelector('mat-dialog-content'))).toBe(
      'Delete “Employee handbook” with all its sources, chunks and embeddings? This cannot be undone.',
    );

    button('Cancel', overlay ?? undefined)?.click();
    await domCondition(document.body, () => document.querySelector('bb-confirm-dialog') === null);
    await harness.fixture.whenStable();

    expect(api.seen.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(TestBed.inject(Router).url).toBe('/acme/context-builder/entries/entry-1');
  });

  it('deletes the entry once confirmed and goes back to the list', async () => {
    api.on('DELETE /routes/knowledge/acme/entry-1', { status: 204, body: null });
    await open('/acme/context-builder/entries/entry-1');
    const router = TestBed.inject(Router);

    button('Delete entry')?.click();
    await harness.fixture.whenStable();
    const overlay = document.querySelector<HTMLElement>('.cdk-overlay-container');
    button('Delete', overlay ?? undefined)?.click();
    await domCondition(root(), () => root().querySelector('bb-knowledge-list') !== null);
    await harness.fixture.whenStable();

    expect(api.seen.filter((r) => r.method === 'DELETE')).toEqual([{ method: 'DELETE', url: '/routes/knowledge/acme/entry-1', body: null }]);
    expect(router.url).toBe('/acme/context-builder');
    expect(TestBed.inject(RecordingToasts).successes).toEqual(['Deleted “Employee handbook”.']);
    expect(document.querySelector('bb-confirm-dialog')).toBeNull();
  });

  it('stays on the entry and reports it when the delete is refused', async () => {
    api.on('DELETE /routes/knowledge/acme/entry-1', { status: 500, body: { statusCode: 500, error: 'Error', message: 'Could not delete.', request_id: 'r' } });
    await open('/acme/context-builder/entries/entry-1');

    button('Delete entry')?.click();
    await harness.fixture.whenStable();
    button('Delete', document.querySelector('.cdk-overlay-container') ?? undefined)?.click();
    const toasts = TestBed.inject(RecordingToasts);
    await domCondition(document.body, () => document.querySelector('bb-confirm-dialog') === null);
    await harness.fixture.whenStable();

    expect(toasts.errors).toEqual(['Could not delete.']);
    expect(TestBed.inject(Router).url).toBe('/acme/context-builder/entries/entry-1');
  });

  it('says the entry is not there (404) and links back to the list', async () => {
    api.on(ENTRY, { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Knowledge entry not found.', request_id: 'r' } });

    await open('/acme/context-builder/entries/entry-1');

    expect(text(root().querySelector('[data-testid=entry-error]'))).toBe('Knowledge entry not found.');
    expect(text(root().querySelector('[data-testid=entry-error] + p'))).toBe('It may have been deleted. Back to the list.');
    expect(root().querySelector('[data-testid=entry-title]')).toBeNull();
  });

  it('edits the details and saves them with PATCH', async () => {
    api.on('PATCH /routes/knowledge/acme/entry-1', (request) => ({ body: { ...entry, ...(request.body as Partial<KnowledgeEntryDetail>) } }));
    await open('/acme/context-builder/entries/entry-1');

    button('Edit details')?.click();
    await harness.fixture.whenStable();
    const title = root().querySelector<HTMLInputElement>('#edit-title');
    expect(title?.value).toBe('Employee handbook');
    if (title) {
      title.value = '  Staff handbook ';
      title.dispatchEvent(new Event('input'));
    }
    button('Save changes')?.click();
    await domCondition(root(), () => root().querySelector('#edit-title') === null);

    expect(api.seen.filter((r) => r.method === 'PATCH')).toEqual([
      { method: 'PATCH', url: '/routes/knowledge/acme/entry-1', body: { title: 'Staff handbook', type: 'Policy', intent: 'Onboarding', tags: ['hr', 'handbook'] } },
    ]);
    expect(text(root().querySelector('[data-testid=entry-title]'))).toBe('Staff handbook');
    expect(TestBed.inject(RecordingToasts).successes).toEqual(['Changes saved.']);
  });

  it('follows a processing entry’s status stream, then loads its chunks', async () => {
    const processing = aDetail({ ...entry, status: 'processing', chunk_count: 0 }, [aDocument({ ...pdf, status: 'processing', stage: 'embedding', progress: 60, chunk_count: 0 })]);
    api.on(ENTRY, { body: processing });
    const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(eventStreamResponse([sseFrame('status', entry)]));
    vi.stubGlobal('fetch', fetchMock);

    await open('/acme/context-builder/entries/entry-1');
    await domCondition(root(), () => text(root().querySelector('.entry-head [data-testid=status]')) === 'Ready' && chunkRequests().length === 2);
    await harness.fixture.whenStable();

    expect(fetchMock.mock.calls[0][0]).toBe('/routes/knowledge/acme/entry-1/events');
    expect(text(root().querySelector('.entry-head .meta + .meta'))).toContain('2 documents, 35 chunks');
    expect(chunkRequests()).toEqual([
      { limit: '10', offset: '0' },
      { limit: '10', offset: '0' },
    ]);
  });

  it('says so when the entry is deleted while its status is followed', async () => {
    const processing = aDetail({ ...entry, status: 'processing', chunk_count: 0 }, [aDocument({ ...pdf, status: 'processing', stage: 'embedding', progress: 60, chunk_count: 0 })]);
    api.on(ENTRY, { body: processing });
    vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockResolvedValue(eventStreamResponse([sseFrame('status', processing), sseFrame('deleted', { id: 'entry-1' })])));

    await open('/acme/context-builder/entries/entry-1');
    await domCondition(root(), () => root().querySelector('[data-testid=entry-title]') === null);
    await harness.fixture.whenStable();

    expect(text(root().querySelector('[data-testid=entry-error]'))).toBe('This entry was deleted.');
    expect(text(root().querySelector('[data-testid=entry-error] + p'))).toBe('Back to the list.');
  });

  it('reads the entry every few seconds instead when the server has no status stream to spare (429)', async () => {
    const processing = aDetail({ ...entry, status: 'processing', chunk_count: 0 }, [aDocument({ ...pdf, status: 'processing', stage: 'embedding', progress: 60, chunk_count: 0 })]);
    api.on(ENTRY, { body: processing });
    vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockResolvedValue(apiErrorResponse(429, 'Too many live status streams are open; try again later.')));
    TestBed.overrideProvider(STATUS_POLL_MS, { useValue: 0 });

    await open('/acme/context-builder/entries/entry-1');
    await domCondition(root(), () => api.seen.filter((r) => r.url === '/routes/knowledge/acme/entry-1').length >= 2);
    api.on(ENTRY, { body: entry });
    await domCondition(root(), () => text(root().querySelector('.entry-head [data-testid=status]')) === 'Ready' && chunkRequests().length === 2);
    await harness.fixture.whenStable();

    expect(root().querySelector('[data-testid=entry-error]')).toBeNull();
    expect(text(root().querySelector('.entry-head .meta + .meta'))).toContain('2 documents, 35 chunks');
  });
});
