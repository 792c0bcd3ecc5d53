import { KNOWLEDGE_INTENTS, KNOWLEDGE_TYPES } from '@business-brain/contract';

import type { DatabaseEngine } from '../backend/src/database/database-engine.js';

/** Words the titles are made of; the q search looks for one of them (in about 1 title of 37). */
const TITLE_HEADS = [
  'Onboarding', 'Pricing', 'Security', 'Travel', 'Expense', 'Release', 'Incident', 'Hiring', 'Vendor', 'Roadmap',
  'Quarterly', 'Customer', 'Support', 'Warranty', 'Payroll', 'Backup', 'Network', 'Privacy', 'Retention', 'Brand',
  'Pipeline', 'Forecast', 'Audit', 'Benefits', 'Contract', 'Shipping', 'Returns', 'Training', 'Escalation', 'Design',
  'Architecture', 'Licensing', 'Procurement', 'Inventory', 'Compliance', 'Partner', 'Feedback',
] as const;
const TITLE_TAILS = [
  'policy', 'handbook', 'checklist', 'guide', 'notes', 'review', 'plan', 'report', 'faq', 'process', 'template',
  'overview', 'playbook', 'summary', 'minutes', 'brief', 'standard', 'matrix', 'catalogue', 'runbook', 'memo',
  'proposal', 'analysis',
] as const;

/** What a benchmark asks for, to find a known share of entries. */
export const BENCH_QUERY = { tag: 't7', status: 'failed', q: 'escalation' } as const;

/** One entry in 25 has documents (1-3 of them); the rest were created empty or lost theirs. */
const WITH_DOCUMENTS_EVERY = 25;

const sqlArray = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;

/**
 * Inserts `count` entries for the tenant in two statements (INSERT ... SELECT generate_series),
 * shaped like a real tenant's: titles from a vocabulary, every type and intent, two tags each
 * (`t0`..`t49`, so a tag filter matches 1 entry in 50, and one of 7 teams), an entry every two
 * minutes going back from 2026-11-01 (two entries share each instant, as bulk imports do), and
 * 4 % of entries with 1-3 documents (a 0.8 KB text stored inline, 8 KB files out of line) carrying chunk counts
 * and the status their documents give them. Deterministic: entry i of a tenant is always the same.
 */
export async function seedEntries(database: DatabaseEngine, tenantId: string, count: number): Promise<void> {
  await database.withSession(async (session) => {
    await session.query('BEGIN');
    try {
      await session.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await session.query(
        `INSERT INTO knowledge_bases (id, tenant_id, title, type, intent, tags, status, created_at, updated_at)
         SELECT md5($1 || ':' || i)::uuid, $1::uuid,
                (${sqlArray(TITLE_HEADS)})[1 + i % ${TITLE_HEADS.length}] || ' ' ||
                  (${sqlArray(TITLE_TAILS)})[1 + (i / ${TITLE_HEADS.length}) % ${TITLE_TAILS.length}] || ' ' || i,
                (${sqlArray(KNOWLEDGE_TYPES)})[1 + (i * 7) % ${KNOWLEDGE_TYPES.length}],
                (${sqlArray(KNOWLEDGE_INTENTS)})[1 + (i * 5) % ${KNOWLEDGE_INTENTS.length}],
                ARRAY['t' || (i % 50), 'team-' || ((i * 3) % 7)],
                CASE WHEN i % ${WITH_DOCUMENTS_EVERY} <> 0 THEN 'ready'
                     ELSE (ARRAY['ready','ready','ready','ready','ready','ready','ready','ready','ready','ready',
                                 'ready','ready','ready','ready','ready','ready','ready','processing','failed','partial'])
                          [1 + (i / ${WITH_DOCUMENTS_EVERY}) % 20] END,
                t, t
           FROM generate_series(1, $2::int) AS i,
                LATERAL (SELECT timestamptz '2026-11-01 00:00:00+00' - make_interval(mins => (i / 2) * 2) AS t) AS at`,
        [tenantId, count],
      );
      await session.query(
        `INSERT INTO documents (tenant_id, knowledge_base_id, source_kind, filename, mime_type, byte_size, content_hash,
                                content, status, chunk_count, page_count, embedding_model, created_at, updated_at, processed_at)
         SELECT $1::uuid, md5($1 || ':' || i)::uuid,
                CASE WHEN d = 1 THEN 'text' ELSE 'file' END,
                CASE WHEN d = 1 THEN NULL ELSE 'attachment-' || i || '-' || d || '.pdf' END,
                CASE WHEN d = 1 THEN 'text/plain' ELSE 'application/pdf' END,
                length(body), encode(sha256(convert_to($1 || ':' || i || ':' || d, 'UTF8')), 'hex'),
                convert_to(body, 'UTF8'),
                CASE st WHEN 'partial' THEN (CASE WHEN d = 1 THEN 'ready' ELSE 'failed' END) ELSE st END,
                CASE WHEN st IN ('ready', 'partial') THEN 5 + (i * 13 + d) % 200 ELSE 0 END,
                CASE WHEN d = 1 THEN NULL ELSE 1 + i % 40 END,
                CASE WHEN st IN ('ready', 'partial') THEN 'lexical' END,
                kb.created_at, kb.created_at, kb.created_at
           FROM generate_series(${WITH_DOCUMENTS_EVERY}, $2::int, ${WITH_DOCUMENTS_EVERY}) AS i
           JOIN knowledge_bases kb ON kb.tenant_id = $1::uuid AND kb.id = md5($1 || ':' || i)::uuid
           CROSS JOIN LATERAL generate_series(1, 1 + (i / ${WITH_DOCUMENTS_EVERY}) % 3) AS d
           CROSS JOIN LATERAL (SELECT kb.status AS st,
                                      (SELECT string_agg(md5(i || ':' || d || ':' || k), '')
                                         FROM generate_series(1, CASE WHEN d = 1 THEN 24 ELSE 256 END) AS k) AS body) AS doc`,
        [tenantId, count],
      );
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK');
      throw error;
    }
  });
}
