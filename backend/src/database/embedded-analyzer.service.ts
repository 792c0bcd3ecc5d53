import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { DATABASE_ENGINE, type DatabaseEngine } from './database-engine.js';

/** How often the statistics are checked, ms. */
const CHECK_EVERY_MS = 15_000;
/** autovacuum's analyze rule, with PostgreSQL's defaults: analyze after 50 + 10 % of the rows changed. */
const THRESHOLD_ROWS = 50;
const SCALE_FACTOR = 0.1;

/**
 * Per table, what ANALYZE samples: the columns the planner's joins and filters use. The vector and
 * the tsvector are left out, so a sample does not read thousands of out-of-line 6 KB vectors.
 */
const ANALYZED: Record<string, string> = {
  knowledge_bases: 'knowledge_bases',
  documents: 'documents (id, tenant_id, knowledge_base_id, status, content_hash, created_at)',
  embeddings: 'embeddings (id, tenant_id, knowledge_base_id, document_id, model, content_hash, token_count)',
  ingestion_jobs: 'ingestion_jobs',
};

interface TableActivity extends Record<string, unknown> {
  relname: string;
  n_live_tup: number | string;
  n_mod_since_analyze: number | string;
  analyzed: boolean;
}

/**
 * The analyze half of autovacuum, for embedded PGlite, which runs no autovacuum: without
 * statistics the planner takes every table for a few rows and joins a tenant's chunks to its
 * documents row by row (a search over 340 chunks took 0.7 s instead of 10 ms). Every 15 s it
 * analyzes the tables that changed by more than autovacuum's threshold. PostgreSQL servers have
 * autovacuum: nothing runs there.
 */
@Injectable()
export class EmbeddedAnalyzer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EmbeddedAnalyzer');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;

  constructor(@Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine) {}

  onApplicationBootstrap(): void {
    if (this.engine.kind !== 'pglite') return;
    this.timer = setInterval(() => void this.analyzeIfChanged().catch((err: unknown) => this.logger.warn({ err }, 'analyze failed')), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Analyzes the tables changed beyond the threshold (or never analyzed); returns their names. One run at a time. */
  analyzeIfChanged(): Promise<string[]> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<string[]> {
    return this.engine.withSession(async (session) => {
      const tables = await session.query<TableActivity>(
        `SELECT s.relname, s.n_live_tup, s.n_mod_since_analyze, (c.reltuples >= 0) AS analyzed
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
          WHERE s.schemaname = 'public' AND s.relname = ANY($1::text[])`,
        [Object.keys(ANALYZED)],
      );
      const due = tables.filter((t) => {
        const live = Number(t.n_live_tup);
        const changed = Number(t.n_mod_since_analyze);
        return changed > THRESHOLD_ROWS + SCALE_FACTOR * live || (!t.analyzed && live + changed > 0);
      });
      for (const table of due) await session.exec(`ANALYZE ${ANALYZED[table.relname]}`);
      if (due.length > 0) this.logger.debug(`analyzed ${due.map((t) => t.relname).join(', ')}`);
      return due.map((t) => t.relname);
    });
  }
}
