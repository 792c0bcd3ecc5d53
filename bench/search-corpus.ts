/**
 * Chunk texts and queries for the search benchmark, with real nearest-neighbour structure: random
 * or uniform-noise vectors are nearly equidistant, which makes recall meaningless, so the texts
 * are drawn from topic vocabularies and the offline (lexical) embedder clusters them by topic.
 *
 * - 40 topics of 150 made-up words each (distinct across topics, none an English stopword), each
 *   split into 16 subtopics of 30 of its words, ranked Zipf-like (word r weighs 1/r).
 * - A document has a topic, a main subtopic and a secondary topic; each of its chunks keeps the
 *   main subtopic with probability 0.6 (else another of the topic's), so neighbours form a
 *   hierarchy: same subtopic and document, same subtopic, same topic, shared prose only.
 * - A chunk is 150-400 words: a third business-prose sentences shared by every topic
 *   (bench/corpus/prose.ts), the rest topical sentences mixing the subtopic's words (Zipf), the
 *   topic's, the secondary topic's and a few function words.
 * - A query is 5-12 words of one topic and subtopic after a question's opening: "how do we" and
 *   most others are stopwords, but "who approves the" (1 query in 7) brings "approv", which the
 *   shared prose puts in about half of all chunks: the common word that keyword search must score
 *   every holder of.
 *
 * Deterministic (seeded mulberry32): the same seed gives the same texts on every run and machine.
 */
import { ENGLISH_STOPWORDS } from '../backend/src/embeddings/providers/stopwords.js';
import { sentence } from './corpus/prose.js';
import { Rng, seedOf } from './corpus/rng.js';

export const TOPICS = 40;
const TOPIC_WORDS = 150;
const SUBTOPICS = 16;
const SUBTOPIC_WORDS = 30;
const GLUE = ['the', 'of', 'and', 'to', 'in', 'for', 'with', 'on', 'is', 'by'];
const QUESTION_OPENERS = ['how do we', 'what is the', 'where are the', 'who approves the', 'when should', 'why does the', ''];

interface Vocabulary {
  /** Every topic's words. */
  topics: string[][];
  /** Per topic, per subtopic: its words, most frequent first. */
  subtopics: string[][][];
}

/** Zipf weights 1/r for `n` ranks, as a cumulative table. */
const cumulativeZipf = (n: number): number[] => {
  const table: number[] = [];
  let sum = 0;
  for (let r = 1; r <= n; r++) table.push((sum += 1 / r));
  return table.map((c) => c / sum);
};
const SUBTOPIC_CDF = cumulativeZipf(SUBTOPIC_WORDS);

const zipfPick = (rng: Rng, words: readonly string[]): string => {
  const u = rng.next();
  const index = SUBTOPIC_CDF.findIndex((c) => u < c);
  return words[index < 0 ? words.length - 1 : index] ?? words[0] ?? '';
};

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'x'];

function buildVocabulary(): Vocabulary {
  const rng = new Rng(seedOf('search-corpus-v1:vocabulary'));
  const seen = new Set<string>();
  const word = (): string => {
    for (;;) {
      let w = '';
      for (let s = rng.int(2, 3); s > 0; s--) w += rng.pick([...CONSONANTS]) + rng.pick([...VOWELS]);
      w += rng.pick(CODAS);
      if (w.length >= 5 && !seen.has(w) && !ENGLISH_STOPWORDS.has(w)) {
        seen.add(w);
        return w;
      }
    }
  };
  const topics = Array.from({ length: TOPICS }, () => Array.from({ length: TOPIC_WORDS }, word));
  const subtopics = topics.map((words) =>
    Array.from({ length: SUBTOPICS }, () => {
      const pool = [...words];
      // a partial Fisher-Yates shuffle: the subtopic's words in a random order, which is their rank
      for (let i = 0; i < SUBTOPIC_WORDS; i++) {
        const j = rng.int(i, pool.length - 1);
        [pool[i], pool[j]] = [pool[j] ?? '', pool[i] ?? ''];
      }
      return pool.slice(0, SUBTOPIC_WORDS);
    }),
  );
  return { topics, subtopics };
}

const VOCABULARY = buildVocabulary();

const subtopicWords = (topic: number, subtopic: number): string[] => VOCABULARY.subtopics[topic]?.[subtopic] ?? [];
const topicWords = (topic: number): string[] => VOCABULARY.topics[topic] ?? [];

/** What a document is about. */
export interface DocumentTopic {
  topic: number;
  subtopic: number;
  secondary: number;
}

export function documentTopic(rng: Rng): DocumentTopic {
  const topic = rng.int(0, TOPICS - 1);
  return { topic, subtopic: rng.int(0, SUBTOPICS - 1), secondary: (topic + rng.int(1, TOPICS - 1)) % TOPICS };
}

function topicalSentence(rng: Rng, topic: number, subtopic: number, secondary: number): string {
  const main = subtopicWords(topic, subtopic);
  const other = subtopicWords(secondary, rng.int(0, SUBTOPICS - 1));
  const words: string[] = [];
  for (let n = rng.int(8, 16); n > 0; n--) {
    const u = rng.next();
    if (u < 0.2) words.push(rng.pick(GLUE));
    else if (u < 0.68) words.push(zipfPick(rng, main));
    else if (u < 0.88) words.push(rng.pick(topicWords(topic)));
    else words.push(zipfPick(rng, other));
  }
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** One chunk of a document about `about`: 150-400 words. */
export function chunkText(rng: Rng, about: DocumentTopic): { text: string; words: number } {
  const subtopic = rng.chance(0.6) ? about.subtopic : rng.int(0, SUBTOPICS - 1);
  const target = rng.int(150, 400);
  const sentences: string[] = [];
  let words = 0;
  while (words < target) {
    const s = rng.chance(0.33) ? sentence(rng) : topicalSentence(rng, about.topic, subtopic, about.secondary);
    sentences.push(s);
    words += s.split(' ').length;
  }
  return { text: sentences.join(' '), words };
}

/** `count` distinct queries of 5-12 topical words each, the same for a given seed. */
export function makeQueries(count: number, seed = 'search-corpus-v1:queries'): string[] {
  const rng = new Rng(seedOf(seed));
  // distinct texts: the service's query-embedding cache is keyed by text
  const queries = new Set<string>();
  while (queries.size < count) {
    const topic = rng.int(0, TOPICS - 1);
    const subtopic = rng.int(0, SUBTOPICS - 1);
    const words: string[] = [];
    for (let n = rng.int(5, 12); n > 0; n--) {
      words.push(rng.chance(0.75) ? zipfPick(rng, subtopicWords(topic, subtopic)) : rng.pick(topicWords(topic)));
    }
    queries.add(`${rng.pick(QUESTION_OPENERS)} ${words.join(' ')}`.trim());
  }
  return [...queries];
}
