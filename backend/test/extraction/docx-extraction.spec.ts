import { extractDocument } from '../../src/extraction/extract-document.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/extraction/extraction-limits.js';
import { readZipDirectory, readZipEntry } from '../../src/extraction/zip-directory.js';
import { makeCompressibleDocx, makeStructuredDocx } from '../support/fixtures/docx-fixtures.js';
import { buildZip } from '../support/fixtures/zip-fixtures.js';

const MB = 1024 * 1024;

describe('DOCX extraction', () => {
  let docx: Buffer;
  beforeAll(async () => {
    docx = await makeStructuredDocx();
  });

  it('keeps headings, bullets, numbered lists and tables as text structure', async () => {
    const doc = await extractDocument(docx, { filename: 'report.docx' }, DEFAULT_EXTRACTION_LIMITS);
    expect(doc.format).toBe('docx');
    // From the document properties (docProps/core.xml), not the first heading.
    expect(doc.title).toBe('Q3 Report (final)');
    expect(doc.text).toBe(
      [
        '# Quarterly Report',
        'Revenue grew in every region, with record margins.',
        '## Highlights',
        '- New customers doubled\n- Churn fell\n  - Mostly in retail',
        '## Next steps',
        '1. Hire two engineers\n2. Open the Lisbon office',
        '| Region | Sales |\n| --- | --- |\n| North | 1200 |\n| South | 950 |',
      ].join('\n\n'),
    );
  });

  it('refuses a truncated DOCX as corrupt', async () => {
    await expect(extractDocument(docx.subarray(0, docx.length - 300), {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({
      code: 'corrupt',
      message: 'The DOCX file is damaged or incomplete and could not be read.',
    });
  });

  it('refuses a zip bomb whose directory declares a huge document, before inflating anything', async () => {
    const bomb = buildZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>', declaredSize: 3 * 1024 * MB },
    ]);
    await expect(extractDocument(bomb, {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('refuses a zip bomb whose directory understates what an entry inflates to', async () => {
    const liar = buildZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: Buffer.alloc(20 * MB, 0x61), declaredSize: 1000 },
    ]);
    expect(liar.length).toBeLessThan(100 * 1024);
    await expect(extractDocument(liar, {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({
      code: 'too_large',
      message: expect.stringContaining('larger than the archive declares'),
    });
  });

  it('refuses a real, highly compressible document that unpacks beyond the limit', async () => {
    const big = await makeCompressibleDocx(2 * MB);
    expect(big.length).toBeLessThan(64 * 1024);
    await expect(extractDocument(big, {}, { ...DEFAULT_EXTRACTION_LIMITS, maxDocxUncompressedBytes: MB })).rejects.toMatchObject({
      code: 'too_large',
      message: expect.stringMatching(/unpacks to 2(\.\d)? MB, more than the 1 MB limit/),
    });
    // Within the default limit the same file is fine.
    const doc = await extractDocument(big, {}, DEFAULT_EXTRACTION_LIMITS);
    expect(doc.text.length).toBe(2 * MB);
  });

  it('reads a DOCX repacked as zip64', async () => {
    const entries = readZipDirectory(docx);
    const repacked = buildZip(
      entries.map((e) => ({ name: e.name, data: readZipEntry(docx, e, 10 * MB) ?? Buffer.alloc(0) })),
      { zip64: true },
    );
    const doc = await extractDocument(repacked, {}, DEFAULT_EXTRACTION_LIMITS);
    expect(doc.text).toContain('# Quarterly Report');
  });
});
