import { extractDocument } from '../../src/extraction/extract-document.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/extraction/extraction-limits.js';
import { extractHtml } from '../../src/extraction/html-extractor.js';
import { ARTICLE_PAGE } from '../support/fixtures/html-fixtures.js';
import { encodeSingleByte } from '../support/fixtures/text-fixtures.js';

describe('HTML extraction', () => {
  it('keeps the main content with its structure and drops menus, scripts, styles, sidebars and footers', async () => {
    const doc = await extractDocument(Buffer.from(ARTICLE_PAGE), { filename: 'refunds.html' }, DEFAULT_EXTRACTION_LIMITS);
    expect(doc).toMatchObject({ format: 'html', mimeType: 'text/html', title: 'Refund policy | Acme Store', encoding: 'utf-8' });
    expect(doc.text).toContain('# Refund policy');
    expect(doc.text).toContain('Customers can request a refund within 30 days of purchase.');
    expect(doc.text).toContain('## Exceptions\n\n- Gift cards\n- Custom orders\n  - Engraved items');
    expect(doc.text).toContain('| Plan | Window |\n| --- | --- |\n| Basic | 14 days |\n| Premium | 60 days |');
    for (const marker of ['SCRIPT_MARKER', 'STYLE_MARKER', 'NAV_MARKER', 'ASIDE_MARKER', 'FOOTER_MARKER', 'NOSCRIPT_MARKER', 'Shop']) {
      expect(doc.text).not.toContain(marker);
    }
  });

  it('falls back to the body without page chrome when Readability finds no article', () => {
    const html =
      '<html><head><title>Tiny</title></head><body><header>HEADER_MARKER</header><nav>Menu</nav>' +
      '<p>Opening hours: 9 to 5.</p><footer>FOOTER_MARKER</footer></body></html>';
    const { text, title } = extractHtml(html);
    expect(title).toBe('Tiny');
    expect(text).toBe('Opening hours: 9 to 5.');
  });

  it('renders fragments without <html> and keeps line breaks', () => {
    expect(extractHtml('<p>Line one<br>Line two</p><ol start="3"><li>three</li><li>four</li></ol>').text).toBe(
      'Line one\nLine two\n\n3. three\n4. four',
    );
  });

  it('renders quotes, preformatted text and pipes inside table cells', () => {
    const html =
      '<blockquote><p>First quoted line.</p><p>Second one.</p></blockquote><pre>  indented\n    code</pre>' +
      '<table><tr><td>a | b</td><td>c</td></tr></table>';
    expect(extractHtml(html).text).toBe('> First quoted line.\n>\n> Second one.\n\n  indented\n    code\n\n| a \\| b | c |\n| --- | --- |');
  });

  it('reads deeply nested markup and refuses nesting too deep to walk', () => {
    const nested = (depth: number): string => `<html><body>${'<div>'.repeat(depth)}deep text${'</div>'.repeat(depth)}</body></html>`;
    // Readability is cubic in depth (6 s at this depth): it is skipped for such pages.
    expect(extractHtml(nested(1_000)).text).toBe('deep text');
    expect(() => extractHtml(nested(20_000))).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });

  it("decodes a legacy page with its <meta charset>", async () => {
    const html = '<html><head><meta charset="windows-1250"><title>Účet</title></head><body><p>Prosím, pošlete mi účet za září. Děkuji.</p></body></html>';
    const doc = await extractDocument(encodeSingleByte(html, 'windows-1250'), {}, DEFAULT_EXTRACTION_LIMITS);
    expect(doc.encoding).toBe('windows-1250');
    expect(doc.title).toBe('Účet');
    expect(doc.text).toBe('Prosím, pošlete mi účet za září. Děkuji.');
  });

  it('refuses a page whose content is only chrome as empty', async () => {
    const html = '<html><body><nav>Home About</nav><script>var x = 1;</script></body></html>';
    await expect(extractDocument(Buffer.from(html), {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({ code: 'empty' });
  });
});
