-- Search over a tenant's chunks (POST /routes/knowledge/{tenant}/search).
--
-- Keyword search: every chunk keeps its PostgreSQL full-text vector, computed by the database from
-- the chunk's text with the English configuration (stemmed lexemes with their positions), so rows
-- stored before this migration are covered at once and no writer can forget it. BM25 reads the
-- term frequencies from it; the GIN index finds the chunks that contain a query's terms.
-- AlterTable
ALTER TABLE "embeddings" ADD COLUMN "search_vector" tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "content")) STORED;

-- The last page a chunk covers (page_number is the first), so a result can cite "pages 4-5".
-- AlterTable
ALTER TABLE "embeddings" ADD COLUMN "page_end" INTEGER;
UPDATE "embeddings" SET "page_end" = "page_number" WHERE "page_number" IS NOT NULL;

-- CreateIndex
CREATE INDEX "embeddings_search_vector_idx" ON "embeddings" USING gin ("search_vector");

-- CreateIndex: whether a tenant holds chunks of another embedding model than the configured one
-- (semantic search refuses to compare vectors of two models) is two probes of this index; with
-- token_count included, BM25's corpus statistics (chunks, mean length) are an index-only scan of it.
-- (schema.prisma cannot express INCLUDE; it declares the index on its keys.)
CREATE INDEX "embeddings_tenant_id_model_idx" ON "embeddings"("tenant_id", "model") INCLUDE ("token_count");

-- Under row-level security the planner lets a condition use an index only when its function is
-- LEAKPROOF (it must not see another tenant's rows before the policy has filtered them out).
-- tsvector @@ tsquery (ts_match_vq) is not marked so, although it raises no error and has no side
-- effect that depends on a row: it only answers whether the row's lexemes satisfy the query. Without
-- the mark every keyword search reads all of the tenant's chunks instead of the GIN index's
-- matches. Only a superuser may set the mark; on a server where the migrating role is not one
-- (a managed database, say) the search stays correct and reads the tenant's chunks; a superuser can
-- run the statement below once by hand.
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF;
    ELSE
        RAISE NOTICE 'not a superuser: ts_match_vq is not marked LEAKPROOF, keyword search reads the tenant''s chunks without the GIN index';
    END IF;
END
$$;
