import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestKey } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatChipInputHarness } from '@angular/material/chips/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { MatTabGroupHarness } from '@angular/material/tabs/testing';
import type { HarnessLoader } from '@angular/cdk/testing';
import type { KnowledgeEntryDetail } from '@business-brain/contract';
import type { RouterTestingHarness } from '@angular/router/testing';
import { beforeEach, describe, expect, it } from 'vitest';

import { createAppHarness } from '../testing/create-app-harness';
import { FakeApi } from '../testing/fake-api';
import { aDetail, anEntry, anIndex } from '../testing/fixtures';
import { RecordingToasts, provideRecordingToasts } from '../testing/recording-toasts';
import { RequestGate } from '../testing/request-gate';
import { CreateKnowledge } from './create-knowledge';

const CREATE = 'POST /routes/knowledge/acme';

describe('CreateKnowledge', () => {
  let api: FakeApi;
  let gate: RequestGate;
  let fixture: ComponentFixture<CreateKnowledge>;
  let loader: HarnessLoader;
  let saved: KnowledgeEntryDetail[];

  beforeEach(async () => {
    api = new FakeApi().on(CREATE, (request) => {
      const body = request.body as FormData | { title: string };
      const title = body instanceof FormData ? (body.get('title') as string) : body.title;
      return { status: 201, body: aDetail({ id: 'new-1', title, status: 'queued' }) };
    });
    gate = new RequestGate((method) => method === 'POST');
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([gate.interceptor, api.interceptor])), provideRecordingToasts()],
    });
    fixture = TestBed.createComponent(CreateKnowledge);
    fixture.componentRef.setInput('tenant', 'acme');
    saved = [];
    fixture.componentInstance.saved.subscribe((entry) => saved.push(entry));
    loader = TestbedHarnessEnvironment.loader(fixture);
    await fixture.whenStable();
  });

  const root = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const all = (selector: string): string[] => Array.from(root().querySelectorAll(selector), (e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? '');
  const saveButton = (): HTMLButtonElement => {
    const button = root().querySelector<HTMLButtonElement>('button[type="submit"]');
    if (!button) throw new Error('no save button');
    return button;
  };
  const posts = () => api.seen.filter((r) => r.method === 'POST');
  const toasts = () => TestBed.inject(RecordingToasts);

  async function save(): Promise<void> {
    saveButton().click();
    await fixture.whenStable();
  }

  async function describeEntry(title: string, type = 'Policy', intent = 'Onboarding', tags: string[] = []): Promise<void> {
    await (await loader.getHarness(MatInputHarness.with({ selector: '#create-title' }))).setValue(title);
    const typeSelect = await loader.getHarness(MatSelectHarness.with({ selector: '#create-type' }));
    await typeSelect.open();
    await typeSelect.clickOptions({ text: type });
    const intentSelect = await loader.getHarness(MatSelectHarness.with({ selector: '#create-intent' }));
    await intentSelect.open();
    await intentSelect.clickOptions({ text: intent });
    const tagInput = await loader.getHarness(MatChipInputHarness.with({ selector: '#create-tags' }));
    for (const tag of tags) {
      await tagInput.setValue(tag);
      await tagInput.sendSeparatorKey(TestKey.ENTER);
    }
  }

  async function openTab(label: 'Files' | 'URL' | 'Text'): Promise<void> {
    await (await loader.getHarness(MatTabGroupHarness)).selectTab({ label });
  }

  async function enterUrl(value: string): Promise<void> {
    await (await loader.getHarness(MatInputHarness.with({ selector: '#source-url' }))).setValue(value);
  }

  async function chooseFiles(...files: File[]): Promise<void> {
    const input = root().querySelector<HTMLInputElement>('#file-input');
    if (!input) throw new Error('no file input');
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  it('offers files, a web page and text as sources, files first', async () => {
    const tabs = await (await loader.getHarness(MatTabGroupHarness)).getTabs();

    expect(await Promise.all(tabs.map((t) => t.getLabel()))).toEqual(['Files', 'URL', 'Text']);
    expect(await tabs[0].isSelected()).toBe(true);
    expect(saveButton().textContent?.trim()).toBe('Save Knowledge');
    expect(root().querySelector('#file-input')?.getAttribute('accept')).toContain('.pdf');
  });

  it('refuses to save without a title, type, intent and source, says why and sends nothing', async () => {
    await save();

    expect(all('mat-error')).toEqual(['Title is required.', 'Choose a type.', 'Choose an intent.']);
    expect(all('[data-testid=source-error]')).toEqual(['Choose at least one file to upload.']);
    expect(posts()).toEqual([]);
    expect(saved).toEqual([]);
  });

  it('asks only for the title once the rest is filled in', async () => {
    await describeEntry('');
    await openTab('Text');
    await (await loader.getHarness(MatInputHarness.with({ selector: '#source-text' }))).setValue('Some text');

    await save();

    expect(all('mat-error')).toEqual(['Title is required.']);
    expect(all('[data-testid=source-error]')).toEqual([]);
    expect(posts()).toEqual([]);
  });

  it('treats a title of spaces as missing', async () => {
    await describeEntry('   ');
    await openTab('Text');
    await (await loader.getHarness(MatInputHarness.with({ selector: '#source-text' }))).setValue('Some text');

    await save();

    expect(all('mat-error')).toEqual(['Title is required.']);
    expect(posts()).toEqual([]);
  });

  it('refuses a file type it does not accept, explaining why, and keeps the file off the list', async () => {
    await chooseFiles(new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' }));

    const [message] = all('[data-testid=file-error]');
    expect(message).toContain('setup.exe');
    expect(message).toContain('not accepted');
    expect(message).toContain('PDF');
    expect(root().querySelector('ul.files')).toBeNull();
  });

  it('lists accepted files next to a refused one, and removes a file on request', async () => {
    await chooseFiles(new File(['# Notes'], 'notes.md', { type: 'text/markdown' }), new File([''], 'empty.txt', { type: 'text/plain' }));

    expect(all('ul.files .name')).toEqual(['notes.md']);
    expect(all('[data-testid=file-error]')).toEqual(['empty.txt is empty.']);

    root().querySelector<HTMLButtonElement>('button[aria-label="Remove notes.md"]')?.click();
    await fixture.whenStable();

    expect(root().querySelector('ul.files')).toBeNull();
    expect(all('[data-testid=file-error]')).toEqual([]);
  });

  it('uploads the chosen files with the metadata as one multipart request', async () => {
    await describeEntry('Handbook', 'Policy', 'Onboarding', ['HR', 'Benefits']);
    await chooseFiles(new File(['# Notes'], 'notes.md', { type: 'text/markdown' }), new File(['a,b'], 'table.csv', { type: 'text/csv' }));

    await save();
    gate.release();
    await fixture.whenStable();

    expect(posts()).toHaveLength(1);
    const body = posts()[0].body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect(body.get('title')).toBe('Handbook');
    expect(body.get('type')).toBe('Policy');
    expect(body.get('intent')).toBe('Onboarding');
    expect(body.getAll('tags')).toEqual(['hr', 'benefits']);
    expect(body.getAll('file').map((f) => (f as File).name)).toEqual(['notes.md', 'table.csv']);
    expect(saved.map((e) => e.id)).toEqual(['new-1']);
    expect(root().querySelector('ul.files')).toBeNull();
  });

  it('explains an invalid web address, then posts the corrected one as JSON', async () => {
    await describeEntry('  Careers page ', 'Reference', 'Support', ['Jobs Board']);
    await openTab('URL');
    await enterUrl('not a url');

    await save();

    expect(all('[data-testid=source-error]')).toEqual([
      'Enter a valid web address starting with http:// or https://, for example https://example.com/handbook.',
    ]);
    expect(root().querySelector('#source-url')?.getAttribute('aria-invalid')).toBe('true');
    expect(posts()).toEqual([]);

    await enterUrl('  https://example.com/careers  ');
    expect(all('[data-testid=source-error]')).toEqual([]);
    await save();
    gate.release();
    await fixture.whenStable();

    expect(posts()).toEqual([
      {
        method: 'POST',
        url: '/routes/knowledge/acme',
        body: { title: 'Careers page', type: 'Reference', intent: 'Support', tags: ['jobs-board'], url: 'https://example.com/careers' },
      },
    ]);
  });

  it('posts pasted text as JSON', async () => {
    await describeEntry('Notes');
    await openTab('Text');
    await (await loader.getHarness(MatInputHarness.with({ selector: '#source-text' }))).setValue('  Line one\nLine two ');

    await save();
    gate.release();
    await fixture.whenStable();

    expect(posts().map((r) => r.body)).toEqual([{ title: 'Notes', type: 'Policy', intent: 'Onboarding', tags: [], text: '  Line one\nLine two ' }]);
  });

  it('disables the button while saving, so a second click sends nothing more', async () => {
    await describeEntry('Careers');
    await openTab('URL');
    await enterUrl('https://example.com/careers');
    gate.close();

    // not whenStable(): it would wait for the held request
    saveButton().click();
    fixture.detectChanges();

    expect(saveButton().disabled).toBe(true);
    expect(saveButton().textContent?.trim()).toBe('Saving…');
    expect(root().querySelector<HTMLInputElement>('#create-title')?.disabled).toBe(true);
    saveButton().click();
    root().querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    fixture.detectChanges();

    gate.release();
    await fixture.whenStable();

    expect(posts()).toHaveLength(1);
    expect(saveButton().disabled).toBe(false);
  });

  it('shows the server’s refusal and its field problems, and lets the user try again', async () => {
    api.on(CREATE, {
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'The page could not be fetched.',
        request_id: 'r-1',
        details: [{ field: 'url', problems: ['must be a public address'] }],
      },
    });
    await describeEntry('Intranet');
    await openTab('URL');
    await enterUrl('http://10.0.0.1/wiki');

    await save();
    gate.release();
    await fixture.whenStable();

    expect(all('[data-testid=form-error]')).toEqual(['The page could not be fetched.']);
    expect(all('.server-error')).toEqual(['url: must be a public address']);
    expect(saveButton().disabled).toBe(false);
    expect(saveButton().textContent?.trim()).toBe('Save Knowledge');
    expect(await (await loader.getHarness(MatInputHarness.with({ selector: '#create-title' }))).getValue()).toBe('Intranet');
    expect(await (await loader.getHarness(MatInputHarness.with({ selector: '#create-title' }))).isDisabled()).toBe(false);
    expect(saved).toEqual([]);
    expect(toasts().successes).toEqual([]);

    api.on(CREATE, { status: 201, body: aDetail({ id: 'new-2', title: 'Intranet' }) });
    await enterUrl('https://example.com/wiki');
    await save();

    expect(all('[data-testid=form-error]')).toEqual([]);
    expect(all('.server-error')).toEqual([]);
    expect(saved.map((e) => e.id)).toEqual(['new-2']);
  });

  it('resets the form after a successful save and confirms it', async () => {
    await describeEntry('Careers', 'Reference', 'Support', ['jobs']);
    await openTab('URL');
    await enterUrl('https://example.com/careers');

    await save();
    gate.release();
    await fixture.whenStable();

    expect(toasts().successes).toEqual(['Saved “Careers”. It is being processed.']);
    expect(saved.map((e) => e.title)).toEqual(['Careers']);
    expect(await (await loader.getHarness(MatInputHarness.with({ selector: '#create-title' }))).getValue()).toBe('');
    expect(await (await loader.getHarness(MatInputHarness.with({ selector: '#source-url' }))).getValue()).toBe('');
    expect(await (await loader.getHarness(MatSelectHarness.with({ selector: '#create-type' }))).getValueText()).toBe('');
    expect(await (await loader.getHarness(MatSelectHarness.with({ selector: '#create-intent' }))).getValueText()).toBe('');
    expect(root().querySelectorAll('mat-chip-row')).toHaveLength(0);
    // a fresh form: no "required" messages until the next attempt
    expect(all('mat-error')).toEqual([]);
    expect(all('[data-testid=source-error]')).toEqual([]);
    expect(saveButton().disabled).toBe(false);
  });
});

describe('CreateKnowledge in the Build panel', () => {
  let harness: RouterTestingHarness;
  let api: FakeApi;

  beforeEach(async () => {
    api = new FakeApi()
      .on('GET /routes/knowledge/acme/index', { body: anIndex([]) })
      .on(CREATE, { status: 201, body: aDetail({ id: 'new-1', title: 'Careers', status: 'ready' }) });
    TestBed.configureTestingModule({ providers: [provideRecordingToasts()] });
    harness = await createAppHarness(api);
    await harness.navigateByUrl('/acme/context-builder');
    await harness.fixture.whenStable();
  });

  const root = (): HTMLElement => harness.fixture.nativeElement as HTMLElement;

  async function submit(): Promise<void> {
    root().querySelector<HTMLButtonElement>('bb-create-knowledge button[type="submit"]')?.click();
    await harness.fixture.whenStable();
  }

  async function choose(loader: HarnessLoader, id: string, option: string): Promise<void> {
    const select = await loader.getHarness(MatSelectHarness.with({ selector: id }));
    await select.open();
    await select.clickOptions({ text: option });
  }

  it('puts the focus on the title when nothing is filled in', async () => {
    await submit();

    expect(document.activeElement?.id).toBe('create-title');
  });

  // The focus selector used to match any input inside the (invalid) metadata group, so the valid title won.
  it('puts the focus on the type when the title is there but the type is missing', async () => {
    const loader = TestbedHarnessEnvironment.loader(harness.fixture);
    await (await loader.getHarness(MatInputHarness.with({ selector: '#create-title' }))).setValue('Careers');

    await submit();

    expect(document.activeElement?.id).toBe('create-type');
  });

  it('puts the focus on the web address when only the address is wrong', async () => {
    const loader = TestbedHarnessEnvironment.loader(harness.fixture);
    await (await loader.getHarness(MatInputHarness.with({ selector: '#create-title' }))).setValue('Careers');
    await choose(loader, '#create-type', 'Reference');
    await choose(loader, '#create-intent', 'Support');
    await (await loader.getHarness(MatTabGroupHarness)).selectTab({ label: 'URL' });
    await (await loader.getHarness(MatInputHarness.with({ selector: '#source-url' }))).setValue('not a url');

    await submit();

    expect(document.activeElement?.id).toBe('source-url');
  });

  it('reloads the list after a save, so the new entry appears', async () => {
    const root = harness.fixture.nativeElement as HTMLElement;
    const loader = TestbedHarnessEnvironment.loader(harness.fixture);
    expect(root.querySelector('[data-testid=list-empty]')).not.toBeNull();
    const indexCalls = () => api.seen.filter((r) => r.url.startsWith('/routes/knowledge/acme/index')).length;
    const before = indexCalls();

    api.on('GET /routes/knowledge/acme/index', { body: anIndex([anEntry({ id: 'new-1', title: 'Careers' })]) });
    await (await loader.getHarness(MatInputHarness.with({ selector: '#create-title' }))).setValue('Careers');
    for (const [id, option] of [['#create-type', 'Reference'], ['#create-intent', 'Support']]) {
      const select = await loader.getHarness(MatSelectHarness.with({ selector: id }));
      await select.open();
      await select.clickOptions({ text: option });
    }
    await (await loader.getHarness(MatTabGroupHarness)).selectTab({ label: 'URL' });
    await (await loader.getHarness(MatInputHarness.with({ selector: '#source-url' }))).setValue('https://example.com/careers');
    root.querySelector<HTMLButtonElement>('bb-create-knowledge button[type="submit"]')?.click();
    await harness.fixture.whenStable();

    expect(api.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(indexCalls()).toBe(before + 1);
    expect(Array.from(root.querySelectorAll('[data-testid=entry-row] a'), (a) => a.textContent?.trim())).toEqual(['Careers']);
  });
});
