-- The queue worker's cross-tenant access becomes a database role instead of a setting.
--
-- Until now the policy on ingestion_jobs admitted every row to any transaction that had set
-- app.queue_worker = 'on'. Custom settings are anyone's to set: a tenant transaction (role
-- bb_tenant) could turn it on with set_config(...) and then read and write every tenant's jobs, and
-- so could a connection string (options=-c app.queue_worker=on), ALTER ROLE/DATABASE ... SET, or a
-- pooler carrying a session's settings over. Now only the role bb_queue_worker sees across tenants:
-- the worker's transactions do SET LOCAL ROLE bb_queue_worker, and bb_tenant is not a member of
-- it, so the tenant role's own rights cannot reach it.
--
-- What a role cannot do: PostgreSQL authorises SET ROLE by the connection's login (the session
-- user), not by the current role, and the service's login must be able to become the worker role
-- (and can always RESET ROLE to itself). Statements the service runs inside a tenant transaction
-- could therefore still switch roles under that login; row-level security protects against queries
-- that forget their tenant and against settings, not against arbitrary SQL.

-- Roles are cluster-wide: another database on this server (or a migration running concurrently in
-- one) may have created it already.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bb_queue_worker') THEN
        CREATE ROLE "bb_queue_worker" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

-- The connecting user must be allowed to SET ROLE bb_queue_worker (superusers always are)...
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'bb_queue_worker', 'MEMBER') THEN
        EXECUTE format('GRANT "bb_queue_worker" TO %I', current_user);
    END IF;
END
$$;

-- ...and the tenant role must not be (directly or through another role).
DO $$
BEGIN
    IF pg_has_role('bb_tenant', 'bb_queue_worker', 'MEMBER') THEN
        RAISE EXCEPTION 'role bb_tenant is a member of bb_queue_worker: revoke that membership (tenant transactions could see every tenant''s jobs)';
    END IF;
END
$$;

-- Claiming reads and updates jobs (SKIP LOCKED needs UPDATE); finishing a job runs in its tenant's
-- transaction, so the worker role needs neither INSERT nor DELETE.
GRANT USAGE ON SCHEMA public TO "bb_queue_worker";
GRANT SELECT, UPDATE ON "ingestion_jobs" TO "bb_queue_worker";

DROP POLICY "tenant_isolation" ON "ingestion_jobs";
CREATE POLICY "tenant_isolation" ON "ingestion_jobs"
    USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY "queue_worker" ON "ingestion_jobs" TO "bb_queue_worker"
    USING (true)
    WITH CHECK (true);
