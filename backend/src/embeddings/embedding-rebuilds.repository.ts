import { Injectable } from '@nestjs/common';

import { assertTenantId } from '../database/assert-tenant-id.js';
import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import { Prisma } from '../generated/prisma/client.js';
import { toVectorParam, type VectorEncoding } from './vector-param.js';

/** Rows per INSERT: a vector is 6 KB (binary) or about 30 KB (text, PGlite), so a statement stays a few MB. */
const INSERT_BATCH = 128;

/** A vector of the target model for one distinct chunk text. */
export interface StagedVector {
  contentHash: string;
  vector: readonly number[];
}

/**
 * The one door to `embedding_rebuilds`, re-embedding's staging: vectors of the target model by
 * chunk text hash, written while search still reads the live vectors, copied into `embeddings` by
 * `EmbeddingsRepository.adoptRebuilt` and then cleared. Every method takes the caller's tenant
 * transaction and the tenant id.
 */
@Injectable()
export class EmbeddingRebuildsRepository {
  private readonly encoding: VectorEncoding;

  constructor(db: TenantDatabase) {
    this.encoding = db.engine === 'postgres' ? 'binary' : 'text';
  }

  /** Stages vectors of `model`; a text staged already (by an earlier run) keeps its vector. */
  async stage(tx: TenantTransaction, tenantId: string, model: string, vectors: readonly StagedVector[]): Promise<number> {
    assertTenantId(tenantId);
    let staged = 0;
    for (let i = 0; i < vectors.length; i += INSERT_BATCH) {
      const rows = vectors
        .slice(i, i + INSERT_BATCH)
        .map((v) => Prisma.sql`(${tenantId}::uuid, ${model}, ${v.contentHash}, ${toVectorParam(v.vector, this.encoding)}::vector)`);
      staged += await tx.$executeRaw`
        INSERT INTO embedding_rebuilds (tenant_id, model, content_hash, embedding_vector)
        VALUES ${Prisma.join(rows)}
        ON CONFLICT (tenant_id, model, content_hash) DO NOTHING`;
    }
    return staged;
  }

  /** Vectors staged for this tenant, of every model. */
  async count(tx: TenantTransaction, tenantId: string): Promise<number> {
    assertTenantId(tenantId);
    const [row] = await tx.$queryRaw<{ staged: number }[]>`SELECT count(*)::int AS staged FROM embedding_rebuilds WHERE tenant_id = ${tenantId}::uuid`;
    return row?.staged ?? 0;
  }

  /** Removes everything staged for this tenant (after the swap, or when nothing is left to re-embed). */
  async clear(tx: TenantTransaction, tenantId: string): Promise<number> {
    assertTenantId(tenantId);
    return tx.$executeRaw`DELETE FROM embedding_rebuilds WHERE tenant_id = ${tenantId}::uuid`;
  }
}
