import { contentTerms } from '../embeddings/providers/lexical-features.js';

/** What an answer says when the sources do not hold one. */
export const NO_ANSWER = 'The knowledge base does not hold an answer to this question.';

/** The best sentence must match at least this share of the question's weighted terms. */
const MIN_COVERAGE = 0.25;
/** Other sentences join the answer when they score at least this share of the best one. */
const KEEP_RELATIVE = 0.5;

interface Candidate {
  text: string;
  source: number;
  order: number;
  terms: Set<string>;
  score: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

/**
 * An answer without a language model: the sentences of the sources that best match the question
 * (its stemmed content terms, each weighted by how few sentences hold it), best first, up to
 * `maxSentences`, each followed by its source's citation marker. When no sentence matches enough
 * of the question, the answer says the knowledge base does not hold one.
 */
export function extractiveAnswer(question: string, sources: readonly { number: number; text: string }[], maxSentences = 3): string {
  const asked = new Set(contentTerms(question).map((t) => t.term));
  if (asked.size === 0) return NO_ANSWER;
  const candidates: Candidate[] = [];
  for (const source of sources) {
    for (const { segment } of segmenter.segment(source.text)) {
      const text = segment.replace(/\s+/g, ' ').trim();
      if (text.length < 3) continue;
      candidates.push({ text, source: source.number, order: candidates.length, terms: new Set(contentTerms(text).map((t) => t.term)), score: 0 });
    }
  }
  const holding = new Map<string, number>();
  for (const c of candidates) for (const term of asked) if (c.terms.has(term)) holding.set(term, (holding.get(term) ?? 0) + 1);
  const weight = (term: string): number => Math.log(1 + candidates.length / (1 + (holding.get(term) ?? 0)));
  const total = [...asked].reduce((sum, term) => sum + weight(term), 0);
  for (const c of candidates) c.score = [...asked].reduce((sum, term) => sum + (c.terms.has(term) ? weight(term) : 0), 0);
  const ranked = candidates.filter((c) => c.score > 0).sort((a, b) => b.score - a.score || a.order - b.order);
  const best = ranked[0];
  if (!best || best.score < MIN_COVERAGE * total) return NO_ANSWER;
  const seen = new Set<string>();
  const chosen = ranked.filter((c) => {
    if (c.score < KEEP_RELATIVE * best.score || seen.has(c.text)) return false;
    seen.add(c.text);
    return true;
  });
  return chosen
    .slice(0, maxSentences)
    .map((c) => `${c.text} [${c.source}]`)
    .join(' ');
}
