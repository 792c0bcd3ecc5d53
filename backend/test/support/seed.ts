import type { INestApplicationContext } from '@nestjs/common';

import { sha256Hex } from '../../src/common/crypto/sha256-hex.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { TenantDatabase } from '../../src/database/tenant-database.js';
import { EmbeddingsRepository } from '../../src/embeddings/embeddings.repository.js';
import { EMBEDDING_DIMENSIONS } from '../../src/embeddings/vector-param.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';

export const sha256 = sha256Hex;

/** A unit vector pointing mostly along axis `axis`. */
export function unitVector(axis: number, wobble = 0): number[] {
  const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  v[axis % EMBEDDING_DIMENSIONS] = 1;
  v[(axis + 1) % EMBEDDING_DIMENSIONS] = wobble;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/**
 * Seeds a tenant with one knowledge entry, one document and `chunks` embedded chunks (or one per
 * text of `texts`) through the service's own data layer.
 */
export async function seedTenant(
  app: INestApplicationContext,
  slug: string,
  options: { title?: string; chunks?: number; texts?: readonly string[]; axis?: number; createdAt?: Date } = {},
): Promise<{ tenantId: string; knowledgeBaseId: string; documentId: string }> {
  const tenant = await app.get(TenantsService).provision(slug, null);
  const db = app.get(TenantDatabase);
  const { kb, doc } = await db.run(tenant.id, async (tx) => {
    const kb = await tx.knowledgeBase.create({
      data: {
        tenantId: tenant.id,
        title: options.title ?? `${slug} handbook`,
        type: 'Reference',
        intent: 'Technical',
        tags: ['seed'],
        status: 'ready',
        ...(options.createdAt ? { createdAt: options.createdAt } : {}),
      },
    });
    const doc = await tx.document.create({
      data: {
        tenantId: tenant.id,
        knowledgeBaseId: kb.id,
        sourceKind: 'text',
        contentHash: sha256(`${slug}-${kb.id}`),
        content: Buffer.from(`text of ${slug}`),
        status: 'ready',
        chunkCount: options.texts?.length ?? options.chunks ?? 0,
      },
    });
    return { kb, doc };
  });
  const texts = options.texts ?? Array.from({ length: options.chunks ?? 0 }, (_, i) => `${slug} chunk ${i}`);
  if (texts.length > 0) {
    await app.get(TenantDatabase).run(tenant.id, (tx) =>
      app.get(EmbeddingsRepository).insert(
      tx,
      tenant.id,
      texts.map((content, i) => ({
        knowledgeBaseId: kb.id,
        documentId: doc.id,
        position: i,
        content,
        tokenCount: content.split(/\s+/).length,
        pageNumber: null,
        pageEnd: null,
        charStart: i * 10,
        charEnd: i * 10 + 9,
        contentHash: sha256(content),
        model: 'test-model',
        vector: unitVector(options.axis ?? 0, i / 10),
      })),
      ),
    );
  }
  return { tenantId: tenant.id, knowledgeBaseId: kb.id, documentId: doc.id };
}

export const prismaOf = (app: INestApplicationContext): PrismaService => app.get(PrismaService);
