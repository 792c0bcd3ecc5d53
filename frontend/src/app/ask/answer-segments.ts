/** A piece of an answer: plain text, or a citation `[n]` of source n. */
export type AnswerSegment = { kind: 'text'; text: string } | { kind: 'cite'; number: number };

/** Splits an answer into text and `[n]` citations (also `[1, 2]` and `[1][2]`), as it streams in. */
export function answerSegments(answer: string): AnswerSegment[] {
  const segments: AnswerSegment[] = [];
  const pattern = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
  let last = 0;
  for (const match of answer.matchAll(pattern)) {
    if (match.index > last) segments.push({ kind: 'text', text: answer.slice(last, match.index) });
    for (const n of match[1].split(',')) segments.push({ kind: 'cite', number: Number(n.trim()) });
    last = match.index + match[0].length;
  }
  if (last < answer.length) segments.push({ kind: 'text', text: answer.slice(last) });
  return segments;
}
