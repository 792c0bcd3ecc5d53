import { extractDocument } from '../../src/extraction/extract-document.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/extraction/extraction-limits.js';
import { sniffDelimiter } from '../../src/extraction/csv-dialect.js';
import { extractCsv } from '../../src/extraction/csv-extractor.js';

describe('CSV extraction', () => {
  it('parses ; separated data with quoted fields into searchable rows under a header', async () => {
    const csv = 'name;city;notes\nAda Lovelace;London;"wrote the first program; loved maths"\nGrace Hopper;"New\nYork";\n';
    const doc = await extractDocument(Buffer.from(csv), { filename: 'people.csv' }, DEFAULT_EXTRACTION_LIMITS);
    expect(doc).toMatchObject({ format: 'csv', mimeType: 'text/csv', title: null, pages: [], pageCount: null });
    expect(doc.text).toBe(
      [
        'Columns: name | city | notes',
        'name: Ada Lovelace | city: London | notes: wrote the first program; loved maths',
        'name: Grace Hopper | city: New York',
      ].join('\n'),
    );
  });

  it('sniffs the delimiter among , ; tab and |', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n4,5,6')).toBe(',');
    expect(sniffDelimiter('a;b\n"1;5";2\n3;4')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2')).toBe('|');
    expect(sniffDelimiter('Hello, world.\nNo commas here.\nOne, two, three, four.')).toBeNull();
  });

  it('names columns by position when the first row is data', () => {
    expect(extractCsv('1,2\n3,4\n', DEFAULT_EXTRACTION_LIMITS.maxTextChars).text).toBe(
      'Columns: column 1 | column 2\ncolumn 1: 1 | column 2: 2\ncolumn 1: 3 | column 2: 4',
    );
  });

  it('falls back to plain text when the data cannot be parsed', async () => {
    // An unterminated quote: csv-parse gives up, the words are kept.
    const broken = 'name,comment\nAda,"never closed\nGrace,fine\n';
    const doc = await extractDocument(Buffer.from(broken), { filename: 'broken.csv' }, DEFAULT_EXTRACTION_LIMITS);
    expect(doc.format).toBe('text');
    expect(doc.text).toBe(broken);
  });
});
