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
import { QueryEmbedder } from './query-embedder.js';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.js';
import type { SearchHit, SearchOutcome, SearchRequest } from './search-request.js';
import { buildSnippet } from './snippet.js';

/** Web-search syntax that narrows what matches: a "quoted phrase", a -excluded word, or `or`. */
const WEBSEARCH_SYNTAX = /"|(^|\s)-\S|\sor\s/i;

/**
 * Searches a tenant's chunks after reading which models they carry: a re-embedding that swaps
 * them between that read and the search starts it again, with vectors of the new model. Twice is
 * all a swap can cost; the third time it is a failure to report.
 */
const MODEL_ATTEMPTS = 3;

/** The query's vector under each model it was embedded with. */
type QueryVectors = ReadonlyMap<string, readonly number[]>;

/** What one search transaction found: results, or the tenant's models when the query lacks a vector for one. */
type Attempt = { results: SearchHit[]; models: string[] } | { missing: string[] };

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
 *
 * Vectors are compared only within one model. The query is embedded with the configured model
 * first; a tenant whose chunks carry another (not re-embedded yet, or being re-embedded while the
 * service already runs with the new model) is searched with the query embedded in that model, when
 * the provider serves it. A tenant holding several at once (chunks stored with the new model
 * while the old ones await their re-embedding) gets each model's nearest chunks, merged by
 * distance. Only a model the service cannot embed with answers 409.
 */
@Injectable()
export class SearchService {
  private readonly settings: SearchConfig;
  private readonly queries: QueryEmbedder;

  constructor(
    private readonly db: TenantDatabase,
    private readonly embeddings: EmbeddingsRepository,
    @Inject(EMBEDDING_PROVIDER) provider: EmbeddingProvider,
    config: AppConfigService,
    private readonly metrics: SearchMetrics,
  ) {
    this.settings = config.get('search');
    this.queries = new QueryEmbedder(provider, this.settings.queryCacheSize);
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
    const outcome = (results: SearchHit[], models: readonly string[]): SearchOutcome => ({
      results,
      tookMs: Math.round(performance.now() - started),
      mode: request.mode,
      embeddingModel: models.join(', '),
    });
    const configured = this.queries.configuredModel;
    if (request.mode === 'keyword') return outcome(await this.db.run(tenantId, (tx) => this.collect(tx, tenantId, request, new Map())), [configured]);

    let models = [configured];
    for (let attempt = 1; ; attempt++) {
      const vectors = await this.queryVectors(request.query, models, configured);
      // one snapshot: the models read first are the models of every chunk compared after
      const found = await this.db.run(tenantId, (tx) => this.attempt(tx, tenantId, request, vectors), { snapshot: true });
      if ('results' in found) return outcome(found.results, found.models.length > 0 ? found.models : [configured]);
      const unserved = found.missing.filter((model) => !this.queries.serves(model));
      if (unserved.length > 0) throw this.unusableModels(found.missing, `which this service cannot embed queries with`);
      if (attempt === MODEL_ATTEMPTS) {
        throw new AppError('service_unavailable', "This tenant's chunks changed embedding model during the search (a re-embedding is swapping them): retry", undefined, 1);
      }
      models = found.missing;
    }
  }

  /** The search, if the query has a vector for every model the tenant's chunks carry. */
  private async attempt(tx: TenantTransaction, tenantId: string, request: SearchRequest, vectors: QueryVectors): Promise<Attempt> {
    const models = await this.embeddings.models(tx, tenantId);
    if (!models.every((model) => vectors.has(model))) return { missing: models };
    const used = new Map(models.map((model) => [model, vectors.get(model)!]));
    return { results: await this.collect(tx, tenantId, request, used), models };
  }

  private async collect(tx: TenantTransaction, tenantId: string, request: SearchRequest, vectors: QueryVectors): Promise<SearchHit[]> {
    const ranked = await this.rank(tx, tenantId, request, vectors);
    const kept = request.minScore === undefined ? ranked : ranked.filter((r) => r.score >= request.minScore!);
    const top = kept.slice(0, request.topK);
    const hits = new Map((await this.embeddings.hits(tx, tenantId, top.map((r) => r.id))).map((h) => [h.id, h]));
    return top.flatMap((r) => {
      const hit = hits.get(r.id);
      return hit ? [toSearchHit(r, hit, request)] : [];
    });
  }

  private async rank(tx: TenantTransaction, tenantId: string, request: SearchRequest, vectors: QueryVectors): Promise<Scored[]> {
    if (request.mode === 'semantic') {
      const corpus = await this.embeddings.corpus(tx, tenantId);
      if (corpus.chunks === 0) return [];
      return (await this.semantic(tx, tenantId, request, vectors, corpus.chunks, request.topK)).map((r) => ({
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
    const semantic = await this.semantic(tx, tenantId, request, vectors, stats.corpus.chunks, depth);
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

  /** The nearest chunks: of the tenant's one model, or of each of its models with the query in that model, nearest first. */
  private async semantic(
    tx: TenantTransaction,
    tenantId: string,
    request: SearchRequest,
    vectors: QueryVectors,
    tenantChunks: number,
    limit: number,
  ): Promise<RankedChunk[]> {
    const [only] = vectors.values();
    if (vectors.size === 0) return [];
    if (vectors.size === 1 && only !== undefined) return this.nearest(tx, tenantId, request, only, tenantChunks, limit, undefined);
    const lists: RankedChunk[][] = [];
    for (const [model, vector] of vectors) lists.push(await this.nearest(tx, tenantId, request, vector, tenantChunks, limit, model));
    return lists
      .flat()
      .sort((a, b) => a.value - b.value || a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  private async nearest(
    tx: TenantTransaction,
    tenantId: string,
    request: SearchRequest,
    vector: readonly number[],
    tenantChunks: number,
    limit: number,
    model: string | undefined,
  ): Promise<RankedChunk[]> {
    const options = { limit, metric: request.metric, filters: request.filters, efSearch: this.settings.efSearch, ...(model === undefined ? {} : { model }) };
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

  /** The query embedded with each of `models` (one at a time: rarely more than the configured one). */
  private async queryVectors(query: string, models: readonly string[], configured: string): Promise<QueryVectors> {
    const vectors = new Map<string, readonly number[]>();
    for (const model of models) {
      let vector: readonly number[] | undefined;
      try {
        vector = await this.queries.vector(model, query);
      } catch (error) {
        if (!(error instanceof EmbeddingError)) throw error;
        // an endpoint that does not know the stored model will not learn it by retrying
        if (model !== configured && !error.transient) throw this.unusableModels(models, `which the embeddings API refused (${error.message})`);
        throw new AppError('service_unavailable', `The embedding service could not embed the query (${error.message}); keyword search works without it`);
      }
      if (vector === undefined) throw new AppError('service_unavailable', 'The embedding service returned no vector for the query');
      vectors.set(model, vector);
    }
    return vectors;
  }

  /** Vectors of two models are not comparable: chunks of a model no query can be embedded with must be re-embedded first. */
  private unusableModels(stored: readonly string[], why: string): AppError {
    const configured = this.queries.configuredModel;
    const others = stored.filter((model) => model !== configured);
    return new AppError(
      'conflict',
      `This tenant's knowledge was embedded with ${others.join(', ')}, ${why}; the service now embeds with ${configured}: ` +
        're-embed it (npx nx run backend:reembed -- --tenant <slug>, or retry its entries: POST /routes/knowledge/{tenant}/{id}/retry) ' +
        'before semantic or hybrid search; keyword search works meanwhile',
      { stored_models: others, configured_model: configured },
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
