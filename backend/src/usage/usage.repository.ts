import { Injectable } from '@nestjs/common';

import { assertTenantId } from '../database/assert-tenant-id.js';
import type { TenantTransaction } from '../database/tenant-database.js';

export interface UsageRecord {
  kind: 'answer';
  model: string;
  promptTokens: number;
  completionTokens: number;
}

export interface UsageDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  model: string;
  kind: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/** The one door to `usage_events`: what each tenant's answers used. */
@Injectable()
export class UsageRepository {
  async record(tx: TenantTransaction, tenantId: string, usage: UsageRecord): Promise<void> {
    assertTenantId(tenantId);
    await tx.usageEvent.create({
      data: { tenantId, kind: usage.kind, model: usage.model, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens },
    });
  }

  /** Sums by UTC day, kind and model over [from, to), oldest first. */
  async byDay(tx: TenantTransaction, tenantId: string, from: Date, to: Date): Promise<UsageDay[]> {
    assertTenantId(tenantId);
    const rows = await tx.$queryRaw<{ day: string; kind: string; model: string; requests: number; prompt_tokens: number; completion_tokens: number }[]>`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, kind, model, count(*)::int AS requests,
             sum(prompt_tokens)::float8 AS prompt_tokens, sum(completion_tokens)::float8 AS completion_tokens
        FROM usage_events
       WHERE tenant_id = ${tenantId}::uuid AND created_at >= ${from} AND created_at < ${to}
       GROUP BY 1, 2, 3
       ORDER BY 1, 2, 3`;
    return rows.map((r) => ({
      day: r.day,
      kind: r.kind,
      model: r.model,
      requests: Number(r.requests),
      promptTokens: Number(r.prompt_tokens),
      completionTokens: Number(r.completion_tokens),
    }));
  }
}
