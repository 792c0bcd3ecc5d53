import { describe, expect, it } from 'vitest';

import { extensionOf, formatBytes, formatPages, isHttpUrl } from './format';

describe('format helpers', () => {
  it('formats sizes', () => {
    expect(formatBytes(12)).toBe('12 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(5 * 1024 * 1024 + 200_000)).toBe('5.2 MB');
  });

  it('formats page ranges', () => {
    expect(formatPages(null, null)).toBe('');
    expect(formatPages(3, 3)).toBe('page 3');
    expect(formatPages(3, 4)).toBe('pages 3-4');
  });

  it('finds extensions', () => {
    expect(extensionOf('Report.PDF')).toBe('.pdf');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('.env')).toBe('');
  });

  it.each([
    ['https://example.com/a', true],
    ['http://localhost:8000', true],
    ['ftp://example.com', false],
    ['example.com', false],
    ['not a url', false],
  ])('isHttpUrl(%j) is %s', (value, expected) => {
    expect(isHttpUrl(value)).toBe(expected);
  });
});
