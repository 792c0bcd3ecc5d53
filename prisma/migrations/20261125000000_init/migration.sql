-- Business Brain: initial schema.
-- Written in Prisma Migrate's layout and style; applied by the service at start-up (or by
-- `nx run backend:migrate`) and recorded in "_prisma_migrations" exactly as `prisma migrate deploy`
-- records it. Never edit this file once released: add a new migration instead (the runner refuses
-- to start when an applied migration's checksum changes).

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "vector";

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" VARCHAR(64) NOT NULL,
    "clerk_org_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_bases" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "type" VARCHAR(50) NOT NULL,
    "intent" VARCHAR(50) NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" VARCHAR(20) NOT NULL DEFAULT 'queued',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_bases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "documents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "knowledge_base_id" UUID NOT NULL,
    "source_kind" VARCHAR(10) NOT NULL,
    "filename" VARCHAR(255),
    "source_url" TEXT,
    "mime_type" VARCHAR(100),
    "byte_size" INTEGER NOT NULL DEFAULT 0,
    "content_hash" CHAR(64) NOT NULL,
    "content" BYTEA,
    "status" VARCHAR(20) NOT NULL DEFAULT 'queued',
    "stage" VARCHAR(20),
    "progress" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "chunk_count" INTEGER NOT NULL DEFAULT 0,
    "page_count" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "embeddings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "knowledge_base_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "token_count" INTEGER NOT NULL,
    "page_number" INTEGER,
    "char_start" INTEGER NOT NULL DEFAULT 0,
    "char_end" INTEGER NOT NULL DEFAULT 0,
    "content_hash" CHAR(64) NOT NULL,
    "model" VARCHAR(100) NOT NULL,
    "embedding_vector" vector(1536),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "embeddings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_clerk_org_id_key" ON "tenants"("clerk_org_id");

-- CreateIndex
CREATE INDEX "knowledge_bases_tenant_id_created_at_idx" ON "knowledge_bases"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_bases_tenant_id_id_key" ON "knowledge_bases"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "documents_tenant_id_knowledge_base_id_idx" ON "documents"("tenant_id", "knowledge_base_id");

-- CreateIndex
CREATE INDEX "documents_tenant_id_content_hash_idx" ON "documents"("tenant_id", "content_hash");

-- CreateIndex
CREATE UNIQUE INDEX "documents_tenant_id_id_key" ON "documents"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "embeddings_tenant_id_knowledge_base_id_idx" ON "embeddings"("tenant_id", "knowledge_base_id");

-- CreateIndex
CREATE INDEX "embeddings_tenant_id_content_hash_idx" ON "embeddings"("tenant_id", "content_hash");

-- CreateIndex
CREATE UNIQUE INDEX "embeddings_document_id_position_key" ON "embeddings"("document_id", "position");

-- AddForeignKey
ALTER TABLE "knowledge_bases" ADD CONSTRAINT "knowledge_bases_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_tenant_id_knowledge_base_id_fkey" FOREIGN KEY ("tenant_id", "knowledge_base_id") REFERENCES "knowledge_bases"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "embeddings" ADD CONSTRAINT "embeddings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "embeddings" ADD CONSTRAINT "embeddings_tenant_id_knowledge_base_id_fkey" FOREIGN KEY ("tenant_id", "knowledge_base_id") REFERENCES "knowledge_bases"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "embeddings" ADD CONSTRAINT "embeddings_tenant_id_document_id_fkey" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Vector indexes (not expressible in schema.prisma).
-- HNSW, not IVFFlat: IVFFlat derives its lists from the rows present when the index is built, so
-- an index created by a migration on an empty table clusters nothing and its recall degrades as
-- data arrives, until someone rebuilds it; HNSW needs no training step, keeps its recall as rows
-- are added one document at a time, and answers faster at the same recall. Its costs (slower
-- inserts, more memory) fall on ingestion, which is bounded by embedding latency anyway.
-- Cosine serves semantic search (embeddings are normalised); L2 serves callers that ask for it.
CREATE INDEX "embeddings_vector_cosine_idx" ON "embeddings" USING hnsw ("embedding_vector" vector_cosine_ops);
CREATE INDEX "embeddings_vector_l2_idx" ON "embeddings" USING hnsw ("embedding_vector" vector_l2_ops);

-- Row-level security: tenant isolation enforced by the database itself.
-- Every tenant-owned table admits only rows whose tenant_id equals the per-transaction setting
-- app.tenant_id (set with set_config(..., true) by TenantDatabase.run). Superusers and roles with
-- BYPASSRLS ignore policies, and the service may well connect as one, so each tenant transaction
-- also does SET LOCAL ROLE bb_tenant: a non-superuser role without BYPASSRLS. FORCE makes the
-- policies apply to the table owner too. With no tenant set, no row is visible.
DO $$
BEGIN
    CREATE ROLE "bb_tenant" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- roles are cluster-wide: another database on this server already created it
END
$$;

-- The connecting user must be allowed to SET ROLE bb_tenant (superusers always are).
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'bb_tenant', 'MEMBER') THEN
        EXECUTE format('GRANT "bb_tenant" TO %I', current_user);
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO "bb_tenant";
GRANT SELECT ON "tenants" TO "bb_tenant";
GRANT SELECT, INSERT, UPDATE, DELETE ON "knowledge_bases", "documents", "embeddings" TO "bb_tenant";

ALTER TABLE "knowledge_bases" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "knowledge_bases" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "knowledge_bases"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "documents" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "documents"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE "embeddings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "embeddings" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "embeddings"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
