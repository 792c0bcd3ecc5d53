-- BM25's statistics kept per tenant, by the database, as chunks come and go.
--
-- search_corpus: per tenant, how many chunks it holds and their total length in tokens (BM25's N
-- and mean document length). search_terms: per tenant and lexeme, how many of its chunks hold the
-- lexeme (BM25's document frequency). Keyword search reads both with a few key probes instead of
-- counting over the tenant's chunks, and knows which of a query's terms are rare, so it scores
-- only the chunks that hold a rare term whenever that provably gives the same top results
-- (MaxScore: backend/src/search/bm25-plan.ts).
--
-- Triggers on embeddings keep them exact: each INSERT or DELETE statement adds or subtracts its
-- rows' counts in the same transaction. Keys are upserted in (tenant_id, lexeme) order, so two
-- writers of one tenant lock shared rows in the same order and never deadlock. Chunks are never
-- updated in place (a document's chunks are deleted and inserted again); a trigger refuses an
-- update that would change what these tables count.

-- CreateTable
CREATE TABLE "search_corpus" (
    "tenant_id" UUID NOT NULL,
    "chunks" BIGINT NOT NULL,
    "tokens" BIGINT NOT NULL,

    CONSTRAINT "search_corpus_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "search_terms" (
    "tenant_id" UUID NOT NULL,
    "lexeme" TEXT NOT NULL,
    "chunks" INTEGER NOT NULL,

    CONSTRAINT "search_terms_pkey" PRIMARY KEY ("tenant_id", "lexeme")
);

GRANT SELECT, INSERT, UPDATE, DELETE ON "search_corpus", "search_terms" TO "bb_tenant";

ALTER TABLE "search_corpus" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "search_corpus"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "search_terms" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "search_terms"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

CREATE FUNCTION "embeddings_search_stats"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_corpus AS c (tenant_id, chunks, tokens)
            SELECT tenant_id, count(*), coalesce(sum(token_count), 0) FROM new_rows GROUP BY tenant_id ORDER BY tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET chunks = c.chunks + excluded.chunks, tokens = c.tokens + excluded.tokens;
        INSERT INTO search_terms AS s (tenant_id, lexeme, chunks)
            SELECT r.tenant_id, t.lexeme, count(*) FROM new_rows r CROSS JOIN LATERAL unnest(r.search_vector) AS t
             GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (tenant_id, lexeme) DO UPDATE SET chunks = s.chunks + excluded.chunks;
    ELSE
        -- the same upserts with negative counts (same lock order), then drop what reached zero
        INSERT INTO search_corpus AS c (tenant_id, chunks, tokens)
            SELECT tenant_id, -count(*), -coalesce(sum(token_count), 0) FROM old_rows GROUP BY tenant_id ORDER BY tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET chunks = c.chunks + excluded.chunks, tokens = c.tokens + excluded.tokens;
        INSERT INTO search_terms AS s (tenant_id, lexeme, chunks)
            SELECT r.tenant_id, t.lexeme, -count(*) FROM old_rows r CROSS JOIN LATERAL unnest(r.search_vector) AS t
             GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (tenant_id, lexeme) DO UPDATE SET chunks = s.chunks + excluded.chunks;
        DELETE FROM search_terms s USING (SELECT DISTINCT r.tenant_id, t.lexeme FROM old_rows r CROSS JOIN LATERAL unnest(r.search_vector) AS t) AS gone
         WHERE s.tenant_id = gone.tenant_id AND s.lexeme = gone.lexeme AND s.chunks <= 0;
        DELETE FROM search_corpus c USING (SELECT DISTINCT tenant_id FROM old_rows) AS gone
         WHERE c.tenant_id = gone.tenant_id AND c.chunks <= 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "embeddings_search_stats_insert" AFTER INSERT ON "embeddings"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "embeddings_search_stats"();
CREATE TRIGGER "embeddings_search_stats_delete" AFTER DELETE ON "embeddings"
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "embeddings_search_stats"();

CREATE FUNCTION "embeddings_refuse_counted_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a chunk''s tenant, text and length are not updated in place: delete the chunk and insert it again'
        USING ERRCODE = 'feature_not_supported';
END
$$;

CREATE TRIGGER "embeddings_refuse_counted_update" BEFORE UPDATE OF "tenant_id", "content", "token_count" ON "embeddings"
    FOR EACH ROW WHEN (OLD."tenant_id" IS DISTINCT FROM NEW."tenant_id" OR OLD."content" IS DISTINCT FROM NEW."content"
                       OR OLD."token_count" IS DISTINCT FROM NEW."token_count")
    EXECUTE FUNCTION "embeddings_refuse_counted_update"();

-- Count what is already stored. The migrating role owns the tables, and FORCE ROW LEVEL SECURITY
-- would show it no chunk (no tenant is set here): lift FORCE for this transaction's backfill.
ALTER TABLE "embeddings" NO FORCE ROW LEVEL SECURITY;
INSERT INTO "search_corpus" ("tenant_id", "chunks", "tokens")
    SELECT "tenant_id", count(*), coalesce(sum("token_count"), 0) FROM "embeddings" GROUP BY "tenant_id";
INSERT INTO "search_terms" ("tenant_id", "lexeme", "chunks")
    SELECT e."tenant_id", t.lexeme, count(*) FROM "embeddings" e CROSS JOIN LATERAL unnest(e."search_vector") AS t GROUP BY 1, 2;
ALTER TABLE "embeddings" FORCE ROW LEVEL SECURITY;
ALTER TABLE "search_corpus" FORCE ROW LEVEL SECURITY;
ALTER TABLE "search_terms" FORCE ROW LEVEL SECURITY;
