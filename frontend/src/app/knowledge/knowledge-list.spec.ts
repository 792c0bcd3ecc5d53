import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { provideRouter } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import type { KnowledgeEntry, RetryResponse } from '@business-brain/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { createAppHarness } from '../testing/create-app-harness';
import { FakeApi } from '../testing/fake-api';
import { aDetail, aDocument, anEntry, anIndex } from '../testing/fixtures';
import { RecordingToasts, provideRecordingToasts } from '../testing/recording-toasts';
import { KnowledgeList, LIVE_REFRESH_MS } from './knowledge-list';

const INDEX = 'GET /routes/knowledge/acme/index';
const FILTER_DEBOUNCE_MS = 250;

const handbook = anEntry({ id: 'entry-1', title: 'Employee handbook', type: 'Policy', intent: 'Onboarding', tags: ['hr', 'handbook'], document_count: 2, chunk_count: 37 });
const prices = anEntry({ id: 'entry-2', title: 'Price list', type: 'Sales', intent: 'Sales enablement', tags: [], document_count: 1, chunk_count: 5 });

const indexCalls = (api: FakeApi) => api.seen.filter((r) => r.method === 'GET' && r.url.startsWith('/routes/knowledge/acme/index'));
const queryOf = (url: string) => Object.fromEntries(new URL(url, 'http://test.local').searchParams);

/**
 * Puts the filters' debounce on fake time: RxJS schedules it with setInterval and measures it with
 * Date.now. Rendering keeps its real timers, so `whenStable()` still works.
 */
function useFakeDebounceTime(): void {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
}

describe('KnowledgeList in the Build panel', () => {
  let harness: RouterTestingHarness;

  afterEach(() => vi.useRealTimers());

  async function open(api: FakeApi): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideRecordingToasts()] });
    harness = await createAppHarness(api);
    await harness.navigateByUrl('/acme/context-builder');
    await harness.fixture.whenStable();
  }

  const root = (): HTMLElement => harness.fixture.nativeElement as HTMLElement;
  const list = (): HTMLElement => {
    const element = root().querySelector<HTMLElement>('bb-knowledge-list');
    if (!element) throw new Error('list not rendered');
    return element;
  };
  const rows = () => Array.from(list().querySelectorAll<HTMLTableRowElement>('[data-testid=entry-row]'));
  const cells = (row: HTMLTableRowElement) => Array.from(row.cells, (cell) => cell.textContent?.replace(/\s+/g, ' ').trim() ?? '');
  const textOf = (selector: string) => list().querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

  it('shows one row per entry: title linking to the entry, type, intent, tags, status and counts', async () => {
    const api = new FakeApi().on(INDEX, { body: anIndex([handbook, prices], 2) });
    await open(api);

    expect(rows()).toHaveLength(2);
    const [first, second] = rows();
    expect(cells(first).slice(0, 7)).toEqual(['Employee handbook', 'Policy', 'Onboarding', 'hrhandbook', 'Ready', '2', '37']);
    expect(Array.from(first.querySelectorAll('.tag'), (t) => t.textContent)).toEqual(['hr', 'handbook']);
    expect(first.querySelector('a')?.getAttribute('href')).toBe('/acme/context-builder/entries/entry-1');
    expect(cells(second).slice(0, 7)).toEqual(['Price list', 'Sales', 'Sales enablement', '', 'Ready', '1', '5']);
    expect(second.querySelector('a')?.getAttribute('href')).toBe('/acme/context-builder/entries/entry-2');
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe(handbook.updated_at);
    expect(textOf('.count')).toBe('2 entries');
    // ready entries need no detail
    expect(api.seen.filter((r) => /\/acme\/entry-/.test(r.url))).toEqual([]);
    expect(queryOf(indexCalls(api)[0].url)).toEqual({ limit: '10', offset: '0' });
  });

  it('says so when there is no knowledge yet', async () => {
    await open(new FakeApi().on(INDEX, { body: anIndex([]) }));

    expect(textOf('[data-testid=list-empty]')).toBe('No knowledge yet. Add files, a web page or text above.');
    expect(textOf('.count')).toBe('0 entries');
    expect(list().querySelector('[data-testid=entries]')).toBeNull();
  });

  it('shows why a failed entry failed and retries it on request', async () => {
    const failed = anEntry({ id: 'entry-3', title: 'Scans', status: 'failed', document_count: 2, chunk_count: 0 });
    const detail = aDetail({ ...failed }, [
      aDocument({ id: 'd1', filename: 'secret.pdf', status: 'failed', error: 'The PDF is password-protected.' }),
      aDocument({ id: 'd2', filename: null, source_url: 'https://example.com/gone', source_kind: 'url', status: 'failed', error: null }),
    ]);
    const retried: RetryResponse = { ...aDetail({ ...failed, status: 'ready', chunk_count: 9 }), requeued: 2 };
    const api = new FakeApi()
      .on(INDEX, { body: anIndex([failed]) })
      .on('GET /routes/knowledge/acme/entry-3', { body: detail })
      .on('POST /routes/knowledge/acme/entry-3/retry', () => {
        // the entry is processed again; the reload finds it done (settled: nothing keeps polling)
        api.on(INDEX, { body: anIndex([{ ...failed, status: 'ready', chunk_count: 9 }]) });
        return { body: retried };
      });
    await open(api);

    const [row] = rows();
    expect(textOf('[data-testid=status]')).toBe('Failed');
    expect(textOf('[data-testid=failure-reason]')).toBe('secret.pdf: The PDF is password-protected. · https://example.com/gone: processing failed');
    const retry = Array.from(row.querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Retry');
    expect(retry).toBeDefined();
    const before = indexCalls(api).length;

    retry?.click();
    await harness.fixture.whenStable();

    expect(api.seen.filter((r) => r.method === 'POST')).toEqual([{ method: 'POST', url: '/routes/knowledge/acme/entry-3/retry', body: {} }]);
    expect(TestBed.inject(RecordingToasts).successes).toEqual(['Retrying 2 documents of “Scans”.']);
    expect(indexCalls(api).length).toBe(before + 1);
    expect(textOf('[data-testid=status]')).toBe('Ready');
    expect(list().querySelector('[data-testid=failure-reason]')).toBeNull();
    expect(cells(rows()[0])[6]).toBe('9');
  });

  it('shows the reason and Retry for a partly failed entry, and reports a refused retry', async () => {
    const partial = anEntry({ id: 'entry-4', title: 'Mixed', status: 'partial' });
    const api = new FakeApi()
      .on(INDEX, { body: anIndex([partial]) })
      .on('GET /routes/knowledge/acme/entry-4', {
        body: aDetail({ ...partial }, [aDocument({ id: 'ok', status: 'ready' }), aDocument({ id: 'bad', filename: 'broken.docx', status: 'failed', error: 'Not a DOCX file.' })]),
      })
      .on('POST /routes/knowledge/acme/entry-4/retry', {
        status: 409,
        body: { statusCode: 409, error: 'Conflict', message: 'Nothing to retry.', request_id: 'r' },
      });
    await open(api);

    expect(textOf('[data-testid=status]')).toBe('Partly failed');
    expect(textOf('[data-testid=failure-reason]')).toBe('broken.docx: Not a DOCX file.');
    const retry = Array.from(rows()[0].querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Retry');
    retry?.click();
    await harness.fixture.whenStable();

    expect(TestBed.inject(RecordingToasts).errors).toEqual(['Nothing to retry.']);
    expect(retry?.disabled).toBe(false);
  });

  it('still lists a failed entry whose detail could not be loaded, without a reason', async () => {
    const failed = anEntry({ id: 'entry-5', title: 'Lost detail', status: 'failed' });
    await open(new FakeApi().on(INDEX, { body: anIndex([failed]) }));

    expect(cells(rows()[0])[0]).toBe('Lost detail');
    expect(textOf('[data-testid=failure-reason]')).toBe('');
  });

  it('shows the server’s message when the index cannot be loaded', async () => {
    const api = new FakeApi().on(INDEX, {
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'The knowledge index is unavailable.', request_id: 'r' },
    });
    await open(api);

    expect(textOf('[data-testid=list-error]')).toBe('The knowledge index is unavailable.');
    expect(list().querySelector('[data-testid=list-error]')?.getAttribute('role')).toBe('alert');
    expect(list().querySelector('[data-testid=entries]')).toBeNull();
  });

  it('sends the chosen filters as query parameters, after a short pause, from the first page', async () => {
    const api = new FakeApi().on(INDEX, { body: anIndex([handbook]) });
    await open(api);
    const loader = TestbedHarnessEnvironment.loader(harness.fixture);
    useFakeDebounceTime();
    const before = indexCalls(api).length;

    const status = await loader.getHarness(MatSelectHarness.with({ selector: '#filter-status' }));
    await status.open();
    await status.clickOptions({ text: 'failed' });
    const type = await loader.getHarness(MatSelectHarness.with({ selector: '#filter-type' }));
    await type.open();
    await type.clickOptions({ text: 'Policy' });
    await (await loader.getHarness(MatInputHarness.with({ selector: '#filter-q' }))).setValue('  hand ');
    await (await loader.getHarness(MatInputHarness.with({ selector: '#filter-tag' }))).setValue('HR Team');

    expect(indexCalls(api)).toHaveLength(before);
    api.on(INDEX, { body: anIndex([]) });
    vi.advanceTimersByTime(FILTER_DEBOUNCE_MS);
    await harness.fixture.whenStable();

    const calls = indexCalls(api);
    expect(calls).toHaveLength(before + 1);
    expect(queryOf(calls[calls.length - 1].url)).toEqual({ limit: '10', offset: '0', q: 'hand', type: 'Policy', tag: 'hr-team', status: 'failed' });
    expect(textOf('[data-testid=list-empty]')).toBe('No entries match these filters.');
  });

  it('drops the filters from the query when they are cleared', async () => {
    const api = new FakeApi().on(INDEX, { body: anIndex([handbook]) });
    await open(api);
    const loader = TestbedHarnessEnvironment.loader(harness.fixture);
    useFakeDebounceTime();
    const status = await loader.getHarness(MatSelectHarness.with({ selector: '#filter-status' }));
    await status.open();
    await status.clickOptions({ text: 'ready' });
    vi.advanceTimersByTime(FILTER_DEBOUNCE_MS);
    await harness.fixture.whenStable();
    expect(queryOf(indexCalls(api).at(-1)?.url ?? '')).toEqual({ limit: '10', offset: '0', status: 'ready' });

    Array.from(list().querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Clear filters')?.click();
    vi.advanceTimersByTime(FILTER_DEBOUNCE_MS);
    await harness.fixture.whenStable();

    expect(queryOf(indexCalls(api).at(-1)?.url ?? '')).toEqual({ limit: '10', offset: '0' });
  });

  it('asks for the next page with the paginator', async () => {
    const entries: KnowledgeEntry[] = Array.from({ length: 10 }, (_, i) => anEntry({ id: `e${i}`, title: `Entry ${i}` }));
    const api = new FakeApi().on(INDEX, { body: anIndex(entries, 25) });
    await open(api);
    const paginator = await TestbedHarnessEnvironment.loader(harness.fixture).getHarness(MatPaginatorHarness);

    await paginator.goToNextPage();
    await harness.fixture.whenStable();

    expect(queryOf(indexCalls(api).at(-1)?.url ?? '')).toEqual({ limit: '10', offset: '10' });
    expect(textOf('.count')).toBe('25 entries');
  });
});

describe('KnowledgeList while entries are processing', () => {
  let fixture: ComponentFixture<KnowledgeList>;

  afterEach(() => vi.useRealTimers());

  /** The list on fake time (timers are installed first, so the live refresh runs on them too). */
  async function open(api: FakeApi): Promise<void> {
    vi.useFakeTimers();
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(withInterceptors([api.interceptor])), provideRecordingToasts()] });
    fixture = TestBed.createComponent(KnowledgeList);
    fixture.componentRef.setInput('tenant', 'acme');
    await elapse(0);
  }

  /** Lets `ms` of fake time pass, then renders. */
  async function elapse(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
    fixture.detectChanges();
  }

  const root = (): HTMLElement => fixture.nativeElement as HTMLElement;

  it('shows progress and reloads every 1.5 s until the entry has settled, then stops', async () => {
    const processing = anEntry({ id: 'entry-1', status: 'processing', chunk_count: 0 });
    const detail = aDetail({ ...processing }, [aDocument({ id: 'a', status: 'processing', progress: 40 }), aDocument({ id: 'b', status: 'ready' })]);
    const api = new FakeApi().on(INDEX, { body: anIndex([processing]) }).on('GET /routes/knowledge/acme/entry-1', { body: detail });
    await open(api);

    expect(root().querySelector('[data-testid=status]')?.textContent).toBe('Processing');
    const bar = root().querySelector('mat-progress-bar');
    expect(bar?.getAttribute('aria-label')).toBe('Processing Employee handbook');
    expect(bar?.getAttribute('aria-valuenow')).toBe('70');
    expect(indexCalls(api)).toHaveLength(1);

    await elapse(LIVE_REFRESH_MS - 1);
    expect(indexCalls(api)).toHaveLength(1);
    await elapse(1);
    expect(indexCalls(api)).toHaveLength(2);

    api.on(INDEX, { body: anIndex([{ ...processing, status: 'ready', chunk_count: 20 }]) });
    await elapse(LIVE_REFRESH_MS);

    expect(indexCalls(api)).toHaveLength(3);
    expect(root().querySelector('[data-testid=status]')?.textContent).toBe('Ready');
    expect(root().querySelector('mat-progress-bar')).toBeNull();
    await elapse(LIVE_REFRESH_MS * 5);
    expect(indexCalls(api)).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps reloading a queued entry, and stops when the list is destroyed', async () => {
    const queued = anEntry({ id: 'entry-1', status: 'queued', chunk_count: 0 });
    const api = new FakeApi().on(INDEX, { body: anIndex([queued]) }).on('GET /routes/knowledge/acme/entry-1', {
      body: aDetail({ ...queued }, [aDocument({ status: 'queued', progress: 0 })]),
    });
    await open(api);

    await elapse(LIVE_REFRESH_MS * 2);
    expect(indexCalls(api)).toHaveLength(3);

    fixture.destroy();
    await vi.advanceTimersByTimeAsync(LIVE_REFRESH_MS * 5);

    expect(indexCalls(api)).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not poll when every entry has settled (ready, failed, partial)', async () => {
    const api = new FakeApi().on(INDEX, {
      body: anIndex([anEntry({ id: 'r' }), anEntry({ id: 'f', status: 'failed' }), anEntry({ id: 'p', status: 'partial' })]),
    });
    await open(api);

    await elapse(LIVE_REFRESH_MS * 3);

    expect(indexCalls(api)).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
