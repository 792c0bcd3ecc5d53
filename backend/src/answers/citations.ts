/** `[3]`, and each number of `[2][3]` or `[2, 3]`. */
const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/** The source numbers an answer cites, in order of first citation, only those that exist (1..sources). */
export function citedNumbers(answer: string, sources: number): number[] {
  const seen = new Set<number>();
  for (const [, list] of answer.matchAll(MARKER)) {
    for (const part of (list ?? '').split(',')) {
      const n = Number.parseInt(part.trim(), 10);
      if (n >= 1 && n <= sources) seen.add(n);
    }
  }
  return [...seen];
}
