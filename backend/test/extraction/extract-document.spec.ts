import { extractDocument } from '../../src/extraction/extract-document.js';
import { ExtractionError, UnsupportedTypeError } from '../../src/extraction/extraction-errors.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/extraction/extraction-limits.js';
import { pngImage, windowsExecutable } from '../support/fixtures/binary-fixtures.js';

const limits = DEFAULT_EXTRACTION_LIMITS;

describe('extractDocument', () => {
  it('refuses an empty file', async () => {
    await expect(extractDocument(Buffer.alloc(0), { filename: 'a.txt' }, limits)).rejects.toMatchObject({
      code: 'empty',
      message: 'The file contains no extractable text.',
    });
  });

  it('refuses a file of only whitespace and control characters as empty', async () => {
    await expect(extractDocument(Buffer.from(' \n\t\r\n  '), {}, limits)).rejects.toMatchObject({ code: 'empty' });
  });

  it('refuses files over maxBytes and texts over maxTextChars as too_large', async () => {
    await expect(extractDocument(Buffer.from('x'.repeat(101)), {}, { ...limits, maxBytes: 100 })).rejects.toMatchObject({
      code: 'too_large',
      message: 'The file is 101 bytes, more than the 100 bytes limit.',
    });
    await expect(extractDocument(Buffer.from('x'.repeat(101)), {}, { ...limits, maxTextChars: 100 })).rejects.toMatchObject({ code: 'too_large' });
  });

  it('returns Markdown as is, titled by its first heading', async () => {
    const markdown = '# Release notes\n\n## 2.0\n\n- Faster search\n- **New** importer\n';
    const doc = await extractDocument(Buffer.from(markdown), { filename: 'CHANGELOG.md' }, limits);
    expect(doc).toEqual({
      format: 'markdown',
      mimeType: 'text/markdown',
      text: markdown,
      title: 'Release notes',
      pages: [],
      pageCount: null,
      encoding: 'utf-8',
    });
  });

  it('returns plain text normalised but otherwise as is', async () => {
    const doc = await extractDocument(Buffer.from('\ufeffMinutes\r\n\r\nAll present.\r\n'), { filename: 'minutes.txt' }, limits);
    expect(doc).toMatchObject({ format: 'text', mimeType: 'text/plain', text: 'Minutes\n\nAll present.\n', title: null });
  });

  it('throws UnsupportedTypeError naming the detected type and the accepted ones', async () => {
    const error = await extractDocument(windowsExecutable(), { filename: 'report.pdf' }, limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedTypeError);
    expect((error as UnsupportedTypeError).message).toBe(
      'Unsupported file type (detected: Windows executable). Accepted: PDF, DOCX, HTML, Markdown, CSV, plain text',
    );
    expect((error as UnsupportedTypeError).acceptedTypes).toEqual(['PDF', 'DOCX', 'HTML', 'Markdown', 'CSV', 'plain text']);
    await expect(extractDocument(pngImage(), {}, limits)).rejects.toThrow('detected: PNG image');
  });

  it('uses ExtractionError for permanent failures, never leaking parser internals', async () => {
    const error = await extractDocument(Buffer.from('%PDF-1.7\n1 0 obj garbage'), {}, limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractionError);
    expect((error as ExtractionError).message).not.toMatch(/\/|Exception|at /);
  });
});
