import { ACCEPTED_TYPES, detectFormat } from '../../src/extraction/extraction-format.js';
import { elfExecutable, gzipFile, pngImage, randomBinary, windowsExecutable } from '../support/fixtures/binary-fixtures.js';
import { makeStructuredDocx } from '../support/fixtures/docx-fixtures.js';
import { ARTICLE_PAGE } from '../support/fixtures/html-fixtures.js';
import { makePdf } from '../support/fixtures/pdf-fixtures.js';
import { utf16le } from '../support/fixtures/text-fixtures.js';
import { buildZip } from '../support/fixtures/zip-fixtures.js';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('detectFormat', () => {
  let docx: Buffer;
  beforeAll(async () => {
    docx = await makeStructuredDocx();
  });

  it('recognises a PDF by its magic bytes, whatever the name says', async () => {
    const pdf = await makePdf({ pages: ['hello'] });
    expect(detectFormat(pdf, { filename: 'notes.txt', mimeType: 'text/plain' })).toEqual({ ok: true, format: 'pdf', mimeType: 'application/pdf' });
  });

  it('recognises a DOCX as a zip holding word/document.xml, even when truncated', () => {
    expect(detectFormat(docx, { filename: 'upload.bin' })).toEqual({ ok: true, format: 'docx', mimeType: DOCX_MIME });
    expect(detectFormat(docx.subarray(0, Math.floor(docx.length / 2)))).toMatchObject({ ok: true, format: 'docx' });
  });

  it('refuses a zip that is not a DOCX, naming what it is', () => {
    const xlsx = buildZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'xl/workbook.xml', data: '<workbook/>' }]);
    expect(detectFormat(xlsx, { filename: 'sheet.docx' })).toEqual({ ok: false, detected: 'Excel workbook (XLSX)' });
    expect(detectFormat(buildZip([{ name: 'readme.txt', data: 'hi' }]))).toEqual({ ok: false, detected: 'ZIP archive' });
  });

  it.each([
    ['a Windows executable renamed .pdf', windowsExecutable(), { filename: 'invoice.pdf', mimeType: 'application/pdf' }, 'Windows executable'],
    ['an ELF binary', elfExecutable(), { filename: 'notes.txt' }, 'ELF executable'],
    ['a PNG image', pngImage(), { filename: 'scan.pdf' }, 'PNG image'],
    ['a gzip archive', gzipFile(), { filename: 'data.csv' }, 'gzip archive'],
    ['random binary data', randomBinary(), { filename: 'notes.txt', mimeType: 'text/plain' }, 'binary data'],
  ])('refuses %s', (_name, bytes, hints, detected) => {
    expect(detectFormat(bytes, hints)).toEqual({ ok: false, detected });
  });

  it('recognises HTML by its structure even when named .txt', () => {
    expect(detectFormat(text(ARTICLE_PAGE), { filename: 'page.txt', mimeType: 'text/plain' })).toMatchObject({ ok: true, format: 'html' });
  });

  it('tells Markdown, CSV and plain text apart from content alone', () => {
    expect(detectFormat(text('# Title\n\nSome **bold** text and a [link](https://example.com).\n\n- one\n- two\n'))).toMatchObject({ format: 'markdown' });
    expect(detectFormat(text('name;city;age\nAda;London;36\nGrace;New York;85\n'))).toMatchObject({ format: 'csv', mimeType: 'text/csv' });
    expect(detectFormat(text('Dear team,\nthe meeting moves to Friday, as discussed.\nThanks!\n'))).toMatchObject({ format: 'text' });
  });

  it('uses the extension or declared type only to choose between text formats', () => {
    const prose = text('Just a few words, nothing more.\n');
    expect(detectFormat(prose, { filename: 'README.md' })).toMatchObject({ format: 'markdown' });
    expect(detectFormat(prose, { filename: 'notes.txt', mimeType: 'text/markdown' })).toMatchObject({ format: 'markdown' });
    expect(detectFormat(prose, { filename: 'data.csv' })).toMatchObject({ format: 'csv' });
    // A generic text/plain does not override a telling extension.
    expect(detectFormat(prose, { filename: 'README.md', mimeType: 'text/plain' })).toMatchObject({ format: 'markdown' });
    // Names of binary formats do not make text binary.
    expect(detectFormat(prose, { filename: 'scan.pdf', mimeType: 'application/pdf' })).toMatchObject({ format: 'text' });
  });

  it('reads UTF-16 text as text', () => {
    expect(detectFormat(utf16le('plain words in UTF-16'))).toMatchObject({ ok: true, format: 'text' });
  });

  it('does not mistake text starting with "MZ" for an executable', () => {
    expect(detectFormat(text('MZ Holdings annual report\nRevenue was up.\n'))).toMatchObject({ ok: true, format: 'text' });
  });

  it('lists the accepted types with their MIME types for the API docs', () => {
    expect(ACCEPTED_TYPES.map((t) => t.name)).toEqual(['PDF', 'DOCX', 'HTML', 'Markdown', 'CSV', 'plain text']);
    expect(ACCEPTED_TYPES.find((t) => t.format === 'docx')?.mimeTypes[0]).toBe(DOCX_MIME);
  });
});
