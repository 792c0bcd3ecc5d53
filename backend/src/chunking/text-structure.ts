/** A range of the source text, [start, end), trimmed of whitespace at both ends and never empty. */
export interface Span {
  start: number;
  end: number;
}

export type BlockKind = 'heading' | 'paragraph' | 'table' | 'code';

export interface Block extends Span {
  kind: BlockKind;
}

const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(?:```|~~~)/;
const TABLE_ROW = /^\s*\|/;
const BLANK = /^\s*$/;
// A sentence ends at terminal punctuation (plus closing quotes or brackets) before whitespace;
// CJK full stops end one even with no space after them. A run of punctuation is only tried from
// its start and taken whole (a lookahead capture cannot backtrack): otherwise a long run with
// no space after it ("....x") costs its length at every one of its characters, quadratic.
const SENTENCE_END = /(?<![.!?…])(?=([.!?…]+["'”’»)\]]*))\1(?=\s|$)|[。！？]+[」』”’)\]]*/gu;
const WORD = /\S+/g;
const WHITESPACE = /\s/;

export const isWhitespace = (char: string | undefined): boolean => char !== undefined && WHITESPACE.test(char);

/** [start, end) without surrounding whitespace, or null when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | null {
  while (start < end && isWhitespace(text[start])) start++;
  while (end > start && isWhitespace(text[end - 1])) end--;
  return start < end ? { start, end } : null;
}

/**
 * Markdown-ish blocks in document order: headings, blank-line-separated paragraphs, tables
 * (consecutive lines starting with `|`) and fenced code. Nothing inside a fence is read as a
 * heading or table: `# install` in a shell snippet is a comment, not a section.
 */
export function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let group: { kind: BlockKind; start: number; end: number } | null = null;
  let inFence = false;
  const flush = (): void => {
    if (group === null) return;
    const span = trimSpan(text, group.start, group.end);
    if (span !== null) blocks.push({ kind: group.kind, ...span });
    group = null;
  };

  for (let lineStart = 0; lineStart < text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const next = lineEnd + 1;

    if (inFence) {
      if (group !== null) group.end = lineEnd;
      if (FENCE.test(line)) {
        inFence = false;
        flush();
      }
    } else if (FENCE.test(line)) {
      flush();
      group = { kind: 'code', start: lineStart, end: lineEnd };
      inFence = true;
    } else if (BLANK.test(line)) {
      flush();
    } else if (HEADING.test(line)) {
      flush();
      group = { kind: 'heading', start: lineStart, end: lineEnd };
      flush();
    } else {
      const kind: BlockKind = TABLE_ROW.test(line) ? 'table' : 'paragraph';
      if (group !== null && group.kind !== kind) flush();
      if (group === null) group = { kind, start: lineStart, end: lineEnd };
      else group.end = lineEnd;
    }
    lineStart = next;
  }
  flush();
  return blocks;
}

/** Non-empty lines of a span. */
export function splitLines(text: string, span: Span): Span[] {
  const lines: Span[] = [];
  for (let start = span.start; start < span.end; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 || newline > span.end ? span.end : newline;
    const line = trimSpan(text, start, end);
    if (line !== null) lines.push(line);
    start = end + 1;
  }
  return lines;
}

/** Sentences of a span (terminal punctuation stays with its sentence). */
export function splitSentences(text: string, span: Span): Span[] {
  const slice = text.slice(span.start, span.end);
  const sentences: Span[] = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let match = SENTENCE_END.exec(slice); match !== null; match = SENTENCE_END.exec(slice)) {
    const end = match.index + match[0].length;
    const sentence = trimSpan(text, span.start + start, span.start + end);
    if (sentence !== null) sentences.push(sentence);
    start = end;
  }
  const rest = trimSpan(text, span.start + start, span.end);
  if (rest !== null) sentences.push(rest);
  return sentences;
}

/** Whitespace-separated words of a span. */
export function splitWords(text: string, span: Span): Span[] {
  const slice = text.slice(span.start, span.end);
  const words: Span[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(slice); match !== null; match = WORD.exec(slice)) {
    words.push({ start: span.start + match.index, end: span.start + match.index + match[0].length });
  }
  return words;
}

/**
 * Whether a chunk may start at `offset` on a sentence boundary: the first character after a
 * line break or after terminal punctuation, or `floor` itself (where the previous chunk began).
 */
export function isSentenceStart(text: string, offset: number, floor: number): boolean {
  if (offset <= floor) return true;
  let i = offset - 1;
  while (i >= floor && isWhitespace(text[i])) {
    if (text[i] === '\n') return true;
    i--;
  }
  if (i < floor) return true;
  while (i > floor && /["'”’»)\]」』]/u.test(text[i] ?? '')) i--;
  const previous = text[i] ?? '';
  if ('。！？'.includes(previous)) return true;
  return i < offset - 1 && '.!?…'.includes(previous);
}
