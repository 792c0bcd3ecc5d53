import { Inject, Injectable } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import type { SearchConfig } from '../config/app-config.js';
import { AppConfigService } from '../config/app-config.service.js';
import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import type { ChunkHit, KeywordStats, RankedChunk } from '../embeddings/embedding-chunk.js';
import { EMBEDDING_PROVIDER } from '../embeddings/embedding-provider.token.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EmbeddingError, type EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';
import { SearchMetrics } from '../metrics/search-metrics.js';
import { planBm25 } from './bm25-plan.js';
import { QueryEmbeddingCache } from './query-embedding-cache.js';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.js';
import type { SearchHit, SearchOutcome, SearchRequest } from './search-request.js';
import { buildSnippet } from './snippet.js';

/** Web-search syntax that narrows what matches: a "quoted phrase", a -excluded word, or `or`. */
const WEBSEARCH_SYNTAX = /"|(^|\s)-\S|\sor\s/i;

interface Scored {
  id: string;
  score: number;
  semanticRank: number | null;
  keywordRank: number | null;
}

/**
 * Semantic, keyword and hybrid search over one tenant's ready chunks. The query is embedded
 * (once per model and text: an LRU cache) before the tenant transaction opens, so no database
 * connection waits on the embedding service; then one transaction reads the lists, fuses them and
 * fetches the winners, all through EmbeddingsRepository under the tenant's row-level security.
 */
@Injectable()
export class SearchService {
  private readonly settings: SearchConfig;
  private readonly cache: QueryEmbeddingCache;

  constructor(
    private readonly db: TenantDatabase,
    private readonly embeddings: EmbeddingsRepository,
    @Inject(EMBEDDING_PROVIDER) private readonly provider: EmbeddingProvider,
    config: AppConfigService,
    private readonly metrics: SearchMetrics,
  ) {
    this.settings = config.get('search');
    this.cache = new QueryEmbeddingCache(this.settings.queryCacheSize);
  }

  async search(tenantId: string, request: SearchRequest): Promise<SearchOutcome> {
    const started = performance.now();
    try {
      const outcome = await this.searchOnce(tenantId, request, started);
      this.metrics.observe(request.mode, 'ok', (performance.now() - started) / 1000);
      return outcome;
    } catch (error) {
      this.metrics.observe(request.mode, 'error', (performance.now() - started) / 1000);
      throw error;
    }
  }

  private async searchOnce(tenantId: string, request: SearchRequest, started: number): Promise<SearchOutcome> {
    const vector = request.mode === 'keyword' ? undefined : await this.queryVector(request.query);
    const results = await this.db.run(tenantId, async (tx) => {
      if (vector !== undefined) await this.assertOneModel(tx, tenantId);
      const ranked = await this.rank(tx, tenantId, request, vector);
      const kept = request.minScore === undefined ? ranked : ranked.filter((r) => r.score >= request.minScore!);
      const top = kept.slice(0, request.topK);
      const hits = new Map((await this.embeddings.hits(tx, tenantId, top.map((r) => r.id))).map((h) => [h.id, h]));
      return top.flatMap((r) => {
        const hit = hits.get(r.id);
        return hit ? [toSearchHit(r, hit, request)] : [];
      });
    });
    return { results, tookMs: Math.round(performance.now() - started), mode: request.mode, embeddingModel: this.provider.model };
  }

  private async rank(tx: TenantTransaction, tenantId: string, request: SearchRequest, vector: readonly number[] | undefined): Promise<Scored[]> {
    if (request.mode === 'semantic') {
      const corpus = await this.embeddings.corpus(tx, tenantId);
      if (corpus.chunks === 0) return [];
      return (await this.semantic(tx, tenantId, request, vector!, corpus.chunks, request.topK)).map((r) => ({
        id: r.id,
        score: similarity(r.value, request.metric),
        semanticRank: null,
        keywordRank: null,
      }));
    }
    const stats = await this.embeddings.keywordStats(tx, tenantId, request.query);
    if (stats.corpus.chunks === 0) return [];
    if (request.mode === 'keyword') {
      return (await this.keyword(tx, tenantId, request, stats, request.topK)).map((r) => ({ id: r.id, score: r.value, semanticRank: null, keywordRank: null }));
    }
    const depth = request.topK * this.settings.candidatesPerResult;
    const semantic = await this.semantic(tx, tenantId, request, vector!, stats.corpus.chunks, depth);
    const keyword = await this.keyword(tx, tenantId, request, stats, depth);
    const fused = reciprocalRankFusion(
      [
        { ids: semantic.map((r) => r.id), weight: this.settings.semanticWeight },
        { ids: keyword.map((r) => r.id), weight: this.settings.keywordWeight },
      ],
      this.settings.rrfK,
    );
    return fused.map((f) => ({ id: f.id, score: f.score, semanticRank: f.ranks[0] ?? null, keywordRank: f.ranks[1] ?? null }));
  }

  private async semantic(
    tx: TenantTransaction,
    tenantId: string,
    request: SearchRequest,
    vector: readonly number[],
    tenantChunks: number,
    limit: number,
  ): Promise<RankedChunk[]> {
    const options = { limit, metric: request.metric, filters: request.filters, efSearch: this.settings.efSearch };
    // a small tenant is compared exhaustively: as fast at that size, and exact
    const exact = tenantChunks <= this.settings.exactMaxChunks;
    const found = await this.embeddings.nearest(tx, tenantId, vector, { ...options, exact });
    if (exact || found.length >= limit) return found;
    // The index ran out before `limit` rows passed the tenant and the filters (pgvector's
    // iterative scan stops at hnsw.max_scan_tuples): what passes is few, so compare it all.
    return this.embeddings.nearest(tx, tenantId, vector, { ...options, exact: true });
  }

  /** BM25 over the tenant's ready chunks; see Bm25Plan for why the rare terms' chunks are often enough. */
  private async keyword(tx: TenantTransaction, tenantId: string, request: SearchRequest, stats: KeywordStats, limit: number): Promise<RankedChunk[]> {
    const plan = planBm25(stats);
    if (plan.terms.length === 0) return [];
    const websearch = WEBSEARCH_SYNTAX.test(request.query) ? { websearch: request.query } : {};
    const options = { limit, filters: request.filters, meanTokens: stats.corpus.meanTokens };
    if (plan.rare.length > 0 && plan.common.length > 0) {
      const found = await this.embeddings.keywordMatches(tx, tenantId, { terms: plan.terms, anyOf: plan.rare, ...websearch }, options);
      const last = found[limit - 1];
      if (last !== undefined && last.value > plan.commonCeiling) return found;
    }
    return this.embeddings.keywordMatches(tx, tenantId, { terms: plan.terms, anyOf: plan.terms.map((t) => t.lexeme), ...websearch }, options);
  }

  private async queryVector(query: string): Promise<readonly number[]> {
    const cached = this.cache.get(this.provider.model, query);
    if (cached) return cached;
    let vector: number[] | undefined;
    try {
      [vector] = await this.provider.embed([query], undefined, { interactive: true });
    } catch (error) {
      if (error instanceof EmbeddingError) {
        throw new AppError('service_unavailable', `The embedding service could not embed the query (${error.message}); keyword search works without it`);
      }
      throw error;
    }
    if (vector === undefined) throw new AppError('service_unavailable', 'The embedding service returned no vector for the query');
    this.cache.set(this.provider.model, query, vector);
    return vector;
  }

  /** Vectors of two models are not comparable: a tenant whose chunks carry another model must re-embed first. */
  private async assertOneModel(tx: TenantTransaction, tenantId: string): Promise<void> {
    const others = await this.embeddings.otherModels(tx, tenantId, this.provider.model);
    if (others.length === 0) return;
    throw new AppError(
      'conflict',
      `This tenant's knowledge was embedded with ${others.join(', ')}, but the service now embeds with ${this.provider.model}: ` +
        'retry its entries (POST /routes/knowledge/{tenant}/{id}/retry) to re-embed them before semantic or hybrid search; keyword search works meanwhile',
      { stored_models: others, configured_model: this.provider.model },
    );
  }
}

/** Higher is better: cosine similarity, or 1 / (1 + L2 distance). */
const similarity = (distance: number, metric: SearchRequest['metric']): number => (metric === 'l2' ? 1 / (1 + distance) : 1 - distance);

const toSearchHit = (ranked: Scored, hit: ChunkHit, request: SearchRequest): SearchHit => ({
  score: ranked.score,
  semanticRank: ranked.semanticRank,
  keywordRank: ranked.keywordRank,
  chunkId: hit.id,
  content: hit.content,
  snippet: buildSnippet(hit.content, request.query),
  knowledgeBaseId: hit.knowledgeBaseId,
  title: hit.title,
  type: hit.type,
  intent: hit.intent,
  tags: hit.tags,
  documentId: hit.documentId,
  filename: hit.filename,
  sourceUrl: hit.sourceUrl,
  position: hit.position,
  pageStart: hit.pageNumber,
  pageEnd: hit.pageEnd ?? hit.pageNumber,
  charStart: hit.charStart,
  charEnd: hit.charEnd,
});
