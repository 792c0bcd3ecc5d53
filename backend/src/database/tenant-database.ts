import { Inject, Injectable } from '@nestjs/common';

import { Prisma } from '../generated/prisma/client.js';
import { assertTenantId } from './assert-tenant-id.js';
import { DATABASE_ENGINE, type DatabaseEngine } from './database-engine.js';
import { PrismaService } from './prisma.service.js';

/** The non-superuser role that row-level security applies to (created by the init migration). */
export const TENANT_ROLE = 'bb_tenant';

export type TenantTransaction = Prisma.TransactionClient;

export interface TenantTransactionOptions {
  /** Upper bound for the whole transaction, ms (Prisma's default is 5 s). */
  timeout?: number;
  /**
   * Every statement sees the same snapshot (REPEATABLE READ), for reads made of several
   * statements, e.g. an entry and then its documents: under the default READ COMMITTED a
   * document's completion committing in between would show a ready document in an entry still
   * `processing`. Read-only use: concurrent writes under it can fail to serialize.
   */
  snapshot?: boolean;
}

/**
 * The only door to tenant-owned tables. Each call is one transaction that first pins the tenant
 * (`app.tenant_id`, transaction-local) and drops to the `bb_tenant` role, so PostgreSQL's
 * row-level security filters every statement inside it, even one written without a tenant filter.
 * Both reset at commit or rollback, so a pooled connection never carries a tenant onwards.
 */
@Injectable()
export class TenantDatabase {
  /** Which engine runs the transactions (PostgreSQL server or embedded PGlite). */
  readonly engine: DatabaseEngine['kind'];
  /** PGlite serves one connection, so its transactions never interleave and need no snapshot isolation. */
  private readonly concurrent: boolean;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(DATABASE_ENGINE) engine: DatabaseEngine,
  ) {
    this.engine = engine.kind;
    this.concurrent = engine.kind === 'postgres';
  }

  async run<T>(tenantId: string, fn: (tx: TenantTransaction) => Promise<T>, options: TenantTransactionOptions = {}): Promise<T> {
    assertTenantId(tenantId);
    return this.prisma.$transaction(
      async (tx) => {
        // one round trip: set_config('role', ..., true) is SET LOCAL ROLE
        await tx.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${TENANT_ROLE}, true)`;
        return fn(tx);
      },
      {
        timeout: options.timeout ?? 15_000,
        maxWait: 10_000,
        ...(options.snapshot && this.concurrent ? { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead } : {}),
      },
    );
  }
}
