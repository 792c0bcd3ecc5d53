import { Injectable } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import { TenantDatabase } from '../database/tenant-database.js';
import type { UsageResponseDto } from './dto/usage-response.dto.js';
import { type UsageRecord, UsageRepository } from './usage.repository.js';

const DAY_MS = 86_400_000;
/** The longest span one request may sum. */
const MAX_DAYS = 366;

const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

const parseDay = (text: string, field: string): Date => {
  const date = new Date(`${text}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || dayOf(date) !== text) throw new AppError('validation_failed', `${field} is not a calendar day`, { field });
  return date;
};

/** Per-tenant usage: recorded by answers, summed by day. */
@Injectable()
export class UsageService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly usage: UsageRepository,
  ) {}

  record(tenantId: string, record: UsageRecord): Promise<void> {
    return this.db.run(tenantId, (tx) => this.usage.record(tx, tenantId, record));
  }

  async byDay(tenantId: string, query: { from?: string; to?: string }, now = new Date()): Promise<UsageResponseDto> {
    const to = query.to === undefined ? new Date(`${dayOf(now)}T00:00:00.000Z`) : parseDay(query.to, 'to');
    const from = query.from === undefined ? new Date(to.getTime() - 29 * DAY_MS) : parseDay(query.from, 'from');
    if (from > to) throw new AppError('validation_failed', 'from must not be after to', { field: 'from' });
    if ((to.getTime() - from.getTime()) / DAY_MS >= MAX_DAYS) throw new AppError('validation_failed', `at most ${MAX_DAYS} days at once`, { field: 'from' });
    const days = await this.db.run(tenantId, (tx) => this.usage.byDay(tx, tenantId, from, new Date(to.getTime() + DAY_MS)));
    return {
      from: dayOf(from),
      to: dayOf(to),
      days: days.map((d) => ({ day: d.day, kind: d.kind, model: d.model, requests: d.requests, prompt_tokens: d.promptTokens, completion_tokens: d.completionTokens })),
    };
  }
}
