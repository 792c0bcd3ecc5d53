import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';

import type { Browser, Page } from 'playwright-core';

import { BackendServer } from './support/backend-server';
import { launchBrowser, openPage, screenshot, seriousAccessibilityViolations, type WatchedPage } from './support/browser';
import { executable, handbookPdf } from './support/fixtures';

/**
 * The deployment guide's post-deployment checks of the context builder, in a real browser against
 * the real backend serving the production build: tenant context, list, upload to ready, isolation,
 * refused input with recovery, search with a citation that opens the entry; then ask, edit,
 * delete, a lost backend, and accessibility. Each test asserts no console errors and saves a screenshot.
 */
describe('context builder (Chromium, production build, embedded database)', () => {
  const backend = new BackendServer();
  let browser: Browser;
  let web: WatchedPage;
  let page: Page;
  let pageServer: Server;
  let pageUrl = '';

  beforeAll(async () => {
    await backend.start();
    browser = await launchBrowser();
    // a web page on loopback for the URL source
    pageServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>Returns policy</title></head><body><main><h1>Returns policy</h1><p>Customers may return unopened products within fourteen days for a full refund of the purchase price.</p></main></body></html>');
    });
    await new Promise<void>((done) => pageServer.listen(0, '127.0.0.1', done));
    const address = pageServer.address();
    pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/returns`;
  });

  beforeEach(async () => {
    web = await openPage(browser);
    page = web.page;
  });

  afterEach(async () => {
    const name = (expect.getState().currentTestName ?? 'test').replace(/^context builder \(.*?\) /, '');
    await screenshot(page, name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 80));
    await web.close();
  });

  afterAll(async () => {
    await browser?.close();
    await backend.dispose();
    await new Promise((done) => pageServer?.close(done));
  });

  const builder = (tenant: string) => `${backend.baseUrl}/${tenant}/context-builder`;

  async function chooseOption(select: string, option: string): Promise<void> {
    await page.click(select);
    await page.click(`mat-option:has-text("${option}")`);
  }

  it('shows the tenant context and loads the list (GET /routes/knowledge/acme/index answers 200)', async () => {
    const index = page.waitForResponse((res) => new URL(res.url()).pathname === '/routes/knowledge/acme/index');
    await page.goto(builder('acme'));
    expect((await index).status()).toBe(200);
    await expect(page.textContent('[data-testid=tenant-name]')).resolves.toContain('acme');
    await page.waitForSelector('[data-testid=list-empty]');
    await expect(page.textContent('h1')).resolves.toContain('acme');
    await expect(page.isVisible('[data-testid=dev-banner]')).resolves.toBe(true);
    await expect(page.title()).resolves.toBe('Context builder — acme · Business Brain');
    expect(web.errors).toEqual([]);
  });

  it('uploads a PDF: toast, listed, processed to ready', async () => {
    await page.goto(builder('acme'));
    await page.waitForSelector('[data-testid=list-empty]');
    await page.setInputFiles('#file-input', await handbookPdf());
    await page.fill('#create-title', 'Test Knowledge Base');
    await chooseOption('#create-type', 'Technical');
    await chooseOption('#create-intent', 'Reference');
    await page.fill('#create-tags', 'test');
    await page.keyboard.press('Enter');
    const created = page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/routes/knowledge/acme');
    await page.click('button:has-text("Save Knowledge")');
    expect((await created).status()).toBe(202);
    await page.waitForSelector('mat-snack-bar-container:has-text("Saved “Test Knowledge Base”")');
    const row = page.locator('[data-testid=entry-row]', { hasText: 'Test Knowledge Base' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Technical\s*Reference\s*test/);
    // live status: the list follows processing without a reload
    await row.locator('[data-testid=status]', { hasText: 'Ready' }).waitFor();
    await expect(row.locator('td').nth(6).textContent()).resolves.toMatch(/[1-9]/);
    // the form is reset for the next source
    await expect(page.inputValue('#create-title')).resolves.toBe('');
    expect(web.errors).toEqual([]);
  });

  it('keeps tenants apart: another organisation does not see the entry', async () => {
    const index = page.waitForResponse((res) => new URL(res.url()).pathname === '/routes/knowledge/globex/index');
    await page.goto(builder('globex'));
    const body = (await (await index).json()) as { total_count: number };
    expect(body.total_count).toBe(0);
    await page.waitForSelector('[data-testid=list-empty]');
    await expect(page.textContent('[data-testid=tenant-name]')).resolves.toContain('globex');
    await expect(page.locator('text=Test Knowledge Base').count()).resolves.toBe(0);
    // nor finds it by search
    await page.goto(`${builder('globex')}/search`);
    await page.fill('#search-query', 'annual leave');
    await page.click('button[type=submit]:has-text("Search")');
    await page.waitForSelector('text=0 results');
    expect(web.errors).toEqual([]);
  });

  it('refuses bad input with a message, and the user can correct it and retry', async () => {
    await page.goto(builder('acme'));
    await page.waitForSelector('[data-testid=entry-row]');
    // an executable is refused before upload
    await page.setInputFiles('#file-input', executable());
    await expect(page.textContent('[data-testid=file-error]')).resolves.toContain('setup.exe: this file type is not accepted');
    // saving without a title says so, and sends nothing
    let posted = 0;
    page.on('request', (req) => {
      if (req.method() === 'POST') posted += 1;
    });
    await page.click('div[role=tab]:has-text("URL")');
    await page.fill('#source-url', 'not a web address');
    await page.click('button:has-text("Save Knowledge")');
    await expect(page.textContent('mat-error')).resolves.toContain('Title is required.');
    await expect(page.textContent('[data-testid=source-error]')).resolves.toContain('Enter a valid web address');
    expect(posted).toBe(0);
    await screenshot(page, 'refused-input-messages');
    // corrected: saved
    await page.fill('#create-title', 'Returns policy');
    await chooseOption('#create-type', 'Policy');
    await chooseOption('#create-intent', 'Support');
    await page.fill('#source-url', pageUrl);
    await page.click('button:has-text("Save Knowledge")');
    await page.waitForSelector('mat-snack-bar-container:has-text("Saved “Returns policy”")');
    const row = page.locator('[data-testid=entry-row]', { hasText: 'Returns policy' });
    await row.locator('[data-testid=status]', { hasText: 'Ready' }).waitFor();
    expect(posted).toBe(1);
    expect(web.errors).toEqual([]);
  });

  it('finds the uploaded text, and its citation opens the entry at the cited page', async () => {
    await page.goto(`${builder('acme')}/search`);
    await page.fill('#search-query', 'annual leave');
    await page.click('button[type=submit]:has-text("Search")');
    const first = page.locator('[data-testid=search-result]').first();
    await first.waitFor();
    await expect(first.locator('h3').textContent()).resolves.toContain('Test Knowledge Base');
    await expect(first.locator('mark').first().textContent()).resolves.toMatch(/annual|leave/i);
    await expect(first.locator('[data-testid=citation]').textContent()).resolves.toMatch(/handbook\.pdf, pages? 1/);
    await first.locator('[data-testid=citation]').click();
    await page.waitForSelector('[data-testid=entry-title]:has-text("Test Knowledge Base")');
    expect(new URL(page.url()).pathname).toMatch(/^\/acme\/context-builder\/entries\/[0-9a-f-]{36}$/);
    await page.waitForSelector('[data-testid=chunks] li.highlight:has-text("twenty-five days")');
    expect(web.errors).toEqual([]);
  });

  it('streams an answer to a question, labelled extractive, with citation chips that open the entry', async () => {
    await page.goto(`${builder('acme')}/ask`);
    await page.fill('#question', 'How many days of annual leave do new employees get?');
    await page.click('button[type=submit]:has-text("Ask")');
    await page.waitForSelector('[data-testid=citations]');
    await expect(page.isVisible('[data-testid=extractive-label]')).resolves.toBe(true);
    await expect(page.textContent('[data-testid=answer] .text')).resolves.toContain('twenty-five days');
    await page.locator('[data-testid=citations] a').first().click();
    await page.waitForSelector('[data-testid=entry-title]:has-text("Test Knowledge Base")');
    expect(web.errors).toEqual([]);
  });

  it('edits an entry and deletes another after confirmation', async () => {
    await page.goto(builder('acme'));
    await page.click('[data-testid=entry-row] a:has-text("Returns policy")');
    await page.waitForSelector('[data-testid=entry-title]:has-text("Returns policy")');
    await page.waitForSelector('[data-testid=chunks] li:has-text("fourteen days")');
    await page.click('button:has-text("Edit details")');
    await page.fill('#edit-title', 'Returns policy 2026');
    await page.click('button:has-text("Save changes")');
    await page.waitForSelector('[data-testid=entry-title]:has-text("Returns policy 2026")');
    await page.click('button:has-text("Delete entry")');
    await page.click('mat-dialog-container button:has-text("Delete")');
    await page.waitForSelector('mat-snack-bar-container:has-text("Deleted “Returns policy 2026”")');
    expect(new URL(page.url()).pathname).toBe('/acme/context-builder');
    await page.waitForSelector('[data-testid=entry-row]:has-text("Test Knowledge Base")');
    await expect(page.locator('[data-testid=entry-row]', { hasText: 'Returns policy' }).count()).resolves.toBe(0);
    expect(web.errors).toEqual([]);
  });

  it('says when the backend is lost, and recovers when it is back', async () => {
    await page.goto(builder('acme'));
    await page.waitForSelector('[data-testid=entry-row]:has-text("Test Knowledge Base")');
    await backend.stop();
    await page.fill('#filter-q', 'Test');
    await page.waitForSelector('[data-testid=offline-banner]');
    await page.waitForSelector('[data-testid=list-error]');
    await backend.start();
    // the app asks /health every few seconds; once it answers the banner goes and the list reloads
    await page.waitForSelector('[data-testid=offline-banner]', { state: 'detached' });
    await page.waitForSelector('[data-testid=list-error]', { state: 'detached' });
    await page.waitForSelector('[data-testid=entry-row]:has-text("Test Knowledge Base")');
    // the only console errors are the browser's own reports of the refused connections
    expect(web.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });

  it('loads at most 350 kB of compressed JavaScript for the context builder, and no Clerk without a key', async () => {
    const scripts = new Map<string, number>();
    page.on('response', async (res) => {
      if (res.request().resourceType() !== 'script') return;
      const body = await res.body();
      scripts.set(new URL(res.url()).pathname, gzipSync(body).length);
    });
    await page.goto(builder('acme'));
    await page.waitForSelector('[data-testid=entry-row]');
    await page.waitForLoadState('networkidle');
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`context builder JavaScript: ${scripts.size} files, ${(total / 1000).toFixed(1)} kB gzip (budget 350 kB)\n`);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(350_000);
    // the Clerk chunk (about 500 kB compressed) is fetched only when a publishable key is configured
    const clerkChunk = await page.evaluate(() => performance.getEntriesByType('resource').some((e) => /clerk/i.test(e.name)));
    expect(clerkChunk).toBe(false);
    expect(web.errors).toEqual([]);
  });

  it.each([
    ['home', '/'],
    ['build', '/acme/context-builder'],
    ['search', '/acme/context-builder/search'],
    ['ask', '/acme/context-builder/ask'],
  ])('has no serious accessibility violations (axe-core): %s', async (_name, path) => {
    await page.goto(`${backend.baseUrl}${path}`);
    await page.waitForSelector('main#main h1');
    if (path.endsWith('/search')) {
      await page.fill('#search-query', 'annual leave');
      await page.click('button[type=submit]:has-text("Search")');
      await page.waitForSelector('[data-testid=search-result]');
    }
    if (path.endsWith('/ask')) {
      await page.fill('#question', 'How many days of annual leave?');
      await page.click('button[type=submit]:has-text("Ask")');
      await page.waitForSelector('[data-testid=citations]');
    }
    if (path.endsWith('/context-builder')) await page.waitForSelector('[data-testid=entry-row]');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(web.errors).toEqual([]);
  });

  it('runs under the content security policy: no inline script, frames denied, no violation reported', async () => {
    const response = await page.goto(builder('acme'));
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['x-frame-options']).toBe('DENY');
    await page.waitForSelector('[data-testid=entry-row]');
    // an inline script is refused by the policy, and the browser says so on the console
    const inline = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.appendChild(script);
      return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
    });
    expect(inline).toBe(false);
    expect(web.errors.some((e) => /Content Security Policy/.test(e))).toBe(true);
    expect(web.errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
    web.errors.length = 0;
  });

  it('Swagger UI at /docs loads under the same policy', async () => {
    const response = await page.goto(`${backend.baseUrl}/docs`);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    await page.waitForSelector('.swagger-ui .info .title');
    await page.waitForSelector('.opblock');
    expect(web.errors).toEqual([]);
  });

  it('has no serious accessibility violations (axe-core): entry detail', async () => {
    await page.goto(builder('acme'));
    await page.click('[data-testid=entry-row] a:has-text("Test Knowledge Base")');
    await page.waitForSelector('[data-testid=chunks] li');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(web.errors).toEqual([]);
  });
});
