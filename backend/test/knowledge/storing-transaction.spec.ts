import { fileSource, textSource, urlSource } from '../../src/documents/new-source.js';
import { storing } from '../../src/knowledge/storing-transaction.js';

const MB = 1024 * 1024;

describe('the transaction that stores sources', () => {
  it('keeps the usual 15 s for small sources', () => {
    expect(storing([textSource('a note'), urlSource(new URL('https://example.com/'))])).toEqual({ timeout: 15_000 + 250 });
  });

  it('grows a quarter second per MB: ten files of 24 MB get 75 s, not 15', () => {
    const files = Array.from({ length: 10 }, (_, i) => fileSource(`f${i}.txt`, 'text/plain', Buffer.alloc(24 * MB, i)));
    expect(storing(files)).toEqual({ timeout: 15_000 + 240 * 250 });
  });
});
