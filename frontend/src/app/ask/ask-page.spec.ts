import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { TestBed } from '@angular/core/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { Router } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import type { AnswerEvent } from '@business-brain/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { UNREACHABLE_MESSAGE } from '../core/api/api-error';
import { createAppHarness } from '../testing/create-app-harness';
import { domCondition } from '../testing/dom-condition';
import { apiErrorResponse, eventStreamResponse, manualEventStream, sseFrame } from '../testing/event-stream';
import { FakeApi } from '../testing/fake-api';
import { aContextSource, anExtractiveAnswer } from '../testing/fixtures';

const wire = (events: AnswerEvent[]) => events.map((e) => sseFrame(e.event, e.data)).join('');

describe('AskPage', () => {
  let harness: RouterTestingHarness;
  let fetchMock: ReturnType<typeof vi.fn<typeof fetch>>;

  beforeEach(async () => {
    fetchMock = vi.fn<typeof fetch>();
    vi.stubGlobal('fetch', fetchMock);
    harness = await createAppHarness(new FakeApi());
    await harness.navigateByUrl('/acme/context-builder/ask');
    await harness.fixture.whenStable();
  });

  afterEach(() => vi.unstubAllGlobals());

  const root = (): HTMLElement => harness.fixture.nativeElement as HTMLElement;
  const text = (selector: string) => root().querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  /** The answer's words, ignoring the whitespace the template puts around citation links (see the BUG test below). */
  const answerWords = () => text('[data-testid=answer] .text')?.replace(/ ([.,])/g, '$1') ?? null;
  const askButton = () => Array.from(root().querySelectorAll<HTMLButtonElement>('form.ask button')).find((b) => b.textContent?.trim() === 'Ask');
  const stopButton = () => Array.from(root().querySelectorAll<HTMLButtonElement>('form.ask button')).find((b) => b.textContent?.trim() === 'Stop');
  /** The answer has finished (or failed): the answer region is no longer busy. */
  const answered = async () => {
    await domCondition(root(), () => root().querySelector('[data-testid=answer]')?.getAttribute('aria-busy') === 'false');
    await harness.fixture.whenStable();
  };

  async function ask(question: string): Promise<void> {
    await (await TestbedHarnessEnvironment.loader(harness.fixture).getHarness(MatInputHarness.with({ selector: '#question' }))).setValue(question);
    askButton()?.click();
  }

  it('shows an extractive answer: the label, the text with numbered citations, and the sources', async () => {
    const events = wire(anExtractiveAnswer());
    fetchMock.mockResolvedValue(eventStreamResponse([events.slice(0, 100), events.slice(100, 250), events.slice(250)]));

    await ask('When do I get a laptop?');
    await answered();

    expect(text('[data-testid=extractive-label]')).toContain('Extractive answer');
    expect(answerWords()).toBe('Laptops are handed out on day one 1. Ask IT for access 2.');
    const inline = Array.from(root().querySelectorAll<HTMLAnchorElement>('[data-testid=answer] a.cite'));
    expect(inline.map((a) => a.getAttribute('aria-label'))).toEqual(['Source 1: source-1.pdf, page 2', 'Source 2: https://example.com/faq']);
    expect(inline.map((a) => a.getAttribute('href'))).toEqual([
      '/acme/context-builder/entries/entry-1?document=doc-1&page=2',
      '/acme/context-builder/entries/entry-2?document=doc-2',
    ]);
    const chips = Array.from(root().querySelectorAll<HTMLAnchorElement>('[data-testid=citations] a'));
    expect(chips.map((a) => a.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '1 Source 1 — source-1.pdf, page 2',
      '2 Source 2 — https://example.com/faq',
    ]);
    expect(chips.map((a) => a.getAttribute('href'))).toEqual([
      '/acme/context-builder/entries/entry-1?document=doc-1&page=2',
      '/acme/context-builder/entries/entry-2?document=doc-2',
    ]);
    expect(text('.model')).toBe('Written by extraction (no model)');
    expect(root().querySelector('[data-testid=ask-error]')).toBeNull();
    expect(askButton()?.disabled).toBe(false);
  });

  it('posts the trimmed question to the tenant’s answer stream, without a token in development mode', async () => {
    fetchMock.mockResolvedValue(eventStreamResponse([wire(anExtractiveAnswer())]));

    await ask('  When do I get a laptop?  ');
    await answered();

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/routes/knowledge/acme/answer');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({ question: 'When do I get a laptop?' });
    expect(new Headers(init?.headers).has('Authorization')).toBe(false);
  });

  it('shows a generated answer without the extractive label, naming the model; an unknown citation stays plain', async () => {
    const sources = [aContextSource(1)];
    fetchMock.mockResolvedValue(
      eventStreamResponse([
        wire([
          { event: 'context', data: { sources, tokens: 50, model: 'gpt-test', extractive: false } },
          { event: 'delta', data: { text: 'Yes [1], and see [3].' } },
          { event: 'citations', data: { citations: sources } },
          { event: 'done', data: { model: 'gpt-test', extractive: false, usage: { prompt_tokens: 50, completion_tokens: 7 } } },
        ]),
      ]),
    );

    await ask('Is it true?');
    await answered();

    expect(root().querySelector('[data-testid=extractive-label]')).toBeNull();
    expect(answerWords()).toBe('Yes 1, and see [3].');
    expect(root().querySelectorAll('[data-testid=answer] a.cite')).toHaveLength(1);
    expect(text('.model')).toBe('Written by gpt-test');
  });

  // Each answer segment used to sit on its own template line, which rendered as a space around citations.
  it('renders the answer without spaces the server did not send around citations', async () => {
    fetchMock.mockResolvedValue(eventStreamResponse([wire(anExtractiveAnswer())]));

    await ask('When do I get a laptop?');
    await answered();

    expect(text('[data-testid=answer] .text')).toBe('Laptops are handed out on day one 1. Ask IT for access 2.');
  });

  it('shows the answer as it streams in, and Stop ends it without an error', async () => {
    const stream = manualEventStream();
    fetchMock.mockResolvedValue(stream.response);

    await ask('Tell me everything');
    await domCondition(root(), () => stopButton() !== undefined);

    expect(askButton()?.disabled).toBe(true);
    expect(root().querySelector('[data-testid=answer] mat-progress-bar')).not.toBeNull();

    stream.send(wire([anExtractiveAnswer()[0], { event: 'delta', data: { text: 'First part' } }]));
    await domCondition(root(), () => text('[data-testid=answer] .text') === 'First part');
    expect(root().querySelector('[data-testid=answer] mat-progress-bar')).toBeNull();
    expect(root().querySelector('[data-testid=answer]')?.getAttribute('aria-busy')).toBe('true');

    stopButton()?.click();
    stream.fail(new DOMException('The operation was aborted.', 'AbortError'));
    await answered();

    const signal = fetchMock.mock.calls[0][1]?.signal;
    expect(signal?.aborted).toBe(true);
    expect(stopButton()).toBeUndefined();
    expect(askButton()?.disabled).toBe(false);
    expect(text('[data-testid=answer] .text')).toBe('First part');
    expect(root().querySelector('[data-testid=ask-error]')).toBeNull();
  });

  it('shows an error the server streams after it started, keeping what was written', async () => {
    fetchMock.mockResolvedValue(
      eventStreamResponse([
        wire([
          anExtractiveAnswer()[0],
          { event: 'delta', data: { text: 'Half an answer' } },
          { event: 'error', data: { error: 'Bad Gateway', message: 'The language model did not answer.', request_id: 'r-1' } },
        ]),
      ]),
    );

    await ask('Why?');
    await answered();

    expect(text('[data-testid=ask-error]')).toBe('The answer stopped: The language model did not answer.');
    expect(root().querySelector('[data-testid=ask-error]')?.getAttribute('role')).toBe('alert');
    expect(text('[data-testid=answer] .text')).toBe('Half an answer');
  });

  it('shows the server’s message when it refuses the question', async () => {
    fetchMock.mockResolvedValue(apiErrorResponse(409, 'Nothing in this knowledge base is ready yet.', 'Conflict'));

    await ask('Why?');
    await answered();

    expect(text('[data-testid=ask-error]')).toBe('Nothing in this knowledge base is ready yet.');
    expect(askButton()?.disabled).toBe(false);
  });

  it('says the server cannot be reached when fetch fails', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));

    await ask('Why?');
    await answered();

    expect(text('[data-testid=ask-error]')).toBe(UNREACHABLE_MESSAGE);
  });

  it('clears the previous answer and error when asking again', async () => {
    fetchMock.mockResolvedValueOnce(apiErrorResponse(503, 'Try later.'));
    await ask('First?');
    await answered();
    expect(text('[data-testid=ask-error]')).toBe('Try later.');

    fetchMock.mockResolvedValueOnce(eventStreamResponse([wire(anExtractiveAnswer())]));
    await ask('Second?');
    await domCondition(root(), () => root().querySelector('[data-testid=citations]') !== null);
    await answered();

    expect(root().querySelector('[data-testid=ask-error]')).toBeNull();
    expect(answerWords()).toBe('Laptops are handed out on day one 1. Ask IT for access 2.');
  });

  it('asks for a question instead of sending an empty one', async () => {
    await ask('   ');
    await harness.fixture.whenStable();

    expect(text('[data-testid=ask-error]')).toBe('Type a question.');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(root().querySelector('[data-testid=answer]')).toBeNull();
  });

  it('asks with Ctrl+Enter in the question field', async () => {
    fetchMock.mockResolvedValue(eventStreamResponse([wire(anExtractiveAnswer())]));
    await (await TestbedHarnessEnvironment.loader(harness.fixture).getHarness(MatInputHarness.with({ selector: '#question' }))).setValue('Shortcut?');

    root().querySelector('#question')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    await answered();

    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('opens the cited entry from a source link', async () => {
    fetchMock.mockResolvedValue(eventStreamResponse([wire(anExtractiveAnswer())]));
    await ask('When do I get a laptop?');
    await answered();

    root().querySelector<HTMLAnchorElement>('[data-testid=citations] a')?.click();
    await harness.fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/acme/context-builder/entries/entry-1?document=doc-1&page=2');
  });
});
