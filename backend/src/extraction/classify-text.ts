import { sniffDelimiter } from './csv-dialect.js';
import type { SourceFormat } from './extracted-document.js';

export type TextFormat = Extract<SourceFormat, 'html' | 'markdown' | 'csv' | 'text'>;

/** Enough of the start of a file to recognise its structure. */
const HEAD_CHARS = 8192;

/**
 * Tells HTML, Markdown, CSV and plain text apart. Unambiguous HTML (a doctype or `<html>`) wins
 * whatever the hint says; otherwise the declared type (`hint`, from the file extension or MIME
 * type) breaks the tie, and with no hint the content decides.
 */
export function classifyText(text: string, hint: TextFormat | null): TextFormat {
  const head = text.slice(0, HEAD_CHARS);
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html[\s>])/i.test(head)) return 'html';
  if (hint === 'html') return /<[a-z][\w-]*[\s/>]/i.test(head) ? 'html' : 'text';
  if (hint) return hint;
  if (looksLikeHtml(head)) return 'html';
  if (looksLikeMarkdown(head)) return 'markdown';
  if (sniffDelimiter(head) !== null) return 'csv';
  return 'text';
}

function looksLikeHtml(head: string): boolean {
  if (/<(head|body)[\s>]/i.test(head)) return true;
  const closingTags = head.match(/<\/(p|div|h[1-6]|ul|ol|li|table|tr|td|span|a|section|article)>/gi);
  return (closingTags?.length ?? 0) >= 3;
}

/** Scores Markdown syntax that plain text rarely has; one stray `#` or dash list is not enough. */
function looksLikeMarkdown(head: string): boolean {
  const lines = head.split('\n');
  const count = (pattern: RegExp): number => lines.filter((line) => pattern.test(line)).length;
  let score = 0;
  if (count(/^#{1,6}\s+\S/) > 0) score += 2;
  if (count(/^(```|~~~)/) >= 2) score += 2;
  if (count(/^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/) > 0) score += 2;
  if (/\[[^\]\n]+\]\([^)\s]+\)/.test(head)) score += 1;
  if (/(\*\*|__)[^*_\n]+\1/.test(head)) score += 1;
  if (count(/^\s*([-*+]|\d+\.)\s+\S/) > 0) score += 1;
  if (count(/^>\s/) > 0) score += 1;
  return score >= 3;
}
