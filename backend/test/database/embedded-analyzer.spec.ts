import type { INestApplicationContext } from '@nestjs/common';

import { DATABASE_ENGINE, type DatabaseEngine } from '../../src/database/database-engine.js';
import { EmbeddedAnalyzer } from '../../src/database/embedded-analyzer.service.js';
import { seedTenant } from '../support/seed.js';
import { startServiceContext } from '../support/service-context.js';

/** PGlite runs no autovacuum: the app analyzes the tables that changed, as autovacuum would. */
describe('EmbeddedAnalyzer (PGlite)', () => {
  let context: INestApplicationContext;
  beforeAll(async () => {
    context = await startServiceContext();
  });
  afterAll(() => context?.close());

  const estimates = async (): Promise<Record<string, number>> => {
    const rows = await context
      .get<DatabaseEngine>(DATABASE_ENGINE)
      .query<{ relname: string; reltuples: number }>(
        "SELECT relname, reltuples::float8 AS reltuples FROM pg_class WHERE relname IN ('knowledge_bases', 'documents', 'embeddings')",
      );
    return Object.fromEntries(rows.map((r) => [r.relname, Number(r.reltuples)]));
  };

  it('analyzes the tables that changed beyond the threshold', async () => {
    for (let i = 0; i < 3; i++) await seedTenant(context, `analyzed-${i}`, { chunks: 40 });
    // -1: never analyzed, the planner guesses
    expect((await estimates())['embeddings']).toBe(-1);
    const analyzer = context.get(EmbeddedAnalyzer);
    // the statistics system counts the new rows when the transactions' counters are flushed, up to a second later
    let analyzed: string[] = [];
    while (!analyzed.includes('embeddings')) {
      analyzed = [...analyzed, ...(await analyzer.analyzeIfChanged())];
      if (!analyzed.includes('embeddings')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(analyzed).toEqual(expect.arrayContaining(['knowledge_bases', 'documents', 'embeddings']));
    // (a later run may analyze again: counts of the inserts can still be arriving in the statistics)
    expect(await estimates()).toEqual({ knowledge_bases: 3, documents: 3, embeddings: 120 });
  });
});
