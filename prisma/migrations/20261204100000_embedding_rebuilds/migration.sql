-- Staging for re-embedding (nx run backend:reembed): vectors of the target model are written here
-- while search keeps reading the live ones in "embeddings", then copied over in one transaction per
-- tenant, after which the tenant's rows here are deleted.
--
-- A vector is a function of the model and the text, so a staged vector is keyed by the chunk
-- text's hash (embeddings.content_hash), not by chunk: every distinct text of a tenant is embedded
-- once however many chunks repeat it, chunks added during the run that repeat a staged text need
-- no new vector, and deleting a document during the run leaves nothing to clean up here. Rows of
-- a run that failed stay, so the next run continues where it stopped.

-- CreateTable
CREATE TABLE "embedding_rebuilds" (
    "tenant_id" UUID NOT NULL,
    "model" VARCHAR(100) NOT NULL,
    "content_hash" CHAR(64) NOT NULL,
    "embedding_vector" vector(1536) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "embedding_rebuilds_pkey" PRIMARY KEY ("tenant_id", "model", "content_hash")
);

-- AddForeignKey
ALTER TABLE "embedding_rebuilds" ADD CONSTRAINT "embedding_rebuilds_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, DELETE ON "embedding_rebuilds" TO "bb_tenant";

ALTER TABLE "embedding_rebuilds" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "embedding_rebuilds" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "embedding_rebuilds"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
