import { extractDocument } from '../../src/extraction/extract-document.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/extraction/extraction-limits.js';
import { makeImageOnlyPdf, makePdf } from '../support/fixtures/pdf-fixtures.js';

const PAGES = [
  'Chapter one. The onboarding checklist for new engineers.',
  'Chapter two. How we review pull requests.',
  'Chapter three. On-call rotations and escalation.',
];

describe('PDF extraction', () => {
  it('keeps every page and records where each page sits in the text', async () => {
    const pdf = await makePdf({ pages: PAGES, title: 'Engineering Handbook' });
    const doc = await extractDocument(pdf, { filename: 'handbook.pdf' }, DEFAULT_EXTRACTION_LIMITS);

    expect(doc).toMatchObject({ format: 'pdf', mimeType: 'application/pdf', title: 'Engineering Handbook', pageCount: 3 });
    expect(doc.pages.map((p) => p.page)).toEqual([1, 2, 3]);
    doc.pages.forEach((range, i) => {
      expect(doc.text.slice(range.start, range.end)).toBe(PAGES[i]);
    });
    // No page markers from pdf-parse, just the text.
    expect(doc.text).toBe(PAGES.join('\n\n'));
    expect(doc.text).not.toMatch(/-- \d+ of \d+ --/);
  });

  it('leaves pages without text out of the ranges but counts them', async () => {
    const pdf = await makePdf({ pages: ['First page words.', '', 'Third page words.'] });
    const doc = await extractDocument(pdf, {}, DEFAULT_EXTRACTION_LIMITS);
    expect(doc.pageCount).toBe(3);
    expect(doc.pages).toEqual([
      { page: 1, start: 0, end: 17 },
      { page: 3, start: 19, end: 36 },
    ]);
  });

  it('refuses a password-protected PDF as encrypted', async () => {
    const pdf = await makePdf({ pages: ['secret'], userPassword: 'hunter2' });
    await expect(extractDocument(pdf, {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({
      name: 'ExtractionError',
      code: 'encrypted',
      message: expect.stringContaining('password-protected'),
    });
  });

  it('refuses a PDF with pages but no text layer (a scan) as no_text_layer', async () => {
    await expect(extractDocument(await makeImageOnlyPdf(), {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({ code: 'no_text_layer' });
  });

  it('refuses a truncated PDF as corrupt', async () => {
    const pdf = await makePdf({ pages: PAGES });
    await expect(extractDocument(pdf.subarray(0, Math.floor(pdf.length / 2)), {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({
      code: 'corrupt',
      message: 'The PDF is damaged or incomplete and could not be read.',
    });
  });

  it('stops as soon as the text passes the character limit', async () => {
    const pdf = await makePdf({ pages: PAGES });
    await expect(extractDocument(pdf, {}, { ...DEFAULT_EXTRACTION_LIMITS, maxTextChars: 80 })).rejects.toMatchObject({ code: 'too_large' });
  });
});
