import { lockTenant } from '../database/tenant-lock.js';
import type { TenantDatabase, TenantTransaction } from '../database/tenant-database.js';
import type { DocumentsRepository } from '../documents/documents.repository.js';
import type { EmbeddingRebuildsRepository, StagedVector } from '../embeddings/embedding-rebuilds.repository.js';
import type { EmbeddingsRepository, RebuildPlan, TextToRebuild } from '../embeddings/embeddings.repository.js';
import { EmbeddingError, type EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';
import type { RebuildScope } from '../embeddings/rebuild.sql.js';

/** The advisory lock two swaps of one tenant take turns on (`lockTenant`'s purpose). */
const SWAP_LOCK = 'embedding-model';
/** Staging passes before giving up on a tenant whose chunks keep arriving faster than a swap can take them. */
const MAX_ROUNDS = 5;
/** Rounds inside one swap for chunks of another model committed while it runs. */
const SWAP_ROUNDS = 3;

export interface ReembedTenant {
  id: string;
  slug: string;
}

export interface ReembedSettings {
  /** Re-embed every chunk, not only those of another model than the provider's. */
  all: boolean;
  /**
   * Distinct texts embedded per step: EMBEDDING_BATCH_SIZE x EMBEDDING_CONCURRENCY, so each step
   * fills every request the provider may have in flight.
   */
  textsPerStep: number;
  /** Upper bound on a tenant's swap transaction, ms. */
  swapTimeoutMs: number;
}

/** Chunks of a tenant whose texts are staged, of those to re-embed. */
export interface ReembedProgress {
  tenant: ReembedTenant;
  done: number;
  total: number;
}

/** Told how a tenant's run goes. `staged` is awaited: a caller may act between two steps. */
export interface ReembedObserver {
  planned?(tenant: ReembedTenant, plan: RebuildPlan): void;
  staged?(progress: ReembedProgress): void | Promise<void>;
}

export interface ReembedResult {
  tenant: ReembedTenant;
  model: string;
  plan: RebuildPlan;
  /** Chunks given a staged vector by the swap. */
  adopted: number;
  /** Distinct texts sent to the provider, and taken from chunks stored with the target model meanwhile. */
  textsEmbedded: number;
  textsReused: number;
  /** Of the embedded texts, those embedded inside the swap (chunks added since the last staging pass). */
  textsInSwap: number;
  /** How long the swap transaction took, lock wait included, ms; 0 when there was nothing to swap. */
  swapMs: number;
}

/** A tenant that cannot be brought to one model; the swap rolled back. */
export class ReembedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReembedError';
  }
}

interface Stores {
  db: TenantDatabase;
  embeddings: EmbeddingsRepository;
  rebuilds: EmbeddingRebuildsRepository;
  documents: DocumentsRepository;
  provider: EmbeddingProvider;
}

type InTenant = <T>(fn: (tx: TenantTransaction) => Promise<T>) => Promise<T>;

/**
 * Re-embeds a tenant's chunks with the provider's model while search keeps reading the live
 * vectors. Staging: the distinct texts to re-embed, a step at a time in content hash order, are
 * embedded (no transaction open meanwhile) and their vectors written to `embedding_rebuilds`;
 * texts staged by an earlier run are skipped, so a failed run's work is kept. Swap: one tenant
 * transaction, under the tenant's advisory lock, embeds the few texts that arrived since, copies
 * the staged vectors and model into `embeddings`, sets the documents' model and clears the staging,
 * so search sees the old vectors or the new ones, never a mixture. A failure anywhere leaves the
 * live vectors as they were.
 */
export class Reembedder {
  readonly model: string;

  constructor(
    private readonly stores: Stores,
    private readonly settings: ReembedSettings,
  ) {
    this.model = stores.provider.model;
  }

  async run(tenant: ReembedTenant, observer: ReembedObserver = {}): Promise<ReembedResult> {
    const { db, embeddings, rebuilds } = this.stores;
    const scope: RebuildScope = { tenantId: tenant.id, model: this.model, all: this.settings.all };
    const inTenant: InTenant = (fn) => db.run(tenant.id, fn);
    const plan = await inTenant((tx) => embeddings.rebuildPlan(tx, scope));
    observer.planned?.(tenant, plan);
    const result: ReembedResult = { tenant, model: this.model, plan, adopted: 0, textsEmbedded: 0, textsReused: 0, textsInSwap: 0, swapMs: 0 };
    if (plan.toRebuild === 0) {
      // vectors staged by a run that never swapped are of no use now
      await inTenant((tx) => rebuilds.clear(tx, tenant.id));
      return result;
    }
    const progress: ReembedProgress = { tenant, done: plan.staged, total: plan.toRebuild };
    for (let round = 1; ; round++) {
      await this.stagePass(scope, inTenant, progress, result, observer);
      if (await this.swap(scope, result)) return result;
      if (round === MAX_ROUNDS) {
        throw new ReembedError(`chunks to re-embed kept arriving faster than ${MAX_ROUNDS} staging passes could take them; the live vectors are as they were`);
      }
    }
  }

  /** Stages every text still to re-embed, step by step, telling the observer after each. */
  private async stagePass(scope: RebuildScope, inTenant: InTenant, progress: ReembedProgress, result: ReembedResult, observer: ReembedObserver): Promise<void> {
    let after = '';
    for (;;) {
      const texts = await inTenant((tx) => this.stores.embeddings.textsToRebuild(tx, scope, after, this.settings.textsPerStep));
      const last = texts.at(-1);
      if (last === undefined) return;
      after = last.contentHash;
      await this.stage(scope, texts, inTenant, result);
      progress.done += texts.reduce((sum, t) => sum + t.chunks, 0);
      progress.total = Math.max(progress.total, progress.done);
      await observer.staged?.({ ...progress });
    }
  }

  /**
   * Embeds `texts` and stages their vectors. Unless every chunk is re-embedded, a text the tenant
   * already stored with the target model (a document added during the run) reuses that vector.
   */
  private async stage(scope: RebuildScope, texts: readonly TextToRebuild[], inTenant: InTenant, result: ReembedResult): Promise<void> {
    const { embeddings, rebuilds, provider } = this.stores;
    const reused = scope.all
      ? new Map<string, number[]>()
      : await inTenant((tx) => embeddings.findReusableVectors(tx, scope.tenantId, scope.model, texts.map((t) => t.contentHash)));
    const fresh = texts.filter((t) => !reused.has(t.contentHash));
    const vectors = fresh.length === 0 ? [] : await provider.embed(fresh.map((t) => t.content));
    if (vectors.length !== fresh.length) throw new EmbeddingError(`the provider returned ${vectors.length} vectors for ${fresh.length} texts`, true);
    const staged: StagedVector[] = [
      ...[...reused].map(([contentHash, vector]) => ({ contentHash, vector })),
      ...fresh.map((t, i) => ({ contentHash: t.contentHash, vector: vectors[i] ?? [] })),
    ];
    await inTenant((tx) => rebuilds.stage(tx, scope.tenantId, scope.model, staged));
    result.textsEmbedded += fresh.length;
    result.textsReused += reused.size;
  }

  /**
   * The swap, in one transaction under the tenant's lock. False (nothing changed) when more texts
   * arrived since the staging pass than one step embeds: those are staged outside first.
   */
  private async swap(scope: RebuildScope, result: ReembedResult): Promise<boolean> {
    const { db, embeddings, rebuilds, documents } = this.stores;
    const started = performance.now();
    const swapped = await db.run(
      scope.tenantId,
      async (tx) => {
        await lockTenant(tx, scope.tenantId, SWAP_LOCK);
        const inTx: InTenant = (fn) => fn(tx);
        let adopted = 0;
        let inSwap = 0;
        for (let round = 1; ; round++) {
          const left = await embeddings.textsToRebuild(tx, scope, '', this.settings.textsPerStep + 1);
          if (left.length > this.settings.textsPerStep) return null;
          if (left.length > 0) await this.stage(scope, left, inTx, result);
          inSwap += left.length;
          adopted += await embeddings.adoptRebuilt(tx, scope);
          // READ COMMITTED: chunks another transaction committed meanwhile show here
          const others = (await embeddings.models(tx, scope.tenantId)).filter((model) => model !== scope.model);
          if (others.length === 0) break;
          if (round === SWAP_ROUNDS) {
            throw new ReembedError(
              `chunks of ${others.join(', ')} kept arriving during the swap: a server still embeds with ${others.join(', ')}? ` +
                `Restart it with EMBEDDING_MODEL=${scope.model}, then run the task again; the live vectors are as they were`,
            );
          }
        }
        await documents.setEmbeddingModel(tx, scope.tenantId, scope.model);
        await rebuilds.clear(tx, scope.tenantId);
        return { adopted, inSwap };
      },
      { timeout: this.settings.swapTimeoutMs },
    );
    if (swapped === null) return false;
    result.adopted = swapped.adopted;
    result.textsInSwap = swapped.inSwap;
    result.swapMs = performance.now() - started;
    return true;
  }
}
