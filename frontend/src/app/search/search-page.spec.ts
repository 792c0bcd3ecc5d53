import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import type { HarnessLoader } from '@angular/cdk/testing';
import { TestBed } from '@angular/core/testing';
import { MatButtonToggleHarness } from '@angular/material/button-toggle/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { Router } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import type { SearchResponse } from '@business-brain/contract';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { createAppHarness } from '../testing/create-app-harness';
import { FakeApi } from '../testing/fake-api';
import { aSearchResult } from '../testing/fixtures';

const SEARCH = 'POST /routes/knowledge/acme/search';

const found: SearchResponse = {
  results: [
    aSearchResult(),
    aSearchResult({
      chunk_id: 'chunk-2',
      knowledge_base_id: 'entry-2',
      title: 'FAQ',
      type: 'Reference',
      intent: 'Support',
      document_id: 'doc-9',
      filename: null,
      source_url: 'https://example.com/faq',
      position: 0,
      page_start: null,
      page_end: null,
      score: 0.5,
      snippet: 'Ask IT for a <mark>laptop</mark> &amp; a badge.',
    }),
    aSearchResult({ chunk_id: 'chunk-3', knowledge_base_id: 'entry-3', document_id: 'doc-3', filename: null, source_url: null, position: 7, page_start: 4, page_end: 6 }),
  ],
  took_ms: 12,
  mode: 'hybrid',
  embedding_model: 'test-embedding',
};

describe('SearchPage', () => {
  let api: FakeApi;
  let harness: RouterTestingHarness;
  let loader: HarnessLoader;

  beforeEach(async () => {
    api = new FakeApi().on(SEARCH, { body: found });
    harness = await createAppHarness(api);
    await harness.navigateByUrl('/acme/context-builder/search');
    await harness.fixture.whenStable();
    loader = TestbedHarnessEnvironment.loader(harness.fixture);
  });

  const root = (): HTMLElement => harness.fixture.nativeElement as HTMLElement;
  const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const results = () => Array.from(root().querySelectorAll('[data-testid=search-result]'));
  const posts = () => api.seen.filter((r) => r.method === 'POST');

  async function search(query: string): Promise<void> {
    await (await loader.getHarness(MatInputHarness.with({ selector: '#search-query' }))).setValue(query);
    root().querySelector<HTMLButtonElement>('form.search button[type="submit"]')?.click();
    await harness.fixture.whenStable();
  }

  it('renders the search page inside the context builder', () => {
    expect(root().querySelector('bb-search-page #search-query')).not.toBeNull();
  });

  it('posts the trimmed query in hybrid mode without filters by default', async () => {
    await search('  laptop  ');

    expect(posts()).toEqual([{ method: 'POST', url: '/routes/knowledge/acme/search', body: { query: 'laptop', mode: 'hybrid', top_k: 20, filters: {} } }]);
  });

  it('posts the chosen mode and filters', async () => {
    await (await loader.getHarness(MatButtonToggleHarness.with({ text: 'keyword' }))).check();
    const types = await loader.getHarness(MatSelectHarness.with({ selector: '#search-type' }));
    await types.open();
    await types.clickOptions({ text: 'Policy' });
    await types.clickOptions({ text: 'Process' });
    await types.close();
    const intents = await loader.getHarness(MatSelectHarness.with({ selector: '#search-intent' }));
    await intents.open();
    await intents.clickOptions({ text: 'Onboarding' });
    await intents.close();
    await (await loader.getHarness(MatInputHarness.with({ selector: '#search-tags' }))).setValue('HR, Onboarding Docs, ,');

    await search('"first day" -holiday');

    expect(posts().map((r) => r.body)).toEqual([
      {
        query: '"first day" -holiday',
        mode: 'keyword',
        top_k: 20,
        filters: { type: ['Policy', 'Process'], intent: ['Onboarding'], tags: ['hr', 'onboarding-docs'] },
      },
    ]);
  });

  it('lists the results with their highlighted snippets, scores and a summary', async () => {
    await search('laptop');

    expect(text(root().querySelector('.summary'))).toBe('3 results (hybrid, 12 ms)');
    expect(results()).toHaveLength(3);
    const [first, second] = results();
    expect(text(first.querySelector('h3'))).toBe('Employee handbook');
    expect(first.querySelector('.snippet')?.innerHTML).toBe('New staff get a <mark>laptop</mark> on their first day.');
    expect(Array.from(first.querySelectorAll('mark'), (m) => m.textContent)).toEqual(['laptop']);
    expect(text(first.querySelector('.score'))).toBe('score 0.877');
    expect(text(first.querySelector('.meta span'))).toBe('Policy · Onboarding');
    // the server escapes the content: an escaped ampersand stays text
    expect(second.querySelector('.snippet')?.textContent).toBe('Ask IT for a laptop & a badge.');
  });

  it('cites each result’s document, chunk and page with a link into its entry', async () => {
    await search('laptop');

    const citations = results().map((r) => r.querySelector<HTMLAnchorElement>('[data-testid=citation]'));
    expect(citations.map((c) => text(c))).toEqual(['handbook.pdf, page 3', 'https://example.com/faq', 'pasted text, pages 4-6']);
    expect(citations.map((c) => c?.getAttribute('href'))).toEqual([
      '/acme/context-builder/entries/entry-1?document=doc-1&chunk=14&page=3',
      '/acme/context-builder/entries/entry-2?document=doc-9&chunk=0',
      '/acme/context-builder/entries/entry-3?document=doc-3&chunk=7&page=4',
    ]);
    expect(results()[0].querySelector('h3 a')?.getAttribute('href')).toBe('/acme/context-builder/entries/entry-1?document=doc-1&chunk=14&page=3');
  });

  it('opens the cited entry at the cited place when a citation is followed', async () => {
    await search('laptop');

    results()[0].querySelector<HTMLAnchorElement>('[data-testid=citation]')?.click();
    await harness.fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/acme/context-builder/entries/entry-1?document=doc-1&chunk=14&page=3');
    expect(root().querySelector('bb-entry-detail-page')).not.toBeNull();
    expect(root().querySelector('bb-search-page')).toBeNull();
  });

  it('keeps markup other than the highlights out of a snippet', async () => {
    api.on(SEARCH, { body: { ...found, results: [aSearchResult({ snippet: 'Hi <img src="x" onerror="window.pwned = true"><mark>there</mark>' })] } });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    await search('there');

    const snippet = results()[0].querySelector('.snippet');
    expect(snippet?.querySelector('mark')?.textContent).toBe('there');
    expect(snippet?.querySelector('[onerror]')).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('sanitizing HTML stripped some content'));
    warn.mockRestore();
  });

  it('says so when nothing matches', async () => {
    api.on(SEARCH, { body: { ...found, results: [], mode: 'keyword' } });

    await search('zebra');

    expect(text(root().querySelector('.summary'))).toBe('0 results (keyword, 12 ms)');
    expect(text(root().querySelector('.results .empty'))).toBe('Nothing matches. Try other words, another mode, or fewer filters.');
  });

  it('asks for a query instead of searching for nothing', async () => {
    await search('   ');

    expect(text(root().querySelector('[data-testid=search-error]'))).toBe('Type what you are looking for.');
    expect(posts()).toEqual([]);
  });

  it('shows the server’s message when the search fails, and lets the user search again', async () => {
    api.on(SEARCH, { status: 409, body: { statusCode: 409, error: 'Conflict', message: 'Nothing is ready to search yet.', request_id: 'r' } });

    await search('laptop');

    expect(text(root().querySelector('[data-testid=search-error]'))).toBe('Nothing is ready to search yet.');
    expect(root().querySelector('[data-testid=search-error]')?.getAttribute('role')).toBe('alert');
    expect(root().querySelector<HTMLButtonElement>('form.search button[type="submit"]')?.disabled).toBe(false);

    api.on(SEARCH, { body: found });
    await search('laptop');

    expect(root().querySelector('[data-testid=search-error]')).toBeNull();
    expect(results()).toHaveLength(3);
  });
});
