import { parseHTML } from 'linkedom';

import type { DomDocument } from './dom-types.js';

/**
 * Parses HTML into a linkedom document. linkedom only builds `<html>/<body>` when the markup has
 * them, so a fragment (mammoth's output, a pasted snippet) is wrapped first.
 */
export function parseHtmlDocument(html: string): DomDocument {
  const markup = /<html[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  return (parseHTML(markup) as unknown as { document: DomDocument }).document;
}
