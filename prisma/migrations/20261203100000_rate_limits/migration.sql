-- Request counters for rate limiting, shared by every API process on this database: one row per
-- bucket (a tenant's routes, a tenant's query routes, or a client address) and fixed one-minute
-- window. Each request is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING on its row; windows
-- before the previous one are deleted as processes move on.
--
-- Not tenant-owned data (a bucket names a tenant slug or an address, never a tenant's content) and
-- never touched inside a tenant transaction: no row-level security, and nothing granted to
-- bb_tenant. UNLOGGED: counts are worth nothing after a crash, and a transaction writing only
-- unlogged tables commits without waiting for a WAL flush, which keeps the per-request cost small.

-- CreateTable
CREATE UNLOGGED TABLE "rate_limit_windows" (
    "bucket" VARCHAR(200) NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_windows_pkey" PRIMARY KEY ("bucket", "window_start")
) WITH (fillfactor = 70);

-- CreateIndex
CREATE INDEX "rate_limit_windows_window_start_idx" ON "rate_limit_windows"("window_start");
