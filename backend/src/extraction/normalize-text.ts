/**
 * The one text form every extractor returns: `\n` newlines, no control characters but `\n` and
 * `\t` (PostgreSQL text cannot hold NUL, and the rest only confuse chunking), NFC so the same
 * words always hash and embed the same.
 */
export function normalizeText(text: string): string {
  return (
    text
      // Line and page separators become newlines rather than vanishing, so words do not run together.
      .replace(/\r\n?|[\v\f\u0085\u2028\u2029]/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]/g, '')
      .normalize('NFC')
  );
}
