import { stemEnglish } from '../embeddings/providers/english-stemmer.js';
import { foldText } from '../embeddings/providers/lexical-features.js';
import { ENGLISH_STOPWORDS } from '../embeddings/providers/stopwords.js';

/** Characters of chunk text a snippet shows at most (plus a marked word that crosses the end). */
export const SNIPPET_CHARS = 240;
/** Context kept before the first match the window is placed on. */
const LEAD_CHARS = 60;
/** How far a window edge may move to land between words. */
const SNAP_CHARS = 24;

const TOKEN = /[\p{L}\p{N}]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

interface Mark {
  start: number;
  end: number;
  /** The matched query term, so a window's distinct matches can be counted. */
  term: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** What a query's words match: stems of its content words, and character pairs of its CJK runs. */
export function queryMatcher(query: string): { stems: Set<string>; pairs: Set<string> } {
  const stems = new Set<string>();
  const pairs = new Set<string>();
  for (const [token] of query.matchAll(TOKEN)) {
    if (CJK.test(token)) {
      // as written: folding would take Hangul syllables apart
      const chars = Array.from(token);
      if (chars.length === 1) pairs.add(token);
      for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i] + chars[i + 1]);
      continue;
    }
    for (const [word] of foldText(token).matchAll(TOKEN)) if (!ENGLISH_STOPWORDS.has(word)) stems.add(stemEnglish(word));
  }
  return { stems, pairs };
}

function findMarks(content: string, matcher: { stems: Set<string>; pairs: Set<string> }): Mark[] {
  const marks: Mark[] = [];
  for (const match of content.matchAll(TOKEN)) {
    const token = match[0];
    const start = match.index;
    if (CJK.test(token)) {
      // code points with their offsets (a Han character beyond the BMP is two code units)
      const chars: { char: string; at: number }[] = [];
      let at = start;
      for (const char of token) {
        chars.push({ char, at });
        at += char.length;
      }
      for (let c = 0; c < chars.length; c++) {
        const pair = c + 1 < chars.length ? chars[c].char + chars[c + 1].char : '';
        const size = matcher.pairs.has(pair) ? 2 : matcher.pairs.has(chars[c].char) ? 1 : 0;
        if (size === 0) continue;
        const from = chars[c].at;
        const to = c + size < chars.length ? chars[c + size].at : at;
        const last = marks.at(-1);
        if (last !== undefined && last.end >= from) last.end = Math.max(last.end, to);
        else marks.push({ start: from, end: to, term: size === 2 ? pair : chars[c].char });
      }
      continue;
    }
    const folded = foldText(token);
    if (ENGLISH_STOPWORDS.has(folded)) continue;
    const stem = stemEnglish(folded);
    if (matcher.stems.has(stem)) marks.push({ start, end: start + token.length, term: stem });
  }
  return marks;
}

/** The window [start, start + SNIPPET_CHARS) holding the most distinct matched terms (then the most matches), earliest first. */
function bestWindow(content: string, marks: readonly Mark[]): { start: number; end: number } {
  if (marks.length === 0) return { start: 0, end: Math.min(content.length, SNIPPET_CHARS) };
  let best = { start: 0, value: -1 };
  for (const anchor of marks) {
    const start = Math.max(0, anchor.start - LEAD_CHARS);
    const inside = marks.filter((m) => m.start >= start && m.end <= start + SNIPPET_CHARS);
    const value = new Set(inside.map((m) => m.term)).size * 10_000 + inside.length;
    if (value > best.value) best = { start, value };
  }
  return { start: best.start, end: Math.min(content.length, best.start + SNIPPET_CHARS) };
}

/** Moves the window's edges onto whitespace nearby, never past a match, never splitting a surrogate pair. */
function snap(content: string, window: { start: number; end: number }, marks: readonly Mark[]): { start: number; end: number } {
  let { start, end } = window;
  const firstMark = marks.find((m) => m.end > start)?.start ?? end;
  if (start > 0 && !/\s/.test(content[start - 1] ?? '')) {
    const space = content.slice(start, Math.min(start + SNAP_CHARS, firstMark)).search(/\s/);
    if (space >= 0) start += space + 1;
  }
  // a match that crosses the end is shown whole
  const crossing = marks.find((m) => m.start < end && m.end > end);
  if (crossing) end = crossing.end;
  else if (end < content.length && !/\s/.test(content[end] ?? '')) {
    const head = content.slice(Math.max(start, end - SNAP_CHARS), end);
    const lastMarkEnd = marks.filter((m) => m.end <= end).at(-1)?.end ?? start;
    const space = head.search(/\s\S*$/);
    if (space >= 0 && end - head.length + space >= lastMarkEnd) end = end - head.length + space;
  }
  if (/[\uDC00-\uDFFF]/.test(content[start] ?? '')) start -= 1;
  if (/[\uDC00-\uDFFF]/.test(content[end] ?? '')) end += 1;
  return { start, end };
}

/**
 * An excerpt of `content` around the words the query matches (same folding and stemming as the
 * lexical embedder, CJK by character pairs), HTML-escaped, each match in <mark>, whitespace runs
 * shown as one space, an ellipsis where text was cut. Safe to insert as HTML.
 */
export function buildSnippet(content: string, query: string): string {
  const marks = findMarks(content, queryMatcher(query));
  const { start, end } = snap(content, bestWindow(content, marks), marks);
  const text = (from: number, to: number): string => escapeHtml(content.slice(from, to).replace(/\s+/g, ' '));
  let html = start > 0 ? '…' : '';
  let at = start;
  for (const mark of marks) {
    if (mark.start < start || mark.end > end) continue;
    html += `${text(at, mark.start)}<mark>${escapeHtml(content.slice(mark.start, mark.end))}</mark>`;
    at = mark.end;
  }
  html += text(at, end);
  if (end < content.length) html += '…';
  return html.trim();
}
