/**
 * Offline (lexical) embedder throughput: embeddings per second for ~512-token chunks of prose,
 * the size ingestion produces. Moved out of the test suite, where a speed floor would make the
 * suite depend on how busy the machine is.
 *
 *   npx nx run backend:bench-lexical
 */
import { countTokens } from '../backend/src/chunking/tokenizer.js';
import { LexicalEmbeddingProvider } from '../backend/src/embeddings/providers/lexical-embedding-provider.js';
import { BENCH_WORDS } from './bench-pdf.js';
import { seededWords } from './seeded-words.js';

const CHUNKS = Number(process.env['BENCH_CHUNKS'] ?? 2_000);
const ROUNDS = 5;

/** A chunk of about 512 tokens. */
function chunk(seed: number): string {
  const words = seededWords(BENCH_WORDS, seed * 2654435761 + 1)(420).split(' ');
  while (countTokens(words.join(' ')) > 512) words.length -= 10;
  return words.join(' ');
}

async function main(): Promise<void> {
  const provider = new LexicalEmbeddingProvider();
  const chunks = Array.from({ length: CHUNKS }, (_, i) => chunk(i));
  const tokens = chunks.reduce((n, c) => n + countTokens(c), 0);
  await provider.embed(chunks.slice(0, 200)); // warm-up: the JIT, the stemmer's caches
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await provider.embed(chunks);
    rates.push(chunks.length / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(ROUNDS / 2)] ?? 0;
  console.log(`lexical embedder (${provider.model}): ${CHUNKS} chunks of ${Math.round(tokens / CHUNKS)} tokens on average`);
  console.log(`  ${median.toFixed(0)} embeddings/s (median of ${ROUNDS}; min ${rates[0]?.toFixed(0)}, max ${rates[ROUNDS - 1]?.toFixed(0)})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
