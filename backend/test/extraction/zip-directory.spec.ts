import { ExtractionError } from '../../src/extraction/extraction-errors.js';
import { readZipDirectory, readZipEntry, salvageEntryNames, ZipFormatError } from '../../src/extraction/zip-directory.js';
import { assertZipWithinLimits } from '../../src/extraction/zip-limits.js';
import { makeStructuredDocx } from '../support/fixtures/docx-fixtures.js';
import { buildZip } from '../support/fixtures/zip-fixtures.js';

const MB = 1024 * 1024;

describe('readZipDirectory', () => {
  it('lists the entries of a real DOCX with their sizes', async () => {
    const entries = readZipDirectory(await makeStructuredDocx());
    const document = entries.find((e) => e.name === 'word/document.xml');
    expect(document).toBeDefined();
    expect(document?.uncompressedSize).toBeGreaterThan(document?.compressedSize ?? Infinity);
  });

  it('reads zip64 directories and the sizes in their extra fields', () => {
    const zip = buildZip([{ name: 'a.txt', data: 'hello zip64' }, { name: 'b.txt', data: 'x'.repeat(5000) }], { zip64: true });
    const entries = readZipDirectory(zip);
    expect(entries.map((e) => [e.name, e.uncompressedSize])).toEqual([['a.txt', 11], ['b.txt', 5000]]);
    expect(readZipEntry(zip, entries[1], MB)?.toString()).toBe('x'.repeat(5000));
  });

  it('reports sizes a crafted zip declares, including ones beyond 4 GB through zip64', () => {
    const zip = buildZip([{ name: 'word/document.xml', data: '<w/>', declaredSize: 6 * 1024 * MB }], { zip64: true });
    expect(readZipDirectory(zip)[0]?.uncompressedSize).toBe(6 * 1024 * MB);
  });

  it('fails on a truncated archive, whose local headers can still be salvaged', async () => {
    const docx = await makeStructuredDocx();
    const truncated = docx.subarray(0, docx.length - 200);
    expect(() => readZipDirectory(truncated)).toThrow(ZipFormatError);
    expect(salvageEntryNames(truncated)).toContain('word/document.xml');
  });
});

describe('assertZipWithinLimits', () => {
  const entry = (uncompressedSize: number, compressedSize: number) => ({
    name: 'word/document.xml',
    method: 8,
    compressedSize,
    uncompressedSize,
    localHeaderOffset: 0,
  });

  it('accepts ordinary documents', () => {
    expect(() => assertZipWithinLimits([entry(5 * MB, MB), entry(30 * MB, 3 * MB)], 100 * MB)).not.toThrow();
  });

  it('refuses when the declared total exceeds the limit', () => {
    expect(() => assertZipWithinLimits([entry(60 * MB, 10 * MB), entry(60 * MB, 10 * MB)], 100 * MB)).toThrow(
      expect.objectContaining({ code: 'too_large' }),
    );
  });

  it('refuses an entry compressed more than 200:1 when it is over 10 MB', () => {
    expect(() => assertZipWithinLimits([entry(50 * MB, 100 * 1024)], 100 * MB)).toThrow(/zip bomb/);
    // The same ratio on a small part is harmless.
    expect(() => assertZipWithinLimits([entry(5 * MB, 1024)], 100 * MB)).not.toThrow();
  });

  it('refuses archives with an absurd number of parts', () => {
    const many = Array.from({ length: 10_001 }, () => entry(10, 10));
    expect(() => assertZipWithinLimits(many, 100 * MB)).toThrow(ExtractionError);
  });
});
