-- Ingestion: a durable job queue in the database, and duplicate detection per tenant.

-- A source may be added once per tenant: the same file (or pasted text, or URL) again answers 409.
DROP INDEX "documents_tenant_id_content_hash_idx";
CREATE UNIQUE INDEX "documents_tenant_id_content_hash_key" ON "documents"("tenant_id", "content_hash");

-- CreateTable
CREATE TABLE "ingestion_jobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 5,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" VARCHAR(100),
    "locked_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingestion_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ingestion_jobs_tenant_id_document_id_key" ON "ingestion_jobs"("tenant_id", "document_id");

-- CreateIndex
CREATE INDEX "ingestion_jobs_status_run_after_idx" ON "ingestion_jobs"("status", "run_after");

-- AddForeignKey
ALTER TABLE "ingestion_jobs" ADD CONSTRAINT "ingestion_jobs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingestion_jobs" ADD CONSTRAINT "ingestion_jobs_tenant_id_document_id_fkey" FOREIGN KEY ("tenant_id", "document_id") REFERENCES "documents"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security, as on every tenant-owned table. The queue worker claims jobs across
-- tenants: it marks its own transactions with app.queue_worker = 'on' (transaction-local), which
-- the policy admits; everything it then does to a document runs in that tenant's transaction.
GRANT SELECT, INSERT, UPDATE, DELETE ON "ingestion_jobs" TO "bb_tenant";
ALTER TABLE "ingestion_jobs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ingestion_jobs" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "ingestion_jobs"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           OR current_setting('app.queue_worker', true) = 'on')
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           OR current_setting('app.queue_worker', true) = 'on');
